"""Config: TOML -> a typed, validated :class:`Config`.

Every error names the key path (``calendars[1].type``) and says what was expected; unknown keys
are errors too (with a "did you mean" for typos). Secrets never live in the file: a password is
read from an environment variable (``password_env``) or a command (``password_command``).

Where the file is: ``--config FILE``, else ``$NETWEAVE_CONFIG``, else
``<platform config dir>/netweave/config.toml``. Relative paths in the file are relative to the
file's folder.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from sync.model import CATEGORIES

APP = "netweave"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ADDRESSBOOK_TYPES = ("vcard", "vdir", "google", "carddav", "csv")
CALENDAR_TYPES = ("ics", "vdir", "google", "caldav")
CSV_DIALECTS = ("linkedin", "google", "outlook", "alumni", "custom")

T = TypeVar("T")


class ConfigError(Exception):
    """A bad config: ``key`` is the dotted path, the message says what is expected."""

    def __init__(self, key: str, message: str, path: Path | None = None) -> None:
        where = f"{path}: " if path else ""
        super().__init__(f"{where}{key}: {message}" if key else f"{where}{message}")
        self.key = key
        self.message = message
        self.path = path


# --------------------------------------------------------------------------- typed sections


@dataclass(frozen=True)
class School:
    name: str
    class_year: int | None = None


@dataclass(frozen=True)
class Owner:
    timezone: str = "UTC"
    name: str = ""
    emails: tuple[str, ...] = ()
    schools: tuple[School, ...] = ()  # classmates and alumni are found by these
    employers: tuple[str, ...] = ()  # current and former employers: their people are colleagues

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Goal:
    id: str
    text: str
    categories: tuple[str, ...] = ()  # categories whose meetings serve this goal (empty: all)


@dataclass(frozen=True)
class Secret:
    """Where a secret comes from: an environment variable or a command's output."""

    env: str | None = None
    command: str | None = None

    def resolve(self) -> str | None:
        if self.env:
            return os.environ.get(self.env)
        if self.command:
            import shlex
            import subprocess

            out = subprocess.run(
                shlex.split(self.command), capture_output=True, text=True, timeout=30, check=True
            )
            return out.stdout.strip()
        return None


@dataclass(frozen=True)
class AddressBookConfig:
    type: str
    name: str
    key: str  # "addressbooks[0]"
    path: Path | None = None
    url: str | None = None
    username: str | None = None
    password: Secret = Secret()
    collection: str | None = None
    verify_tls: bool = True
    write_tags: bool = False
    tag_prefix: str = "netweave: "
    dialect: str | None = None  # csv
    columns: tuple[tuple[str, str], ...] = ()  # csv: field -> column header
    encoding: str = "utf-8-sig"
    timeout: float = 30.0


@dataclass(frozen=True)
class CalendarConfig:
    type: str
    name: str
    key: str  # "calendars[0]"
    path: Path | None = None
    url: str | None = None
    username: str | None = None
    password: Secret = Secret()
    calendar_id: str = "primary"  # google
    collection: str | None = None
    verify_tls: bool = True
    busy: bool = True  # counts as busy time
    write: bool = False  # netweave writes its planned events here
    shared: bool = False  # others (the employer) can see it: confidential rendering
    timeout: float = 30.0


@dataclass(frozen=True)
class Budget:
    hours_per_week: float = 4.0
    max_one_on_ones_per_week: int = 3
    buffer_minutes: int = 10
    min_in_person_share: float = 0.5


@dataclass(frozen=True)
class Window:
    """A time of day the person allows for an activity."""

    name: str  # breakfast | coffee | lunch | evening | weekend ...
    days: tuple[str, ...]
    start: time
    end: time
    duration_minutes: int
    place: str = ""
    in_person: bool = True  # false: a video/phone call window (counts against min_in_person_share)


@dataclass(frozen=True)
class Place:
    name: str
    address: str = ""
    travel_minutes: int = 0  # one way, from where the person usually is (office)
    area: str = ""  # places in the same area need no travel between them


