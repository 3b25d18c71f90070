"""GoogleContacts / GoogleCalendar / OAuth: the real google-api-python-client against the fake.

No network beyond 127.0.0.1; no real sleeping (sleep is injected); no browser ever opens.
"""

from __future__ import annotations

import json
import os
import stat
import threading
import webbrowser
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import requests
from contract import WritableCalendarContract
from fake_google import FakeGoogle
from google.oauth2.credentials import Credentials

from sync.config import AddressBookConfig, CalendarConfig, Config, Google, Owner
from sync.model import Kind, PlannedEvent, planned_uid
from sync.sources.base import (
    AuthError,
    NotFound,
    OwnedEvent,
    PreconditionFailed,
    SourceError,
    WritableCalendar,
)
from sync.sources.google.auth import authorize
from sync.sources.google.calendar import GoogleCalendar
from sync.sources.google.credentials import (
    SCOPE_CALENDAR_EVENTS,
    SCOPE_CALENDAR_FREEBUSY,
    SCOPE_CALENDAR_LIST,
    SCOPE_CONTACTS,
    SCOPE_CONTACTS_READONLY,
    load_credentials,
    save_token,
    scopes_for,
)
from sync.sources.google.events import MARKER_KEY, NOTES_KEY, event_id_for
from sync.sources.google.people import GoogleContacts

pytestmark = pytest.mark.network
NY = ZoneInfo("America/New_York")
T0 = datetime(2031, 5, 5, 9, 0, tzinfo=NY)  # a Monday
WINDOW = (T0 - timedelta(days=1), T0 + timedelta(days=14))


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def fake() -> Iterator[FakeGoogle]:
    with FakeGoogle() as f:
        yield f


def creds(fake: FakeGoogle, token: str = "static-access") -> Credentials:
    return Credentials(
        token=token,
        refresh_token="refresh-1",
        token_uri=fake.token_uri,
        client_id="client.apps.googleusercontent.com",
        client_secret="secret",
    )


def calendar(
    fake: FakeGoogle,
    state: dict[str, str] | None = None,
    calendar_id: str = "primary",
    timeout: float = 30.0,
    retries: int = 3,
    sleeps: Sleeps | None = None,
    **kw: Any,
) -> GoogleCalendar:
    cfg = CalendarConfig(
        type="google",
        name="work",
        key="calendars[0]",
        calendar_id=calendar_id,
        write=True,
        timeout=timeout,
    )
    google = Google(api_endpoint=fake.calendar_endpoint, max_retries=retries)
    return GoogleCalendar(
        cfg,
        google,
        NY,
        state,
        credentials=creds(fake),
        sleep=sleeps if sleeps is not None else Sleeps(),
        **kw,
    )


def contacts(
    fake: FakeGoogle, state: dict[str, str] | None = None, write_tags: bool = True
) -> GoogleContacts:
    cfg = AddressBookConfig(
        type="google", name="gmail", key="addressbooks[0]", write_tags=write_tags
    )
    google = Google(api_endpoint=fake.people_endpoint, max_retries=3)
    return GoogleContacts(cfg, google, state, credentials=creds(fake), sleep=Sleeps())


def plan(key: str, start: datetime = T0, minutes: int = 60, **kw: Any) -> PlannedEvent:
    return PlannedEvent(
        uid=planned_uid("t", key),
        kind=Kind.ONE_ON_ONE,
        title=kw.pop("title", f"Coffee {key}"),
        start=start,
        end=start + timedelta(minutes=minutes),
        location="Blue Bottle",
        **kw,
    )


def person(i: int, **extra: Any) -> dict[str, Any]:
    return {
        "names": [{"displayName": f"Person {i:05d}", "givenName": "Person"}],
        "emailAddresses": [{"value": f"p{i}@firm{i % 7}.example"}],
        "phoneNumbers": [{"value": f"+1 212 555 {i:04d}"}],
        "organizations": [{"name": f"Firm {i % 7}", "title": "Partner"}],
        "biographies": [{"value": "Met at the bar association lunch."}],
        "addresses": [{"formattedValue": "1 Main St, New York"}],
        "birthdays": [{"date": {"month": 4, "day": 1}}],
        **extra,
    }


# =========================================================================== contacts


def test_contacts_full_read_maps_fields_and_pages_at_1000(fake: FakeGoogle) -> None:
    for i in range(2100):
        fake.seed_person(**person(i))
    family = fake.seed_group("Family")
    p = fake.seed_person(
        names=[{"displayName": "Mom", "metadata": {"primary": True}}],
        emailAddresses=[{"value": "Mom@Example.com"}],
        relations=[{"person": "me", "type": "mother"}],
        memberships=[
            {
                "contactGroupMembership": {
                    "contactGroupId": family["resourceName"].split("/")[1],
                    "contactGroupResourceName": family["resourceName"],
                }
            }
        ],
    )
    fake.seed_person(phoneNumbers=[])  # nothing to call them by: reported, not fatal
    book = contacts(fake, {})
    fake.reset_counters()
    result = book.read()
    assert len(result.contacts) == 2101
    assert [pr.place for pr in result.problems] == [
        next(r for r in fake.people if r not in {c.uid for c in result.contacts})
    ]
    assert fake.calls["connections.list"] == 3  # 2,102 people at 1,000 a page
    mom = next(c for c in result.contacts if c.uid == p["resourceName"])
    assert mom.name == "Mom" and mom.emails == ("Mom@Example.com",)
    assert mom.relations == ("mother",) and mom.source_categories == ("Family",)
    assert mom.sources == ("gmail",)
    one = next(c for c in result.contacts if c.name == "Person 00001")
    assert one.organization == "Firm 1" and one.title == "Partner"
    assert one.note == "Met at the bar association lunch."
    assert book.requests_made == fake.http_requests == 4


