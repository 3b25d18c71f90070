"""The one error a bad config raises: the key path, what was expected, and the file."""

from __future__ import annotations

from pathlib import Path


class ConfigError(Exception):
    """A bad config: ``key`` is the dotted path, the message says what is expected."""

    def __init__(self, key: str, message: str, path: Path | None = None) -> None:
        where = f"{path}: " if path else ""
        super().__init__(f"{where}{key}: {message}" if key else f"{where}{message}")
        self.key = key
        self.message = message
        self.path = path
