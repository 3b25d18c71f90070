"""The errors a source raises when it cannot be read or written as a whole.

They live at the bottom layer so that every part of netweave (the backends, the iCalendar
export, the state and the engine) can raise and catch them without importing the backends.
"""

from __future__ import annotations


class SourceError(Exception):
    """A whole source could not be read or written (file missing, server down, 503...).

    The message names the place (file, server and status) and says what to do next.
    """

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


class AuthError(SourceError):
    """Credentials missing, expired or revoked: the user must act (e.g. `netweave auth google`)."""


class PreconditionFailed(SourceError):
    """The etag did not match: someone changed the item since we read it."""


class NotFound(SourceError):
    """The item is gone."""