@pytest.mark.parametrize("n", [20, 2500])
def test_contacts_no_change_incremental_costs_two_requests(fake: FakeGoogle, n: int) -> None:
    for i in range(n):
        fake.seed_person(**person(i))
    state: dict[str, str] = {}
    first = contacts(fake, state).read()
    again = contacts(fake, state)
    fake.reset_counters()
    second = again.read()
    assert again.requests_made == 2  # contactGroups.list + one connections.list page
    assert fake.calls["connections.list"] == 1
    assert sorted(c.id for c in second.contacts) == sorted(c.id for c in first.contacts)


def test_contacts_incremental_applies_changes_and_deletions(fake: FakeGoogle) -> None:
    people = [fake.seed_person(**person(i)) for i in range(5)]
    state: dict[str, str] = {}
    contacts(fake, state).read()
    fake.user_update_person(people[0]["resourceName"], names=[{"displayName": "Renamed"}])
    fake.user_delete_person(people[1]["resourceName"])
    new = fake.seed_person(**person(99))
    result = contacts(fake, state).read()
    by_uid = {c.uid: c for c in result.contacts}
    assert by_uid[people[0]["resourceName"]].name == "Renamed"
    assert people[1]["resourceName"] not in by_uid
    assert new["resourceName"] in by_uid and len(by_uid) == 5


def test_contacts_expired_sync_token_one_full_resync(fake: FakeGoogle) -> None:
    for i in range(3):
        fake.seed_person(**person(i))
    state: dict[str, str] = {}
    contacts(fake, state).read()
    old = state["people:syncToken"]
    fake.advance(timedelta(days=8))
    extra = fake.seed_person(**person(50))
    fake.reset_counters()
    book = contacts(fake, state)
    result = book.read()
    assert fake.calls["connections.list"] == 2  # the expired try, then one full read
    assert extra["resourceName"] in {c.uid for c in result.contacts} and len(result.contacts) == 4
    assert state["people:syncToken"] != old


def test_contacts_daily_runs_resync_fully_a_week_after_the_full_sync(fake: FakeGoogle) -> None:
    """Google expires People sync tokens 7 days after the full sync, however often the
    incremental ones were used: daily runs read everything once a week, and stay correct."""
    for i in range(3):
        fake.seed_person(**person(i))
    state: dict[str, str] = {}
    contacts(fake, state).read()
    full_reads = []
    for day in range(1, 17):
        fake.advance(timedelta(days=1))
        added = fake.seed_person(**person(100 + day))
        fake.reset_counters()
        got = contacts(fake, state).read()
        assert added["resourceName"] in {c.uid for c in got.contacts}
        assert len(got.contacts) == 3 + day
        if fake.calls["connections.list"] == 2:  # the expired try, then the full read
            full_reads.append(day)
        else:
            assert fake.calls["connections.list"] == 1, day
    assert full_reads == [8, 16]


def test_write_tags_touches_only_netweave_groups(fake: FakeGoogle) -> None:
    people = [fake.seed_person(**person(i)) for i in range(4)]
    mine = fake.seed_group("netweave: clients")  # made by an earlier run
    user_group = fake.seed_group("Book club")
    fake.seed_group("netweave: my own notes")  # the user's, not a category: never touched
    for p in people:
        fake.user_update_person(
            p["resourceName"],
            memberships=p["memberships"]
            + [
                {
                    "contactGroupMembership": {
                        "contactGroupId": "x",
                        "contactGroupResourceName": user_group["resourceName"],
                    }
                }
            ],
        )
    fake.user_update_person(
        people[3]["resourceName"],
        memberships=fake.person(people[3]["resourceName"])["memberships"]
        + [
            {
                "contactGroupMembership": {
                    "contactGroupId": "y",
                    "contactGroupResourceName": mine["resourceName"],
                }
            }
        ],
    )
    before = {p["resourceName"]: fake.person(p["resourceName"]) for p in people}
    book = contacts(fake, {})
    result = book.read()
    ids = {c.uid: c.id for c in result.contacts}
    rn = [p["resourceName"] for p in people]
    tags = {
        ids[rn[0]]: ("mentors",),
        ids[rn[1]]: ("mentors", "clients"),
        ids[rn[2]]: (),
        ids[rn[3]]: ("alumni",),
    }
    assert book.write_tags(tags) == []
    assert fake.group_members("netweave: mentors") == {rn[0], rn[1]}
    assert fake.group_members("netweave: clients") == {rn[1]}  # rn[3] left it
    assert fake.group_members("netweave: alumni") == {rn[3]}
    assert fake.group_members("Book club") == set(rn)
    assert fake.group_members("netweave: my own notes") == set()
    for r in rn:  # every other field exactly as it was
        after = fake.person(r)
        for key in set(before[r]) | set(after):
            if key not in ("memberships", "etag", "metadata"):
                assert after.get(key) == before[r].get(key), key
    # Idempotent: the same tags again change nothing.
    fake.reset_counters()
    assert contacts(fake, {}).write_tags(tags) == []
    assert fake.calls["contactGroups.members.modify"] == 0
    assert fake.calls["contactGroups.create"] == 0
    # Netweave's own groups never come back as source categories.
    again = contacts(fake, {}).read()
    cats = {c.uid: c.source_categories for c in again.contacts}
    assert cats[rn[1]] == ("Book club",)


