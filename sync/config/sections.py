"""One reader per section of the config file: a validated :class:`~sync.config.table.Table` in,
the section's typed value out.

Each reader asks for its keys in a fixed order, so the first error a bad file gets is always
the same one.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sync.config.errors import ConfigError
from sync.config.models import (
    ADDRESSBOOK_TYPES,
    CALENDAR_TYPES,
    CSV_DIALECTS,
    DAYS,
    DEFAULT_WINDOWS,
    FIELDS,
    AddressBookConfig,
    Budget,
    Cadence,
    CalendarConfig,
    Confidential,
    Export,
    Goal,
    Google,
    Group,
    Owner,
    Place,
    Planner,
    Safety,
    School,
    StateConfig,
    Tagging,
    TagRule,
    Target,
    Travel,
    TravelTime,
    Window,
)
from sync.config.table import Table, did_you_mean, each, float_map, str_map
from sync.model import CATEGORIES

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


def read_owner(root: Table) -> Owner:
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
    schools = each(
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
        country=o.text("country", "").upper(),
        region=o.text("region", "").upper(),
        office=o.text("office", ""),
        days_off=_dates(o, "days_off"),
        work_on_holidays=o.flag("work_on_holidays", False),
        profession=o.text("profession", ""),
        former_employers=o.strs("former_employers"),
        title=o.text("title", ""),
        field=o.text("field", "", ("", *FIELDS)),
    )
    o.done()
    return owner


def _dates(t: Table, name: str) -> tuple[date, ...]:
    """A list of dates like "2026-12-24" (TOML dates too)."""
    v = t.data.get(name)
    t.seen.add(name)
    if v is None:
        return ()
    if not isinstance(v, list):
        v = [v]
    out = []
    for x in v:
        if isinstance(x, date) and not isinstance(x, datetime):
            out.append(x)
            continue
        try:
            out.append(date.fromisoformat(str(x)))
        except ValueError:
            raise ConfigError(t.k(name), f"expected dates like 2026-12-24, got {x!r}") from None
    return tuple(sorted(set(out)))


def read_goals(root: Table) -> tuple[Goal, ...]:
    goals = each(
        root.tables("goals"),
        lambda t: Goal(
            id=t.req_str("id"), text=t.req_str("text"), categories=t.strs("categories", CATEGORIES)
        ),
    )
    if len({g.id for g in goals}) != len(goals):
        raise ConfigError("goals", "each goal needs its own id")
    return goals


def _source(t: Table, types: tuple[str, ...], local: tuple[str, ...], dav: str) -> dict[str, Any]:
    """What every address book and calendar entry has: type, name, where, credentials."""
    typ = t.req_str("type", types)
    common: dict[str, Any] = dict(
        type=typ,
        key=t.key,
        name=t.text("name", None) or f"{typ}:{t.data.get('path') or t.data.get('url') or t.key}",
        path=t.path("path"),
        url=t.text("url"),
        username=t.text("username"),
        password=t.secret(),
        collection=t.text("collection"),
        verify_tls=t.flag("verify_tls", True),
        timeout=t.number("timeout", 30.0, 1, 600),
        retries=t.whole("retries", 4, 0, 10),
        expect_empty=t.flag("expect_empty", False),
    )
    if typ in local and common["path"] is None:
        raise ConfigError(t.k("path"), f"is required for type {typ!r}: the file or folder")
    if typ == dav and not common["url"]:
        raise ConfigError(t.k("url"), f"is required for type {dav!r}: the server URL")
    return common


def _addressbook(t: Table) -> AddressBookConfig:
    ab = AddressBookConfig(
        **_source(t, ADDRESSBOOK_TYPES, ("vcard", "vdir", "csv"), "carddav"),
        write_tags=t.flag("write_tags", False),
        tag_prefix=t.text("tag_prefix", "netweave: "),
        dialect=t.text("dialect", None, CSV_DIALECTS),
        columns=tuple(sorted(str_map(t, "columns").items())),
        encoding=t.text("encoding", "utf-8-sig"),
    )
    if ab.type == "csv" and ab.dialect is None:
        raise ConfigError(t.k("dialect"), f"is required for csv: one of {CSV_DIALECTS}")
    return ab


def _calendar(t: Table) -> CalendarConfig:
    return CalendarConfig(
        **_source(t, CALENDAR_TYPES, ("ics", "vdir"), "caldav"),
        calendar_id=t.text("calendar_id", "primary"),
        busy=t.flag("busy", True),
        write=t.flag("write", False),
        shared=t.flag("shared", False),
    )


def read_sources(
    root: Table,
) -> tuple[tuple[AddressBookConfig, ...], tuple[CalendarConfig, ...]]:
    """``[[addressbooks]]`` and ``[[calendars]]``; within each, names are unique."""
    addressbooks = each(root.tables("addressbooks"), _addressbook)
    calendars = each(root.tables("calendars"), _calendar)
    for kind, items in (("addressbooks", addressbooks), ("calendars", calendars)):
        names = [x.name for x in items]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ConfigError(kind, f"two sources share the name {sorted(dup)[0]!r}: name them")
    return addressbooks, calendars


def read_budget(root: Table) -> Budget:
    b = root.table("budget")
    budget = Budget(
        hours_per_week=b.number("hours_per_week", 4.0, 0, 80),
        max_one_on_ones_per_week=b.whole("max_one_on_ones_per_week", 3, 0, 50),
        buffer_minutes=b.whole("buffer_minutes", 10, 0, 240),
        min_in_person_share=b.number("min_in_person_share", 0.5, 0, 1),
    )
    b.done()
    return budget


def _window(t: Table) -> Window:
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


def read_windows(root: Table) -> tuple[Window, ...]:
    """``[[windows]]``, or the default breakfast, coffee, lunch and evening windows."""
    return each(root.tables("windows"), _window) or DEFAULT_WINDOWS


def read_places(root: Table) -> tuple[Place, ...]:
    return each(
        root.tables("places"),
        lambda t: Place(
            name=t.req_str("name"),
            address=t.text("address", ""),
            travel_minutes=t.whole("travel_minutes", 0, 0, 600),
            area=t.text("area", ""),
            words=t.strs("words"),
            organizations=t.strs("organizations"),
            people=t.strs("people"),
        ),
    )


def _group(t: Table) -> Group:
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


def read_groups(root: Table) -> tuple[Group, ...]:
    return each(root.tables("groups"), _group)


def _target(t: Table) -> Target:
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
        place=t.text("place", ""),
    )


def read_targets(root: Table) -> tuple[Target, ...]:
    return each(root.tables("targets"), _target)


def _cadences(p: Table) -> tuple[tuple[str, Cadence], ...]:
    """``[planner.cadence.<category>]``: how often each category is met."""
    cad = p.table("cadence")
    cadence = []
    for cat in list(cad.data):
        ct = cad.table(cat)
        if cat not in CATEGORIES and cat != "focus":
            raise ConfigError(ct.key, f"unknown category{did_you_mean(cat, CATEGORIES)}")
        cd = Cadence(
            ideal_days=ct.whole("ideal_days", 21, 1, 365), max_days=ct.whole("max_days", 42, 1, 730)
        )
        if cd.max_days < cd.ideal_days:
            raise ConfigError(ct.k("max_days"), f"expected at least ideal_days ({cd.ideal_days})")
        ct.done()
        cadence.append((cat, cd))
    return tuple(cadence)


def read_planner(root: Table) -> Planner:
    p = root.table("planner")
    cadence = _cadences(p)
    shares = float_map(p, "category_share_max", CATEGORIES)
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
        cadence=cadence,
        strong_share_max=p.number("strong_share_max", 0.5, 0, 1),
        category_share_max=tuple(sorted(shares.items())),
        ignore_all_day=p.flag("ignore_all_day", False),
        focus_meetings=p.whole("focus_meetings", 3, 0, 100),
        introduction_lead_days=p.whole("introduction_lead_days", 14, 0, 180),
        lead_days=p.whole("lead_days", 3, 0, 60),
        connect_ahead_days=p.whole("connect_ahead_days", 3, 0, 30),
        strong_floor=p.whole("strong_floor", 1, 0, 20),
    )
    p.done()
    return planner


def _travel_time(t: Table) -> TravelTime:
    between = t.strs("between")
    if len(between) != 2:
        raise ConfigError(t.k("between"), 'expected two areas, like ["midtown", "downtown"]')
    return TravelTime(between[0], between[1], t.whole("minutes", 0, 0, 24 * 60))


def read_travel(root: Table) -> Travel:
    tr = root.table("travel")
    travel = Travel(
        base=tr.text("base", ""),
        home_words=tr.strs("home_words"),
        times=tuple(each(tr.tables("times"), _travel_time)),
        unknown_minutes=tr.whole("unknown_minutes", 30, 0, 600),
        max_minutes=tr.whole("max_minutes", 40, 0, 600),
        blocks=tr.text("blocks", "shared", ("shared", "always", "never")),
        virtual_when_away=tr.flag("virtual_when_away", True),
    )
    tr.done()
    return travel


def read_confidential(root: Table) -> Confidential:
    c = root.table("confidential")
    confidential = Confidential(
        enabled=c.flag("enabled", True),
        neutral_title=c.text("neutral_title", "Personal appointment"),
        neutral_location=c.text("neutral_location", ""),
        sensitive_words=c.strs("sensitive_words"),
        avoid_office=c.flag("avoid_office", True),
        employer_ties=c.strs("employer_ties"),
        never_ask=c.strs("never_ask"),
    )
    c.done()
    for w in confidential.sensitive_words:
        if w.lower() in confidential.neutral_title.lower():
            raise ConfigError("confidential.neutral_title", f"contains the sensitive word {w!r}")
    return confidential


def rule_from_table(t: Table, origin: str) -> TagRule:
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


def read_tagging(root: Table) -> Tagging:
    tg = root.table("tagging")
    rules = each(
        tg.tables("rules"),
        lambda t: rule_from_table(t, origin=t.key),
    )
    tagging = Tagging(
        rules_dir=tg.path("rules_dir"),
        rules=rules,
        default_category=tg.text("default_category", "unsorted", CATEGORIES),
        strong_after_meetings=tg.whole("strong_after_meetings", 4, 1, 1000),
        overrides=tg.path("overrides"),
    )
    tg.done()
    return tagging


def read_export(root: Table) -> Export:
    e = root.table("export")
    export = Export(
        path=e.path("path"),
        calendar_name=e.text("calendar_name", "netweave agenda"),
        private=e.flag("private", True),
    )
    e.done()
    return export


def read_state(root: Table, config_path: Path | None = None) -> StateConfig:
    s = root.table("state")
    state = StateConfig(path=s.path("path"), config_path=config_path)
    s.done()
    return state


def read_google(root: Table) -> Google:
    gg = root.table("google")
    google = Google(
        client_secrets=gg.path("client_secrets"),
        token_file=gg.path("token_file"),
        api_endpoint=gg.text("api_endpoint"),
        max_retries=gg.whole("max_retries", 5, 0, 20),
    )
    gg.done()
    return google


#: When a failed run is worth a desktop notification (``[safety] notify``).
NOTIFY_WHEN = ("scheduled", "always", "never")


def read_safety(root: Table) -> Safety:
    sf = root.table("safety")
    safety = Safety(
        min_ratio=sf.number("min_ratio", 0.5, 0, 1),
        max_write_failures=sf.whole("max_write_failures", 3, 1, 1000),
        notify=sf.text("notify", "scheduled", NOTIFY_WHEN) or "scheduled",
    )
    sf.done()
    return safety
