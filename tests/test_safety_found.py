"""What the stateful safety test (``test_safety_machine.py``) found, each kept as a plain CLI
test on a copy of the example: the sequence it took, shortened to what matters."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from sandbox import NOW, Home, writes


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Home]:
    monkeypatch.setenv("NETWEAVE_NOW", NOW)
    monkeypatch.delenv("NETWEAVE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    yield Home.make(tmp_path)


def move(home: Home, name: str, hours: int) -> tuple[datetime, datetime]:
    """Move one event of the written calendar as a calendar app would; its new times."""
    path = home.target / name
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    ev = next(iter(cal.walk("VEVENT")))
    times = []
    for prop in ("dtstart", "dtend"):
        value = ev.decoded(prop) + timedelta(hours=hours)
        del ev[prop]
        ev.add(prop, value)
        times.append(value)
    path.write_bytes(cal.to_ical())
    return times[0], times[1]


def spans(home: Home) -> dict[str, tuple[str, datetime, datetime]]:
    out = {}
    for name, body in home.owned().items():
        ev = next(iter(icalendar.Calendar.from_ical(body).walk("VEVENT")))
        out[name] = (str(ev["SUMMARY"]), ev.decoded("DTSTART"), ev.decoded("DTEND"))
    return out


@pytest.mark.parametrize("hours", [-26, 24])
def test_a_move_the_lost_state_never_saw_is_kept_in_the_same_run(home: Home, hours: int) -> None:
    """The state is deleted, then the user moves a coffee. The next run finds the coffee by its
    marker, unknown to the state and not where it would plan it: the user's. It used to adopt
    it as the user's but plan as if it were not there (its prep and follow-up around the old
    time, the old time planned again), so the run after that deleted them: two runs to settle.
    Now the first run keeps it where the user put it, as every later run does."""
    assert home.sync()["_code"] == 0
    home.state.unlink()
    name = next(n for n, (title, _a, _b) in spans(home).items() if title.startswith("Coffee with"))
    start, end = move(home, name, hours)
    first = home.sync()
    assert first["_code"] == 0, first
    held = spans(home)
    assert held[name][1:] == (start, end)  # where the user put it
    for other, (title, a, b) in held.items():
        if other != name and a > datetime.fromisoformat(NOW):
            assert not (a < end and start < b), (title, a, b)  # nothing over it
    again = home.sync()
    assert again["_code"] == 0 and writes(again) == (0, 0, 0), again
    assert spans(home) == held