def test_write_tags_chunks_members_modify_at_1000(fake: FakeGoogle) -> None:
    for i in range(1500):
        fake.seed_person(names=[{"displayName": f"P{i}"}])
    book = contacts(fake, {})
    result = book.read()
    fake.reset_counters()
    assert book.write_tags({c.id: ("alumni",) for c in result.contacts}) == []
    assert fake.calls["contactGroups.members.modify"] == 2
    assert len(fake.group_members("netweave: alumni")) == 1500


def test_write_tags_group_created_meanwhile_409(fake: FakeGoogle) -> None:
    p = fake.seed_person(**person(1))
    book = contacts(fake, {})
    cid = book.read().contacts[0].id
    book._list_groups = lambda: {}  # type: ignore[method-assign]  # stale view: it misses the group
    fake.seed_group("netweave: mentors")
    del book._list_groups  # the 409 path lists again, for real
    book._groups = {}
    name = book._create_group("netweave: mentors")
    assert name.startswith("contactGroups/")
    assert book.write_tags({cid: ("mentors",)}) == []
    assert fake.group_members("netweave: mentors") == {p["resourceName"]}
    assert sum(1 for g in fake.groups.values() if g["name"] == "netweave: mentors") == 1


def test_write_tags_off_makes_no_request(fake: FakeGoogle) -> None:
    fake.seed_person(**person(1))
    book = contacts(fake, {}, write_tags=False)
    assert not book.can_write_tags
    assert book.write_tags({"c-x": ("mentors",)}) == []
    assert book.requests_made == 0


# =========================================================================== calendar reads


def test_read_window_busy_semantics(fake: FakeGoogle) -> None:
    fake.seed_event(
        summary="Standup",
        start=T0,
        end=T0 + timedelta(minutes=15),
        recurrence=["RRULE:FREQ=DAILY;COUNT=5"],
    )
    daily = fake.events_of()[0]
    fake.user_cancel_instance("primary", daily["id"], T0 + timedelta(days=2))
    fake.seed_event(summary="Offsite", start=date(2031, 5, 6), end=date(2031, 5, 7))
    fake.seed_event(
        summary="Focus",
        start=T0 + timedelta(hours=3),
        end=T0 + timedelta(hours=4),
        transparency="transparent",
    )
    fake.seed_event(
        summary="Declined",
        start=T0 + timedelta(hours=5),
        end=T0 + timedelta(hours=6),
        attendees=[
            {"email": "Me@Example.com", "self": True, "responseStatus": "declined"},
            {"email": "Boss@Firm.example"},
        ],
    )
    fake.seed_event(
        summary="Far", start=T0 + timedelta(days=60), end=T0 + timedelta(days=60, hours=1)
    )
    result = calendar(fake).read(*WINDOW)
    assert result.problems == []
    standups = [e for e in result.events if e.summary == "Standup"]
    assert len(standups) == 4  # one instance deleted by the user
    assert all(e.recurrence_id is not None for e in standups)
    offsite = next(e for e in result.events if e.summary == "Offsite")
    assert offsite.all_day and offsite.start == datetime(2031, 5, 6, tzinfo=NY)
    assert offsite.end == datetime(2031, 5, 7, tzinfo=NY)
    assert next(e for e in result.events if e.summary == "Focus").transparent
    declined = next(e for e in result.events if e.summary == "Declined")
    assert declined.transparent and "boss@firm.example" in declined.attendees
    assert all(e.summary != "Far" for e in result.events)


@pytest.mark.parametrize("n", [10, 3000])
def test_calendar_no_change_incremental_is_one_request(fake: FakeGoogle, n: int) -> None:
    for i in range(n):
        start = T0 + timedelta(minutes=7 * i)
        fake.seed_event(summary=f"E{i}", start=start, end=start + timedelta(minutes=5))
    state: dict[str, str] = {}
    first = calendar(fake, state).read(*WINDOW)
    cal = calendar(fake, state)
    second = cal.read(*WINDOW)
    assert cal.requests_made == 1
    assert [e.uid for e in second.events] == [e.uid for e in first.events]


def test_calendar_incremental_sees_user_changes(fake: FakeGoogle) -> None:
    a = fake.seed_event(summary="A", start=T0, end=T0 + timedelta(hours=1))
    b = fake.seed_event(summary="B", start=T0 + timedelta(hours=2), end=T0 + timedelta(hours=3))
    daily = fake.seed_event(
        summary="Daily",
        start=T0,
        end=T0 + timedelta(minutes=10),
        recurrence=["RRULE:FREQ=DAILY;COUNT=3"],
    )
    state: dict[str, str] = {}
    calendar(fake, state).read(*WINDOW)
    fake.user_move_event(
        "primary", a["id"], T0 + timedelta(days=1), T0 + timedelta(days=1, hours=1)
    )
    fake.user_delete_event("primary", b["id"])
    fake.user_update_event("primary", daily["id"], recurrence=["RRULE:FREQ=DAILY;COUNT=2"])
    fake.seed_event(summary="C", start=T0 + timedelta(hours=4), end=T0 + timedelta(hours=5))
    cal = calendar(fake, state)
    got = cal.read(*WINDOW)
    summaries = sorted(e.summary for e in got.events)
    assert summaries == ["A", "C", "Daily", "Daily"]
    assert next(e for e in got.events if e.summary == "A").start == T0 + timedelta(days=1)
    assert cal.requests_made <= 3  # the changes, plus the changed series' instances