@dataclass(frozen=True)
class Group:
    name: str
    kind: str = "business"  # business (mixed membership) | profession (bar association...)
    mode: str = "passive"  # passive: someone else's event; active: self-scheduled
    rrule: str = ""  # e.g. "FREQ=MONTHLY;BYDAY=2WE"
    start: time | None = None
    duration_minutes: int = 90
    feed: Path | None = None  # an .ics of the group's calendar, instead of rrule
    match: str = ""  # with feed: only events whose SUMMARY contains this (default: the name)
    place: str = ""
    status: str = "trial"  # trial | member | retired
    trial_visits: int = 2
    goal: str = ""


@dataclass(frozen=True)
class Target:
    name: str
    organization: str = ""
    groups: tuple[str, ...] = ()
    introducers: tuple[str, ...] = ()
    email: str = ""
    cadence: Cadence | None = None  # this person's own ideal/max interval (else by category)


@dataclass(frozen=True)
class Cadence:
    ideal_days: int
    max_days: int


@dataclass(frozen=True)
class Planner:
    weeks: int = 4
    history_days: int = 365
    focus_size: int = 5
    focus: tuple[str, ...] = ()  # names or emails always in focus
    retired: tuple[str, ...] = ()  # names or emails never in focus
    prep_minutes: int = 15  # 0: no prep block
    follow_up_minutes: int = 15  # 0: no follow-up block
    tentative_days: int = 0  # time defence: transparent until this many days before (0: off)
    activities_per_month: int = 6
    cadence: tuple[tuple[str, Cadence], ...] = ()  # category -> cadence
    strong_share_max: float = 0.5  # of one-on-ones over a rolling month
    category_share_max: tuple[tuple[str, float], ...] = ()
    ignore_all_day: bool = False  # all-day events never block time
    focus_meetings: int = 3  # a focus person rotates out after this many meetings (0: never)
    introduction_lead_days: int = 14  # introduction request at least this long before the meeting


@dataclass(frozen=True)
class Confidential:
    enabled: bool = True
    neutral_title: str = "Personal appointment"
    neutral_location: str = ""
    sensitive_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class TagRule:
    category: str
    organization: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    email_domain: tuple[str, ...] = ()
    source_category: tuple[str, ...] = ()
    note: tuple[str, ...] = ()
    relation: tuple[str, ...] = ()
    name: tuple[str, ...] = ()
    school: tuple[str, ...] = ()  # alumni directories, LinkedIn: the contact's school
    class_year: tuple[str, ...] = ()
    priority: int = 0
    origin: str = ""  # file or config key it came from


@dataclass(frozen=True)
class Tagging:
    rules_dir: Path | None = None  # None: the bundled rules/
    rules: tuple[TagRule, ...] = ()  # user rules; they win over the defaults
    default_category: str = "alumni"
    strong_after_meetings: int = 4  # met this often in the history window: strong tie


@dataclass(frozen=True)
class Export:
    path: Path | None = None
    calendar_name: str = "netweave agenda"
    private: bool = True  # the export is for the person's eyes: full details


@dataclass(frozen=True)
class StateConfig:
    path: Path | None = None  # None: platform state dir

    def resolved(self) -> Path:
        if self.path:
            return self.path
        env = os.environ.get("NETWEAVE_STATE")
        if env:
            return Path(env)
        return Path(platformdirs.user_state_dir(APP)) / "state.sqlite"


@dataclass(frozen=True)
class Google:
    client_secrets: Path | None = None
    token_file: Path | None = None  # None: platform config dir
    api_endpoint: str | None = None  # tests: a local fake server
    max_retries: int = 5


@dataclass(frozen=True)
class Config:
    owner: Owner
    path: Path | None = None
    goals: tuple[Goal, ...] = ()
    addressbooks: tuple[AddressBookConfig, ...] = ()
    calendars: tuple[CalendarConfig, ...] = ()
    budget: Budget = Budget()
    windows: tuple[Window, ...] = ()
    places: tuple[Place, ...] = ()
    groups: tuple[Group, ...] = ()
    targets: tuple[Target, ...] = ()
    planner: Planner = Planner()
    confidential: Confidential = Confidential()
    tagging: Tagging = Tagging()
    export: Export = Export()
    state: StateConfig = StateConfig()
    google: Google = Google()

    @property
    def tz(self) -> ZoneInfo:
        return self.owner.tz

    def place(self, name: str) -> Place | None:
        for p in self.places:
            if p.name == name:
                return p
        return None


