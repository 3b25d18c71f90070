"""Days with no networking activity: the owner's public holidays (the ``holidays`` package,
offline) and the days off named in the config. Pure, but importing ``holidays`` and building a
country's calendar takes a noticeable moment, so the engine computes this once per run and
hands the result to the planner (``PlanInput.days_off``).

The country is ``owner.country``, else the one the owner's time zone belongs to (the system's
``zone.tab``, else a short built-in table); the region is ``owner.region`` (a state, nation or
Land: ``NY``, ``ENG``, ``BY``), else the country's national holidays only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from sync.config import Config

#: Zones whose country the system table may not know (or where there is no such table).
_ZONE_COUNTRY = {
    "America/New_York": "US",
    "America/Chicago": "US",
    "America/Denver": "US",
    "America/Phoenix": "US",
    "America/Los_Angeles": "US",
    "America/Anchorage": "US",
    "Pacific/Honolulu": "US",
    "America/Toronto": "CA",
    "America/Vancouver": "CA",
    "Europe/London": "GB",
    "Europe/Dublin": "IE",
    "Europe/Berlin": "DE",
    "Europe/Paris": "FR",
    "Europe/Madrid": "ES",
    "Europe/Rome": "IT",
    "Europe/Amsterdam": "NL",
    "Europe/Zurich": "CH",
    "Europe/Vienna": "AT",
    "Australia/Sydney": "AU",
    "Asia/Tokyo": "JP",
    "Asia/Singapore": "SG",
}

_ZONE_TABS = ("/usr/share/zoneinfo/zone.tab", "/usr/share/zoneinfo/zone1970.tab")


def country_of_zone(zone: str) -> str:
    """The ISO country code of an IANA zone ("" if unknown)."""
    if zone in _ZONE_COUNTRY:
        return _ZONE_COUNTRY[zone]
    for tab in _ZONE_TABS:
        try:
            text = Path(tab).read_text(encoding="utf-8")
        except OSError:
            continue
        for line in text.splitlines():
            parts = line.split("\t")
            if len(parts) >= 3 and not line.startswith("#") and parts[2] == zone:
                return parts[0].split(",")[0]
    return ""


def public_holidays(country: str, region: str, years: Iterable[int]) -> dict[date, str]:
    """The public holidays of ``country`` (and ``region``) in ``years``, by day."""
    if not country:
        return {}
    import holidays

    try:
        table = holidays.country_holidays(country, subdiv=region or None, years=sorted(set(years)))
    except NotImplementedError:
        return {}
    return {d: str(name) for d, name in sorted(table.items())}


#: What a holiday table is asked for: country, region, years.
HolidayQuery = tuple[str, str, tuple[int, ...]]


def holiday_query(config: Config, start: date, end: date) -> HolidayQuery | None:
    """The public holidays [start, end) needs, or None (no country, or work on holidays)."""
    owner = config.owner
    country = owner.country or country_of_zone(owner.timezone)
    if owner.work_on_holidays or not country:
        return None
    return country, owner.region, tuple(range(start.year, end.year + 1))


def days_off(
    config: Config,
    start: date,
    end: date,
    known: tuple[HolidayQuery, Mapping[date, str]] | None = None,
) -> Mapping[date, str]:
    """Every day in [start, end) without activity, with the reason (the holiday's name, or
    "day off"). ``known``: a holiday table already looked up (the read cache keeps one), used
    when it answers the same query."""
    owner = config.owner
    out: dict[date, str] = {}
    query = holiday_query(config, start, end)
    if query is not None:
        table = known[1] if known is not None and known[0] == query else public_holidays(*query)
        for d, name in table.items():
            if start <= d < end:
                out[d] = f"holiday ({name})"
    for d in owner.days_off:
        if start <= d < end:
            out.setdefault(d, "day off")
    return dict(sorted(out.items()))
