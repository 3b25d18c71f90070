"""Time-zone names found in real calendars -> tzinfo.

Outlook and Exchange write Windows zone names (``W. Europe Standard Time``) and sometimes the
Windows *display* names (``(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna``);
Lightning/Evolution write "globally unique" ids (``/mozilla.org/20050126_1/America/New_York``);
everything else writes IANA names. :func:`resolve_tz_name` turns any of them into a tzinfo, or
``None`` when the name alone cannot tell (then the calendar's VTIMEZONE must, see
:func:`match_offsets`).

Windows ids come from icalendar's copy of CLDR's ``windowsZones.xml`` (territory ``001``, the
"golden" zone of each id), exposed here as :data:`WINDOWS_TO_IANA`. It is loaded on first use,
read from icalendar's file as the literal it is: importing icalendar takes about 0.2 s
(``python -X importtime``), and a run that meets only IANA names never needs the table. What is
still written by hand, and why:

- :data:`WINDOWS_DISPLAY_NAMES`, the city/region part of the Windows display names (Windows
  10/11 and a few older spellings) -> Windows id: neither CLDR nor icalendar has them.
- :func:`resolve_tz_name` itself: icalendar's ``tzp.timezone`` (7.3) answers ``None`` for
  display names, offset names (``GMT+01:00``) and UTC spellings (``Z``,
  ``tzone://Microsoft/Utc``), warns on every vendor-prefixed id, and keeps a process-wide
  cache, while two calendars may define the same custom name differently.
- :func:`match_offsets`, for VTIMEZONEs whose name says nothing (``Customized Time Zone``).

Pure data and pure functions: nothing here changes after import but the memo of the table.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
from types import MappingProxyType
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@cache
def _windows_zones() -> tuple[Mapping[str, str], Mapping[str, str]]:
    """CLDR's Windows id -> IANA table, as icalendar ships it, and the same by lower-cased id."""
    table = MappingProxyType(_read_windows_table() or _import_windows_table())
    return table, MappingProxyType({k.lower(): v for k, v in table.items()})


def _import_windows_table() -> dict[str, str]:
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    return dict(WINDOWS_TO_OLSON)


def _read_windows_table() -> dict[str, str] | None:
    """icalendar's generated table read as the literal it is, without importing icalendar (a
    fifth of a second, where a calendar of Windows zones needs only this table); None when the
    file is not where or what it was (another version), and the table is then imported."""
    import ast
    from importlib.util import find_spec

    try:
        spec = find_spec("icalendar")  # finds the package without running it
        if spec is None or not spec.submodule_search_locations:
            return None
        folder = next(iter(spec.submodule_search_locations))
        path = os.path.join(folder, "timezone", "windows_to_olson.py")
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), path)
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target: ast.expr = node.targets[0]
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                target = node.target
            else:
                continue
            if isinstance(target, ast.Name) and target.id == "WINDOWS_TO_OLSON":
                table = ast.literal_eval(node.value)  # type: ignore[arg-type]
                if isinstance(table, dict) and all(
                    isinstance(k, str) and isinstance(v, str) for k, v in table.items()
                ):
                    return table
                return None
    except (OSError, SyntaxError, ValueError, ImportError):
        return None
    return None


def __getattr__(name: str) -> Mapping[str, str]:
    """``WINDOWS_TO_IANA``: CLDR's Windows id -> IANA name table, loaded on first use."""
    if name == "WINDOWS_TO_IANA":
        return _windows_zones()[0]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Windows display names without their "(UTC+hh:mm) " prefix, lower-cased -> Windows id.
