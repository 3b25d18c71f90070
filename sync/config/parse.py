"""Reading the config: a TOML file (or an already-parsed mapping) into a validated
:class:`~sync.config.models.Config`.

Sections are read in a fixed order, then the file is checked for unknown top-level keys and
for references between sections (a window's place, a group's goal). Every error is a
:class:`~sync.config.errors.ConfigError` naming the key path.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sync.config.errors import ConfigError
from sync.config.meetings import read_meetings
from sync.config.models import Config, Goal, Group, Place, Target, Window
from sync.config.paths import default_path
from sync.config.sections import (
    read_budget,
    read_confidential,
    read_export,
    read_goals,
    read_google,
    read_groups,
    read_owner,
    read_places,
    read_planner,
    read_safety,
    read_sources,
    read_state,
    read_tagging,
    read_targets,
    read_travel,
    read_windows,
)
from sync.config.table import Table


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


def parse(data: Mapping[str, Any], base: Path, path: Path | None = None) -> Config:
    """Validate parsed TOML; relative paths in it are relative to ``base``."""
    root = Table(dict(data), "", base)
    owner = read_owner(root)
    goals = read_goals(root)
    addressbooks, calendars = read_sources(root)
    budget = read_budget(root)
    windows = read_windows(root)
    places = read_places(root)
    groups = read_groups(root)
    targets = read_targets(root)
    planner = read_planner(root)
    travel = read_travel(root)
    confidential = read_confidential(root)
    tagging = read_tagging(root)
    export = read_export(root)
    state = read_state(root, path)
    google = read_google(root)
    safety = read_safety(root)
    meetings = read_meetings(root)
    root.done()
    _check_references(goals, windows, places, groups, targets, owner.office)
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
        travel=travel,
        confidential=confidential,
        tagging=tagging,
        export=export,
        state=state,
        google=google,
        safety=safety,
        meetings=meetings,
    )


def _check_references(
    goals: Sequence[Goal],
    windows: Sequence[Window],
    places: Sequence[Place],
    groups: Sequence[Group],
    targets: Sequence[Target] = (),
    office: str = "",
) -> None:
    """Names one section uses must exist in another; at most two goals."""
    place_names = {pl.name for pl in places}
    for i, win in enumerate(windows):
        if win.place and win.place not in place_names:
            raise ConfigError(f"windows[{i}].place", f"no [[places]] entry named {win.place!r}")
    for i, g in enumerate(groups):
        if g.place and g.place not in place_names:
            raise ConfigError(f"groups[{i}].place", f"no [[places]] entry named {g.place!r}")
    for i, t in enumerate(targets):
        if t.place and t.place not in place_names:
            raise ConfigError(f"targets[{i}].place", f"no [[places]] entry named {t.place!r}")
    if office and office not in place_names:
        raise ConfigError("owner.office", f"no [[places]] entry named {office!r}")
    goal_ids = {gl.id for gl in goals}
    for i, g in enumerate(groups):
        if g.goal and g.goal not in goal_ids:
            raise ConfigError(f"groups[{i}].goal", f"no [[goals]] entry with id {g.goal!r}")
    if len(goals) > 2:
        raise ConfigError("goals", "the method works with one or two specific goals; keep two")
