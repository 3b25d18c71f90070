"""Benchmark the planning step: 52 weeks, 2,000 contacts, 20,000 busy instances.

Run from the repository root:

    .venv/bin/python benchmarks/bench_planner.py [--seed N] [--repeat N]

Everything is generated deterministically from the seed: a busy lawyer's calendar (6-10
meetings each working day, seen through several calendars: 20,000 instances), 2,000 tagged
contacts over all categories (with last-met dates and meeting counts), 15 targets, two groups
and keep-in-touch cadences for several categories; the owner's events behind the busy time
(rooms in town, a two-day trip by air every six weeks) and the US public holidays (computed
before the clock starts, as the engine does). It prints the time of ``plan()`` (best of
``--repeat`` runs, one core), the peak memory of one run (tracemalloc: what plan() allocates,
inputs excluded), and what was planned. No assertion: the target (under 1 s) is for people to
read, not for the test suite.
"""

from __future__ import annotations

import argparse
import random
import sys
import time as clock
import tracemalloc
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sync.config import Config, parse  # noqa: E402
from sync.daysoff import days_off  # noqa: E402
from sync.model import CATEGORIES, STRONG_CATEGORIES, Busy, Contact, Event, Tie  # noqa: E402
from sync.planner import PlanInput, plan  # noqa: E402

TZ = "America/New_York"
START = date(2027, 1, 4)


def places() -> list[dict[str, Any]]:
    """The office and midtown (20 minutes away), as both configs have them."""
    return [
        {"name": "office", "address": "Office", "travel_minutes": 0},
        {"name": "midtown", "address": "Midtown", "travel_minutes": 20},
    ]


def coffee_window() -> dict[str, Any]:
    return {"name": "coffee", "start": "15:00", "end": "17:30", "duration_minutes": 45}


def lunch_window() -> dict[str, Any]:
    return {
        "name": "lunch",
        "start": "12:00",
        "end": "14:00",
        "duration_minutes": 60,
        "place": "midtown",
    }


def call_window() -> dict[str, Any]:
    return {
        "name": "call",
        "start": "17:00",
        "end": "18:00",
        "duration_minutes": 30,
        "in_person": False,
    }


def make_config() -> Config:
    return parse(
        {
            "owner": {"timezone": TZ},
            "goals": [
                {"id": "move", "text": "Equity partner in a small-to-medium litigation firm"},
                {
                    "id": "clients",
                    "text": "Two new client relationships",
                    "categories": ["clients", "client-professionals"],
                },
            ],
            "budget": {
                "hours_per_week": 5,
                "max_one_on_ones_per_week": 3,
                "buffer_minutes": 10,
                "min_in_person_share": 0.6,
            },
            "places": places(),
            "windows": [
                {
                    "name": "breakfast",
                    "days": ["tue", "wed", "thu"],
                    "start": "07:30",
                    "end": "09:00",
                    "duration_minutes": 60,
                    "place": "midtown",
                },
                coffee_window(),
                lunch_window(),
                {
                    "name": "evening",
                    "days": ["tue", "wed", "thu"],
                    "start": "18:00",
                    "end": "20:30",
                    "duration_minutes": 90,
                    "place": "midtown",
                },
                call_window(),
            ],
            "groups": [
                {
                    "name": "Downtown Business Alliance",
                    "rrule": "FREQ=MONTHLY;BYDAY=2WE",
                    "start": "18:00",
                    "duration_minutes": 120,
                    "place": "midtown",
                    "status": "trial",
                },
                {
                    "name": "Bar Association Litigation Section",
                    "kind": "profession",
                    "rrule": "FREQ=MONTHLY;BYDAY=3TH",
                    "start": "12:00",
                    "duration_minutes": 90,
                    "place": "midtown",
                    "status": "member",
                },
            ],
            "targets": [
                {
                    "name": f"Target Person {i}",
                    "organization": f"Firm {i}",
                    "introducers": [f"Contact {i * 7}"],
                }
                for i in range(15)
            ],
            "planner": {
                "weeks": 52,
                "focus_size": 5,
                "tentative_days": 14,
                "activities_per_month": 10,
                "cadence": {
                    "mentors": {"ideal_days": 45, "max_days": 90},
                    "brain-builders": {"ideal_days": 60, "max_days": 120},
                    "alumni": {"ideal_days": 120, "max_days": 240},
                    "clients": {"ideal_days": 60, "max_days": 120},
                },
                "category_share_max": {"alumni": 0.5},
            },
        },
        base=Path("."),
    )