WINDOWS_DISPLAY_NAMES: Final = MappingProxyType(
    {
        "international date line west": "Dateline Standard Time",
        "coordinated universal time-11": "UTC-11",
        "aleutian islands": "Aleutian Standard Time",
        "hawaii": "Hawaiian Standard Time",
        "marquesas islands": "Marquesas Standard Time",
        "alaska": "Alaskan Standard Time",
        "coordinated universal time-09": "UTC-09",
        "baja california": "Pacific Standard Time (Mexico)",
        "tijuana, baja california": "Pacific Standard Time (Mexico)",
        "coordinated universal time-08": "UTC-08",
        "pacific time (us & canada)": "Pacific Standard Time",
        "pacific time (us and canada)": "Pacific Standard Time",
        "arizona": "US Mountain Standard Time",
        "chihuahua, la paz, mazatlan": "Mountain Standard Time (Mexico)",
        "la paz, mazatlan": "Mountain Standard Time (Mexico)",
        "mountain time (us & canada)": "Mountain Standard Time",
        "mountain time (us and canada)": "Mountain Standard Time",
        "yukon": "Yukon Standard Time",
        "central america": "Central America Standard Time",
        "central time (us & canada)": "Central Standard Time",
        "central time (us and canada)": "Central Standard Time",
        "easter island": "Easter Island Standard Time",
        "guadalajara, mexico city, monterrey": "Central Standard Time (Mexico)",
        "saskatchewan": "Canada Central Standard Time",
        "bogota, lima, quito, rio branco": "SA Pacific Standard Time",
        "bogota, lima, quito": "SA Pacific Standard Time",
        "chetumal": "Eastern Standard Time (Mexico)",
        "eastern time (us & canada)": "Eastern Standard Time",
        "eastern time (us and canada)": "Eastern Standard Time",
        "haiti": "Haiti Standard Time",
        "havana": "Cuba Standard Time",
        "indiana (east)": "US Eastern Standard Time",
        "turks and caicos": "Turks And Caicos Standard Time",
        "asuncion": "Paraguay Standard Time",
        "atlantic time (canada)": "Atlantic Standard Time",
        "caracas": "Venezuela Standard Time",
        "cuiaba": "Central Brazilian Standard Time",
        "georgetown, la paz, manaus, san juan": "SA Western Standard Time",
        "santiago": "Pacific SA Standard Time",
        "newfoundland": "Newfoundland Standard Time",
        "araguaina": "Tocantins Standard Time",
        "brasilia": "E. South America Standard Time",
        "cayenne, fortaleza": "SA Eastern Standard Time",
        "city of buenos aires": "Argentina Standard Time",
        "buenos aires": "Argentina Standard Time",
        "greenland": "Greenland Standard Time",
        "montevideo": "Montevideo Standard Time",
        "punta arenas": "Magallanes Standard Time",
        "saint pierre and miquelon": "Saint Pierre Standard Time",
        "salvador": "Bahia Standard Time",
        "coordinated universal time-02": "UTC-02",
        "mid-atlantic - old": "UTC-02",
        "azores": "Azores Standard Time",
        "cabo verde is.": "Cape Verde Standard Time",
        "cape verde is.": "Cape Verde Standard Time",
        "coordinated universal time": "UTC",
        "dublin, edinburgh, lisbon, london": "GMT Standard Time",
        "monrovia, reykjavik": "Greenwich Standard Time",
        "sao tome": "Sao Tome Standard Time",
        "casablanca": "Morocco Standard Time",
        "amsterdam, berlin, bern, rome, stockholm, vienna": "W. Europe Standard Time",
        "belgrade, bratislava, budapest, ljubljana, prague": "Central Europe Standard Time",
        "brussels, copenhagen, madrid, paris": "Romance Standard Time",
        "sarajevo, skopje, warsaw, zagreb": "Central European Standard Time",
        "west central africa": "W. Central Africa Standard Time",
        "amman": "Jordan Standard Time",
        "athens, bucharest": "GTB Standard Time",
        "athens, bucharest, istanbul": "GTB Standard Time",
        "beirut": "Middle East Standard Time",
        "cairo": "Egypt Standard Time",
        "chisinau": "E. Europe Standard Time",
        "e. europe": "E. Europe Standard Time",
        "damascus": "Syria Standard Time",
        "gaza, hebron": "West Bank Standard Time",
        "harare, pretoria": "South Africa Standard Time",
        "helsinki, kyiv, riga, sofia, tallinn, vilnius": "FLE Standard Time",
        "helsinki, kiev, riga, sofia, tallinn, vilnius": "FLE Standard Time",
        "jerusalem": "Israel Standard Time",
        "juba": "South Sudan Standard Time",
        "kaliningrad": "Kaliningrad Standard Time",
        "khartoum": "Sudan Standard Time",
        "tripoli": "Libya Standard Time",
        "windhoek": "Namibia Standard Time",
        "baghdad": "Arabic Standard Time",
        "istanbul": "Turkey Standard Time",
        "kuwait, riyadh": "Arab Standard Time",
        "minsk": "Belarus Standard Time",
        "moscow, st. petersburg": "Russian Standard Time",
        "moscow, st. petersburg, volgograd": "Russian Standard Time",
        "nairobi": "E. Africa Standard Time",
        "volgograd": "Volgograd Standard Time",
        "tehran": "Iran Standard Time",
        "abu dhabi, muscat": "Arabian Standard Time",
        "astrakhan, ulyanovsk": "Astrakhan Standard Time",
        "baku": "Azerbaijan Standard Time",
        "izhevsk, samara": "Russia Time Zone 3",
        "port louis": "Mauritius Standard Time",
        "saratov": "Saratov Standard Time",
        "tbilisi": "Georgian Standard Time",
        "yerevan": "Caucasus Standard Time",
        "kabul": "Afghanistan Standard Time",
        "ashgabat, tashkent": "West Asia Standard Time",
        "ekaterinburg": "Ekaterinburg Standard Time",
        "islamabad, karachi": "Pakistan Standard Time",
        "qyzylorda": "Qyzylorda Standard Time",
        "chennai, kolkata, mumbai, new delhi": "India Standard Time",
        "sri jayawardenepura": "Sri Lanka Standard Time",
        "kathmandu": "Nepal Standard Time",
        "astana": "Central Asia Standard Time",
        "dhaka": "Bangladesh Standard Time",
        "omsk": "Omsk Standard Time",
        "yangon (rangoon)": "Myanmar Standard Time",
        "bangkok, hanoi, jakarta": "SE Asia Standard Time",
        "barnaul, gorno-altaysk": "Altai Standard Time",
        "hovd": "W. Mongolia Standard Time",
        "krasnoyarsk": "North Asia Standard Time",
        "novosibirsk": "N. Central Asia Standard Time",
        "tomsk": "Tomsk Standard Time",
        "beijing, chongqing, hong kong, urumqi": "China Standard Time",
        "irkutsk": "North Asia East Standard Time",
        "kuala lumpur, singapore": "Singapore Standard Time",
        "perth": "W. Australia Standard Time",
        "taipei": "Taipei Standard Time",
        "ulaanbaatar": "Ulaanbaatar Standard Time",
        "eucla": "Aus Central W. Standard Time",
        "chita": "Transbaikal Standard Time",
        "osaka, sapporo, tokyo": "Tokyo Standard Time",
        "pyongyang": "North Korea Standard Time",
        "seoul": "Korea Standard Time",
        "yakutsk": "Yakutsk Standard Time",
        "adelaide": "Cen. Australia Standard Time",
        "darwin": "AUS Central Standard Time",
        "brisbane": "E. Australia Standard Time",
        "canberra, melbourne, sydney": "AUS Eastern Standard Time",
        "guam, port moresby": "West Pacific Standard Time",
        "hobart": "Tasmania Standard Time",
        "vladivostok": "Vladivostok Standard Time",
        "lord howe island": "Lord Howe Standard Time",
        "bougainville island": "Bougainville Standard Time",
        "chokurdakh": "Russia Time Zone 10",
        "magadan": "Magadan Standard Time",
        "norfolk island": "Norfolk Standard Time",
        "sakhalin": "Sakhalin Standard Time",
        "solomon is., new caledonia": "Central Pacific Standard Time",
        "anadyr, petropavlovsk-kamchatsky": "Russia Time Zone 11",
        "auckland, wellington": "New Zealand Standard Time",
        "coordinated universal time+12": "UTC+12",
        "fiji": "Fiji Standard Time",
        "chatham islands": "Chatham Islands Standard Time",
        "coordinated universal time+13": "UTC+13",
        "nuku'alofa": "Tonga Standard Time",
        "samoa": "Samoa Standard Time",
        "kiritimati island": "Line Islands Standard Time",
    }
)