def test_calendar_410_gone_full_resync(fake: FakeGoogle) -> None:
    fake.seed_event(summary="A", start=T0, end=T0 + timedelta(hours=1))
    state: dict[str, str] = {}
    calendar(fake, state).read(*WINDOW)
    fake.expire_event_sync_tokens()
    fake.seed_event(summary="B", start=T0 + timedelta(hours=2), end=T0 + timedelta(hours=3))
    fake.reset_counters()
    got = calendar(fake, state).read(*WINDOW)
    assert sorted(e.summary for e in got.events) == ["A", "B"]
    assert fake.calls["events.list"] == 2  # 410, then the full list


def test_window_outside_synced_range_resyncs(fake: FakeGoogle) -> None:
    fake.seed_event(
        summary="Later", start=T0 + timedelta(days=90), end=T0 + timedelta(days=90, hours=1)
    )
    state: dict[str, str] = {}
    calendar(fake, state).read(*WINDOW)
    later = (T0 + timedelta(days=80), T0 + timedelta(days=100))
    assert [e.summary for e in calendar(fake, state).read(*later).events] == ["Later"]


def test_free_busy_only_calendar_falls_back(fake: FakeGoogle) -> None:
    fake.add_calendar("partner@firm.example", "Partner", access_role="freeBusyReader")
    fake.seed_event(
        "partner@firm.example", summary="Secret deal", start=T0, end=T0 + timedelta(hours=2)
    )
    got = calendar(fake, calendar_id="partner@firm.example").read(*WINDOW)
    assert [(e.start, e.end, e.summary) for e in got.events] == [
        (T0.astimezone(UTC), (T0 + timedelta(hours=2)).astimezone(UTC), "Busy")
    ]
    with pytest.raises(SourceError, match="nobody@example.com"):
        calendar(fake, calendar_id="nobody@example.com").read(*WINDOW)


# =========================================================================== calendar writes


def test_insert_marks_owned_private_and_invites_nobody(fake: FakeGoogle) -> None:
    cal = calendar(fake)
    fake.seed_event(summary="Mine", start=T0, end=T0 + timedelta(hours=1))
    ev = plan("a", private=True, transparent=True, description="Ask about the boutique")
    owned = cal.insert(ev)
    stored = next(e for e in fake.events_of() if e["id"] == owned.href)
    # Only the id is supplied (Google says: id or iCalUID, not both); Google makes the iCalUID.
    assert stored["id"] == event_id_for(ev.uid) and stored["iCalUID"].endswith("@google.com")
    private = stored["extendedProperties"]["private"]
    assert private == {MARKER_KEY: "owned", "netweaveId": ev.uid, NOTES_KEY: private[NOTES_KEY]}
    assert stored["visibility"] == "private" and stored["transparency"] == "transparent"
    assert "attendees" not in stored
    assert all("sendUpdates=none" in path for m, path in fake.log if m == "POST")
    assert [o.nid for o in cal.list_owned()] == [ev.uid]
    assert owned.fingerprint == cal.list_owned()[0].fingerprint
    public = cal.insert(plan("b", private=False))
    stored_b = next(e for e in fake.events_of() if e["id"] == public.href)
    assert stored_b["visibility"] == "default" and stored_b["transparency"] == "opaque"


def test_user_edit_racing_a_write_is_precondition_failed(fake: FakeGoogle) -> None:
    cal = calendar(fake)
    owned = cal.insert(plan("a"))
    fake.user_move_event("primary", owned.href, T0 + timedelta(hours=2), T0 + timedelta(hours=3))
    with pytest.raises(PreconditionFailed):
        cal.update(owned.href, owned.etag, plan("a", title="New title"), owned.sequence + 1)
    with pytest.raises(PreconditionFailed):
        cal.delete(owned.href, owned.etag)
    stored = next(e for e in fake.events_of() if e["id"] == owned.href)
    assert stored["summary"] == "Coffee a"  # the user's version stands
    assert datetime.fromisoformat(stored["start"]["dateTime"]) == T0 + timedelta(hours=2)


def test_planned_again_after_delete_gets_a_new_event(fake: FakeGoogle) -> None:
    """Google never gives an event id back: a meeting deleted and planned again is a new
    event (the next generation of its id), found again by its private extended property."""
    cal = calendar(fake)
    owned = cal.insert(plan("a"))
    cal.delete(owned.href, owned.etag)
    with pytest.raises(NotFound):
        cal.delete(owned.href, owned.etag)
    assert cal.list_owned() == []
    again = cal.insert(plan("a"))
    assert again.href == event_id_for(plan("a").uid, 1) != owned.href
    assert [o.nid for o in cal.list_owned()] == [again.nid]
    with pytest.raises(PreconditionFailed):
        cal.insert(plan("a"))  # a live copy exists, and no answer was lost: not ours to adopt
    assert len(fake.events_of()) == 1
    # Deleted again and purged (events.get: 404): the id after it.
    cal.delete(again.href, again.etag)
    fake.purge("primary", again.href)
    third = cal.insert(plan("a"))
    assert third.href == event_id_for(plan("a").uid, 2)
    assert [e["id"] for e in fake.events_of()] == [third.href]
    # Nobody was asked to restore a cancelled copy (Google refuses that with 403).
    assert fake.calls["events.update"] == 0 and fake.calls["events.patch"] == 0


