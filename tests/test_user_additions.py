"""What the user adds to netweave's events survives every later sync, on every backend.

Through the CLI on the bundled example: after the first sync the user invites a guest to one of
netweave's events and adds a note (appended to the description), a reminder and a property of
another app to it and to a second one. Then the goal text changes, so netweave rewrites every
event's description (an update), and later the budget drops to nothing (every event of
netweave's is no longer planned). The event with a guest is the user's: never rewritten, never
deleted, and the run says so. The other one is rewritten with the new text, keeping the note,
the reminder and the other app's property. Backends: a vdir, a single .ics file, CalDAV on a
real Radicale, and Google (the fake).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import example_home
import icalendar
import pytest
from example_home import NOW
from radicale_server import RadicaleServer, radicale_fixture  # noqa: F401 (the fixture)

from sync.cli import main

GOAL = "at a small-to-medium litigation firm"
NEW_GOAL = "at a litigation boutique"
NOTE = "My note: bring the brief on the Kessler matter"
GUEST = "guest@example.com"
VDIR = 'type = "vdir"\npath = "out/networking"'


@dataclass
class Home:
    root: Path

    @property
    def config(self) -> Path:
        return self.root / "config.toml"

    def edit_config(self, old: str, new: str) -> None:
        text = self.config.read_text(encoding="utf-8")
        assert old in text
        self.config.write_text(text.replace(old, new), encoding="utf-8")

    def sync(self) -> tuple[int, dict[str, Any], str]:
        out, err = io.StringIO(), io.StringIO()
        code = 0
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(["--config", str(self.config), "sync", "--json"])
            except SystemExit as e:
                code = int(e.code or 0)
        return code, json.loads(out.getvalue()), err.getvalue()


def make_home(root: Path, calendar: str, monkeypatch: pytest.MonkeyPatch) -> Home:
    """The example home with its networking calendar on ``calendar`` (a backend's settings)."""

    def with_calendar(text: str) -> str:
        assert VDIR in text
        return text.replace(VDIR, calendar)

    return Home(example_home.make_home(root, monkeypatch, config=with_calendar))


def add_to_vevent(data: bytes, nid: str, guest: bool) -> bytes:
    """What a calendar app does when the user adds a note, a reminder (and a guest)."""
    cal = icalendar.Calendar.from_ical(data)
    for ev in cal.walk("VEVENT"):
        if str(ev.get("X-NETWEAVE-ID")) != nid:
            continue
        ev["DESCRIPTION"] = f"{ev.get('DESCRIPTION', '')}\n\n{NOTE}"
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Reminder")
        alarm.add("trigger", icalendar.vDuration.from_ical("-PT30M"))
        ev.add_component(alarm)
        ev.add("X-OTHER-APP-COLOR", "teal")
        if guest:
            ev.add("ORGANIZER", "mailto:dana.whitfield@gmail.com")
            ev.add("ATTENDEE", f"mailto:{GUEST}", parameters={"PARTSTAT": "NEEDS-ACTION"})
    return bytes(cal.to_ical())


def vevent_of(data: bytes, nid: str) -> Any:
    cal = icalendar.Calendar.from_ical(data)
    return next(e for e in cal.walk("VEVENT") if str(e.get("X-NETWEAVE-ID")) == nid)


#: A backend as the test sees it: (nid -> stored bytes of the resource holding it, and a way
#: to replace those bytes as the user's calendar app would).
Store = tuple[Callable[[], dict[str, bytes]], Callable[[str, bytes], None]]


def vdir_store(home: Home) -> Store:
    folder = home.root / "out" / "networking"

    def read() -> dict[str, bytes]:
        out = {}
        for p in sorted(folder.glob("*.ics")):
            data = p.read_bytes()
            for ev in icalendar.Calendar.from_ical(data).walk("VEVENT"):
                if ev.get("X-NETWEAVE-ID"):
                    out[str(ev["X-NETWEAVE-ID"])] = data
        return out

    def write(nid: str, data: bytes) -> None:
        path = next(p for p in folder.glob("*.ics") if nid.encode() in p.read_bytes())
        path.write_bytes(data)

    return read, write


def ics_store(home: Home) -> Store:
    path = home.root / "out" / "networking.ics"

    def read() -> dict[str, bytes]:
        data = path.read_bytes()
        cal = icalendar.Calendar.from_ical(data)
        return {str(e["X-NETWEAVE-ID"]): data for e in cal.walk("VEVENT") if e.get("X-NETWEAVE-ID")}

    def write(nid: str, data: bytes) -> None:
        path.write_bytes(data)

    return read, write


def caldav_store(radicale: RadicaleServer, user: str, url: str) -> Store:
    def hrefs() -> dict[str, tuple[str, bytes, str]]:
        r = radicale.session(user).request(
            "PROPFIND",
            url,
            headers={"Depth": "1"},
            data=b'<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>',
        )
        out = {}
        for href in sorted(set(re.findall(r"<[^>]*href>([^<]+\.ics)</", r.text))):
            got = radicale.get(user, radicale.url + href)
            for ev in icalendar.Calendar.from_ical(got.content).walk("VEVENT"):
                if ev.get("X-NETWEAVE-ID"):
                    out[str(ev["X-NETWEAVE-ID"])] = (href, got.content, got.headers["ETag"])
        return out

    def read() -> dict[str, bytes]:
        return {nid: body for nid, (_h, body, _e) in hrefs().items()}

    def write(nid: str, data: bytes) -> None:
        href, _body, etag = hrefs()[nid]
        r = radicale.put(user, radicale.url + href, data, "text/calendar", etag=etag)
        assert r.status_code in (201, 204), r.text

    return read, write


def check_user_additions(home: Home, store: Store) -> None:
    read, write = store
    code, first, err = home.sync()
    assert code == 0 and first["inserted"] > 2, (first, err)
    stored = read()
    mine = sorted(n for n, d in stored.items() if b"My goal" in d.replace(b"\r\n ", b""))
    guest_nid, note_nid = mine[0], mine[1]
    write(guest_nid, add_to_vevent(read()[guest_nid], guest_nid, guest=True))
    write(note_nid, add_to_vevent(read()[note_nid], note_nid, guest=False))
    with_guest = read()[guest_nid]
    guest_before = vevent_of(with_guest, guest_nid).to_ical()

    # The goal changes: every event's description is rewritten, but not the one with a guest.
    home.edit_config(GOAL, NEW_GOAL)
    code, changed, err = home.sync()
    assert code == 0 and changed["updated"] >= 1 and not changed["errors"], (changed, err)
    assert "invited guests" in err and "yours" in err
    assert vevent_of(read()[guest_nid], guest_nid).to_ical() == guest_before
    ev = vevent_of(read()[note_nid], note_nid)
    text = str(ev["DESCRIPTION"])
    assert NEW_GOAL in text and GOAL not in text  # netweave's new text...
    assert text.endswith(NOTE)  # ...and the user's note after it
    assert [str(a["ACTION"]) for a in ev.walk("VALARM")] == ["DISPLAY"]
    assert str(ev["X-OTHER-APP-COLOR"]) == "teal"

    # Nothing planned any more: everything of netweave's goes, but the event with a guest.
    for _ in range(2):
        home.edit_config("hours_per_week = 4 ", "hours_per_week = 0 ")
        code, gone, err = home.sync()
        assert code == 0 and not gone["errors"], (gone, err)
        left = read()
        assert list(left) == [guest_nid]
        assert vevent_of(left[guest_nid], guest_nid).to_ical() == guest_before
        home.edit_config("hours_per_week = 0 ", "hours_per_week = 4 ")
        code, back, err = home.sync()
        assert code == 0 and not back["errors"], (back, err)
        assert vevent_of(read()[guest_nid], guest_nid).to_ical() == guest_before
    code, again, _err = home.sync()
    assert code == 0 and (again["inserted"], again["updated"], again["deleted"]) == (0, 0, 0)


def test_vdir_keeps_what_the_user_added(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = make_home(tmp_path, VDIR, monkeypatch)
    check_user_additions(home, vdir_store(home))


def test_single_ics_file_keeps_what_the_user_added(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = make_home(tmp_path, 'type = "ics"\npath = "out/networking.ics"', monkeypatch)
    check_user_additions(home, ics_store(home))


@pytest.mark.network
def test_caldav_keeps_what_the_user_added(
    radicale: RadicaleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = radicale.new_user()
    url = radicale.make_calendar(user, "networking")
    calendar = (
        f'type = "caldav"\nurl = "{radicale.url}/"\nusername = "{user}"\ncollection = "{url}"'
    )
    home = make_home(tmp_path, calendar, monkeypatch)
    check_user_additions(home, caldav_store(radicale, user, url))


@pytest.fixture
def google_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from test_google_engine import make_world

    monkeypatch.setenv("NETWEAVE_NOW", NOW)
    monkeypatch.delenv("NETWEAVE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    w = make_world(tmp_path / "home")
    try:
        yield w
    finally:
        w.fake.stop()


@pytest.mark.network
def test_google_keeps_what_the_user_added(google_world: Any) -> None:
    w, fake = google_world, google_world.fake
    first = w.sync()
    assert first["_code"] == 0 and first["inserted"] > 2, first
    mine = sorted(
        (e for e in w.owned() if "My goal" in e.get("description", "")),
        key=lambda e: e["extendedProperties"]["private"]["netweaveId"],
    )
    guest_ev, note_ev = mine[0], mine[1]
    reminders = {"useDefault": False, "overrides": [{"method": "popup", "minutes": 30}]}
    for ev in (guest_ev, note_ev):
        fake.user_update_event(
            "primary", ev["id"], description=f"{ev['description']}\n\n{NOTE}",
            reminders=reminders, colorId="7",
        )  # fmt: skip
    fake.user_add_guest("primary", guest_ev["id"], GUEST)
    guest_before = next(e for e in fake.events_of() if e["id"] == guest_ev["id"])

    w.config.write_text(w.config.read_text().replace(GOAL, NEW_GOAL))
    changed = w.sync()
    assert changed["_code"] == 0 and changed["updated"] >= 1 and not changed["errors"], changed
    assert "invited guests" in changed["_err"]
    assert fake.calls["events.update"] == 0  # patches only, never a full replace
    stored = {e["id"]: e for e in fake.events_of()}
    assert stored[guest_ev["id"]] == guest_before  # not an etag moved
    note = stored[note_ev["id"]]
    assert NEW_GOAL in note["description"] and note["description"].endswith(NOTE)
    assert note["reminders"] == reminders and note["colorId"] == "7"

    for _ in range(2):
        w.config.write_text(
            w.config.read_text().replace("hours_per_week = 4 ", "hours_per_week = 0 ")
        )
        gone = w.sync()
        assert gone["_code"] == 0 and not gone["errors"], gone
        assert [e["id"] for e in w.owned()] == [guest_ev["id"]]
        w.config.write_text(
            w.config.read_text().replace("hours_per_week = 0 ", "hours_per_week = 4 ")
        )
        back = w.sync()
        assert back["_code"] == 0 and not back["errors"], back
        assert next(e for e in fake.events_of() if e["id"] == guest_ev["id"]) == guest_before
    again = w.sync()
    assert (again["inserted"], again["updated"], again["deleted"]) == (0, 0, 0), again