def make_contacts(rng: random.Random, n: int) -> list[Contact]:
    out = []
    cats = [c for c in CATEGORIES if c != "introducers"]
    for i in range(n):
        cat = rng.choice(cats)
        met = rng.random() < 0.6
        out.append(
            Contact(
                id=f"c-{i:05d}",
                name=f"Contact {i}",
                emails=(f"person{i}@example.com",),
                organization=f"Org {rng.randrange(300)}",
                categories=(cat,),
                tie=Tie.STRONG if cat in STRONG_CATEGORIES else Tie.WEAK,
                last_met=START - timedelta(days=rng.randrange(1, 400)) if met else None,
                times_met=rng.randrange(1, 12) if met else 0,
                sources=("vcard:bench",),
            )
        )
    return out


def make_busy(rng: random.Random, n: int, tz: ZoneInfo, weeks: int = 52) -> list[Busy]:
    """A busy lawyer's year as read from many calendars: on each working day 6-10 distinct
    meetings between 08:00 and 19:00 (some evenings and weekends too); each meeting shows up
    in several calendars (own, team, matter, firm), which is how a year reaches 20,000
    instances. Copies are kept (the planner must cope with overlapping input). ``weeks``: how
    long a stretch (n / weeks busy instances per week)."""
    distinct: list[tuple[datetime, datetime]] = []
    for d in (START + timedelta(days=k) for k in range(7 * weeks + 7)):
        count = rng.randrange(6, 11) if d.weekday() < 5 else rng.randrange(0, 2)
        for _ in range(count):
            h = rng.randrange(8, 19) if rng.random() < 0.9 else rng.randrange(19, 21)
            s = datetime.combine(d, time(h, rng.choice((0, 15, 30, 45))), tzinfo=tz)
            dur = rng.choice((30, 30, 45, 60, 60, 90, 120))
            distinct.append((s, s + timedelta(minutes=dur)))
    out = [Busy(s, e, "own", "meeting") for s, e in distinct]
    while len(out) < n:
        s, e = rng.choice(distinct)
        out.append(Busy(s, e, f"team-{rng.randrange(12)}", "meeting"))
    return out[:n]


def make_events(rng: random.Random, busy: list[Busy], tz: ZoneInfo) -> list[Event]:
    """The owner's own events behind the busy time (meeting rooms, a few addresses in town),
    and a two-day trip to Boston by air every six weeks."""
    rooms = ("Conf Rm 41A", "", "Zoom", "1185 Avenue of the Americas, New York, NY")
    out = [
        Event(f"e{i}", "meeting", b.start, b.end, location=rng.choice(rooms))
        for i, b in enumerate(busy)
        if b.source == "own"
    ]
    for k in range(0, 52, 6):
        tue = START + timedelta(days=7 * k + 1)
        legs = (
            (tue, time(7, 0), 90, "Flight to Boston (B6 1017)", "JFK Terminal 5"),
            (tue, time(11, 0), 120, "Client review", "100 Federal St, Boston, MA"),
            (tue + timedelta(days=1), time(17, 0), 90, "Flight to New York (B6 1118)", "BOS"),
        )
        for d, t, minutes, title, where in legs:
            s = datetime.combine(d, t, tzinfo=tz)
            out.append(Event(f"t{k}-{t}", title, s, s + timedelta(minutes=minutes), location=where))
    return out


def make_scaling_config() -> Config:
    """The scaling case's settings: each week planned on its own, so that k years of the same
    calendar plan the same events every year. The groups meet every four weeks (13 times in
    each 52 weeks, where a monthly rule falls on other weeks each year); everyone is a client
    met before (the same windows, the same cost: who comes first in a long queue changes
    nothing); no focus list, introductions, strong-tie floor, shares or monthly caps, which
    carry from one month or year to the next."""
    return parse(
        {
            "owner": {"timezone": TZ},
            "goals": [{"id": "clients", "text": "Keep the clients close"}],
            "budget": {
                "hours_per_week": 5,
                "max_one_on_ones_per_week": 3,
                "buffer_minutes": 10,
                "min_in_person_share": 0,
            },
            "places": places(),
            "windows": [
                coffee_window(),
                lunch_window(),
                call_window(),
            ],
            "groups": [
                {
                    "name": "Downtown Business Alliance",
                    "rrule": "FREQ=WEEKLY;INTERVAL=4;BYDAY=WE",
                    "start": "18:00",
                    "duration_minutes": 120,
                    "place": "midtown",
                    "status": "member",
                },
                {
                    "name": "Bar Association Litigation Section",
                    "kind": "profession",
                    "rrule": "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH",
                    "start": "12:00",
                    "duration_minutes": 90,
                    "place": "midtown",
                    "status": "member",
                },
            ],
            "planner": {
                "weeks": 52,
                "focus_size": 0,
                "strong_floor": 0,
                "strong_share_max": 1,
                "activities_per_month": 0,
                "cadence": {"clients": {"ideal_days": 60, "max_days": 120}},
            },
        },
        base=Path("."),
    )