DEFAULT_WINDOWS = (
    Window("breakfast", ("tue", "wed", "thu"), time(7, 30), time(9, 0), 60),
    Window("coffee", ("mon", "tue", "wed", "thu", "fri"), time(15, 0), time(17, 0), 45),
    Window("lunch", ("mon", "tue", "wed", "thu", "fri"), time(12, 0), time(14, 0), 60),
    Window("evening", ("tue", "wed", "thu"), time(18, 0), time(20, 30), 90),
)


# --------------------------------------------------------------------------- reading


def default_path() -> Path:
    env = os.environ.get("NETWEAVE_CONFIG")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def load(path: Path | str | None = None) -> Config:
    """Read and validate a config file. Raises :class:`ConfigError`."""
    p = Path(path) if path else default_path()
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            "",
            "no config file here. Create one with `netweave init` (a few questions), or copy "
            "config.example.toml there and edit it, or pass --config FILE (or set "
            "NETWEAVE_CONFIG).",
            p,
        ) from None
    except OSError as e:
        raise ConfigError("", f"cannot read the config: {e.strerror}", p) from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))  # a BOM from Windows editors is fine
    except UnicodeDecodeError as e:
        raise ConfigError("", f"not UTF-8 text (byte {e.start})", p) from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError("", f"not valid TOML: {e}", p) from None
    try:
        return parse(data, base=p.resolve().parent, path=p)
    except ConfigError as e:
        raise ConfigError(e.key, e.message, p) from None


class _Table:
    """A TOML table being validated: typed getters that name the key on error, and a check
    that no unknown key is left (typos)."""

    def __init__(self, data: Any, key: str, base: Path) -> None:
        if not isinstance(data, dict):
            raise ConfigError(key, f"expected a table, got {_kind(data)}")
        self.data: dict[str, Any] = data
        self.key = key
        self.base = base
        self.seen: set[str] = set()

    def k(self, name: str) -> str:
        return f"{self.key}.{name}" if self.key else name

    def _get(self, name: str) -> Any:
        self.seen.add(name)
        return self.data.get(name)

    def has(self, name: str) -> bool:
        return name in self.data

    def text(self, name: str, default: str | None = None, choices: tuple[str, ...] = ()) -> Any:
        v = self._get(name)
        if v is None:
            return default
        if not isinstance(v, str):
            raise ConfigError(self.k(name), f"expected a string, got {_kind(v)}")
        if choices and v not in choices:
            hint = _did_you_mean(v, choices)
            raise ConfigError(
                self.k(name), f"expected one of {', '.join(choices)}; got {v!r}{hint}"
            )
        return v

    def req_str(self, name: str, choices: tuple[str, ...] = ()) -> str:
        v = self.text(name, None, choices)
        if v is None or (isinstance(v, str) and not v.strip()):
            expected = f"one of {', '.join(choices)}" if choices else "a non-empty string"
            raise ConfigError(self.k(name), f"is required: expected {expected}")
        return str(v)

    def flag(self, name: str, default: bool) -> bool:
        v = self._get(name)
        if v is None:
            return default
        if not isinstance(v, bool):
            raise ConfigError(self.k(name), f"expected true or false, got {_kind(v)}")
        return v

    def whole(self, name: str, default: int, lo: int | None = None, hi: int | None = None) -> int:
        v = self._get(name)
        if v is None:
            return default
        if isinstance(v, bool) or not isinstance(v, int):
            raise ConfigError(self.k(name), f"expected a whole number, got {_kind(v)}")
        _range(self.k(name), v, lo, hi)
        return v

    def number(
        self, name: str, default: float, lo: float | None = None, hi: float | None = None
    ) -> float:
        v = self._get(name)
        if v is None:
            return default
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise ConfigError(self.k(name), f"expected a number, got {_kind(v)}")
        if v != v:  # NaN
            raise ConfigError(self.k(name), "expected a number, got nan")
        _range(self.k(name), float(v), lo, hi)
        return float(v)

    def strs(self, name: str, choices: tuple[str, ...] = ()) -> tuple[str, ...]:
        v = self._get(name)
        if v is None:
            return ()
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise ConfigError(self.k(name), "expected a list of strings")
        for x in v:
            if choices and x not in choices:
                hint = _did_you_mean(x, choices)
                raise ConfigError(
                    self.k(name), f"expected each of {', '.join(choices)}; got {x!r}{hint}"
                )
        return tuple(v)

    def path(self, name: str) -> Path | None:
        v = self.text(name)
        if v is None:
            return None
        if not v.strip():
            raise ConfigError(self.k(name), "expected a path, got an empty string")
        p = Path(os.path.expandvars(os.path.expanduser(v)))
        return p if p.is_absolute() else (self.base / p)

    def clock(self, name: str, default: time | None = None) -> time | None:
        v = self._get(name)
        if v is None:
            return default
        if isinstance(v, time):
            return v
        if isinstance(v, str) and re.fullmatch(r"\d{1,2}:\d{2}", v):
            h, m = map(int, v.split(":"))
            if 0 <= h < 24 and 0 <= m < 60:
                return time(h, m)
        raise ConfigError(self.k(name), f'expected a time of day like "07:30", got {v!r}')

    def day(self, name: str) -> date | None:
        v = self._get(name)
        if v is None:
            return None
        if isinstance(v, date):
            return v
        if isinstance(v, str):
            try:
                return date.fromisoformat(v)
            except ValueError:
                pass
        raise ConfigError(self.k(name), f"expected a date like 2026-11-30, got {v!r}")

    def table(self, name: str) -> _Table:
        v = self._get(name)
        return _Table({} if v is None else v, self.k(name), self.base)

    def tables(self, name: str) -> list[_Table]:
        v = self._get(name)
        if v is None:
            return []
        if not isinstance(v, list):
            raise ConfigError(self.k(name), f"expected an array of tables ([[{name}]])")
        return [_Table(x, f"{self.k(name)}[{i}]", self.base) for i, x in enumerate(v)]

    def secret(self) -> Secret:
        if self.has("password"):
            self.seen.add("password")
            raise ConfigError(
                self.k("password"),
                'passwords are never kept in the config: use password_env = "VAR" '
                'or password_command = "pass show ..."',
            )
        s = Secret(env=self.text("password_env"), command=self.text("password_command"))
        return s

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.seen)
        if unknown:
            name = unknown[0]
            hint = _did_you_mean(name, tuple(sorted(self.seen)))
            raise ConfigError(self.k(name), f"unknown key{hint}")


