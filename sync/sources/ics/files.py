"""Calendars kept in local files: one ``.ics`` file, or a vdir folder (one ``.ics`` per event).

The adapters behind the :class:`~sync.sources.base.Calendar` protocol for files on disk: they
find and read the bytes, say plainly what is wrong with a path, and hand the text to
:func:`~sync.sources.ics.read.parse_calendar_bytes`. The files of one vdir share their resolved
time zones.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sync.model import Problem
from sync.sources.base import EventsResult, SourceError
from sync.sources.ics.read import parse_calendar_bytes
from sync.sources.ics.zones import ZoneCache

#: How the reader reports text that holds no calendar at all.
_NOT_ICAL = "not an iCalendar file"


class IcsFileCalendar:
    """A calendar kept in one ``.ics`` file (an export, a subscribed feed saved to disk)."""

    def __init__(self, name: str, path: Path, tz: ZoneInfo) -> None:
        self.name = name
        self.path = Path(path)
        self.tz = tz

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, {str(self.path)!r})"

    def read(self, start: datetime, end: datetime) -> EventsResult:
        """The events in the window. A file that is empty or not iCalendar at all cannot be
        read (:class:`SourceError`): taken as a calendar without events, it would free time
        that is not free."""
        data = self._read_bytes()
        if not data.strip():
            raise SourceError(
                self.name,
                f"{self.path} is empty (0 bytes), not an iCalendar file: was it truncated? "
                "Restore it (or export the calendar again)",
            )
        result = self._parse(data, start, end)
        if not result.events and any(p.message.startswith(_NOT_ICAL) for p in result.problems):
            raise SourceError(
                self.name,
                f"{self.path} is {_NOT_ICAL} (no BEGIN:VCALENDAR or BEGIN:VEVENT): was it "
                "replaced or damaged? Restore it (or export the calendar again)",
            )
        return result

    def _read_bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            raise SourceError(
                self.name,
                f"{self.path} does not exist: check calendars[].path in the config "
                "(relative paths are relative to the config file)",
            ) from None
        except IsADirectoryError:
            raise SourceError(
                self.name, f'{self.path} is a folder: use type = "vdir" for a folder of .ics files'
            ) from None
        except OSError as exc:
            raise SourceError(
                self.name, f"cannot read {self.path}: {exc.strerror or exc}; check its permissions"
            ) from None

    def _parse(self, data: bytes, start: datetime, end: datetime) -> EventsResult:
        return parse_calendar_bytes(data, self.name, self.tz, start, end, place=str(self.path))


class VdirCalendar:
    """A folder with one ``.ics`` file per event, as vdirsyncer and khal keep them."""

    suffix = ".ics"

    def __init__(self, name: str, path: Path, tz: ZoneInfo) -> None:
        self.name = name
        self.path = Path(path)
        self.tz = tz

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, {str(self.path)!r})"

    def item_paths(self) -> list[Path]:
        """The item files, sorted; hidden and temporary files are not items."""
        if not self.path.exists():
            raise SourceError(
                self.name,
                f"{self.path} does not exist: check calendars[].path in the config "
                "(for vdirsyncer/khal, the folder of one calendar)",
            )
        if not self.path.is_dir():
            raise SourceError(
                self.name, f'{self.path} is not a folder: use type = "ics" for a single file'
            )
        try:
            entries = list(self.path.iterdir())
        except OSError as exc:
            raise SourceError(
                self.name, f"cannot list {self.path}: {exc.strerror or exc}; check its permissions"
            ) from None
        return sorted(
            p
            for p in entries
            if p.name.endswith(self.suffix) and not p.name.startswith(".") and p.is_file()
        )

    def read(self, start: datetime, end: datetime) -> EventsResult:
        result = EventsResult()
        cache = ZoneCache()
        for item in self.item_paths():
            try:
                data = self._read_item(item)
            except OSError as exc:
                result.problems.append(
                    Problem(self.name, f"cannot read item: {exc.strerror or exc}", str(item))
                )
                continue
            part = self._parse_item(data, item, start, end, cache)
            result.events.extend(part.events)
            result.problems.extend(part.problems)
        return result

    def _read_item(self, item: Path) -> bytes:
        return item.read_bytes()

    def _parse_item(
        self, data: bytes, item: Path, start: datetime, end: datetime, cache: ZoneCache
    ) -> EventsResult:
        return parse_calendar_bytes(
            data, self.name, self.tz, start, end, place=str(item), zone_cache=cache
        )
