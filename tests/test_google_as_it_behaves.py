"""`netweave sync` against Google as it really behaves (the truthful fake), through the CLI.

A meeting deleted and planned again in the same week is written again (Google never gives an
event id back); a calendar shared as free/busy only, with a year of history, is read in pieces
Google accepts; a partial authorization gives a working, clearly reduced run; an API not
enabled in the Cloud project fails the run with the console link, not "auth google".
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fake_google import FREEBUSY_MAX_DAYS
from google.oauth2.credentials import Credentials
from test_google_engine import NOW, NY, OWNER, WEEK_START, World, google_calendar, make_world

from sync.sources.google.credentials import (
    SCOPE_CALENDAR_EVENTS,
    SCOPE_CALENDAR_FREEBUSY,
    SCOPE_CONTACTS,
    SCOPE_CONTACTS_READONLY,
    save_token,
)

pytestmark = pytest.mark.network
PARTNER = "partner@example.com"  # shares their calendar with Dana as free/busy only


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[World]:
    monkeypatch.setenv("NETWEAVE_NOW", NOW)
    monkeypatch.delenv("NETWEAVE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    w = make_world(tmp_path / "home")
    try:
        yield w
    finally:
        w.fake.stop()


def set_hours(w: World, old: int, new: int) -> None:
    text = w.config.read_text(encoding="utf-8")
    assert f"hours_per_week = {old} " in text
    w.config.write_text(text.replace(f"hours_per_week = {old} ", f"hours_per_week = {new} "))


def test_a_meeting_deleted_and_planned_again_is_written_again(world: World) -> None:
    w, fake = world, world.fake
    first = w.sync()
    assert first["_code"] == 0 and first["inserted"] > 0, first
    ids = {e["extendedProperties"]["private"]["netweaveId"]: e["id"] for e in w.owned()}
    set_hours(w, 4, 0)  # nothing fits any more: netweave deletes its meetings
    gone = w.sync()
    assert gone["_code"] == 0 and gone["deleted"] == first["inserted"], gone
    assert w.owned() == []
    fake.purge("primary", next(iter(ids.values())))  # Google purged one of them meanwhile
    set_hours(w, 0, 4)  # the same meetings, the same week, planned again
    again = w.sync()
    assert again["_code"] == 0 and not again["errors"], again
    assert again["inserted"] == first["inserted"]
    assert "auth google" not in again["_err"]
    now = {e["extendedProperties"]["private"]["netweaveId"]: e["id"] for e in w.owned()}
    assert sorted(now) == sorted(ids)  # the same meetings...
    assert not set(now.values()) & set(ids.values())  # ...as new Google events
    assert fake.calls["events.update"] == 0 and fake.calls["events.patch"] == 0
    stable = w.sync()
    assert (stable["inserted"], stable["updated"], stable["deleted"]) == (0, 0, 0), stable


def test_a_free_busy_only_calendar_with_a_year_of_history(world: World) -> None:
    w, fake = world, world.fake
    fake.add_calendar(PARTNER, "Partner", access_role="freeBusyReader")
    # A year of weekly busy afternoons before now, and the weeks planned.
    at = datetime(2025, 11, 24, 15, 0, tzinfo=NY)
    while at < WEEK_START + timedelta(days=42):
        fake.seed_event(PARTNER, summary="Hearing", start=at, end=at + timedelta(hours=3))
        at += timedelta(days=1 if at >= WEEK_START else 7)
    cals = google_calendar("gcal", "primary")
    cals += textwrap.dedent(
        f"""
        [[calendars]]
        type = "google"
        name = "partner"
        calendar_id = "{PARTNER}"
        busy = true
        """
    )
    w.write_config(cals)
    fake.reset_counters()
    first = w.sync()
    assert first["_code"] == 0 and not first["errors"], first
    assert first["inserted"] > 0
    assert "free/busy" in first["_err"] or fake.calls["freebusy.query"] >= 1
    # Every query within Google's limit (the fake refuses longer ones), and history skipped.
    assert 1 <= fake.calls["freebusy.query"] <= 2
    for o in w.owned():
        s = datetime.fromisoformat(o["start"]["dateTime"])
        t = datetime.fromisoformat(o["end"]["dateTime"])
        day_busy = s.replace(hour=15, minute=0), s.replace(hour=18, minute=0)
        assert not (s < day_busy[1] and day_busy[0] < t), (o["summary"], s)
    again = w.sync()
    assert again["_code"] == 0 and (again["inserted"], again["updated"], again["deleted"]) == (
        0,
        0,
        0,
    )
    assert FREEBUSY_MAX_DAYS >= 60


def partial_token(w: World, scopes: list[str]) -> None:
    """The token `netweave auth google` saved after the user unticked some scopes."""
    w.fake.grant("refresh-partial", scopes)
    creds = Credentials(
        token="expired",
        refresh_token="refresh-partial",
        token_uri=w.fake.token_uri,
        client_id="cid.apps.googleusercontent.com",
        client_secret="secret",
        scopes=scopes,
        expiry=datetime(2020, 1, 1),
    )
    save_token(w.home / "cfg" / "google-token.json", creds)


def test_calendar_events_unticked_reads_free_busy_and_writes_nothing(world: World) -> None:
    w, fake = world, world.fake
    partial_token(w, [SCOPE_CALENDAR_FREEBUSY])
    run = w.sync()
    assert run["_code"] == 0 and not run["errors"], run
    assert (run["inserted"], run["updated"], run["deleted"]) == (0, 0, 0)
    assert w.owned() == [] and fake.calls["events.insert"] == 0
    err = run["_err"]
    assert "calendar.events" in err and "View and edit events on all your calendars" in err
    assert "netweave auth google" in err
    assert fake.calls["freebusy.query"] >= 1 and fake.calls["events.list"] == 0


def test_contacts_write_unticked_reads_contacts_and_writes_no_tags(world: World) -> None:
    w, fake = world, world.fake
    fake.seed_person(
        names=[{"displayName": "Grace Okafor"}],
        emailAddresses=[{"value": "grace@okafor-law.example"}],
    )
    partial_token(w, [SCOPE_CALENDAR_EVENTS, SCOPE_CALENDAR_FREEBUSY, SCOPE_CONTACTS_READONLY])
    text = w.config.read_text(encoding="utf-8")
    book = textwrap.dedent(
        """
        [[addressbooks]]
        type = "google"
        name = "gmail"
        write_tags = true
        """
    )
    head, sep, rest = text.partition("[[calendars]]")
    w.config.write_text(head + book + sep + rest, encoding="utf-8")
    run = w.sync()
    assert run["_code"] == 0 and not run["errors"], (run["errors"], run["_code"], run["_err"])
    assert run["inserted"] > 0  # the calendar is fully usable
    assert fake.calls["connections.list"] >= 1  # contacts were read
    assert (
        fake.calls["contactGroups.create"] == 0 and fake.calls["contactGroups.members.modify"] == 0
    )
    assert SCOPE_CONTACTS.rsplit("/", 1)[1] in run["_err"]
    assert "tags not written back" in run["_err"] and "netweave auth google" in run["_err"]


def test_an_api_not_enabled_fails_with_the_console_link(world: World) -> None:
    w, fake = world, world.fake
    fake.disable_api("calendar")
    run = w.sync()
    assert run["_code"] == 1
    message = " ".join(e["message"] for e in run["errors"]) + run["_err"]
    assert "https://console.developers.google.com/apis/api/calendar-json.googleapis.com" in message
    assert "not enabled" in message and "auth google" not in message
    assert w.owned() == []
    assert OWNER  # the world is Dana's