def test_an_id_taken_by_someone_else_is_not_adopted(fake: FakeGoogle) -> None:
    cal = calendar(fake)
    ev = plan("a")
    fake.seed_event(
        summary="Not ours", start=T0, end=T0 + timedelta(hours=1), id=event_id_for(ev.uid)
    )
    owned = cal.insert(ev)
    assert owned.href == event_id_for(ev.uid, 1)
    assert {e["summary"] for e in fake.events_of()} == {"Not ours", "Coffee a"}


def test_lost_answers_are_recognised_not_warned_about(fake: FakeGoogle) -> None:
    """A write carried out whose answer was lost: the retry meets it (insert 409, update 412,
    delete 410) and recognises its own landed write."""
    cal = calendar(fake)
    fake.fail("events.insert", "lost")
    owned = cal.insert(plan("a"))
    assert [o.href for o in cal.list_owned()] == [owned.href] and len(fake.events_of()) == 1
    fake.fail("events.patch", "lost")
    moved = cal.update(owned.href, owned.etag, plan("a", title="Lunch a"), owned.sequence + 1)
    assert moved.title == "Lunch a"
    fake.fail("events.delete", "lost")
    cal.delete(moved.href, moved.etag)  # no NotFound: it was our own delete
    assert cal.list_owned() == []
    # In a batch: the whole batch's answer is lost, then sent again.
    fake.fail("batch", "lost")
    results = cal.write_batch(inserts=[plan("b"), plan("c")])
    assert all(isinstance(r, OwnedEvent) for r in results), results
    assert sorted(o.nid for o in cal.list_owned()) == sorted(plan(k).uid for k in "bc")


def test_update_patches_only_what_netweave_owns(fake: FakeGoogle) -> None:
    """The user's guests, reminders, colour, attachments, conference data and the note they
    appended to the description survive netweave's update."""
    cal = calendar(fake)
    owned = cal.insert(plan("a", description="Agenda: ask about the boutique"))
    fake.user_update_event(
        "primary",
        owned.href,
        description="Agenda: ask about the boutique\n\nMy note: bring the brief",
        reminders={"useDefault": False, "overrides": [{"method": "popup", "minutes": 30}]},
        colorId="11",
        attachments=[{"fileUrl": "https://drive.google.com/x", "title": "brief"}],
        conferenceData={"entryPoints": [{"entryPointType": "video", "uri": "https://meet/x"}]},
    )
    fake.user_add_guest("primary", owned.href, "guest@example.com")
    cal.list_owned()  # the engine lists owned events before it writes
    current = next(o for o in cal.list_owned() if o.href == owned.href)
    assert current.has_guests
    fake.reset_counters()
    new = plan("a", title="Lunch a", description="Agenda: ask about the merger")
    cal.update(current.href, current.etag, new, current.sequence + 1)
    assert fake.calls["events.patch"] == 1 and fake.calls["events.update"] == 0
    stored = next(e for e in fake.events_of() if e["id"] == owned.href)
    assert stored["summary"] == "Lunch a"
    assert stored["description"] == "Agenda: ask about the merger\n\nMy note: bring the brief"
    assert stored["reminders"]["overrides"][0]["minutes"] == 30 and stored["colorId"] == "11"
    assert stored["attachments"] and stored["conferenceData"]
    assert [a["email"] for a in stored["attendees"]] == ["me@example.com", "guest@example.com"]


def test_freebusy_in_pieces_merged_and_a_failing_piece_named(fake: FakeGoogle) -> None:
    fake.add_calendar("fb@example.com", "FB", access_role="freeBusyReader")
    start = T0 - timedelta(days=365)
    # An event across a piece boundary (60 days in) comes back as one interval.
    across = start + timedelta(days=60)
    fake.seed_event("fb@example.com", summary="x", start=across - timedelta(hours=1),
                    end=across + timedelta(hours=1))  # fmt: skip
    fake.seed_event("fb@example.com", summary="y", start=T0, end=T0 + timedelta(hours=1))
    cal = calendar(fake, calendar_id="fb@example.com")
    got = cal.read(start, T0 + timedelta(days=28))
    assert [(e.start, e.end) for e in got.events] == [
        (across - timedelta(hours=1), across + timedelta(hours=1)),
        (T0, T0 + timedelta(hours=1)),
    ]
    assert fake.calls["freebusy.query"] == 7  # 393 days in pieces of at most 60
    assert cal.read_only_reason and "free/busy" in cal.read_only_reason
    # History is skipped where only free/busy is visible (busy names nobody).
    fake.reset_counters()
    skipping = calendar(fake, calendar_id="fb@example.com", history_days=365)
    assert [e.start for e in skipping.read(start, T0 + timedelta(days=28)).events] == [T0]
    assert fake.calls["freebusy.query"] == 1
    # A piece that fails is named with its range.
    fake.fail("freebusy.query", "forbidden", times=1)
    with pytest.raises(SourceError, match=r"freebusy.query \d{4}-\d\d-\d\d\.\.\d{4}"):
        calendar(fake, calendar_id="fb@example.com").read(start, T0)


def test_a_403_on_events_list_is_never_a_silent_downgrade(fake: FakeGoogle) -> None:
    fake.fail("events.list", "forbidden")
    with pytest.raises(SourceError) as err:
        calendar(fake).read(*WINDOW)
    assert "forbidden" in str(err.value) and "auth google" not in str(err.value)
    assert fake.calls["freebusy.query"] == 0


