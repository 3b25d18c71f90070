"""The typed config: one frozen dataclass per section of the TOML file.

These are plain values with their defaults; reading and validating the file is
:mod:`sync.config.parse`'s job. :class:`Secret` says where a password comes from (an
environment variable or a command), never the password itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from zoneinfo import ZoneInfo

from sync.config.meetings import Meetings
from sync.config.paths import state_path_for

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ADDRESSBOOK_TYPES = ("vcard", "vdir", "google", "carddav", "csv")
CALENDAR_TYPES = ("ics", "vdir", "google", "caldav")
CSV_DIALECTS = ("linkedin", "google", "outlook", "alumni", "custom")
#: The bundled rule packs by field of work (``owner.field``; ``rules/fields/<field>.toml``).
FIELDS = ("law", "operations", "finance", "technology", "healthcare", "academia", "public-sector")


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
    country: str = ""  # ISO code for public holidays ("" : from the time zone)
    region: str = ""  # subdivision for public holidays (state, nation, Land), e.g. "NY"
    office: str = ""  # the [[places]] entry where you work (the employer's premises)
    days_off: tuple[date, ...] = ()  # days with no activity, like public holidays
    work_on_holidays: bool = False  # true: public holidays are ordinary days
    profession: str = ""  # group events "for" another profession are skipped
    employers: tuple[str, ...] = ()  # current employers: their people are colleagues
    former_employers: tuple[str, ...] = ()  # their people are (former) colleagues, not discreet
    title: str = ""  # the owner's own job title (infers the field when ``field`` is empty)
    field: str = ""  # one of FIELDS: which bundled rule pack tags the contacts ("": inferred)

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
    retries: int = 4  # carddav: retries of a request that failed (5xx, timeout, unreachable)
    expect_empty: bool = False  # an empty read is intended: trusted (else not, after a full one)


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
    retries: int = 4  # caldav: retries of a request that failed (5xx, timeout, unreachable)
    expect_empty: bool = False  # an empty read is intended: trusted (else not, after a full one)


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
    words: tuple[str, ...] = ()  # a location naming one of these is at this place
    organizations: tuple[str, ...] = ()  # people of these organisations are here
    people: tuple[str, ...] = ()  # names or emails of people who are here


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
    place: str = ""  # the [[places]] entry where this person is


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
    lead_days: int = 3  # no new one-on-one before this many working days after the run
    connect_ahead_days: int = 3  # "connect ahead" task this many days before a group event
    strong_floor: int = 1  # at least this many one-on-ones with strong ties/mentors per 4 weeks


@dataclass(frozen=True)
class TravelTime:
    """Minutes one way between two areas (either direction)."""

    a: str
    b: str
    minutes: int


@dataclass(frozen=True)
class Travel:
    """Where you are and how long it takes to get places (no network: a table of areas)."""

    base: str = ""  # the area you start from ("": the office's area)
    home_words: tuple[str, ...] = ()  # a location naming one of these is in town
    times: tuple[TravelTime, ...] = ()
    unknown_minutes: int = 30  # one way to a venue no place or area matches
    max_minutes: int = 40  # meet near the other person when at most this far, else midway
    blocks: str = "shared"  # write "Travel" busy blocks: shared | always | never
    virtual_when_away: bool = True  # video-call windows still used while you are away


@dataclass(frozen=True)
class Confidential:
    enabled: bool = True
    neutral_title: str = "Personal appointment"
    neutral_location: str = ""
    sensitive_words: tuple[str, ...] = ()
    avoid_office: bool = True  # never meet a target in the area of owner.office
    # organisations (names or email domains) tied to the employer: its bank, auditors, outside
    # counsel, investors. Their people are employer-connected: never targets or introducers.
    employer_ties: tuple[str, ...] = ()
    never_ask: tuple[str, ...] = ()  # names or emails never asked for an introduction or targeted


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
    default_category: str = "unsorted"  # for contacts no rule matches: listed for the user
    overrides: Path | None = None  # `netweave tag` corrections (default: beside the config)
    strong_after_meetings: int = 4  # met this often in the history window: strong tie


@dataclass(frozen=True)
class Export:
    path: Path | None = None
    calendar_name: str = "netweave agenda"
    private: bool = True  # the export is for the person's eyes: full details


@dataclass(frozen=True)
class StateConfig:
    path: Path | None = None  # None: platform state dir
    config_path: Path | None = None  # the config file this state belongs to

    def resolved(self) -> Path:
        """``[state].path``, else ``$NETWEAVE_STATE``, else a file of this config's own in the
        platform state dir (see :func:`~sync.config.paths.state_path_for`)."""
        return self.path or state_path_for(self.config_path)


@dataclass(frozen=True)
class Safety:
    """When a source's read is not trusted, when writing to a server stops, and when a failed
    run is worth a desktop notification."""

    min_ratio: float = 0.5  # a source under this share of its last healthy read is not trusted
    max_write_failures: int = 3  # failed writes in a row before a run stops writing to a calendar
    notify: str = "scheduled"  # desktop notification of a first failure: scheduled|always|never


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
    travel: Travel = Travel()
    confidential: Confidential = Confidential()
    tagging: Tagging = Tagging()
    export: Export = Export()
    state: StateConfig = StateConfig()
    google: Google = Google()
    safety: Safety = Safety()
    meetings: Meetings = Meetings()

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
