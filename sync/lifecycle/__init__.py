"""What becomes of a planned activity after it is written: held, proposed, confirmed, done,
skipped or cancelled, with the date of each change; the slots offered to the other person; the
people snoozed; and the interaction log that feeds the next agenda.

:mod:`~sync.lifecycle.states` holds the rules (pure), :mod:`~sync.lifecycle.store` the tables
in the state database, :mod:`~sync.lifecycle.outreach` the messages that ask for a meeting,
:mod:`~sync.lifecycle.slots` the other times a meeting could go, :mod:`~sync.lifecycle.memory`
what the log gives the next agenda (the last meeting, promises to keep),
:mod:`~sync.lifecycle.names` which person a name on the command line means.
"""

from __future__ import annotations

from sync.lifecycle.states import (
    DONE_STATES,
    STATES,
    Activity,
    Interaction,
    LifecycleError,
    counts_as_met,
    is_awaiting,
)
from sync.lifecycle.store import Lifecycle

__all__ = [
    "DONE_STATES",
    "STATES",
    "Activity",
    "Interaction",
    "Lifecycle",
    "LifecycleError",
    "counts_as_met",
    "is_awaiting",
]