@pytest.mark.parametrize(
    ("kind", "says", "auth"),
    [
        ("accessNotConfigured", "console.developers.google.com/apis/api/calendar-json", False),
        ("quotaExceeded", "quota", False),
        ("dailyLimitExceeded", "midnight Pacific", False),
        ("forbidden", "Make changes to events", False),
        ("insufficientPermissions", "leave every box ticked", True),
    ],
)
def test_each_403_reason_says_what_to_do(
    fake: FakeGoogle, kind: str, says: str, auth: bool
) -> None:
    fake.fail("events.list", kind)
    with pytest.raises(SourceError) as err:
        calendar(fake).read(*WINDOW)
    assert says in str(err.value)
    assert isinstance(err.value, AuthError) is auth
    assert ("auth google" in str(err.value)) is auth
    assert fake.calls["events.list"] == 1  # not retried


def test_people_api_not_enabled_names_its_link(fake: FakeGoogle) -> None:
    fake.disable_api("people")
    with pytest.raises(SourceError) as err:
        contacts(fake).read()
    assert "https://console.developers.google.com/apis/api/people.googleapis.com" in str(err.value)
    assert not isinstance(err.value, AuthError)


def test_write_batch_500_inserts_in_few_requests(fake: FakeGoogle) -> None:
    cal = calendar(fake)
    events = [plan(str(i), T0 + timedelta(hours=i)) for i in range(500)]
    fake.reset_counters()
    results = cal.write_batch(events)
    assert all(isinstance(r, OwnedEvent) for r in results)
    assert cal.requests_made <= 15 and fake.http_requests == cal.requests_made
    assert fake.calls["events.insert"] == 500
    owned = cal.list_owned()
    assert sorted(o.nid for o in owned) == sorted(e.uid for e in events)


def test_write_batch_builds_the_events_resource_once(fake: FakeGoogle) -> None:
    """Each ``events()`` of the client builds a resource with every method's documentation
    (0.4 MB) that the batch's requests keep alive: one for all the writes, not one each."""
    cal = calendar(fake)
    service = cal._writer.service
    made = 0
    build = service.events

    def counted() -> Any:
        nonlocal made
        made += 1
        return build()

    service.events = counted
    results = cal.write_batch([plan(str(i), T0 + timedelta(hours=i)) for i in range(60)])
    assert all(isinstance(r, OwnedEvent) for r in results)
    assert made == 1


def test_write_batch_mixed_ops_and_per_call_outcomes(fake: FakeGoogle) -> None:
    sleeps = Sleeps()
    cal = calendar(fake, sleeps=sleeps)
    a, b, c = (cal.insert(plan(k)) for k in "abc")
    fake.user_move_event("primary", b.href, T0 + timedelta(days=1), T0 + timedelta(days=1, hours=1))
    fake.fail("events.insert", "429", times=2)  # two parts throttled: retried with backoff
    results = cal.write_batch(
        inserts=[plan("d"), plan("e"), plan("a")],
        updates=[(a.href, a.etag, plan("a", title="Lunch a"), 1), (b.href, b.etag, plan("b"), 1)],
        deletes=[(c.href, c.etag), ("0123456789abcdef", '"1"')],
    )
    assert isinstance(results[0], OwnedEvent) and isinstance(results[1], OwnedEvent)
    assert isinstance(results[2], PreconditionFailed)  # "a" exists already
    assert isinstance(results[3], OwnedEvent) and results[3].title == "Lunch a"
    assert isinstance(results[4], PreconditionFailed)  # the user moved "b"
    assert results[5] is None and isinstance(results[6], NotFound)
    assert len(sleeps) == 1
    assert sorted(o.nid for o in cal.list_owned()) == sorted(planned_uid("t", k) for k in "abde")


# =========================================================================== retries


def test_retries_429_403_503_then_success(fake: FakeGoogle) -> None:
    sleeps = Sleeps()
    cal = calendar(fake, retries=5, sleeps=sleeps)
    fake.seed_event(summary="A", start=T0, end=T0 + timedelta(hours=1))
    fake.fail("events.list", "429")
    fake.fail("events.list", "403")
    fake.fail("events.list", "503")
    got = cal.read(*WINDOW)
    assert [e.summary for e in got.events] == ["A"]
    assert len(sleeps) == 3 and cal.requests_made == 4
    assert sleeps[0] < 1.01 <= sleeps[1] <= 2.0 <= sleeps[2] <= 4.0  # exponential, jittered


def test_retries_exhausted_is_source_error_naming_server_and_status(fake: FakeGoogle) -> None:
    sleeps = Sleeps()
    cal = calendar(fake, retries=2, sleeps=sleeps)
    fake.fail("events.list", "503", times=10)
    with pytest.raises(SourceError) as err:
        cal.read(*WINDOW)
    msg = str(err.value)
    assert "127.0.0.1" in msg and "events.list" in msg and "503" in msg
    assert len(sleeps) == 2 and fake.calls["events.list"] == 3


def test_non_rate_limit_403_is_not_retried(fake: FakeGoogle) -> None:
    fake.add_calendar("ro@example.com", "RO", access_role="reader")
    cal = calendar(fake, calendar_id="ro@example.com")
    with pytest.raises(SourceError) as err:
        cal.insert(plan("a"))
    assert "Make changes to events" in str(err.value) and "auth google" not in str(err.value)
    assert fake.calls["events.insert"] == 1


def test_timeout_and_connection_reset_are_retried(fake: FakeGoogle) -> None:
    fake.hang_seconds = 2.0
    sleeps = Sleeps()
    cal = calendar(fake, timeout=0.3, sleeps=sleeps)
    fake.seed_event(summary="A", start=T0, end=T0 + timedelta(hours=1))
    fake.fail("events.list", "hang")
    fake.fail("events.list", "reset", times=2)  # httplib2 silently retries one reset itself
    got = cal.read(*WINDOW)
    assert [e.summary for e in got.events] == ["A"]
    assert len(sleeps) == 2


