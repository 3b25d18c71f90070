"""Backing out: every event netweave created (found by its marker) deleted from the writable
calendars, and nothing else; the state forgets them. Under the sync lock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sync.config import Config
from sync.engine.lock import Lock
from sync.errors import SourceError
from sync.model import OwnedEvent, Problem
from sync.sources import open_calendar
from sync.state import State


@dataclass
class Removal:
    removed: list[tuple[str, OwnedEvent]] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)


def remove_owned(config: Config, calendar: str | None, dry_run: bool, now: datetime) -> Removal:
    """Delete netweave's events from ``calendar`` (else every writable calendar)."""
    out = Removal()
    path = config.state.resolved()
    with Lock(path.with_suffix(".lock"), 10.0), State(path) as state:
        for cfg in config.calendars:
            if not cfg.write or (calendar is not None and cfg.name != calendar):
                continue
            try:
                cal = open_calendar(cfg, config, state.tokens(cfg.name))
                owned = cal.list_owned()  # type: ignore[attr-defined]
                for o in sorted(owned, key=lambda o: (o.start, o.nid)):
                    if not dry_run:
                        cal.delete(o.href, o.etag)  # type: ignore[attr-defined]
                        state.drop_owned(cfg.name, o.nid)
                    out.removed.append((cfg.name, o))
            except SourceError as e:
                out.errors.append(Problem(cfg.name, e.message, cfg.key))
    return out
