"""netweave's events as iCalendar: rendered, read back, and written to files.

- :mod:`~sync.export.render`: planned events as iCalendar bytes (one event, or the agenda);
- :mod:`~sync.export.vtimezone`: the VTIMEZONE components and wall times they are written in;
- :mod:`~sync.export.owned`: netweave's own events read back from a calendar's bytes;
- :mod:`~sync.export.keep`: what of an event netweave rewrites is the user's, and kept;
- :mod:`~sync.export.files`: files written atomically (the agenda, vdir event files).

The names other parts of netweave use are importable from here.
"""

from __future__ import annotations

from sync.export.files import write_atomic
from sync.export.owned import _owned_full, etag_of, has_marker, owned_from_ical
from sync.export.render import (
    DTSTAMP_EPOCH,
    KIND_PROPERTY,
    MARKER,
    PRODID,
    calendar_to_ical,
    clean_text,
    event_to_ical,
    fold_ascii,
    ical_bytes,
    rewrite_ical,
    rewrite_vevent,
    vevent,
)
from sync.export.vtimezone import VTIMEZONE_FIRST_YEAR, vtimezone, wall_time, zone_id

#: The names under which callers knew these before they had rooms of their own.
_zone_id = zone_id

__all__ = [
    "DTSTAMP_EPOCH",
    "KIND_PROPERTY",
    "MARKER",
    "PRODID",
    "VTIMEZONE_FIRST_YEAR",
    "_owned_full",
    "_zone_id",
    "calendar_to_ical",
    "clean_text",
    "etag_of",
    "event_to_ical",
    "fold_ascii",
    "has_marker",
    "ical_bytes",
    "owned_from_ical",
    "rewrite_ical",
    "rewrite_vevent",
    "vevent",
    "vtimezone",
    "wall_time",
    "write_atomic",
    "zone_id",
]