def test_batch_http_failure_is_retried_whole(fake: FakeGoogle) -> None:
    sleeps = Sleeps()
    cal = calendar(fake, sleeps=sleeps)
    fake.fail("batch", "503")
    results = cal.write_batch([plan("a"), plan("b")])
    assert all(isinstance(r, OwnedEvent) for r in results) and len(sleeps) == 1
    fake.fail("batch", "503", times=10)
    results = cal.write_batch([plan("c")])
    assert isinstance(results[0], SourceError) and "503" in str(results[0])


# =========================================================================== OAuth


def google_cfg(fake: FakeGoogle, tmp_path: Path, **kw: Any) -> Google:
    return Google(
        token_file=tmp_path / "cfg" / "google-token.json", api_endpoint=fake.calendar_endpoint, **kw
    )


def write_token(path: Path, fake: FakeGoogle, refresh_token: str = "refresh-1") -> None:
    c = Credentials(
        token="old",
        refresh_token=refresh_token,
        token_uri=fake.token_uri,
        client_id="cid",
        client_secret="sec",
        scopes=[SCOPE_CALENDAR_EVENTS, "https://www.googleapis.com/auth/calendar.freebusy"],
        expiry=datetime(2020, 1, 1),
    )
    save_token(path, c)


def test_token_file_is_0600_json_and_refreshed(fake: FakeGoogle, tmp_path: Path) -> None:
    g = google_cfg(fake, tmp_path)
    assert g.token_file is not None
    write_token(g.token_file, fake)
    assert stat.S_IMODE(os.stat(g.token_file).st_mode) == 0o600
    c = load_credentials(g, [SCOPE_CALENDAR_EVENTS])
    assert c.valid and c.token != "old"
    saved = json.loads(g.token_file.read_text())
    assert saved["token"] == c.token and saved["refresh_token"] == "refresh-1"
    assert stat.S_IMODE(os.stat(g.token_file).st_mode) == 0o600


def test_calendar_loads_token_file_and_refreshes_on_401(fake: FakeGoogle, tmp_path: Path) -> None:
    g = google_cfg(fake, tmp_path)
    assert g.token_file is not None
    write_token(g.token_file, fake)
    fake.require_auth = True
    cfg = CalendarConfig(type="google", name="work", key="calendars[0]")
    cal = GoogleCalendar(cfg, g, NY, None, sleep=Sleeps())
    cal.read(*WINDOW)
    first = json.loads(g.token_file.read_text())["token"]
    fake.access_tokens.clear()  # Google expired the access token early: 401, refresh, retry
    cal.read(*WINDOW)
    assert json.loads(g.token_file.read_text())["token"] != first
    assert fake.calls["token"] == 2


def test_revoked_refresh_token_tells_user_to_reauthorize(fake: FakeGoogle, tmp_path: Path) -> None:
    g = google_cfg(fake, tmp_path)
    assert g.token_file is not None
    write_token(g.token_file, fake)
    fake.revoke_refresh_token("refresh-1")
    with pytest.raises(AuthError) as err:
        load_credentials(g, [SCOPE_CALENDAR_EVENTS])
    assert "netweave auth google" in str(err.value) and "7 days" in str(err.value)
    cfg = CalendarConfig(type="google", name="work", key="calendars[0]")
    with pytest.raises(AuthError, match="auth google"):
        GoogleCalendar(cfg, g, NY, None, sleep=Sleeps()).read(*WINDOW)


def test_missing_token_and_missing_scope(fake: FakeGoogle, tmp_path: Path) -> None:
    g = google_cfg(fake, tmp_path)
    with pytest.raises(AuthError, match="netweave auth google"):
        load_credentials(g, [SCOPE_CALENDAR_EVENTS])
    assert g.token_file is not None
    write_token(g.token_file, fake)
    with pytest.raises(AuthError, match="contacts"):
        load_credentials(g, [SCOPE_CONTACTS])


def test_scopes_least_privilege() -> None:
    owner = Owner(timezone="UTC")
    ro = AddressBookConfig(type="google", name="g", key="addressbooks[0]")
    cal = CalendarConfig(type="google", name="c", key="calendars[0]")
    assert scopes_for(Config(owner=owner, addressbooks=(ro,))) == [SCOPE_CONTACTS_READONLY]
    rw = replace(ro, write_tags=True)
    assert scopes_for(Config(owner=owner, addressbooks=(rw,))) == [SCOPE_CONTACTS]
    scopes = scopes_for(Config(owner=owner, calendars=(cal,)))
    assert SCOPE_CALENDAR_EVENTS in scopes
    assert "https://www.googleapis.com/auth/calendar" not in scopes  # never the full scope


def secrets_file(tmp_path: Path, fake: FakeGoogle) -> Path:
    p = tmp_path / "client_secret.json"
    p.write_text(
        json.dumps(
            {
                "installed": {
                    "client_id": "cid.apps.googleusercontent.com",
                    "client_secret": "sec",
                    "auth_uri": fake.url + "o/oauth2/auth",
                    "token_uri": fake.token_uri,
                    "redirect_uris": ["http://localhost"],
                }
            }
        )
    )
    return p