#: Names that all mean UTC, upper-cased.
_UTC_NAMES: Final = frozenset(
    {
        "Z",
        "UTC",
        "GMT",
        "UT",
        "ETC/UTC",
        "ETC/GMT",
        "ETC/UCT",
        "ETC/ZULU",
        "ETC/UNIVERSAL",
        "UNIVERSAL",
        "ZULU",
        "TZONE://MICROSOFT/UTC",
        "COORDINATED UNIVERSAL TIME",
        "(UTC) COORDINATED UNIVERSAL TIME",
    }
)

# "(UTC+01:00) Amsterdam, ..." / "(GMT-05:00) Eastern Time" / "(UTC) Coordinated ..."
_DISPLAY_RE: Final = re.compile(
    r"^\(\s*(?:UTC|GMT)\s*(?:(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?)?\s*\)\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# "UTC+1", "GMT-05:00", "UTC+0530"
_OFFSET_NAME_RE: Final = re.compile(
    r"^(?:UTC|GMT)\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?$", re.IGNORECASE
)

#: Where offset matching looks first: the zones most calendars are in.
_PREFERRED: Final = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Halifax",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Athens",
    "Europe/Moscow",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)


def iana_zone(name: str) -> ZoneInfo | None:
    """``ZoneInfo(name)`` or ``None`` when tzdata does not know the name."""
    if not name or " " in name or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError, UnicodeError):
        return None


def _offset(sign: str | None, hours: str | None, minutes: str | None) -> timedelta | None:
    if sign is None or hours is None:
        return timedelta(0)
    h, m = int(hours), int(minutes or 0)
    if h > 14 or m >= 60:
        return None
    delta = timedelta(hours=h, minutes=m)
    return -delta if sign == "-" else delta


