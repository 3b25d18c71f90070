"""The ``netweave`` command: one module per group of commands, sharing :mod:`sync.cli.common`.

Data goes to stdout, messages and logs to stderr; :func:`main` (in :mod:`sync.cli.edge`) maps
every error to a message and an exit code: 0 done, 1 partial (a source failed or an item was
skipped), 2 bad config or usage.
"""

from sync.cli import (  # noqa: F401  (registers commands)
    afterwards,
    calendars,
    doctor,
    meetings,
    planning,
    running,
    serving,
    setup,
    who,
)
from sync.cli.common import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, Ctx, cli, now_utc, render_plan
from sync.cli.edge import main

__all__ = ["EXIT_OK", "EXIT_PARTIAL", "EXIT_USAGE", "Ctx", "cli", "main", "now_utc", "render_plan"]
