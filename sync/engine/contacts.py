"""From the cards read to the contacts the planner sees: merged across address books, joined by
the configured targets, credited with the meetings already held, and tagged. The result is kept
in the read cache, keyed by everything it depends on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sync.cache import ReadCache
from sync.config import Config
from sync.model import Contact, Event, Problem
from sync.sources.base import ContactsResult

if TYPE_CHECKING:
    from sync.config import TagRule
    from sync.who import Setting
    from sync.who.overrides import Correction

Meetings = Sequence[tuple[date, tuple[str, ...]]]


def derive_contacts(
    config: Config,
    books: Sequence[ContactsResult],
    events: Sequence[Event],
    now: datetime,
    start: date,
    weeks: int,
    past_meetings: Meetings,
    cache: ReadCache | None,
) -> tuple[list[Contact], list[Problem]]:
    """The tagged contacts of this run and the problems met merging them (cached when it can)."""
    from sync.who import rule_files

    today = now.astimezone(config.tz).date()
    rules = _rules(config)
    fixes = corrections_file(config)

    def derive() -> tuple[list[Contact], list[Problem]]:
        return _tagged(config, rules, books, events, today, past_meetings)

    if cache is None:
        return derive()
    key = cache.derived_key(
        [
            *([config.path] if config.path else []),
            *rule_files(config),
            *([fixes] if fixes is not None and fixes.is_file() else []),
        ],
        events,
        today,
        "" if config.path else repr(config),
        start.isoformat(),
        weeks,
        sorted((d.isoformat(), ids) for d, ids in past_meetings),
    )
    return cache.contacts(key, derive)


def _rules(config: Config) -> list[TagRule]:
    """The tagging rules: the config's, the targets', the common files, the field's pack, the
    owner's profile."""
    from sync.who import rules_for

    return rules_for(config)


def corrections_file(config: Config) -> Path | None:
    """Where the user's ``netweave tag`` corrections are kept (the file may not exist)."""
    from sync.who.overrides import overrides_path

    return overrides_path(config.path, config.tagging.overrides)


def read_corrections(config: Config) -> tuple[Correction, ...]:
    """The user's corrections (none when the file does not exist). Raises ConfigError."""
    from sync.config import ConfigError
    from sync.who.overrides import parse

    path = corrections_file(config)
    if path is None or not path.is_file():
        return ()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError("tagging.overrides", f"cannot read: {e}", path) from None
    return parse(text, path)


def _tagged(
    config: Config,
    rules: Sequence[TagRule],
    books: Sequence[ContactsResult],
    events: Sequence[Event],
    today: date,
    past_meetings: Meetings,
) -> tuple[list[Contact], list[Problem]]:
    """Merge, add the targets, credit the history, tag."""
    from sync.merge import merge_contacts
    from sync.tagging import apply_history
    from sync.who import judge

    merged, merge_problems = merge_contacts(
        [c for r in books for c in r.contacts],
        source_order=[ab.name for ab in config.addressbooks],
    )
    merged = _with_targets(config, merged)
    with_history = credit_meetings(
        apply_history(merged, events, config.owner.emails, today), past_meetings
    )
    tagged = [j.contact for j in judge(with_history, rules, setting_for(config, today), events)]
    return tagged, list(merge_problems)


def setting_for(config: Config, today: date) -> Setting:
    """What tagging needs of the config on ``today``, the user's own corrections included."""
    from sync.who import Setting

    return Setting(
        owner=config.owner,
        confidential=config.confidential,
        default_category=config.tagging.default_category,
        strong_after_meetings=config.tagging.strong_after_meetings,
        corrections=read_corrections(config),
        today=today,
        goals=config.goals,
    )


def _with_targets(config: Config, merged: Sequence[Contact]) -> list[Contact]:
    """The merged contacts plus a contact for each configured target not among them."""
    from sync.introductions import targets_from_config

    known = {m.id for m in merged}
    return list(merged) + [
        c for c in targets_from_config(config.targets, merged) if c.id not in known
    ]


def credit_meetings(contacts: Sequence[Contact], meetings: Meetings) -> list[Contact]:
    """Meetings netweave planned that took place count as met (last_met, times_met).

    Its own events carry no guest list, so the calendar history cannot see them.
    """
    if not meetings:
        return list(contacts)
    seen: dict[str, list[date]] = {}
    for day, ids in meetings:
        for cid in ids:
            seen.setdefault(cid, []).append(day)
    out = []
    for c in contacts:
        days = seen.get(c.id)
        if days:
            last = max(days) if c.last_met is None else max(c.last_met, *days)
            c = replace(c, last_met=last, times_met=c.times_met + len(days))
        out.append(c)
    return out


def save_correction(
    config: Config, name: str, category: str, remove: bool, emails: Sequence[str] = ()
) -> Path:
    """Record ``netweave tag``: ``name`` is (``remove``: is not) ``category`` from now on.
    Returns the file written (atomically). Raises ConfigError when there is nowhere to keep it."""
    import os

    from sync.config import ConfigError
    from sync.who.overrides import corrected, render

    path = corrections_file(config)
    if path is None:
        raise ConfigError("tagging.overrides", "no config file to keep corrections beside: set it")
    fixes = corrected(read_corrections(config), name, category, remove, emails)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render(fixes), encoding="utf-8")
    os.replace(tmp, path)
    return path
