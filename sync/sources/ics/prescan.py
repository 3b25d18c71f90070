"""The cheap pre-scan: which UID groups of a calendar surely lie outside the window.

Each chunk's DTSTART/DTEND/DURATION/RRULE/RDATE/RECURRENCE-ID text is read without time zones,
and a whole UID group is skipped only when it surely ends before the window or starts after it
(with a two-day margin, so any time zone reading of the times is covered). A rule's end is its
UNTIL, or for COUNT a safe bound (COUNT periods of its FREQ, when every period surely holds an
instance). Anything it cannot judge (an open-ended rule, a COUNT with BYxxx parts that may leave
periods empty, a period, an odd value) is kept.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sync.sources.ics.scan import Chunk
from sync.sources.ics.values import DT_RE, parse_duration

#: How far the pre-scan looks beyond the window: covers every UTC offset a time may be read in.
PRESCAN_MARGIN = timedelta(days=2)
_UNTIL_RE = re.compile(r"(?:^|;)\s*UNTIL\s*=\s*([0-9Tt]+[Zz]?)", re.IGNORECASE)


def _quick_dt(value: str) -> datetime | None:
    """A naive datetime from a DATE or DATE-TIME text, read in no zone; None if odd."""
    v = value.strip()
    try:
        if len(v) == 15 and v[8] in "Tt" and v.isascii() and v[:8].isdigit() and v[9:].isdigit():
            return datetime(
                int(v[:4]), int(v[4:6]), int(v[6:8]), int(v[9:11]), int(v[11:13]), int(v[13:])
            )
        m = DT_RE.fullmatch(v)
        if m is None:
            return None
        return datetime(
            int(m[1]), int(m[2]), int(m[3]), int(m[4] or 0), int(m[5] or 0), int(m[6] or 0)
        )
    except ValueError:
        return None


def _quick_value(text: str) -> str:
    """The value of a date-valued line (dates have no colon; unquoted TZIDs may)."""
    return text[text.rfind(":") + 1 :]


def _chunk_bounds(chunk: Chunk) -> tuple[datetime, datetime] | None:
    """Earliest start and latest end of anything this chunk can put on the calendar, as naive
    times in no particular zone; ``None`` when that cannot be judged cheaply."""
    dtstart = dtend = duration = ""
    for name, text in chunk.keys:  # the first of each, in one pass
        if name == "DTSTART":
            dtstart = dtstart or text
        elif name == "DTEND":
            dtend = dtend or text
        elif name == "DURATION":
            duration = duration or text
    if not dtstart:
        return None
    start = _quick_dt(_quick_value(dtstart))
    if start is None:
        return None
    is_date = len(_quick_value(dtstart).strip()) == 8 or "VALUE=DATE" in dtstart.upper()
    if dtend:
        end = _quick_dt(_quick_value(dtend))
        if end is None:
            return None
    elif duration:
        dur = parse_duration(duration[duration.find(":") + 1 :])
        if dur is None:
            return None
        end = start + dur
    else:
        end = start
    length = max(end - start, timedelta(days=1) if is_date else timedelta(0))
    lo, hi = start, start + length
    for name, text in chunk.keys:
        if name == "RRULE":
            rule = text[text.find(":") + 1 :]
            until = _UNTIL_RE.search(rule)
            last = _quick_dt(until.group(1)) if until is not None else count_bound(rule, start)
            if last is None:
                return None  # open-ended, or a rule whose COUNT cannot be bounded cheaply
            hi = max(hi, last + length)
        elif name == "RDATE":
            if "PERIOD" in text.upper():
                return None
            for value in _quick_value(text).split(","):
                when = _quick_dt(value)
                if when is None:
                    return None
                lo, hi = min(lo, when), max(hi, when + length)
        elif name == "RECURRENCE-ID":
            if "THISANDFUTURE" in text.upper():
                return None
            when = _quick_dt(_quick_value(text))
            if when is None:
                return None
            lo, hi = min(lo, when), max(hi, when + length)
    return lo, hi


#: The longest period of each frequency, in wall-clock time (DST moves none of these).
_PERIOD = {
    "DAILY": timedelta(days=1),
    "WEEKLY": timedelta(days=7),
    "MONTHLY": timedelta(days=31),
    "YEARLY": timedelta(days=366),
}
_WEEKDAY_RE = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_RULE_PARTS = frozenset(
    {"FREQ", "INTERVAL", "COUNT", "WKST", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY"}
    | {"BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "UNTIL"}
)


def _ints(text: str, low: int, high: int) -> list[int] | None:
    """A comma list of integers all within [low, high] (sign allowed), else None."""
    try:
        values = [int(v) for v in text.split(",")]
    except ValueError:
        return None
    return values if values and all(low <= abs(v) <= high for v in values) else None


def _every_period_has_one(freq: str, parts: dict[str, str], start: datetime) -> bool:
    """True when the rule surely yields an instance in every period of its FREQ (from the
    second one on: instances before DTSTART in the first period do not count).

    Only shapes where that is certain qualify; the rest (BYMONTH limiting a DAILY rule, the
    31st of the month, the fifth Friday, Feb 29, BYWEEKNO, BYYEARDAY, BYSETPOS beyond the first
    or last...) return False and the series is expanded.
    """
    by = {k: v for k, v in parts.items() if k.startswith("BY")}
    # Times of day expand within each day of the period: with valid values they add, never remove.
    for name, high in (("BYHOUR", 23), ("BYMINUTE", 59), ("BYSECOND", 59)):
        if name in by:
            values = _ints(by.pop(name), 0, high)
            if values is None or any(v < 0 for v in values):
                return False
    if "BYSETPOS" in by:  # the first or the last of a non-empty set always exists
        positions = _ints(by.pop("BYSETPOS"), 1, 366)
        if positions is None or not ({1, -1} & set(positions)):
            return False
    days: list[tuple[int | None, str]] = []
    if "BYDAY" in by:
        for item in by.pop("BYDAY").split(","):
            m = _WEEKDAY_RE.fullmatch(item.strip())
            if m is None:
                return False
            days.append((int(m[1]) if m[1] else None, m[2]))
    monthdays = _ints(by.pop("BYMONTHDAY"), 1, 28) if "BYMONTHDAY" in by else None
    if "BYMONTHDAY" in parts and monthdays is None:
        return False
    months = _ints(by.pop("BYMONTH"), 1, 12) if "BYMONTH" in by else None
    if "BYMONTH" in parts and (months is None or any(v < 0 for v in months)):
        return False
    if by:  # BYYEARDAY, BYWEEKNO: not judged here
        return False
    if freq == "DAILY":
        return not days and monthdays is None and months is None
    if freq == "WEEKLY":  # every week has every weekday
        return monthdays is None and months is None and all(n is None for n, _ in days)
    if freq == "MONTHLY":
        if months is not None or (days and monthdays is not None):
            return False  # BYMONTH, or BYDAY limiting BYMONTHDAY (Friday the 13th)
        if days:  # every month has at least four of each weekday
            return all(n is None or 1 <= abs(n) <= 4 for n, _ in days)
        return monthdays is not None or start.day <= 28
    if freq == "YEARLY":
        if days and monthdays is not None:
            return False
        if days:  # n-th weekday of the month (with BYMONTH) or of the year
            limit = 4 if months is not None else 52
            return all(n is None or 1 <= abs(n) <= limit for n, _ in days)
        if monthdays is not None:
            return True  # with or without BYMONTH: days 1-28 exist in every month
        return start.day <= 28 or (start.month != 2 and months is None)
    return False


def count_bound(rule: str, start: datetime) -> datetime | None:
    """Latest start of any instance of a COUNT-limited rule from DTSTART ``start`` (naive, as
    written), or None when it cannot be bounded cheaply and surely.

    When every period of the rule's FREQ holds at least one instance, COUNT instances need at
    most COUNT periods after the one of DTSTART (which may hold none: its instances before
    DTSTART do not count), so none starts after DTSTART + (COUNT + 1) * INTERVAL * the longest
    period. EXDATEs only remove instances; RDATEs and overrides are bounded on their own.
    """
    parts: dict[str, str] = {}
    for item in rule.split(";"):
        if not item.strip():
            continue  # "FREQ=WEEKLY;COUNT=5;"
        name, eq, value = item.partition("=")
        name = name.strip().upper()
        if not eq or name in parts or name not in _RULE_PARTS:
            return None
        parts[name] = value.strip().upper()
    freq = parts.get("FREQ")
    if freq not in _PERIOD or "COUNT" not in parts or "UNTIL" in parts:
        return None
    try:
        count = int(parts["COUNT"])
        interval = int(parts.get("INTERVAL", "1"))
    except ValueError:
        return None
    if count < 1 or interval < 1 or count > 100_000 or interval > 10_000:
        return None
    if not _every_period_has_one(freq, parts, start):
        return None
    return start + (count + 1) * interval * _PERIOD[freq]


def group_may_matter(chunks: list[Chunk], lo: datetime, hi: datetime) -> bool:
    """False only if no chunk of this UID group can reach into [lo, hi] (naive UTC, margins
    already applied)."""
    for chunk in chunks:
        try:
            bounds = _chunk_bounds(chunk)
        except (OverflowError, ValueError):
            bounds = None
        if bounds is None or (bounds[1] >= lo and bounds[0] <= hi):
            return True
    return False


# --------------------------------------------------------------------------- values