def scaling_input(k: int, contacts: int, busy: int, seed: int = 20270104) -> PlanInput:
    """The planner's scaling case at size ``k``: k times ``contacts`` clients and the same
    year of ``busy`` instances repeated k times (every 364 days, so each on the same weekday)
    over k x 52 weeks. Every week has more people due than it has room for, so each year
    plans the same events as the first."""
    cfg = make_scaling_config()
    people = [
        replace(c, categories=("clients",), tie=Tie.WEAK, times_met=max(1, c.times_met))
        for c in make_contacts(random.Random(seed), contacts * k)
    ]
    end = datetime.combine(START + timedelta(weeks=52), time(0), tzinfo=cfg.tz)
    year = [b for b in make_busy(random.Random(seed + 1), busy, cfg.tz) if b.start < end]
    blocked = [replace(b, start=b.start + shift, end=b.end + shift) for b in year for shift in
               (timedelta(weeks=52 * j) for j in range(k))]  # fmt: skip
    # Run the week before, so the first week is as open as every other (new meetings wait
    # ``planner.lead_days`` after the run).
    now = datetime.combine(START - timedelta(days=7), time(6, 0), tzinfo=cfg.tz)
    return PlanInput(cfg, people, blocked, START, 52 * k, now)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=20270104)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--contacts", type=int, default=2000)
    ap.add_argument("--busy", type=int, default=20000)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    cfg = make_config()
    contacts = make_contacts(rng, args.contacts)
    busy = make_busy(rng, args.busy, cfg.tz)
    now = datetime.combine(START, time(6, 0), tzinfo=cfg.tz)
    events = make_events(rng, busy, cfg.tz)
    off = days_off(cfg, START, START + timedelta(days=7 * 52))
    inp = PlanInput(cfg, contacts, busy, START, 52, now, events=events, days_off=off)

    times = []
    result = None
    for _ in range(max(1, args.repeat)):
        t0 = clock.perf_counter()
        result = plan(inp)
        times.append(clock.perf_counter() - t0)
    assert result is not None

    tracemalloc.start()
    plan(inp)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    t0 = clock.perf_counter()
    replanned = plan(
        PlanInput(
            cfg,
            contacts,
            busy,
            START,
            52,
            now,
            previous=tuple(result.events),
            events=events,
            days_off=off,
        )
    )
    t_replan = clock.perf_counter() - t0

    dead = frozenset(e.uid for e in result.events[::40])  # the user deleted a few
    t0 = clock.perf_counter()
    plan(
        PlanInput(
            cfg,
            contacts,
            busy,
            START,
            52,
            now,
            previous=tuple(e for e in result.events if e.uid not in dead),
            tombstones=dead,
            events=events,
            days_off=off,
        )
    )
    t_tomb = clock.perf_counter() - t0

    kinds: dict[str, int] = {}
    for e in result.events:
        kinds[str(e.kind)] = kinds.get(str(e.kind), 0) + 1
    used = sum(w.used_minutes for w in result.weeks)
    print(
        f"input: {len(contacts)} contacts, {len(busy)} busy instances, {len(events)} own "
        f"events, {len(off)} holidays, 52 weeks"
    )
    print(
        f"plan():        {min(times):.3f} s (best of {len(times)}; all: "
        f"{', '.join(f'{t:.3f}' for t in times)})"
    )
    print(f"replan (previous kept): {t_replan:.3f} s")
    print(f"replan with {len(dead)} tombstones: {t_tomb:.3f} s")
    print(f"peak memory (tracemalloc, one plan()): {peak / 1e6:.1f} MB")
    kept = len({e.uid for e in replanned.events} & {e.uid for e in result.events})
    print(
        f"planned: {len(result.events)} events {dict(sorted(kinds.items()))}; "
        f"budget used {used / 60:.1f} h over {len(result.weeks)} weeks; "
        f"kept on replan: {kept} of {len(result.events)}"
    )


if __name__ == "__main__":
    main()
