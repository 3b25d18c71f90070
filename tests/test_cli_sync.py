"""The sync engine through the CLI, as a user (or cron) runs it, on the bundled example.

Idempotence, the user's moves/edits/deletes, dry-run, foreign events, crash safety under SIGKILL,
concurrent runs, sources that fail or disappear, exit codes and the JSON contract.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from example_home import NOW, cli, make_home

from sync.cli import main


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example config and data in a temp folder; writes go to out/ there."""
    return make_home(tmp_path, monkeypatch)


def sync_json(home: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    code, out, err = cli(home, capsys, "sync", "--json", *extra)
    data = json.loads(out)
    data["_code"] = code
    data["_err"] = err
    return data


def target(home: Path) -> Path:
    return home / "out" / "networking"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.ics"))}


def uids_and_starts(folder: Path) -> list[tuple[str, str]]:
    import icalendar

    out = []
    for p in sorted(folder.glob("*.ics")):
        cal = icalendar.Calendar.from_ical(p.read_bytes())
        for ev in cal.walk("VEVENT"):
            out.append((str(ev["UID"]), ev.decoded("DTSTART").isoformat()))
    return sorted(out)


# ------------------------------------------------------------------ the basic promise


def test_first_sync_writes_then_fifty_runs_write_nothing(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = sync_json(home, capsys)
    assert first["_code"] == 0, first
    assert first["inserted"] > 0
    assert first["updated"] == first["deleted"] == 0
    files = snapshot(target(home))
    assert len(files) == first["inserted"]
    agenda = home / "out" / "netweave-agenda.ics"
    exported = agenda.read_bytes()
    for _ in range(50):
        again = sync_json(home, capsys)
        assert (again["inserted"], again["updated"], again["deleted"]) == (0, 0, 0), again
        assert again["unchanged"] == first["inserted"]
        assert again["_code"] == 0
    assert snapshot(target(home)) == files
    assert agenda.read_bytes() == exported


def test_sync_text_output_says_nothing_changed(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(home, capsys, "sync")
    assert code == 0 and "inserted" in out
    code, out, _ = cli(home, capsys, "sync")
    assert code == 0 and "nothing changed" in out


def test_dry_run_writes_nothing(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(home, capsys, "sync", "--dry-run")
    assert code == 0
    assert "would insert" in out
    assert not target(home).exists() or not list(target(home).iterdir())
    assert not (home / "out" / "netweave-agenda.ics").exists()


def test_foreign_events_in_the_target_are_never_touched(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target(home).mkdir(parents=True)
    mine = target(home) / "dentist.ics"
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//me//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:dentist-1@example.com\r\nDTSTAMP:20261101T000000Z\r\n"
        b"DTSTART:20261124T170000Z\r\nDTEND:20261124T180000Z\r\nSUMMARY:Dentist\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    mine.write_bytes(data)
    for _ in range(3):
        assert sync_json(home, capsys)["_code"] == 0
    assert mine.read_bytes() == data
    # and its time is busy: nothing netweave planned overlaps it
    for uid, start in uids_and_starts(target(home)):
        assert not start.startswith("2026-11-24T12:"), (uid, start)


# ------------------------------------------------------------------ the user wins


def _owned_files(home: Path) -> list[Path]:
    return sorted(p for p in target(home).glob("*.ics") if b"X-NETWEAVE-ID" in p.read_bytes())


def _summary(p: Path) -> str:
    return p.read_bytes().split(b"SUMMARY:", 1)[1].split(b"\r\n", 1)[0].decode()


def test_user_move_edit_and_delete_are_respected(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import timedelta

    import icalendar

    first = sync_json(home, capsys)
    files = _owned_files(home)
    coffees = [
        p for p in files if _summary(p).startswith(("Coffee with", "Breakfast with", "Lunch with"))
    ]
    groups = [
        p
        for p in files
        if ":" in _summary(p) and not _summary(p).startswith(("Prepare", "Follow up"))
    ]
    assert len(coffees) >= 2 and groups
    moved, deleted, edited = coffees[0], coffees[1], groups[0]
    moved_who = _summary(moved).split(" with ", 1)[1]
    deleted_who = _summary(deleted).split(" with ", 1)[1]

    cal = icalendar.Calendar.from_ical(moved.read_bytes())
    for ev in cal.walk("VEVENT"):
        for name in ("dtstart", "dtend"):
            value = ev.decoded(name) + timedelta(days=1)
            del ev[name]
            ev.add(name, value)
    moved.write_bytes(cal.to_ical())
    moved_bytes = moved.read_bytes()
    new_day = next(iter(cal.walk("VEVENT"))).decoded("dtstart").date()

    text = edited.read_bytes().decode()
    lines = [
        "SUMMARY:My own title" if ln.startswith("SUMMARY") else ln for ln in text.split("\r\n")
    ]
    edited.write_bytes("\r\n".join(lines).encode())
    edited_bytes = edited.read_bytes()

    deleted_uid = deleted.read_bytes().split(b"UID:", 1)[1].split(b"\r\n", 1)[0]
    deleted.unlink()

    after_user = sync_json(home, capsys)
    assert after_user["_code"] == 0 and after_user["inserted"] == 0, after_user
    # the deleted meeting's own prep and follow-up go with it; the moved one's follow it
    assert after_user["deleted"] == 2, after_user
    for _ in range(2):
        again = sync_json(home, capsys)
        assert (again["inserted"], again["updated"], again["deleted"]) == (0, 0, 0), again
    assert moved.read_bytes() == moved_bytes
    assert edited.read_bytes() == edited_bytes
    remaining = _owned_files(home)
    assert not any(deleted_uid in p.read_bytes() for p in remaining)
    assert not any(deleted_who in _summary(p) for p in remaining)
    for p in remaining:
        if moved_who in _summary(p) and _summary(p).startswith(("Prepare", "Follow up")):
            ev = next(iter(icalendar.Calendar.from_ical(p.read_bytes()).walk("VEVENT")))
            assert ev.decoded("dtstart").date() == new_day, _summary(p)
    code, out, _ = cli(home, capsys, "status", "--json")
    status = json.loads(out)
    assert status["user_modified"] == 2 and status["tombstones"] == 1
    assert status["owned"] == first["inserted"] - 3


# ------------------------------------------------------------------ crash safety


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from sync.sources import localwrite
    mode, n = sys.argv[1], int(sys.argv[2])
    count = [0]
    def wrap(name):
        orig = getattr(localwrite.WritableVdirCalendar, name)
        def w(self, *a, **k):
            count[0] += 1
            if mode == "before" and count[0] == n:
                os.kill(os.getpid(), signal.SIGKILL)
            r = orig(self, *a, **k)
            if mode == "after" and count[0] == n:
                os.kill(os.getpid(), signal.SIGKILL)
            return r
        setattr(localwrite.WritableVdirCalendar, name, w)
    for name in ("insert", "update", "delete"):
        wrap(name)
    from sync.cli import main
    main(sys.argv[3:])
    """
)


def _sub(
    home: Path, *args: str, killer: tuple[str, int] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NETWEAVE_NOW": NOW}
    cmd = [sys.executable]
    if killer:
        (home / "killer.py").write_text(KILLER)
        cmd += [str(home / "killer.py"), killer[0], str(killer[1])]
    else:
        cmd += ["-m", "sync"]
    cmd += ["--config", str(home / "config.toml"), *args]
    return subprocess.run(cmd, cwd=home, env=env, capture_output=True, text=True, timeout=120)


def test_sigkill_at_every_write_converges(
    home: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    args = ("sync", "--weeks", "2", "--json")
    clean = _sub(home, *args)
    assert clean.returncode == 0, clean.stderr
    expected = uids_and_starts(target(home))
    writes = json.loads(clean.stdout)["inserted"]
    assert writes >= 2
    shutil.rmtree(home / "out")
    for mode in ("after", "before"):
        for n in range(1, writes + 1):
            killed = _sub(home, *args, killer=(mode, n))
            assert killed.returncode == -signal.SIGKILL, (mode, n, killed.stderr)
            rerun = _sub(home, *args)
            assert rerun.returncode == 0, (mode, n, rerun.stderr)
            assert uids_and_starts(target(home)) == expected, (mode, n)
            third = json.loads(_sub(home, *args).stdout)
            assert (third["inserted"], third["updated"], third["deleted"]) == (0, 0, 0), (mode, n)
            shutil.rmtree(home / "out")


# ------------------------------------------------------------------ concurrency


def test_two_concurrent_syncs_do_not_both_write(home: Path) -> None:
    env = {**os.environ, "NETWEAVE_NOW": NOW}
    cmd = [sys.executable, "-m", "sync", "--config", str(home / "config.toml"), "sync", "--json"]
    procs = [
        subprocess.Popen(
            cmd, cwd=home, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    codes = [p.returncode for p in procs]
    assert codes == [0, 0], results
    summaries = [json.loads(out) for out, _ in results]
    assert sorted(s["inserted"] for s in summaries)[0] == 0  # the second found it all done
    owned = _owned_files(home)
    assert len(owned) == max(s["inserted"] for s in summaries)
    assert len({p.read_bytes().split(b"UID:")[1][:40] for p in owned}) == len(owned)


def test_a_held_lock_gives_a_clear_message(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import fcntl

    assert sync_json(home, capsys)["_code"] == 0
    lock = home / "out" / "state.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        code, _out, err = cli(home, capsys, "sync", "--wait", "0.2")
    finally:
        os.close(fd)
    assert code == 1
    assert "another netweave sync is running" in err


# ------------------------------------------------------------------ failing sources


def test_missing_address_book_deletes_nothing(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = sync_json(home, capsys)
    before = snapshot(target(home))
    (home / "examples" / "outlook.vcf").unlink()
    (home / "examples" / "contacts.vcf").rename(home / "examples" / "gone.vcf")
    again = sync_json(home, capsys)
    assert again["_code"] == 1
    assert again["deleted"] == 0
    assert {e["source"] for e in again["errors"]} >= {"outlook", "apple"}
    assert any("outlook.vcf" in e["message"] for e in again["errors"])
    assert set(snapshot(target(home))) >= set(before)
    assert first["inserted"] > 0


def test_calendar_disappearing_mid_run_writes_nothing(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync.sources import vcard

    orig = vcard.VcardDir.read

    def read_then_lose_calendar(self: Any) -> Any:
        result = orig(self)
        cal = home / "examples" / "calendar.ics"
        if cal.exists():
            cal.unlink()
        return result

    monkeypatch.setattr(vcard.VcardDir, "read", read_then_lose_calendar)
    data = sync_json(home, capsys)
    assert data["_code"] == 1
    assert (data["inserted"], data["updated"], data["deleted"]) == (0, 0, 0)
    assert any(e["source"] == "work" for e in data["errors"])
    assert not _owned_files(home) if target(home).exists() else True


def test_a_sudden_empty_address_book_is_not_trusted(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync_json(home, capsys)
    for name in ("contacts.vcf", "outlook.vcf"):
        (home / "examples" / name).write_text("")
    again = sync_json(home, capsys)
    assert again["_code"] == 1
    assert again["deleted"] == 0
    assert any("reads as empty" in e["message"] for e in again["errors"])


def test_older_state_schema_migrates_through_the_cli(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    from sync.state import SCHEMA_V1, SCHEMA_VERSION

    (home / "out").mkdir()
    db = sqlite3.connect(home / "out" / "state.sqlite")
    db.executescript(SCHEMA_V1)
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    code, out, _ = cli(home, capsys, "status")
    assert code == 0 and "no completed sync" in out
    assert sync_json(home, capsys)["_code"] == 0
    db = sqlite3.connect(home / "out" / "state.sqlite")
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


# ------------------------------------------------------------------ contract and errors


def test_json_contracts(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(home, capsys, "contacts", "--json")
    assert code == 0
    people = json.loads(out)
    assert len(people) >= 60
    for c in people:
        assert set(c) >= {
            "id",
            "name",
            "emails",
            "phones",
            "organization",
            "title",
            "categories",
            "tie",
            "focus",
            "last_met",
            "sources",
        }
        assert c["tie"] in ("strong", "weak")
        assert c["categories"]
    assert any(c["focus"] for c in people)
    code, out, _ = cli(home, capsys, "plan", "--json", "--weeks", "3")
    assert code == 0
    events = json.loads(out)
    assert events
    for e in events:
        assert set(e) >= {
            "uid",
            "kind",
            "title",
            "start",
            "end",
            "location",
            "contacts",
            "categories",
            "goal",
        }
        assert e["kind"] in ("one-on-one", "group", "prep", "follow-up", "introduction")
        assert e["start"][-6] in "+-"  # ISO 8601 with a UTC offset
    summary = sync_json(home, capsys)
    assert set(summary) >= {"inserted", "updated", "deleted", "unchanged", "skipped", "errors"}


def test_export_writes_an_agenda(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import icalendar

    out_file = home / "agenda.ics"
    code, _out, _err = cli(home, capsys, "export", "--out", str(out_file), "--weeks", "2")
    assert code == 0
    cal = icalendar.Calendar.from_ical(out_file.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert events and all("X-NETWEAVE-ID" in e for e in events)
    assert any(len(str(e.get("DESCRIPTION", ""))) > 50 for e in events)


def test_bad_config_exits_2_naming_the_key(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = home / "config.toml"
    cfg.write_text(cfg.read_text().replace("hours_per_week = 4", 'hours_per_week = "four"'))
    code, _out, err = cli(home, capsys, "plan")
    assert code == 2
    assert "budget.hours_per_week" in err and "Traceback" not in err


def test_missing_config_exits_2_saying_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = 0
    try:
        main(["--config", str(tmp_path / "none.toml"), "plan"])
    except SystemExit as e:
        code = int(e.code or 0)
    err = capsys.readouterr().err
    assert code == 2 and "config.example.toml" in err


def test_usage_error_exits_2(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, _err = cli(home, capsys, "plan", "--weeks", "zero")
    assert code == 2


def test_schedule_prints_units(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(home, capsys, "schedule", "--every", "2h")
    assert code == 0
    assert "OnUnitActiveSec=2h" in out and "sync" in out and str(home / "config.toml") in out
    code, out, _ = cli(home, capsys, "schedule", "--cron")
    assert code == 0 and out.count("*") >= 3
    code, _out, err = cli(home, capsys, "schedule", "--every", "soon")
    assert code == 2 and "--every" in err


def test_meetings_that_happened_stay_in_the_calendar(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = sync_json(home, capsys, "--weeks", "2")
    before = snapshot(target(home))
    monkeypatch.setenv("NETWEAVE_NOW", "2026-12-08T10:00:00-05:00")  # two weeks later
    later = sync_json(home, capsys, "--weeks", "2")
    assert later["_code"] == 0
    after = snapshot(target(home))
    kept = set(before) & set(after)
    assert kept, "past meetings were deleted"
    assert first["inserted"] > 0


def test_tags_are_written_back_only_where_asked(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = home / "config.toml"
    text = cfg.read_text()
    text = text.replace(
        'path = "examples/nextcloud"\nname = "nextcloud"',
        'path = "examples/nextcloud"\nname = "nextcloud"\nwrite_tags = true',
    )
    cfg.write_text(text)
    apple = (home / "examples" / "contacts.vcf").read_bytes()
    before = {p.name: p.read_bytes() for p in (home / "examples" / "nextcloud").iterdir()}
    assert sync_json(home, capsys)["_code"] == 0
    after = {p.name: p.read_bytes() for p in (home / "examples" / "nextcloud").iterdir()}
    assert (home / "examples" / "contacts.vcf").read_bytes() == apple  # not asked: untouched
    changed = [n for n in before if after[n] != before[n]]
    assert changed and all(b"netweave: " in after[n] for n in changed)
    for n in changed:  # only CATEGORIES lines differ
        old = [ln for ln in before[n].splitlines() if not ln.startswith(b"CATEGORIES")]
        new = [ln for ln in after[n].splitlines() if not ln.startswith(b"CATEGORIES")]
        assert old == new
    sync_json(home, capsys)
    assert {p.name: p.read_bytes() for p in (home / "examples" / "nextcloud").iterdir()} == after


def test_a_meeting_netweave_planned_counts_as_met_when_silence_means_met(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = home / "config.toml"
    cfg.write_text(cfg.read_text().replace('silence = "wait"', 'silence = "met"'))
    # Four weeks: the example's first one-on-one waits for the lead time, Thanksgiving, a day
    # out of office, a trip to Los Angeles and a group evening (10 December).
    assert sync_json(home, capsys, "--weeks", "4")["_code"] == 0
    code, out, _ = cli(home, capsys, "plan", "--json", "--weeks", "4")
    first = next(e for e in json.loads(out) if e["kind"] == "one-on-one")
    monkeypatch.setenv("NETWEAVE_NOW", "2026-12-14T10:00:00-05:00")
    code, out, _ = cli(home, capsys, "contacts", "--json")
    people = {c["id"]: c for c in json.loads(out)}
    met = people[first["contacts"][0]]
    assert met["last_met"] == first["start"][:10]


def test_an_unchanged_agenda_is_not_rendered_again_but_a_damaged_one_is(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync import export

    sync_json(home, capsys)
    agenda = home / "out" / "netweave-agenda.ics"
    good = agenda.read_bytes()
    calls: list[int] = []
    real = export.calendar_to_ical

    def counting(*a: Any, **k: Any) -> bytes:
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(export, "calendar_to_ical", counting)
    sync_json(home, capsys)
    assert calls == [] and agenda.read_bytes() == good
    agenda.write_bytes(b"someone else's bytes")
    sync_json(home, capsys)
    assert calls == [1] and agenda.read_bytes() == good
