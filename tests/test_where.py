"""When and where: trips, out of office, holidays, places and travel, group events that fit.

The calendars are exports of fictional people (tests/data/ics/where/): Marcus Hale's Outlook
day trip to Boston by train, Priya Raman's Google calendar with a week in London, Jonas
Weber's Apple calendar with a client visit in Chicago, and a Meetup feed of two groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.busy import busy_from_events, merge_busy
from sync.config import Config, parse
from sync.daysoff import country_of_zone, days_off, public_holidays
from sync.model import Busy, Contact, Event, Kind, PlannedEvent, Tie, planned_uid
from sync.planner import Plan, PlanInput, explain, footprint, plan
from sync.planner.away import Town, away_intervals, town_words
from sync.planner.clock import lead_day
from sync.planner.groups import restricted
from sync.sources.ics import IcsFileCalendar

NY = ZoneInfo("America/New_York")
DATA = Path(__file__).parent / "data" / "ics" / "where"
MONDAY = date(2027, 3, 15)  # the exports' week (US daylight time since 14 March)
NOW = datetime(2027, 3, 12, 18, 0, tzinfo=NY)  # the Friday before

EVERY_DAY = ["mon", "tue", "wed", "thu", "fri"]
WINDOWS = [
    {"name": "breakfast", "days": EVERY_DAY, "start": "07:30", "end": "09:00",
     "duration_minutes": 60, "place": "Midtown"},
    {"name": "coffee", "days": EVERY_DAY, "start": "15:00", "end": "17:00",
     "duration_minutes": 45, "place": "Midtown"},
    {"name": "lunch", "days": EVERY_DAY, "start": "12:00", "end": "14:00",
     "duration_minutes": 60, "place": "Midtown"},
    {"name": "evening", "days": EVERY_DAY, "start": "18:00", "end": "20:30",
     "duration_minutes": 90, "place": "Midtown"},
]  # fmt: skip
PLACES = [
    {"name": "Midtown", "address": "Midtown, near the office", "travel_minutes": 10,
     "area": "midtown", "words": ["W 44th", "W 36th", "Lexington"]},
    {"name": "Hell's Kitchen", "address": "Hell's Kitchen, New York", "travel_minutes": 25,
     "area": "west", "words": ["W 46th"]},
    {"name": "FiDi", "address": "Financial District, New York", "travel_minutes": 30,
     "area": "downtown", "words": ["Water St", "Wall St"], "organizations": ["Ortiz Law"]},
]  # fmt: skip


def config(**sections: Any) -> Config:
    data: dict[str, Any] = {
        "owner": {"timezone": "America/New_York", "emails": ["me@corvane.example"]},
        "goals": [{"id": "next", "text": "A COO role at a growth-stage company"}],
        "budget": {"hours_per_week": 10, "max_one_on_ones_per_week": 5, "buffer_minutes": 10},
        "places": PLACES,
        "windows": WINDOWS,
        "planner": {"focus_size": 5, "lead_days": 0, "activities_per_month": 0},
    }
    for k, v in sections.items():
        if isinstance(v, dict) and isinstance(data.get(k), dict):
            data[k] = {**data[k], **v}
        else:
            data[k] = v
    return parse(data, base=Path("."))


def person(i: int, name: str, cats: tuple[str, ...] = ("targets",), org: str = "") -> Contact:
    return Contact(
        id=f"c-{i}",
        name=name,
        emails=(f"{name.split()[0].lower()}@example.com",),
        organization=org or None,
        categories=cats,
        tie=Tie.WEAK,
        sources=("vcard:test",),
    )


PEOPLE = [person(i, f"Person{i} Test") for i in range(8)]


def read(name: str) -> list[Event]:
    cal = IcsFileCalendar(name, DATA / name, NY)
    res = cal.read(datetime(2027, 3, 1, tzinfo=NY), datetime(2027, 4, 15, tzinfo=NY))
    assert not res.problems
    return list(res.events)


def run(
    cfg: Config,
    events: Sequence[Event] = (),
    contacts: Sequence[Contact] = PEOPLE,
    *,
    group_events: Sequence[Event] = (),
    weeks: int = 1,
    now: datetime = NOW,
    start: date = MONDAY,
    **kw: Any,
) -> tuple[PlanInput, Plan]:
    busy = merge_busy(busy_from_events(events))
    inp = PlanInput(
        config=cfg,
        contacts=list(contacts),
        busy=busy,
        start=start,
        weeks=weeks,
        now=now,
        events=tuple(events),
        group_events=tuple(group_events),
        **kw,
    )
    return inp, plan(inp)


def in_person(p: Plan) -> list[PlannedEvent]:
    return [e for e in p.events if e.kind in (Kind.ONE_ON_ONE, Kind.GROUP) and e.in_person]


def local_day(e: PlannedEvent) -> date:
    return e.start.astimezone(NY).date()


def overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


# --------------------------------------------------------------------------- where the owner is


def test_outlook_day_trip_by_train_is_away_all_day_and_out_of_office_is_off() -> None:
    events = read("outlook_marcus_daytrip.ics")
    away = away_intervals(events, NY, Town(town_words("America/New_York", [])))
    trip = [a for a in away if not a.off]
    assert len(trip) == 1
    assert trip[0].start <= datetime(2027, 3, 16, 6, 0, tzinfo=NY)
    assert trip[0].end >= datetime(2027, 3, 16, 20, 55, tzinfo=NY)
    (off,) = [a for a in away if a.off]  # Outlook's OOF busy status, though transparent
    assert (off.start, off.end) == (
        datetime(2027, 3, 18, tzinfo=NY),
        datetime(2027, 3, 19, tzinfo=NY),
    )


def test_a_day_trip_with_only_timed_events_gets_no_local_meeting() -> None:
    events = read("outlook_marcus_daytrip.ics")
    _, p = run(config(), events)
    # Tuesday has a free afternoon between Cambridge and the train home (15:00-17:10).
    assert not [e for e in in_person(p) if local_day(e) == date(2027, 3, 16)]
    # Thursday (out of office) has nothing at all, not even a prep block or a task.
    assert not [e for e in p.events if local_day(e) == date(2027, 3, 18)]
    assert [e for e in in_person(p) if local_day(e) == date(2027, 3, 15)]  # in town
    text = explain(p)
    assert "Tue 16 Mar — away (New York Penn Station)" in text
    assert "Thu 18 Mar — out of office (Marcus - school visit)" in text


def test_a_trip_with_an_all_day_event_in_another_zone_gets_no_local_meeting() -> None:
    events = read("google_priya_london.ics")
    _, p = run(config(), events)
    first = datetime(2027, 3, 15, 17, 30, tzinfo=NY)  # two hours before the flight out
    back = datetime(2027, 3, 19, 13, 10, tzinfo=NY)  # two hours after landing
    for e in in_person(p):
        assert not overlaps(footprint(e, 10), (first, back)), e.title
    assert [e for e in in_person(p) if local_day(e) == date(2027, 3, 15)]
    assert "Wed 17 Mar — away" in explain(p)


def test_the_all_day_event_alone_marks_the_trip() -> None:
    events = [e for e in read("google_priya_london.ics") if e.all_day]
    _, p = run(config(), events)
    days = {local_day(e) for e in in_person(p)}
    assert not days & {date(2027, 3, 16), date(2027, 3, 17), date(2027, 3, 18)}


def test_apple_event_in_another_time_zone_is_away_a_virtual_window_still_works() -> None:
    events = read("apple_jonas_chicago.ics")
    (visit,) = [e for e in events if "Meridian" in e.summary]
    assert visit.zone == "America/Chicago"
    video = {"name": "video", "days": ["wed"], "start": "10:00", "end": "17:00",
             "duration_minutes": 30, "in_person": False}  # fmt: skip
    only_wed = [dict(w, days=["wed"]) for w in WINDOWS] + [video]
    cfg = config(windows=only_wed, budget={"min_in_person_share": 0})
    _, p = run(cfg, events, PEOPLE[:2])
    wed = [e for e in p.events if e.kind == Kind.ONE_ON_ONE and local_day(e) == date(2027, 3, 17)]
    assert wed and all(not e.in_person for e in wed)
    off = config(windows=only_wed, travel={"virtual_when_away": False})
    _, p2 = run(off, events, PEOPLE[:2])
    assert not [e for e in p2.events if e.kind == Kind.ONE_ON_ONE]


def test_a_standing_series_in_another_zone_is_not_a_trip_a_single_entry_is() -> None:
    """A weekly call kept at the Tokyo office's hour is not a trip; a one-off entry the owner
    wrote in another zone is (and an invitation from abroad, with guests, is not)."""
    tokyo = ZoneInfo("Asia/Tokyo")
    town = Town(town_words("America/New_York", []))
    first = datetime(2027, 3, 16, 9, 0, tzinfo=tokyo).astimezone(NY)

    def entry(day: int, **kw: Any) -> Event:
        start = first + timedelta(weeks=day)
        return Event("tokyo-sync", "Sync with Tokyo", start, start + timedelta(hours=1),
                     zone="Asia/Tokyo", **kw)  # fmt: skip

    series = [entry(k, recurrence_id=first + timedelta(weeks=k)) for k in range(6)]
    assert away_intervals(series, NY, town) == []
    invited = [entry(0, attendees=("boss@tokyo.example", "me@corvane.example"))]
    assert away_intervals(invited, NY, town) == []
    (trip,) = away_intervals([entry(0)], NY, town)
    assert trip.start <= first < trip.end


def test_google_working_location_and_out_of_office_events() -> None:
    from sync.sources.google.events import to_event

    item = {
        "id": "wl1",
        "summary": "Chicago",
        "eventType": "workingLocation",
        "start": {"date": "2027-03-17"},
        "end": {"date": "2027-03-18"},
        "workingLocationProperties": {
            "type": "customLocation",
            "customLocation": {"label": "Chicago, IL"},
        },
    }
    wl = to_event(item, NY, "google")
    assert wl.status == "working-location" and wl.location == "Chicago, IL" and wl.transparent
    ooo = to_event(
        {
            "id": "o1",
            "summary": "Out of office",
            "eventType": "outOfOffice",
            "start": {"dateTime": "2027-03-16T09:00:00-04:00", "timeZone": "America/New_York"},
            "end": {"dateTime": "2027-03-16T17:00:00-04:00", "timeZone": "America/New_York"},
        },
        NY,
        "google",
    )
    assert ooo.status == "out-of-office"
    trip = to_event(
        {
            "id": "t1",
            "summary": "Client lunch",
            "start": {"dateTime": "2027-03-15T12:00:00", "timeZone": "Europe/London"},
            "end": {"dateTime": "2027-03-15T13:00:00", "timeZone": "Europe/London"},
        },
        NY,
        "google",
    )
    assert trip.zone == "Europe/London"
    away = away_intervals([wl, ooo, trip], NY, Town(["New York"]))
    assert [(a.start.date(), a.off) for a in away] == [
        (date(2027, 3, 15), False),
        (date(2027, 3, 16), True),
        (date(2027, 3, 17), False),
    ]
    home = to_event(
        {**item, "workingLocationProperties": {"type": "homeOffice", "homeOffice": {}}},
        NY,
        "google",
    )
    assert away_intervals([home], NY, Town(["New York"])) == []


def test_two_events_in_another_city_with_one_in_town_between_on_the_same_day() -> None:
    def ev(h: int, loc: str) -> Event:
        s = datetime(2027, 3, 16, h, tzinfo=NY)
        return Event(f"u{h}", "Meeting", s, s + timedelta(hours=1), location=loc)

    town = Town(["New York"])
    away = away_intervals(
        [ev(9, "1 Main St, Boston, MA"), ev(12, "Conf Rm, New York"), ev(15, "Boston, MA")],
        NY,
        town,
    )
    assert len(away) == 1 and away[0].end - away[0].start == timedelta(days=1)  # no train shown


# --------------------------------------------------------------------------- holidays, days off


@pytest.mark.parametrize(
    ("zone", "country", "region", "day", "name"),
    [
        ("America/New_York", "", "", date(2026, 11, 26), "Thanksgiving"),
        ("America/New_York", "US", "NY", date(2027, 2, 12), "Lincoln"),
        ("Europe/London", "", "", date(2026, 12, 28), "Boxing Day"),
        ("Europe/London", "GB", "SCT", date(2026, 11, 30), "Andrew"),
        ("Europe/Berlin", "", "", date(2026, 10, 3), "Unity"),
        ("Europe/Berlin", "DE", "BY", date(2026, 6, 4), "Corpus Christi"),
    ],
)
def test_public_holidays_from_the_zone_or_the_config(
    zone: str, country: str, region: str, day: date, name: str
) -> None:
    cfg = config(owner={"timezone": zone, "country": country, "region": region})
    off = days_off(cfg, day - timedelta(days=3), day + timedelta(days=3))
    assert name.casefold() in off[day].casefold()


def test_no_activity_on_public_holidays_us_uk_germany() -> None:
    cases = [
        ("America/New_York", date(2026, 11, 23), date(2026, 11, 26)),  # Thanksgiving
        ("Europe/London", date(2026, 12, 28), date(2026, 12, 28)),  # Boxing Day (observed)
        ("Europe/Berlin", date(2027, 5, 3), date(2027, 5, 6)),  # Ascension Day
    ]
    for zone, monday, holiday in cases:
        tz = ZoneInfo(zone)
        cfg = config(owner={"timezone": zone})
        off = days_off(cfg, monday, monday + timedelta(days=7))
        assert holiday in off
        now = datetime.combine(monday - timedelta(days=1), time(18), tz)
        _, p = run(cfg, (), PEOPLE, start=monday, now=now, days_off=off)
        assert p.events
        assert not [e for e in p.events if e.start.astimezone(tz).date() == holiday], zone
        assert f"{holiday:%a %d %b} — holiday" in explain(p)
        # Unless the owner works on holidays.
        works = config(owner={"timezone": zone, "work_on_holidays": True})
        assert not days_off(works, monday, monday + timedelta(days=7))


def test_days_off_in_the_config() -> None:
    cfg = config(owner={"timezone": "America/New_York", "days_off": ["2027-03-16", "2027-03-17"]})
    off = days_off(cfg, MONDAY, MONDAY + timedelta(days=7))
    assert off[date(2027, 3, 16)] == "day off"
    _, p = run(cfg, (), days_off=off)
    assert not {local_day(e) for e in p.events} & {date(2027, 3, 16), date(2027, 3, 17)}


def test_country_of_a_zone() -> None:
    assert country_of_zone("America/Chicago") == "US"
    assert country_of_zone("Europe/Berlin") == "DE"
    assert public_holidays("", "", [2027]) == {}


# --------------------------------------------------------------------------- travel


def test_a_feed_venue_across_town_costs_its_travel_and_wins_over_the_configured_place() -> None:
    feed = read("groups_feed.ics")
    cfg = config(
        groups=[
            {"name": "Commercial Bar", "feed": "x.ics", "status": "member", "place": "Midtown"},
        ]
    )
    mixer = [replace_source(e, "Commercial Bar") for e in feed if "Spring Mixer" in e.summary]
    inp, p = run(cfg, (), PEOPLE[:1], group_events=mixer)
    (visit,) = [e for e in p.events if e.kind == Kind.GROUP]
    assert visit.location.startswith("Hudson Terrace, 621 W 46th St")  # the feed's venue
    assert visit.travel_before == visit.travel_after == 25  # Hell's Kitchen, not Midtown
    week = p.weeks[0]
    assert week.used_minutes >= 120 + 2 * 25 + 2 * 10


def test_a_feed_venue_no_place_names_costs_the_unknown_travel() -> None:
    feed = read("groups_feed.ics")
    cfg = config(
        groups=[{"name": "Litigators Guild", "feed": "x.ics", "status": "member"}],
        places=PLACES[1:],  # no place knows W 36th
        windows=[dict(w, place="") for w in WINDOWS],
        travel={"unknown_minutes": 35},
    )
    dinner = [replace_source(e, "Litigators Guild") for e in feed if "Guild" in e.summary]
    _, p = run(cfg, (), PEOPLE[:1], group_events=dinner)
    (visit,) = [e for e in p.events if e.kind == Kind.GROUP]
    assert visit.travel_before == 35
    (prep,) = [e for e in p.events if e.title.startswith("Prepare: Litigators")]
    assert prep.end <= visit.start - timedelta(minutes=35 + 10)  # before leaving, not 16:35


def test_travel_blocks_on_a_shared_calendar_are_written_and_counted() -> None:
    shared = [{"type": "ics", "path": "w.ics", "name": "work", "write": True, "shared": True}]
    cfg = config(calendars=shared)
    _, p = run(cfg, (), PEOPLE[:2])
    travel = [e for e in p.events if e.kind == Kind.TRAVEL]
    meetings = [e for e in p.events if e.kind == Kind.ONE_ON_ONE and e.in_person]
    assert meetings and len(travel) == 2 * len(meetings)
    for m in meetings:
        to = next(t for t in travel if t.end == m.start)
        back = next(t for t in travel if t.start == m.end)
        assert to.title == back.title == "Travel"
        assert to.start == m.blocked_start and back.end == m.blocked_end
    # Counted: the week's minutes are the activities' footprints, travel included, once.
    expected = sum(
        (footprint(e, 10)[1] - footprint(e, 10)[0]).seconds // 60
        for e in p.events
        if e.kind != Kind.TRAVEL
    )
    assert p.weeks[0].used_minutes == expected
    # A private calendar alone gets none (the default "shared"); "always" writes them anyway.
    _, p2 = run(config(), (), PEOPLE[:2])
    assert not [e for e in p2.events if e.kind == Kind.TRAVEL]
    _, p3 = run(config(travel={"blocks": "always"}), (), PEOPLE[:2])
    assert [e for e in p3.events if e.kind == Kind.TRAVEL]


def test_engine_writes_travel_blocks_only_where_the_config_says() -> None:
    from sync.engine.plan import carries

    cfg = config(calendars=[{"type": "vdir", "path": "o", "name": "o", "write": True}])
    blk = PlannedEvent(
        "t", Kind.TRAVEL, "Travel", datetime(2027, 3, 15, 9, tzinfo=NY),
        datetime(2027, 3, 15, 9, 20, tzinfo=NY),
    )  # fmt: skip
    assert carries(cfg, True, blk) and not carries(cfg, False, blk)
    assert not carries(config(travel={"blocks": "never"}), True, blk)
    assert carries(config(travel={"blocks": "always"}), False, blk)


def test_meeting_near_them_midway_or_near_me() -> None:
    ortiz = person(1, "Lena Ortiz", ("targets",), org="Ortiz Law LLP")
    cfg = config(travel={"max_minutes": 40})
    _, p = run(cfg, (), [ortiz])
    (m,) = [e for e in p.events if e.kind == Kind.ONE_ON_ONE]
    assert m.location == "Financial District, New York" and m.travel_before == 30  # near them
    far = config(
        travel={
            "max_minutes": 20,
            "times": [
                {"between": ["downtown", "west"], "minutes": 15},
                {"between": ["downtown", "midtown"], "minutes": 30},
            ],
        }
    )
    _, p2 = run(far, (), [ortiz])
    (m2,) = [e for e in p2.events if e.kind == Kind.ONE_ON_ONE]
    assert m2.location == "Hell's Kitchen, New York"  # midway: 25 for me, 15 for her
    _, p3 = run(cfg, (), [person(2, "Sam Unplaced")])
    (m3,) = [e for e in p3.events if e.kind == Kind.ONE_ON_ONE]
    assert m3.location == "Midtown, near the office"  # not known: near me


def test_confidential_never_meets_a_target_near_the_office() -> None:
    recruiter = person(1, "Ivy Search", ("targets",))
    cfg = config(owner={"timezone": "America/New_York", "office": "Midtown"})
    _, p = run(cfg, (), [recruiter])
    (m,) = [e for e in p.events if e.kind == Kind.ONE_ON_ONE]
    assert m.location != "Midtown, near the office" and m.travel_before == 25
    friend = person(2, "Old Friend", ("friends",))
    friends = config(
        owner={"timezone": "America/New_York", "office": "Midtown"},
        planner={"cadence": {"friends": {"ideal_days": 7, "max_days": 14}}},
    )
    _, p2 = run(friends, (), [friend])
    assert any(e.location == "Midtown, near the office" for e in p2.events)
    allowed = config(
        owner={"timezone": "America/New_York", "office": "Midtown"},
        confidential={"avoid_office": False},
    )
    _, p3 = run(allowed, (), [recruiter])
    assert any(e.location == "Midtown, near the office" for e in p3.events)


def test_target_place_in_the_config() -> None:
    cfg = config(targets=[{"name": "Nadia Brook", "organization": "Kite", "place": "FiDi"}])
    nadia = person(1, "Nadia Brook")
    _, p = run(cfg, (), [nadia])
    (m,) = [e for e in p.events if e.kind == Kind.ONE_ON_ONE]
    assert m.location == "Financial District, New York"


# --------------------------------------------------------------------------- lead time, blocks


def test_no_first_meeting_the_day_after_a_sunday_evening_sync() -> None:
    sunday = datetime(2027, 3, 14, 20, 0, tzinfo=NY)
    assert lead_day(date(2027, 3, 14), 3, frozenset()) == date(2027, 3, 18)
    assert lead_day(date(2027, 3, 14), 0, frozenset()) == date(2027, 3, 14)
    _, p = run(config(planner={"lead_days": 3}), (), PEOPLE[:3], now=sunday)
    ones = [e for e in p.events if e.kind == Kind.ONE_ON_ONE]
    assert ones and min(local_day(e) for e in ones) >= date(2027, 3, 18)
    _, p0 = run(config(), (), PEOPLE[:3], now=sunday)
    assert min(local_day(e) for e in p0.events if e.kind == Kind.ONE_ON_ONE) == MONDAY


def test_prep_and_follow_up_move_with_a_meeting_the_user_moved() -> None:
    cfg = config(windows=[dict(WINDOWS[1], days=["mon"]), dict(WINDOWS[2], days=["mon"])])
    _, first = run(cfg, (), PEOPLE[:1])
    (m,) = [e for e in first.events if e.kind == Kind.ONE_ON_ONE]
    moved = m.__class__(**{**m.__dict__, "start": m.start - timedelta(hours=3)})
    moved = moved.__class__(
        **{**moved.__dict__, "end": moved.start + (m.end - m.start), "pinned": True}
    )
    _, again = run(cfg, (), PEOPLE[:1], previous=tuple(first.events), fixed=(moved,))
    prep = next(e for e in again.events if e.uid == planned_uid("prep", m.uid))
    fu = next(e for e in again.events if e.uid == planned_uid("follow-up", m.uid))
    a, b = footprint(moved, 10)
    assert prep.end <= a and a - prep.end < timedelta(hours=1)
    assert fu.start >= b and fu.start - b < timedelta(hours=1)


# --------------------------------------------------------------------------- groups that fit


def replace_source(e: Event, source: str) -> Event:
    from dataclasses import replace

    return replace(e, source=source)


def test_restricted_audiences() -> None:
    assert restricted("Commercial Bar: Under 35 Happy Hour", "lawyer") == "under 35"
    assert restricted("Law students mixer", "") == "students"
    assert restricted("Members-only breakfast", "") == "members only"
    assert restricted("Networking for accountants", "lawyer") == "for accountants"
    assert restricted("Networking for lawyers", "lawyer") == ""
    assert restricted("Spring Mixer", "lawyer") == ""


def test_a_restricted_audience_group_event_is_never_a_trial_visit() -> None:
    feed = [replace_source(e, "Commercial Bar") for e in read("groups_feed.ics")]
    feed = [e for e in feed if "Commercial Bar" in e.summary]
    cfg = config(groups=[{"name": "Commercial Bar", "feed": "x.ics", "trial_visits": 2}])
    _, p = run(cfg, (), PEOPLE[:1], group_events=feed)
    visits = [e for e in p.events if e.kind == Kind.GROUP]
    assert visits and not [e for e in visits if "Under 35" in e.title]
    assert "not a trial visit: under 35" in explain(p)


def test_a_member_meeting_wins_over_a_trial_visit_the_same_evening() -> None:
    feed = read("groups_feed.ics")
    guild = [replace_source(e, "Litigators Guild") for e in feed if "Guild" in e.summary]
    bar = [replace_source(e, "Commercial Bar") for e in feed if "roundtable" in e.summary]
    cfg = config(
        groups=[
            {"name": "Commercial Bar", "feed": "x.ics", "status": "trial"},
            {"name": "Litigators Guild", "feed": "y.ics", "status": "member"},
        ]
    )
    _, p = run(cfg, (), PEOPLE[:1], group_events=bar + guild)  # the trial starts earlier
    visits = [e for e in p.events if e.kind == Kind.GROUP]
    assert [e.activity for e in visits] == ["Litigators Guild"]


def test_connect_ahead_names_who_attends() -> None:
    feed = [replace_source(e, "Commercial Bar") for e in read("groups_feed.ics")]
    mixer = [e for e in feed if "Spring Mixer" in e.summary]
    lena = Contact("c-lena", "Lena Ortiz", emails=("lena.ortiz@ortizlaw.example",))
    cfg = config(
        groups=[{"name": "Commercial Bar", "feed": "x.ics", "status": "member"}],
        targets=[{"name": "Ravi Shah", "organization": "Kite", "groups": ["Commercial Bar"]}],
    )
    _, p = run(cfg, (), [lena], group_events=mixer)
    (task,) = [e for e in p.events if e.title == "Connect ahead: Commercial Bar"]
    assert "Lena Ortiz" in task.description and "Ravi Shah" in task.description
    assert task.start.date() < date(2027, 3, 18) and task.start.weekday() < 5
    assert "c-lena" in task.contacts
    # Nobody named: no task.
    alone = config(groups=[{"name": "Commercial Bar", "feed": "x.ics", "status": "member"}])
    _, p2 = run(alone, (), [], group_events=mixer)
    assert not [e for e in p2.events if e.title.startswith("Connect ahead")]


# --------------------------------------------------------------------------- properties

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CITIES = ["Boston, MA", "Chicago, IL", "London, UK", "Berlin, Germany"]


@st.composite
def trip_calendars(draw: st.DrawFn) -> list[Event]:
    out: list[Event] = []
    for n in range(draw(st.integers(0, 25))):
        day = MONDAY + timedelta(days=draw(st.integers(0, 13)))
        minute = draw(st.integers(6 * 4, 21 * 4)) * 15
        dur = draw(st.sampled_from([30, 60, 90, 120]))
        s = datetime.combine(day, time(minute // 60, minute % 60), NY)
        where = draw(st.sampled_from([*CITIES, "Conf Rm 4B", "", "1 Park Ave, New York, NY"]))
        title = draw(st.sampled_from(["Meeting", "Flight to Boston (B6 1017)", "Review"]))
        transparent = draw(st.booleans()) and draw(st.booleans())
        out.append(Event(f"e{n}", title, s, s + timedelta(minutes=dur), location=where,
                         transparent=transparent))  # fmt: skip
    return out


@SETTINGS
@given(trip_calendars(), st.integers(1, 6))
def test_no_in_person_meeting_between_two_events_in_another_city_the_same_day(
    events: list[Event], n: int
) -> None:
    cfg = config(groups=[], travel={"blocks": "always"})
    inp, p = run(cfg, events, PEOPLE[:n], weeks=2)
    town = Town(town_words("America/New_York", []))
    elsewhere = [e for e in events if town.away(e.location) or "Flight" in e.summary]
    by_day: dict[date, list[Event]] = {}
    for e in elsewhere:
        by_day.setdefault(e.start.astimezone(NY).date(), []).append(e)
    for pe in in_person(p):
        a, b = footprint(pe, cfg.budget.buffer_minutes)
        trip = by_day.get(local_day(pe), [])
        if len(trip) >= 2:
            first = min(t.start for t in trip)
            last = max(t.end for t in trip)
            assert not overlaps((a, b), (first, last)), (pe.title, pe.start)
        for t in trip:
            assert not overlaps((a, b), (t.start, t.end))
    # Travel plus meeting never overlaps busy time (travel blocks included).
    busy: list[Busy] = list(inp.busy)
    for pe in p.events:
        span = footprint(pe, cfg.budget.buffer_minutes)
        if pe.kind == Kind.TRAVEL:
            span = (pe.start, pe.end)
        for bz in busy:
            assert not overlaps(span, (bz.start, bz.end)), (pe.title, bz)


# --------------------------------------------------------------------------- end to end


def test_sync_writes_travel_blocks_to_a_shared_calendar_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import icalendar
    from example_home import cli, make_home

    def with_shared_calendar(text: str) -> str:
        heading = "# ---------------------------------------------------------------- time"
        shared = (
            '[[calendars]]\ntype = "vdir"\npath = "out/work"\nname = "work-shared"\nwrite = true\n'
            "shared = true\n\n"
        )
        return text.replace(heading, shared + heading, 1)

    make_home(tmp_path, monkeypatch, "2026-12-04T10:00:00-05:00", config=with_shared_calendar)

    def sync() -> str:
        code, out, err = cli(tmp_path, capsys, "sync")
        assert not code, (out, err)
        return out

    sync()

    def events(folder: str) -> list[Any]:
        out = []
        for p in sorted((tmp_path / "out" / folder).glob("*.ics")):
            out.extend(icalendar.Calendar.from_ical(p.read_bytes()).walk("VEVENT"))
        return out

    shared = events("work")
    travel = [e for e in shared if str(e["SUMMARY"]) == "Travel"]
    others = [e for e in shared if str(e["SUMMARY"]) != "Travel"]
    assert travel and others
    assert all(str(e["SUMMARY"]) == "Personal appointment" for e in others)
    assert not [e for e in events("networking") if str(e["SUMMARY"]) == "Travel"]
    # Each activity in person on the shared calendar sits between its two travel blocks.
    starts = {e.decoded("DTSTART") for e in others}
    ends = {e.decoded("DTEND") for e in others}
    assert all(e.decoded("DTEND") in starts or e.decoded("DTSTART") in ends for e in travel)
    assert all(str(e.get("TRANSP", "OPAQUE")) in ("OPAQUE", "TRANSPARENT") for e in travel)
    assert "nothing changed in networking, work-shared" in sync()  # a second run writes nothing


def test_a_replan_with_the_previous_plan_changes_nothing() -> None:
    feed = [replace_source(e, "Commercial Bar") for e in read("groups_feed.ics")]
    lena = Contact("c-lena", "Lena Ortiz", emails=("lena.ortiz@ortizlaw.example",))
    shared = [{"type": "ics", "path": "w.ics", "name": "work", "write": True, "shared": True}]
    cfg = config(
        calendars=shared,
        groups=[{"name": "Commercial Bar", "feed": "x.ics", "status": "member"}],
        targets=[{"name": "Ravi Shah", "organization": "Kite", "groups": ["Commercial Bar"]}],
    )
    events = read("outlook_marcus_daytrip.ics")
    contacts = [lena, *PEOPLE[:4]]
    _, first = run(cfg, events, contacts, group_events=feed, weeks=2)
    assert [e for e in first.events if e.title.startswith("Connect ahead")]
    assert [e for e in first.events if e.kind == Kind.TRAVEL]
    _, again = run(cfg, events, contacts, group_events=feed, weeks=2, previous=tuple(first.events))
    assert again.events == first.events


def test_description_limits_the_audience_only_when_it_says_so() -> None:
    said = "Open only to members under 35. Drinks from 6."
    assert restricted("Spring Mixer", "lawyer", said) == "under 35"
    assert restricted("Spring Mixer", "lawyer", "This event is for members only.") == "members only"
    assert restricted("Mixer", "lawyer", "Exclusively for CPAs and tax advisers.") == "for CPAs"
    assert restricted("Mixer", "lawyer", "For law students only; bring your ID") == "students"
    # Mentions are not limits.
    assert restricted("Mixer", "lawyer", "Students welcome at a reduced rate.") == ""
    assert restricted("Mixer", "lawyer", "Members free, $25 for guests. Open to all.") == ""
    assert restricted("Mixer", "lawyer", "Open to lawyers, bankers and founders.") == ""


@pytest.mark.parametrize(
    ("description", "visited"),
    [
        ("Mixed-membership business group. First visit free.", True),
        ("Open only to members under 35. First visit free.", False),
        ("Students welcome. First visit free.", True),
    ],
)
def test_a_feed_description_that_limits_the_audience_is_no_trial_visit_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, description: str, visited: bool
) -> None:
    from sandbox import NOW, Home

    monkeypatch.setenv("NETWEAVE_NOW", NOW)
    home = Home.make(tmp_path)
    feed = home.root / "examples" / "group-feed.ics"
    text = feed.read_text(encoding="utf-8")
    start = text.index("DESCRIPTION:Mixed-membership")
    end = text.index("\nLAST-MODIFIED", start)
    feed.write_text(text[:start] + f"DESCRIPTION:{description}" + text[end:], encoding="utf-8")
    planned = home.run("plan", "--json").json()
    mbx = [e for e in planned if e["kind"] == "group" and "Midtown Business" in e["title"]]
    assert bool(mbx) is visited
    if not visited:
        assert "not a trial visit: under 35" in home.run("plan", "--explain").out
