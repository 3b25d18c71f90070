"""From a held slot to a meeting that happened, through the CLI on the bundled example:
outreach, confirm (by command and by an acceptance in the calendar), done, skip, snooze, log,
remove and calendars, and the state each leaves (schema 3, migrated from 2)."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from example_home import cli, make_home

from sync.state import MIGRATIONS, SCHEMA_V1, SCHEMA_VERSION, State

LATER = "2026-12-09T10:00:00-05:00"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_home(tmp_path, monkeypatch)


def sync(home: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    code, out, _ = cli(home, capsys, "sync", "--json", *extra)
    data: dict[str, Any] = json.loads(out)
    assert code == 0, data
    return data


def status(home: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, _ = cli(home, capsys, "status", "--json")
    assert code == 0
    data: dict[str, Any] = json.loads(out)
    return data


def folder(home: Path) -> Path:
    return home / "out" / "networking"


def event_file(home: Path, uid: str) -> Path:
    (p,) = [p for p in folder(home).glob("*.ics") if uid.encode() in p.read_bytes()]
    return p


def vevent(path: Path) -> Any:
    (ev,) = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    return ev


def contacts(home: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, Any]]:
    code, out, _ = cli(home, capsys, "contacts", "--json")
    assert code == 0
    return {c["id"]: c for c in json.loads(out)}


def first_meeting(home: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    acts = status(home, capsys)["activities"]
    return next(a for a in acts if a["kind"] == "one-on-one")


# ------------------------------------------------------------------ state


def test_schema_3_migrates_from_2_keeping_owned_events(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_V1 + ";" + MIGRATIONS[2])
    db.execute(
        "INSERT INTO owned (target, nid, fingerprint, content_hash, status) "
        "VALUES ('cal', 'nw-1', 'f', 'h', 'done')"
    )
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    with State(path) as st:
        assert st.schema_version == SCHEMA_VERSION == 3
        assert [r.nid for r in st.all_owned()] == ["nw-1"]
        tables = {r[0] for r in st.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"activities", "activity_changes", "slots", "snoozes", "interactions"} <= tables


def test_every_planned_activity_is_held_with_its_date(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync(home, capsys)
    acts = status(home, capsys)["activities"]
    assert acts and {a["state"] for a in acts} == {"held"}
    assert {a["kind"] for a in acts} >= {"one-on-one", "group"}
    assert all(a["changed"].startswith("2026-11-21") for a in acts)
    code, out, _ = cli(home, capsys, "status")
    assert f"meetings: {len(acts)} held" in out
    code, out, _ = cli(home, capsys, "plan")
    assert f"meetings: {len(acts)} held" in out


# ------------------------------------------------------------------ silence, done, skip, log


def test_a_slot_never_confirmed_is_not_met_until_done(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sync(home, capsys, "--weeks", "2")
    first = first_meeting(home, capsys)
    monkeypatch.setenv("NETWEAVE_NOW", LATER)
    assert contacts(home, capsys)[first["contact"]]["last_met"] is None
    code, out, _ = cli(home, capsys, "status")
    assert "did these take place?" in out and first["title"] in out
    code, out, _ = cli(
        home, capsys, "done", first["name"], "--note", "her move to trial work",
        "--promised", "the Kessler brief",
    )  # fmt: skip
    assert code == 0 and out.startswith("done: ")
    assert contacts(home, capsys)[first["contact"]]["last_met"] == first["start"][:10]
    st = status(home, capsys)
    assert first["uid"] not in {a["uid"] for a in st["awaiting"]}
    assert any("the Kessler brief" in f for f in st["follow_ups"])
    with State(home / "out" / "state.sqlite") as state:
        from sync.lifecycle import Lifecycle

        assert [s for s, _, _ in Lifecycle(state).changes(first["uid"])] == ["held", "done"]


def test_silence_can_mean_met(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = home / "config.toml"
    cfg.write_text(cfg.read_text().replace('silence = "wait"', 'silence = "met"'))
    sync(home, capsys, "--weeks", "2")
    first = first_meeting(home, capsys)
    monkeypatch.setenv("NETWEAVE_NOW", LATER)
    assert contacts(home, capsys)[first["contact"]]["last_met"] == first["start"][:10]


def test_skip_a_past_meeting_and_log_one_held_elsewhere(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = home / "config.toml"
    cfg.write_text(cfg.read_text().replace('silence = "wait"', 'silence = "met"'))
    sync(home, capsys, "--weeks", "2")
    first = first_meeting(home, capsys)
    monkeypatch.setenv("NETWEAVE_NOW", LATER)
    code, out, _ = cli(home, capsys, "skip", first["name"], "--reason", "she was ill")
    assert code == 0 and out.startswith("skipped: ")
    assert contacts(home, capsys)[first["contact"]]["last_met"] is None  # silence="met" or not
    code, out, _ = cli(
        home, capsys, "log", first["name"], "2026-12-07", "--note", "a call about the bar panel"
    )
    assert code == 0
    assert contacts(home, capsys)[first["contact"]]["last_met"] == "2026-12-07"
    code, out, _ = cli(home, capsys, "log", "--export", "json")
    (rec,) = json.loads(out)
    assert rec["name"] == first["name"] and rec["topic"] == "a call about the bar panel"
    code, out, _ = cli(home, capsys, "log", "--export", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["date"] == "2026-12-07" and rows[0]["contact"] == first["contact"]
    code, _, err = cli(home, capsys, "done", "Nobody Atall")
    assert code == 2 and "nobody called" in err


def test_a_logged_note_opens_the_next_agenda(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sync(home, capsys, "--weeks", "16")
    acts = status(home, capsys)["activities"]
    counts: dict[str, int] = {}
    for a in acts:
        if a["kind"] == "one-on-one":
            counts[a["contact"]] = counts.get(a["contact"], 0) + 1
    who = next(a for a in acts if a["kind"] == "one-on-one" and counts[a["contact"]] > 1)
    cli(
        home, capsys, "log", who["name"], "2026-11-20", "--note", "litigation funding",
        "--promised", "an intro to Priya",
    )  # fmt: skip
    sync(home, capsys, "--weeks", "16")
    agenda = icalendar.Calendar.from_ical((home / "out" / "netweave-agenda.ics").read_bytes())
    meetings = [e for e in agenda.walk("VEVENT") if str(e["X-NETWEAVE-KIND"]) == "one-on-one"]
    theirs = [str(e["DESCRIPTION"]) for e in meetings if str(e["SUMMARY"]).endswith(who["name"])]
    want = "Last time: 2026-11-20, litigation funding; you promised an intro to Priya."
    assert theirs and all(d.startswith(want) for d in theirs)
    others = [str(e.get("DESCRIPTION", "")) for e in meetings]
    assert sum(d.startswith("Last time:") for d in others) == len(theirs)


# ------------------------------------------------------------------ outreach and confirm

_LEFTOVER = re.compile(r"[{}<>]|\bNone\b|\bTODO\b|\$\w|%\(|\[[A-Z_ ]+\]")


def test_outreach_messages_are_ready_to_send(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync(home, capsys)
    code, out, _ = cli(home, capsys, "outreach")
    assert code == 0
    blocks = [b for b in out.split("=== ") if b.strip()]
    assert len(blocks) >= 3
    assert not _LEFTOVER.search(out), _LEFTOVER.search(out)
    meeting = next(b for b in blocks if "Coffee with" in b.splitlines()[0])
    assert "I am writing because" in meeting and "working toward" in meeting
    assert 2 <= sum(1 for ln in meeting.splitlines() if ln.startswith("  - ")) <= 3
    intro = next(b for b in blocks if b.startswith("Ask "))
    assert "introduce me to" in intro and "a note you can forward" in intro
    # The private calendar carries the message as a mailto: link in the description.
    held = [p for p in folder(home).glob("*.ics") if b"SUMMARY:Coffee with" in p.read_bytes()]
    assert any("mailto:" in str(vevent(p).get("DESCRIPTION", "")) for p in held)


def test_in_confidential_mode_outreach_never_reaches_a_shared_calendar(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = home / "config.toml"
    text = cfg.read_text().replace("shared = false ", "shared = true  ", 1)
    assert "shared = true" in text
    cfg.write_text(text)
    sync(home, capsys)
    code, out, _ = cli(home, capsys, "outreach")
    names = re.findall(r"^=== Coffee with (.+?) \(", out, re.M)
    assert names
    for p in folder(home).glob("*.ics"):
        data = p.read_bytes().decode()
        assert "mailto" not in data and "DESCRIPTION" not in data
        assert not any(n in data for n in names)


def test_confirm_moves_the_slot_and_a_user_move_afterwards_wins(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync(home, capsys)
    code, out, _ = cli(home, capsys, "outreach", "Anthony Marchetti", "--sent")
    assert code == 0 and "Anthony" in out
    act = next(a for a in status(home, capsys)["activities"] if a["name"] == "Anthony Marchetti")
    assert act["state"] == "proposed"
    path = event_file(home, act["uid"])
    assert b"TRANSP:TRANSPARENT" in path.read_bytes()
    code, out, _ = cli(home, capsys, "confirm", "Anthony", "2", "--place", "Bryant Park Cafe")
    assert code == 0 and "confirmed:" in out, out
    act2 = next(a for a in status(home, capsys)["activities"] if a["uid"] == act["uid"])
    assert act2["state"] == "confirmed" and act2["start"] != act["start"]
    ev = vevent(event_file(home, act["uid"]))
    assert ev.decoded("DTSTART") == datetime.fromisoformat(act2["start"])
    assert str(ev["LOCATION"]) == "Bryant Park Cafe" and str(ev["TRANSP"]) == "OPAQUE"
    assert sync(home, capsys)["updated"] == 0  # it stays
    # The user moves the confirmed meeting an hour later: it stays where they put it.
    p = event_file(home, act["uid"])
    start = ev.decoded("DTSTART")
    text = p.read_bytes().decode()
    head, body = text.split("BEGIN:VEVENT", 1)  # not the VTIMEZONE's DTSTART
    for name in ("DTSTART", "DTEND"):
        new = (ev.decoded(name) + timedelta(hours=1)).strftime("%Y%m%dT%H%M%S")
        line = re.compile(rf"^({name}(;[^:\n]*)?):[0-9TZ]+", re.M)
        body = line.sub(rf"\g<1>:{new}", body, count=1)
    p.write_text(head + "BEGIN:VEVENT" + body)
    moved = p.read_bytes()
    for _ in range(2):
        sync(home, capsys)
    assert event_file(home, act["uid"]).read_bytes() == moved
    assert vevent(event_file(home, act["uid"])).decoded("DTSTART") == start + timedelta(hours=1)
    act3 = next(a for a in status(home, capsys)["activities"] if a["uid"] == act["uid"])
    assert act3["state"] == "confirmed"
    assert datetime.fromisoformat(act3["start"]) == start + timedelta(hours=1)


def test_an_invitation_accepted_in_the_calendar_confirms(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync(home, capsys)
    act = next(a for a in status(home, capsys)["activities"] if a["kind"] == "one-on-one")
    p = event_file(home, act["uid"])
    data = p.read_bytes().replace(
        b"END:VEVENT",
        b"ATTENDEE;CN=Guest;PARTSTAT=ACCEPTED:mailto:guest@example.com\r\nEND:VEVENT",
        1,
    )
    p.write_bytes(data)
    sync(home, capsys)
    act2 = next(a for a in status(home, capsys)["activities"] if a["uid"] == act["uid"])
    assert act2["state"] == "confirmed"
    assert str(vevent(event_file(home, act["uid"]))["TRANSP"]) == "OPAQUE"


def test_snooze_pushes_a_person_out_until_it_ends(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync(home, capsys)
    act = next(a for a in status(home, capsys)["activities"] if a["kind"] == "one-on-one")
    code, out, _ = cli(home, capsys, "snooze", act["name"], "30")
    assert code == 0 and "until 2026-12-21" in out
    code, out, _ = cli(home, capsys, "plan", "--json", "--weeks", "16")
    theirs = [e for e in json.loads(out) if act["contact"] in e["contacts"]]
    # Nothing with them before the snooze ends; they come back after it.
    assert theirs and all(e["start"] >= "2026-12-21" for e in theirs)
    assert any(e["kind"] == "one-on-one" for e in theirs)
    st = status(home, capsys)
    assert st["snoozed"] == [
        {"contact": act["contact"], "name": act["name"], "until": "2026-12-21"}
    ]
    code, out, _ = cli(home, capsys, "status")
    assert f"snoozed: {act['name']} until 2026-12-21" in out
    # The next sync drops the meeting planned inside the snooze.
    sync(home, capsys, "--weeks", "16")
    acts = {a["uid"]: a for a in status(home, capsys)["activities"]}
    assert acts[act["uid"]]["state"] == "cancelled"


def test_skip_a_future_meeting_removes_it(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sync(home, capsys)
    act = next(a for a in status(home, capsys)["activities"] if a["kind"] == "one-on-one")
    code, out, _ = cli(home, capsys, "skip", act["name"])
    assert code == 0 and out.startswith("cancelled: ")
    sync(home, capsys)
    assert not [p for p in folder(home).glob("*.ics") if act["uid"].encode() in p.read_bytes()]


# ------------------------------------------------------------------ remove and calendars


def test_remove_deletes_only_what_netweave_created(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync(home, capsys)
    mine = {
        "dentist.ics": (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//me//EN\r\nBEGIN:VEVENT\r\n"
            b"UID:dentist-1\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261124T150000Z\r\n"
            b"DTEND:20261124T160000Z\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        ),
        "notes.txt": b"not a calendar file\n",
    }
    for name, data in mine.items():
        (folder(home) / name).write_bytes(data)
    owned = len(list(folder(home).glob("*.ics"))) - 1
    code, out, _ = cli(home, capsys, "remove", "--dry-run")
    assert code == 0 and f"would delete: {owned} events" in out
    assert len(list(folder(home).glob("*.ics"))) == owned + 1
    code, out, _ = cli(home, capsys, "remove", "--calendar", "networking")
    assert code == 0 and f"deleted: {owned} events" in out
    assert {p.name: p.read_bytes() for p in folder(home).iterdir()} == mine
    code, _, err = cli(home, capsys, "remove", "--calendar", "work")
    assert code == 2 and "no writable calendar" in err


def test_calendars_lists_what_each_account_offers(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync(home, capsys)
    (home / "out" / "personal").mkdir()
    code, out, _ = cli(home, capsys, "calendars")
    assert code == 0
    assert '[[calendars]]\ntype = "vdir"' in out and 'name = "personal"' in out
    assert '[[addressbooks]]\ntype = "vdir"' in out and 'name = "nextcloud"' in out
    assert 'type = "ics"' in out


def test_log_finds_anyone_in_the_address_book(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync(home, capsys, "--weeks", "2")
    planned = {a["contact"] for a in status(home, capsys)["activities"]}
    people = contacts(home, capsys)
    # Someone the plan never meets, found by a part of the name in another case.
    other = next(
        c
        for c in sorted(people.values(), key=lambda c: c["name"])
        if c["id"] not in planned and len(c["name"].split()) > 1 and c["emails"]
    )
    last = other["name"].split()[-1]
    assert sum(last.casefold() in c["name"].casefold() for c in people.values()) == 1
    code, out, err = cli(
        home, capsys, "log", last.upper(), "2026-11-18", "--note", "ran into them at the bar"
    )
    assert code == 0, err
    assert out.startswith(f"logged: {other['name']}, 2026-11-18")
    assert contacts(home, capsys)[other["id"]]["last_met"] == "2026-11-18"
    code, out, _ = cli(home, capsys, "log", "--export", "json")
    (rec,) = json.loads(out)
    assert rec["contact"] == other["id"] and rec["topic"] == "ran into them at the bar"


def test_log_with_an_ambiguous_name_lists_the_candidates(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync(home, capsys, "--weeks", "2")
    people = contacts(home, capsys)
    by_first: dict[str, list[str]] = {}
    for c in people.values():
        by_first.setdefault(c["name"].split()[0], []).append(c["name"])
    first, names = next((k, v) for k, v in sorted(by_first.items()) if len(v) > 1)
    code, out, err = cli(home, capsys, "log", first.lower(), "2026-11-18")
    assert code == 2 and out == ""
    assert f"matches {len(names)} people" in err
    assert all(n in err for n in names)
    code, out, _ = cli(home, capsys, "log", "--export", "json")
    assert json.loads(out) == []  # nothing logged
    code, _, err = cli(home, capsys, "log", "Nobody Atall", "2026-11-18")
    assert code == 2 and "nobody called 'Nobody Atall' in the address book" in err