def _kind(v: Any) -> str:
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }.get(type(v), type(v).__name__) + (f" ({v!r})" if isinstance(v, int | float | str) else "")


def _range(key: str, v: float, lo: float | None, hi: float | None) -> None:
    if lo is not None and v < lo:
        raise ConfigError(key, f"expected at least {lo}, got {v}")
    if hi is not None and v > hi:
        raise ConfigError(key, f"expected at most {hi}, got {v}")


def _did_you_mean(word: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _each(tables: list[_Table], fn: Callable[[_Table], T]) -> tuple[T, ...]:
    out = []
    for t in tables:
        out.append(fn(t))
        t.done()
    return tuple(out)


def parse(data: Mapping[str, Any], base: Path, path: Path | None = None) -> Config:
    root = _Table(dict(data), "", base)

    o = root.table("owner")
    tzname = o.req_str("timezone")
    try:
        ZoneInfo(tzname)
    except (ZoneInfoNotFoundError, ValueError):
        from sync.tzmap import resolve_tz_name

        guess = resolve_tz_name(tzname)
        key = getattr(guess, "key", None)  # a fixed offset has no IANA name to suggest
        hint = f" (did you mean {key!r}?)" if key else ""
        raise ConfigError(
            o.k("timezone"),
            f"expected an IANA time zone like America/New_York, got {tzname!r}{hint}",
        ) from None
    schools = _each(
        o.tables("schools"),
        lambda t: School(
            name=t.req_str("name"),
            class_year=(t.whole("class_year", 0, 1900, 2100) or None)
            if t.has("class_year")
            else None,
        ),
    )
    owner = Owner(
        timezone=tzname,
        name=o.text("name", ""),
        emails=o.strs("emails"),
        schools=schools,
        employers=o.strs("employers"),
    )
    o.done()

    goals = _each(
        root.tables("goals"),
        lambda t: Goal(
            id=t.req_str("id"), text=t.req_str("text"), categories=t.strs("categories", CATEGORIES)
        ),
    )
    if len({g.id for g in goals}) != len(goals):
        raise ConfigError("goals", "each goal needs its own id")

    def source(
        t: _Table, types: tuple[str, ...], local: tuple[str, ...], dav: str
    ) -> dict[str, Any]:
        """What every address book and calendar entry has: type, name, where, credentials."""
        typ = t.req_str("type", types)
        common: dict[str, Any] = dict(
            type=typ,
            key=t.key,
            name=t.text("name", None)
            or f"{typ}:{t.data.get('path') or t.data.get('url') or t.key}",
            path=t.path("path"),
            url=t.text("url"),
            username=t.text("username"),
            password=t.secret(),
            collection=t.text("collection"),
            verify_tls=t.flag("verify_tls", True),
            timeout=t.number("timeout", 30.0, 1, 600),
        )
        if typ in local and common["path"] is None:
            raise ConfigError(t.k("path"), f"is required for type {typ!r}: the file or folder")
        if typ == dav and not common["url"]:
            raise ConfigError(t.k("url"), f"is required for type {dav!r}: the server URL")
        return common

    def addressbook(t: _Table) -> AddressBookConfig:
        ab = AddressBookConfig(
            **source(t, ADDRESSBOOK_TYPES, ("vcard", "vdir", "csv"), "carddav"),
            write_tags=t.flag("write_tags", False),
            tag_prefix=t.text("tag_prefix", "netweave: "),
            dialect=t.text("dialect", None, CSV_DIALECTS),
            columns=tuple(sorted(_str_map(t, "columns").items())),
            encoding=t.text("encoding", "utf-8-sig"),
        )
        if ab.type == "csv" and ab.dialect is None:
            raise ConfigError(t.k("dialect"), f"is required for csv: one of {CSV_DIALECTS}")
        return ab

    def calendar(t: _Table) -> CalendarConfig:
        return CalendarConfig(
            **source(t, CALENDAR_TYPES, ("ics", "vdir"), "caldav"),
            calendar_id=t.text("calendar_id", "primary"),
            busy=t.flag("busy", True),
            write=t.flag("write", False),
            shared=t.flag("shared", False),
        )

    addressbooks = _each(root.tables("addressbooks"), addressbook)
    calendars = _each(root.tables("calendars"), calendar)
    for kind, items in (("addressbooks", addressbooks), ("calendars", calendars)):
        names = [x.name for x in items]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ConfigError(kind, f"two sources share the name {sorted(dup)[0]!r}: name them")

    b = root.table("budget")
    budget = Budget(
        hours_per_week=b.number("hours_per_week", 4.0, 0, 80),
        max_one_on_ones_per_week=b.whole("max_one_on_ones_per_week", 3, 0, 50),
        buffer_minutes=b.whole("buffer_minutes", 10, 0, 240),
        min_in_person_share=b.number("min_in_person_share", 0.5, 0, 1),
    )
    b.done()

    def window(t: _Table) -> Window:
        start, end = t.clock("start"), t.clock("end")
        if start is None or end is None:
            raise ConfigError(t.k("start" if start is None else "end"), 'is required, like "07:30"')
        if end <= start:
            raise ConfigError(t.k("end"), f"expected a time after start ({start:%H:%M})")
        span = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        w = Window(
            name=t.req_str("name"),
            days=t.strs("days", DAYS) or DAYS[:5],
            start=start,
            end=end,
            duration_minutes=t.whole("duration_minutes", min(60, span), 5, 24 * 60),
            place=t.text("place", ""),
            in_person=t.flag("in_person", True),
        )
        if w.duration_minutes > span:
            raise ConfigError(
                t.k("duration_minutes"), f"expected at most the window's length ({span} minutes)"
            )
        return w

    windows = _each(root.tables("windows"), window) or DEFAULT_WINDOWS

    places = _each(
        root.tables("places"),
        lambda t: Place(
            name=t.req_str("name"),
            address=t.text("address", ""),
            travel_minutes=t.whole("travel_minutes", 0, 0, 600),
            area=t.text("area", ""),
        ),
    )

    def group(t: _Table) -> Group:
        g = Group(
            name=t.req_str("name"),
            kind=t.text("kind", "business", ("business", "profession")),
            mode=t.text("mode", "passive", ("passive", "active")),
            rrule=t.text("rrule", ""),
            start=t.clock("start"),
            duration_minutes=t.whole("duration_minutes", 90, 10, 24 * 60),
            feed=t.path("feed"),
            match=t.text("match", ""),
            place=t.text("place", ""),
            status=t.text("status", "trial", ("trial", "member", "retired")),
            trial_visits=t.whole("trial_visits", 2, 0, 10),
            goal=t.text("goal", ""),
        )
        if g.rrule:
            try:
                from dateutil.rrule import rrulestr

                rrulestr(g.rrule, dtstart=datetime(2026, 1, 1))
            except (ValueError, TypeError) as e:
                raise ConfigError(
                    t.k("rrule"), f"expected an RRULE like FREQ=MONTHLY;BYDAY=2WE: {e}"
                ) from None
            if g.start is None:
                raise ConfigError(t.k("start"), 'is required with rrule, like "07:30"')
        elif g.feed is None and g.status != "retired":
            raise ConfigError(t.k("rrule"), "a group needs rrule (with start) or feed (an .ics)")
        return g

    groups = _each(root.tables("groups"), group)

    def target(t: _Table) -> Target:
        ideal = t.whole("ideal_days", 0, 1, 365) if t.has("ideal_days") else 0
        most = t.whole("max_days", 0, 1, 730) if t.has("max_days") else 0
        cadence = None
        if ideal or most:
            if not (ideal and most):
                missing = "max_days" if ideal else "ideal_days"
                raise ConfigError(t.k(missing), "is required: give ideal_days and max_days")
            if most < ideal:
                raise ConfigError(t.k("max_days"), f"expected at least ideal_days ({ideal})")
            cadence = Cadence(ideal_days=ideal, max_days=most)
        return Target(
            name=t.req_str("name"),
            organization=t.text("organization", ""),
            groups=t.strs("groups"),
            introducers=t.strs("introducers"),
            email=t.text("email", ""),
            cadence=cadence,
        )

    targets = _each(root.tables("targets"), target)

    p = root.table("planner")
    cad = p.table("cadence")
    cadence = []
    for cat in list(cad.data):
        ct = cad.table(cat)
        if cat not in CATEGORIES and cat != "focus":
            raise ConfigError(ct.key, f"unknown category{_did_you_mean(cat, CATEGORIES)}")
        cd = Cadence(
            ideal_days=ct.whole("ideal_days", 21, 1, 365), max_days=ct.whole("max_days", 42, 1, 730)
        )
        if cd.max_days < cd.ideal_days:
            raise ConfigError(ct.k("max_days"), f"expected at least ideal_days ({cd.ideal_days})")
        ct.done()
        cadence.append((cat, cd))
    shares = _float_map(p, "category_share_max", CATEGORIES)
    planner = Planner(
        weeks=p.whole("weeks", 4, 1, 104),
        history_days=p.whole("history_days", 365, 0, 3650),
        focus_size=p.whole("focus_size", 5, 0, 50),
        focus=p.strs("focus"),
        retired=p.strs("retired"),
        prep_minutes=p.whole("prep_minutes", 15, 0, 240),
        follow_up_minutes=p.whole("follow_up_minutes", 15, 0, 240),
        tentative_days=p.whole("tentative_days", 0, 0, 365),
        activities_per_month=p.whole("activities_per_month", 6, 0, 100),
        cadence=tuple(cadence),
        strong_share_max=p.number("strong_share_max", 0.5, 0, 1),
        category_share_max=tuple(sorted(shares.items())),
        ignore_all_day=p.flag("ignore_all_day", False),
        focus_meetings=p.whole("focus_meetings", 3, 0, 100),
        introduction_lead_days=p.whole("introduction_lead_days", 14, 0, 180),
    )
    p.done()

    c = root.table("confidential")
    confidential = Confidential(
        enabled=c.flag("enabled", True),
        neutral_title=c.text("neutral_title", "Personal appointment"),
        neutral_location=c.text("neutral_location", ""),
        sensitive_words=c.strs("sensitive_words"),
    )
    c.done()
    for w in confidential.sensitive_words:
        if w.lower() in confidential.neutral_title.lower():
            raise ConfigError("confidential.neutral_title", f"contains the sensitive word {w!r}")

    tg = root.table("tagging")
    rules = _each(
        tg.tables("rules"),
        lambda t: rule_from_table(t, origin=t.key),
    )
    tagging = Tagging(
        rules_dir=tg.path("rules_dir"),
        rules=rules,
        default_category=tg.text("default_category", "alumni", CATEGORIES),
        strong_after_meetings=tg.whole("strong_after_meetings", 4, 1, 1000),
    )
    tg.done()

    e = root.table("export")
    export = Export(
        path=e.path("path"),
        calendar_name=e.text("calendar_name", "netweave agenda"),
        private=e.flag("private", True),
    )
    e.done()

    s = root.table("state")
    state = StateConfig(path=s.path("path"))
    s.done()

    gg = root.table("google")
    google = Google(
        client_secrets=gg.path("client_secrets"),
        token_file=gg.path("token_file"),
        api_endpoint=gg.text("api_endpoint"),
        max_retries=gg.whole("max_retries", 5, 0, 20),
    )
    gg.done()

    root.done()

    place_names = {pl.name for pl in places}
    for i, win in enumerate(windows):
        if win.place and win.place not in place_names:
            raise ConfigError(f"windows[{i}].place", f"no [[places]] entry named {win.place!r}")
    for i, g in enumerate(groups):
        if g.place and g.place not in place_names:
            raise ConfigError(f"groups[{i}].place", f"no [[places]] entry named {g.place!r}")
    goal_ids = {gl.id for gl in goals}
    for i, g in enumerate(groups):
        if g.goal and g.goal not in goal_ids:
            raise ConfigError(f"groups[{i}].goal", f"no [[goals]] entry with id {g.goal!r}")
    if len(goals) > 2:
        raise ConfigError("goals", "the method works with one or two specific goals; keep two")

    return Config(
        owner=owner,
        path=path,
        goals=goals,
        addressbooks=addressbooks,
        calendars=calendars,
        budget=budget,
        windows=windows,
        places=places,
        groups=groups,
        targets=targets,
        planner=planner,
        confidential=confidential,
        tagging=tagging,
        export=export,
        state=state,
        google=google,
    )


RULE_MATCHERS = (
    "organization",
    "title",
    "email_domain",
    "source_category",
    "note",
    "relation",
    "name",
    "school",
    "class_year",
)


def rule_from_table(t: _Table, origin: str) -> TagRule:
    """One tagging rule (from the config or a rules/*.toml file)."""
    r = TagRule(
        category=t.req_str("category", CATEGORIES),
        organization=t.strs("organization"),
        title=t.strs("title"),
        email_domain=t.strs("email_domain"),
        source_category=t.strs("source_category"),
        note=t.strs("note"),
        relation=t.strs("relation"),
        name=t.strs("name"),
        school=t.strs("school"),
        class_year=t.strs("class_year"),
        priority=t.whole("priority", 0, -1000, 1000),
        origin=origin,
    )
    if not any(getattr(r, m) for m in RULE_MATCHERS):
        raise ConfigError(t.key, f"a rule needs at least one of {', '.join(RULE_MATCHERS)}")
    return r


def _str_map(t: _Table, name: str) -> dict[str, str]:
    sub = t.table(name)
    out = {}
    for k in list(sub.data):
        v = sub.text(k)
        out[k] = v
    return out


def _float_map(t: _Table, name: str, keys: tuple[str, ...]) -> dict[str, float]:
    sub = t.table(name)
    out = {}
    for k in list(sub.data):
        if k not in keys:
            raise ConfigError(sub.k(k), f"unknown category{_did_you_mean(k, keys)}")
        out[k] = sub.number(k, 0.0, 0, 1)
    return out


def example_path() -> Path:
    """The bundled example config (for docs and tests)."""
    return Path(__file__).resolve().parent.parent / "config.example.toml"
