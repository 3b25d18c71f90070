"""The descriptions of a group's feed, by UID: what the fast reader leaves out.

The reader keeps what busy time and trips need (times, titles, places, guests); a group's feed
is also read for what its events say about their audience ("open only to members under 35").
Feeds are small (a group's own events), so icalendar reads them whole. A feed it cannot read
yields no descriptions: the reader has already reported the problem, and an event without a
description is judged by its title alone.
"""

from __future__ import annotations

from pathlib import Path

import icalendar

#: Enough of a description to find an audience limit; the rest is the venue's small print.
DESCRIPTION_CHARS = 2000


def descriptions(path: Path) -> dict[str, str]:
    """UID -> DESCRIPTION of each VEVENT of the file (a series' master wins over overrides)."""
    try:
        cal = icalendar.Calendar.from_ical(path.read_bytes())
    except (OSError, ValueError):
        return {}
    out: dict[str, str] = {}
    for event in cal.walk("VEVENT"):
        uid = str(event.get("UID", ""))
        text = str(event.get("DESCRIPTION", "")).strip()
        if not uid or not text:
            continue
        if uid not in out or "RECURRENCE-ID" not in event:
            out[uid] = text[:DESCRIPTION_CHARS]
    return out
