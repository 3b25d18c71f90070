"""Time zones of one calendar file: TZIDs to tzinfo, and the date-time values that use them.

Zones are resolved per file, never through icalendar's process-wide cache (two files may define
the same custom TZID differently): IANA names, Windows ids and display names (:mod:`sync.tzmap`),
vendor-prefixed ids, then the file's own VTIMEZONE (dateutil's ``tzical``), then offset matching.
An unknown TZID is read in the owner's zone and reported. ``X-WR-TIMEZONE`` is applied the way
the ``x-wr-timezone`` package does (UTC and floating times move to that zone). Floating times
are in the owner's zone.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from io import StringIO
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sync import tzmap
from sync.model import Problem
from sync.sources.ics.scan import Scan
from sync.sources.ics.values import DT_RE, logical_lines, name_of

if TYPE_CHECKING:  # imported where used: a run served by the read cache never needs it
    import x_wr_timezone


class ZoneCache:
    """Resolved TZIDs shared by the files of one read (a vdir repeats the same VTIMEZONE in
    every file). Keyed by TZID and the VTIMEZONE text, so two different definitions of the same
    custom name never mix."""

    def __init__(self) -> None:
        self._zones: dict[tuple[str, str], tuple[tzinfo | None, str | None]] = {}

    def resolve(self, tzid: str, vtimezone: str | None) -> tuple[tzinfo | None, str | None]:
        """(zone or None, a note to report or None)."""
        key = (tzid, vtimezone or "")
        found = self._zones.get(key)
        if found is None:
            found = _resolve_tzid(tzid, vtimezone)
            self._zones[key] = found
        return found


def _resolve_tzid(tzid: str, vtimezone: str | None) -> tuple[tzinfo | None, str | None]:
    """(zone or None, a note or None) for a TZID: by its name, else by the file's VTIMEZONE."""
    zone = tzmap.resolve_tz_name(tzid)
    if zone is not None:
        return zone, None
    if vtimezone is None:
        return None, None
    from dateutil.tz import tzical

    try:
        return tzical(StringIO(vtimezone)).get(), None
    except Exception:  # noqa: BLE001 - dateutil raises plain ValueError/KeyError/IndexError...
        pass
    return _guess_from_offsets(tzid, vtimezone)


def _guess_from_offsets(tzid: str, vtimezone: str) -> tuple[tzinfo | None, str | None]:
    """A zone for a malformed VTIMEZONE: one with the same offsets, else a fixed offset."""
    standard: timedelta | None = None
    daylight: timedelta | None = None
    std_month = dst_month = 0
    section = ""
    for _lineno, line in logical_lines(vtimezone):
        name = name_of(line)
        value = line[line.find(":") + 1 :].strip() if ":" in line else ""
        if name == "BEGIN":
            section = value.upper()
        elif name == "TZOFFSETTO":
            m = re.fullmatch(r"([+-])(\d{2})(\d{2})(\d{2})?", value)
            if m:
                off = timedelta(hours=int(m[2]), minutes=int(m[3]), seconds=int(m[4] or 0))
                off = -off if m[1] == "-" else off
                if section == "DAYLIGHT":
                    daylight = off
                else:
                    standard = off
        elif name == "DTSTART" and len(value) >= 6 and value[4:6].isdigit():
            if section == "DAYLIGHT":
                dst_month = int(value[4:6])
            else:
                std_month = int(value[4:6])
    if standard is None:
        return None, None
    northern = not (dst_month and std_month and dst_month > std_month)
    iana = tzmap.match_offsets(standard, daylight, northern=northern)
    note = f"TZID {tzid!r}: its VTIMEZONE is malformed; read as "
    if iana is not None:
        return ZoneInfo(iana), note + f"{iana} (same offsets)"
    return tzmap.resolve_tz_name(f"UTC{_fmt_offset(standard)}"), note + "a fixed offset"


def _fmt_offset(off: timedelta) -> str:
    """``+05:30`` for an offset of five and a half hours."""
    minutes = int(off.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


class FileZones:
    """Time-zone resolution for one file; collects the problems to report about its zones."""

    def __init__(
        self,
        scan: Scan,
        owner: ZoneInfo,
        cache: ZoneCache,
    ) -> None:
        self.owner = owner
        self.timezones = scan.timezones
        self.cache = cache
        self.unknown: dict[str, list[str]] = {}  # TZID -> UIDs read in the owner's zone
        self.notes: dict[str, str] = {}
        self.floating: tzinfo = owner
        self.walker: x_wr_timezone.UTCChangingWalker | None = None
        self.xwr_problem: str | None = None
        if scan.x_wr_timezone:
            zone, _note = cache.resolve(scan.x_wr_timezone, None)
            if zone is None:
                self.xwr_problem = (
                    f"X-WR-TIMEZONE {scan.x_wr_timezone!r} is not a time zone; ignored"
                )
            else:
                import x_wr_timezone

                self.floating = zone
                self.walker = x_wr_timezone.UTCChangingWalker(zone)

    def zone(self, tzid: str, uid: str) -> tzinfo:
        """The zone a TZID names; the owner's zone (noted for a problem) when none does."""
        tzid = tzid.strip()
        zone, note = self.cache.resolve(tzid, self.timezones.get(tzid))
        if note:
            self.notes[tzid] = note
        if zone is None:
            self.unknown.setdefault(tzid, []).append(uid)
            return self.owner
        return zone

    def value(self, text: str, params: dict[str, str], uid: str) -> date | datetime:
        """A DATE (date) or DATE-TIME (aware datetime) value; ValueError if malformed."""
        raw = text.strip()
        m = DT_RE.fullmatch(raw)
        if m is None:
            raise ValueError(f"not a date or date-time: {raw[:40]!r}")
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        if m[4] is None or params.get("VALUE", "").upper() == "DATE":
            return date(year, month, day)
        naive = datetime(year, month, day, int(m[4]), int(m[5]), int(m[6] or 0))
        if m[7]:
            aware = naive.replace(tzinfo=UTC)
            return self.walker.walk_value_datetime(aware) if self.walker else aware
        tzid = params.get("TZID")
        if tzid:
            return naive.replace(tzinfo=self.zone(tzid, uid))
        return naive.replace(tzinfo=self.floating)

    def problems(self, source: str, place: str) -> list[Problem]:
        """What to report about this file's zones: a bad X-WR-TIMEZONE, guesses, unknowns."""
        out: list[Problem] = []
        if self.xwr_problem:
            out.append(Problem(source, self.xwr_problem, place))
        for note in self.notes.values():
            out.append(Problem(source, note, place))
        for tzid, uids in self.unknown.items():
            listed = list(dict.fromkeys(uids))
            shown = ", ".join(listed[:3]) + (
                f" and {len(listed) - 3} more" if len(listed) > 3 else ""
            )
            out.append(
                Problem(
                    source,
                    f"unknown time zone TZID {tzid!r} (no VTIMEZONE) in UID {shown}: "
                    f"read in {self.owner.key}",
                    place,
                )
            )
        return out


# --------------------------------------------------------------------------- events
