"""Where the owner is: from the calendar alone, the times the owner is away from town (no
in-person meeting then) or off (out of office: no activity at all). A pure function of events.

Signs of being elsewhere, event by event:

* a flight or train (``Flight to Boston (B6 1017)``, ``✈``, ``Amtrak``, ``Train to``...) or a
  location at an airport or station;
* a location that names a state or country code (``Boston, MA``, ``London, UK``) or an address
  outside town: town is what ``travel.home_words``, the configured places (names, words,
  addresses) and the city of the owner's time zone name;
* a clock in another time zone than the owner's (``DTSTART;TZID=Europe/London``) on the owner's
  own single entry (an invitation from abroad carries its organiser's zone, and a series kept in
  another zone is a standing call at that office's hour: no sign);
* out of office (Outlook's OOF busy status, Google's out-of-office event, a title like
  "Out of office", "Vacation", "PTO") — off, not only away;
* a working-location event (Google) or an all-day event whose location is out of town.

Timed signs on the same day, or on days in a row, make one trip: the owner is away from two
hours before its first sign to two hours after its last when those are a flight or train
(getting to and from the airport), else from the start of its first day to the end of its last
(the calendar does not say how the owner got there and back).
An event in town between two trip days ends the trip; on one day, nothing in between does (two
events in another city on the same day mean the owner is there in between). All-day signs make
whole days away (or off).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sync.model import Event

TRIP_MARGIN = timedelta(hours=2)  # to and from the airport or station
TRIP_GAP = timedelta(days=4)  # signs further apart than this are two trips

TRANSPORT = re.compile(
    r"\bflights?\b|✈|\bamtrak\b|\bacela\b|\beurostar\b|\btrain to\b|\bdrive to\b|"
    r"\b(?:[A-Z]{2}|[A-Z]\d|\d[A-Z])\s?\d{2,4}\s+(?:to|from|nach|vers)\b|\bICE \d{2,4}\b",
    re.IGNORECASE,
)
STATION = re.compile(
    r"\b(?:airport|terminal|gate|hauptbahnhof|station|gare|flughafen)\b|\([A-Z]{3}\)",
    re.IGNORECASE,
)
OFF = re.compile(
    r"\bout of (?:the )?office\b|\booo\b|\bvacation\b|\bholiday\b|\bpto\b|\bannual leave\b|"
    r"\burlaub\b|\bsick\b",
    re.IGNORECASE,
)
TRIP_TITLE = re.compile(r"^\s*(?:trip|travel|business trip|visit|offsite)\s+(?:to|in)\s+\S", re.I)
REGION_CODE = re.compile(
    r",\s*(?:[A-Z]{2,3}(?:\s+[A-Z0-9]{3,5}(?:\s?[A-Z0-9]{3})?)?|United States|United Kingdom|"
    r"Deutschland|Germany|France|Canada|Ireland|Switzerland|Netherlands|Japan|Australia)\s*$"
)
VIRTUAL = re.compile(
    r"zoom|teams|webex|meet\.google|google meet|https?://|video|phone|\bcall\b|skype",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Away:
    """[start, end): the owner is away from town (``off``: out of office, no activity)."""

    start: datetime
    end: datetime
    where: str
    off: bool = False


@dataclass(frozen=True)
class Sign:
    start: datetime
    end: datetime
    where: str
    away: bool  # False: a sign of being in town
    transport: bool = False  # a flight or train


def _word(text: str, word: str) -> bool:
    w = word.strip().casefold()
    return bool(w) and re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", text.casefold()) is not None


class Town:
    """Which locations are in town: any of ``words`` (the owner's town), else not when the text
    reads like an address elsewhere (a state or country code, an airport or station)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = tuple(w for w in words if w.strip())

    def away(self, location: str) -> bool | None:
        """True: elsewhere; False: in town; None: cannot tell (a room, a nickname)."""
        loc = location.strip()
        if not loc or VIRTUAL.search(loc):
            return None
        if STATION.search(loc):
            return True
        if any(_word(loc, w) for w in self.words):
            return False
        if REGION_CODE.search(loc):
            return True
        return None


def town_words(zone: str, extra: Iterable[str]) -> list[str]:
    """The city of an IANA zone name ("America/New_York" -> "New York") and ``extra``."""
    city = zone.rsplit("/", 1)[-1].replace("_", " ") if "/" in zone else ""
    return [w for w in (city, *extra) if w.strip()]


def _sign(ev: Event, town: Town, tz: ZoneInfo) -> Sign | None:
    text = f"{ev.summary}"
    loc = ev.location
    if TRANSPORT.search(text) or STATION.search(loc):
        return Sign(ev.start, ev.end, loc or ev.summary, True, transport=True)
    if ev.zone and len(ev.attendees) <= 1 and ev.recurrence_id is None:
        # Only the owner's own single entry: an invitation from abroad carries its organiser's
        # zone, and a series kept in another zone is a standing call with that office.
        return Sign(ev.start, ev.end, loc or ev.zone, True)
    verdict = town.away(loc)
    if verdict is None and ev.status == "working-location" and loc:
        verdict = not any(_word(loc, w) for w in (*town.words, "home", "office"))
    if verdict is None:
        return None
    return Sign(ev.start, ev.end, loc, verdict)


def _whole_days(ev: Event, tz: ZoneInfo) -> tuple[datetime, datetime]:
    s = ev.start.astimezone(tz)
    e = ev.end.astimezone(tz)
    start = datetime.combine(s.date(), datetime.min.time(), tz)
    last = e.date() if (e.time() != datetime.min.time() or e.date() == s.date()) else e.date()
    end = datetime.combine(last, datetime.min.time(), tz)
    if end <= start:
        end = datetime.combine(s.date() + timedelta(days=1), datetime.min.time(), tz)
    return start, end


def _is_off(ev: Event) -> bool:
    return ev.status == "out-of-office" or bool(OFF.search(ev.summary))


def away_intervals(events: Iterable[Event], tz: ZoneInfo, town: Town) -> list[Away]:
    """The owner's away (and off) intervals, sorted and not overlapping each other's kind."""
    out: list[Away] = []
    signs: list[Sign] = []
    for ev in events:
        if ev.cancelled or ev.netweave_id or ev.end < ev.start:
            continue
        if _is_off(ev) and (ev.all_day or ev.status == "out-of-office"):
            a, b = _whole_days(ev, tz) if ev.all_day else (ev.start, ev.end)
            out.append(Away(a, b, ev.summary or "out of office", off=True))
            continue
        if ev.all_day or (ev.end - ev.start) >= timedelta(hours=20):
            far = town.away(ev.location) or bool(TRIP_TITLE.search(ev.summary))
            if ev.status == "working-location" and ev.location:
                far = far or town.away(ev.location) is None and not _home_or_office(ev, town)
            if far:
                a, b = _whole_days(ev, tz)
                out.append(Away(a, b, ev.location or ev.summary))
            continue
        sign = _sign(ev, town, tz)
        if sign is not None:
            signs.append(sign)
    out.extend(_trips(signs, tz))
    return sorted(out, key=lambda a: (a.start, a.end, a.off, a.where))


def _midnight(t: datetime, tz: ZoneInfo, days: int) -> datetime:
    """Midnight starting ``t``'s local day, plus ``days`` days."""
    d = t.astimezone(tz).date() + timedelta(days=days)
    return datetime.combine(d, datetime.min.time(), tz)


def _home_or_office(ev: Event, town: Town) -> bool:
    return any(_word(ev.location, w) for w in (*town.words, "home", "office"))


def _trips(signs: list[Sign], tz: ZoneInfo) -> list[Away]:
    """Runs of away signs (see the module docstring) as intervals with the margin."""
    signs.sort(key=lambda s: (s.start, s.end, not s.away))
    day: Callable[[datetime], object] = lambda t: t.astimezone(tz).date()  # noqa: E731
    trips: list[Away] = []
    run: list[Sign] = []
    home_between = False

    def close() -> None:
        if not run:
            return
        label = next((s.where for s in run if s.where), "").split("\n")[0]
        first, last = run[0], max(run, key=lambda s: (s.end, s.start))
        start = first.start - TRIP_MARGIN if first.transport else _midnight(first.start, tz, 0)
        end = last.end + TRIP_MARGIN if last.transport else _midnight(last.end, tz, 1)
        trips.append(Away(start, max(end, last.end), label))

    for s in signs:
        if not s.away:
            if run:
                home_between = True
            continue
        if run:
            last = run[-1]
            same_day = day(s.start) == day(last.end) or day(s.start) == day(last.start)
            too_far = s.start - max(x.end for x in run) > TRIP_GAP
            if too_far or (home_between and not same_day):
                close()
                run = []
        run.append(s)
        home_between = False
    close()
    return trips