def _zone_for_city(city: str, offset: timedelta | None) -> ZoneInfo | None:
    """An IANA zone whose city part is ``city`` and whose standard offset is ``offset``."""
    key = "_".join(city.strip().split())
    if not key or not re.fullmatch(r"[A-Za-z][A-Za-z_\-.']*", key):
        return None
    for area in (
        "Europe",
        "America",
        "Asia",
        "Africa",
        "Australia",
        "Pacific",
        "Atlantic",
        "Indian",
        "Antarctica",
    ):
        zone = iana_zone(f"{area}/{key.title() if key.islower() else key}")
        if zone is None:
            continue
        if offset is None or offset in _standard_offsets(zone):
            return zone
    return None


def _standard_offsets(zone: tzinfo) -> set[timedelta]:
    """The offsets a zone has in January and July of a recent year."""
    out: set[timedelta] = set()
    for month in (1, 7):
        off = datetime(2025, month, 15, 12, tzinfo=UTC).astimezone(zone).utcoffset()
        if off is not None:
            out.add(off)
    return out


def windows_to_iana(name: str) -> str | None:
    """The IANA name for a Windows zone id or Windows display name, else ``None``.

    >>> windows_to_iana("W. Europe Standard Time")
    'Europe/Berlin'
    >>> windows_to_iana("(UTC-05:00) Eastern Time (US & Canada)")
    'America/New_York'
    """
    clean = " ".join(name.strip().strip('"').split())
    table, by_lower = _windows_zones()
    found = by_lower.get(clean.lower())
    if found:
        return found
    match = _DISPLAY_RE.match(clean)
    rest = match.group("rest") if match else clean
    windows_id = WINDOWS_DISPLAY_NAMES.get(rest.lower())
    if windows_id:
        return table[windows_id]
    if match is None:
        return None
    offset = _offset(match.group("sign"), match.group("h"), match.group("m"))
    # An unknown display name: find one of its cities in tzdata ("Amsterdam, Berlin" ...).
    for part in re.split(r",|\band\b|\(|\)", rest):
        zone = _zone_for_city(part, offset)
        if zone is not None:
            return zone.key
    return None


def resolve_tz_name(name: str) -> tzinfo | None:
    """A tzinfo for a TZID as written in calendars, or ``None`` if the name alone cannot tell.

    Understands IANA names, UTC spellings, Windows ids and display names, "globally unique"
    ids with a vendor prefix, and bare offsets (``GMT+01:00``, read as a fixed offset).
    """
    clean = name.strip().strip('"').strip()
    if not clean:
        return None
    if clean.upper() in _UTC_NAMES:
        return UTC
    zone = iana_zone(clean.strip("/"))
    if zone is not None:
        return zone
    iana = windows_to_iana(clean)
    if iana is not None:
        return iana_zone(iana)
    if "/" in clean:
        # "/mozilla.org/20050126_1/America/New_York", "/citadel.org/20190914_1/Europe/Berlin",
        # "tzone://Microsoft/..." : try the longest trailing IANA name.
        parts = [p for p in clean.split("/") if p]
        for first in range(1, len(parts) - 1):
            zone = iana_zone("/".join(parts[first:]))
            if zone is not None:
                return zone
    match = _OFFSET_NAME_RE.match(clean)
    if match:
        offset = _offset(match.group("sign"), match.group("h"), match.group("m"))
        if offset is not None:
            return timezone(offset) if offset else UTC
    match = _DISPLAY_RE.match(clean)
    if match and not match.group("rest"):
        offset = _offset(match.group("sign"), match.group("h"), match.group("m"))
        if offset is not None:
            return timezone(offset) if offset else UTC
    return None


def match_offsets(
    standard: timedelta, daylight: timedelta | None = None, *, northern: bool = True
) -> str | None:
    """An IANA zone (among the CLDR "golden" zones) with these offsets, else ``None``.

    For a VTIMEZONE whose TZID names nothing known ("Customized Time Zone"): ``standard`` and
    ``daylight`` are its TZOFFSETTO values; ``northern`` says daylight time falls in July.
    Zones are tried in CLDR order; the first whose January and July offsets agree wins.
    """
    if daylight is None or daylight == standard:
        want = (standard, standard)
    else:
        want = (standard, daylight) if northern else (daylight, standard)
    for iana in (*_PREFERRED, *_windows_zones()[0].values()):
        zone = iana_zone(iana)
        if zone is None:
            continue
        jan = datetime(2025, 1, 15, 12, tzinfo=UTC).astimezone(zone).utcoffset()
        jul = datetime(2025, 7, 15, 12, tzinfo=UTC).astimezone(zone).utcoffset()
        if (jan, jul) == want:
            return iana
    return None
