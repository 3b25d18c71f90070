"""Config: TOML -> a typed, validated :class:`Config`.

Every error names the key path (``calendars[1].type``) and says what was expected; unknown keys
are errors too (with a "did you mean" for typos). Secrets never live in the file: a password is
read from an environment variable (``password_env``) or a command (``password_command``).

Where the file is: ``--config FILE``, else ``$NETWEAVE_CONFIG``, else
``<platform config dir>/netweave/config.toml``. Relative paths in the file are relative to the
file's folder.

The rooms: :mod:`~sync.config.models` (the dataclasses), :mod:`~sync.config.paths` (where files
live), :mod:`~sync.config.errors`, :mod:`~sync.config.table` (a TOML table with typed, checked
getters), :mod:`~sync.config.sections` (one reader per section) and :mod:`~sync.config.parse`
(file -> :class:`Config`). Every public name is importable from :mod:`sync.config` itself.
"""

from sync.config.errors import ConfigError
from sync.config.meetings import Meetings
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
    Config,
    Export,
    Goal,
    Google,
    Group,
    Owner,
    Place,
    Planner,
    Safety,
    School,
    Secret,
    StateConfig,
    Tagging,
    TagRule,
    Target,
    Travel,
    TravelTime,
    Window,
)
from sync.config.parse import load, parse
from sync.config.paths import APP, default_path, default_state_path, example_path
from sync.config.sections import RULE_MATCHERS, rule_from_table

__all__ = [
    "ADDRESSBOOK_TYPES",
    "APP",
    "CALENDAR_TYPES",
    "CSV_DIALECTS",
    "DAYS",
    "DEFAULT_WINDOWS",
    "FIELDS",
    "RULE_MATCHERS",
    "AddressBookConfig",
    "Budget",
    "Cadence",
    "CalendarConfig",
    "Confidential",
    "Config",
    "ConfigError",
    "Export",
    "Goal",
    "Google",
    "Meetings",
    "Group",
    "Owner",
    "Place",
    "Planner",
    "Safety",
    "School",
    "Secret",
    "StateConfig",
    "TagRule",
    "Tagging",
    "Target",
    "Travel",
    "TravelTime",
    "Window",
    "default_path",
    "default_state_path",
    "example_path",
    "load",
    "parse",
    "rule_from_table",
]