def auth_config(fake: FakeGoogle, tmp_path: Path) -> Config:
    g = Google(
        client_secrets=secrets_file(tmp_path, fake),
        token_file=tmp_path / "t" / "tok.json",
        api_endpoint=fake.calendar_endpoint,
    )
    cal = CalendarConfig(type="google", name="c", key="calendars[0]")
    return Config(owner=Owner(timezone="UTC"), calendars=(cal,), google=g)


def test_authorize_console_flow(
    fake: FakeGoogle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake token endpoint is http
    config = auth_config(fake, tmp_path)
    printed: list[str] = []

    def paste(prompt: str) -> str:
        url = next(w for w in printed[-1].split() if w.startswith("http"))
        q = parse_qs(urlsplit(url).query)
        assert q["redirect_uri"][0].startswith("http://127.0.0.1")
        assert q["access_type"] == ["offline"]
        return f"{q['redirect_uri'][0]}?state={q['state'][0]}&code=good-code&scope=x"

    path = authorize(config, console=True, input_fn=paste, out=printed.append)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    saved = json.loads(path.read_text())
    assert saved["refresh_token"].startswith("refresh-") and saved["token"].startswith("access-")
    assert "7 days" in printed[-1]
    assert any("me@example.com" in line and "(primary)" in line for line in printed)


def test_authorize_with_scopes_unticked_saves_what_was_granted(
    fake: FakeGoogle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Google's consent screen lets people untick scopes: no "Scope has changed" failure, the
    token keeps what was granted, and the user is told what is missing and what it costs."""
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    monkeypatch.delenv("OAUTHLIB_RELAX_TOKEN_SCOPE", raising=False)
    config = auth_config(fake, tmp_path)
    fake.consent_grants = frozenset({SCOPE_CALENDAR_FREEBUSY, SCOPE_CALENDAR_LIST})
    printed: list[str] = []

    def paste(prompt: str) -> str:
        url = next(w for w in printed[-1].split() if w.startswith("http"))
        q = parse_qs(urlsplit(url).query)
        return f"{q['redirect_uri'][0]}?state={q['state'][0]}&code=good-code"

    path = authorize(config, console=True, input_fn=paste, out=printed.append)
    saved = json.loads(path.read_text())
    assert saved["scopes"] == sorted([SCOPE_CALENDAR_FREEBUSY, SCOPE_CALENDAR_LIST])
    said = printed[-1]
    assert f"Not granted: {SCOPE_CALENDAR_EVENTS}" in said and "nothing is written" in said
    assert "View and edit events on all your calendars" in said
    assert "OAUTHLIB_RELAX_TOKEN_SCOPE" not in os.environ  # put back as it was
    # The stored token now runs a reduced calendar: free/busy only, never written.
    g = replace(config.google, api_endpoint=fake.calendar_endpoint)
    cal = GoogleCalendar(
        CalendarConfig(type="google", name="c", key="calendars[0]", write=True), g, NY, None,
        sleep=Sleeps(),
    )  # fmt: skip
    fake.seed_event(summary="A", start=T0, end=T0 + timedelta(hours=1))
    got = cal.read(*WINDOW)
    assert [e.summary for e in got.events] == ["Busy"] and cal.read_only_reason
    assert fake.calls["events.list"] == 0


def test_authorize_console_rejects_foreign_state(
    fake: FakeGoogle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    config = auth_config(fake, tmp_path)
    with pytest.raises(AuthError, match="state"):
        authorize(
            config,
            console=True,
            input_fn=lambda _p: "http://127.0.0.1:1/?state=evil&code=x",
            out=lambda _s: None,
        )


def test_authorize_local_server_flow_without_a_real_browser(
    fake: FakeGoogle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    config = auth_config(fake, tmp_path)

    class Robot:  # stands in for the browser: follows Google's redirect to the loopback server
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            q = parse_qs(urlsplit(url).query)
            target = f"{q['redirect_uri'][0]}?state={q['state'][0]}&code=good-code"
            threading.Thread(
                target=requests.get, args=(target,), kwargs={"timeout": 5}, daemon=True
            ).start()
            return True

    monkeypatch.setattr(webbrowser, "get", lambda using=None: Robot())
    path = authorize(config, console=False, out=lambda _s: None, timeout_seconds=10)
    assert json.loads(path.read_text())["refresh_token"].startswith("refresh-")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_authorize_needs_client_secrets(tmp_path: Path) -> None:
    from sync.config import ConfigError

    cal = CalendarConfig(type="google", name="c", key="calendars[0]")
    with pytest.raises(ConfigError, match="client_secrets"):
        authorize(Config(owner=Owner(timezone="UTC"), calendars=(cal,)), console=True)


# =========================================================================== the shared contract


class TestGoogleCalendarContract(WritableCalendarContract):
    @pytest.fixture
    def calendar(self, fake: FakeGoogle) -> WritableCalendar:
        self.fake = fake
        return calendar(fake, {})

    def add_foreign(
        self, calendar: Any, uid: str, summary: str, start: datetime, end: datetime
    ) -> None:
        self.fake.seed_event(summary=summary, start=start, end=end, iCalUID=uid)

    def user_edit(self, calendar: Any, owned: OwnedEvent, start: datetime, end: datetime) -> None:
        self.fake.user_move_event("primary", owned.href, start, end)

    def user_delete(self, calendar: Any, owned: OwnedEvent) -> None:
        self.fake.user_delete_event("primary", owned.href)

    def stored_description(self, calendar: Any, owned: OwnedEvent) -> str:
        ev = next(e for e in self.fake.events_of() if e["id"] == owned.href)
        return str(ev.get("description", ""))
