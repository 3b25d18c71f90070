"""Reading calendars from local files: one ``.ics`` file, or a vdir folder (one ``.ics`` per event).

The reader is built for real exports (Google, Outlook/Exchange, iCloud, Thunderbird, khal) and
for size (tens of thousands of events). Its rooms, in the order a text goes through them:

- :mod:`.values`: content lines, their parameters and values (dates, durations, text);
- :mod:`.scan`: the fast split of a text into VEVENT chunks and VTIMEZONEs, with line numbers;
- :mod:`.prescan`: which UID groups surely lie outside the window and can be skipped;
- :mod:`.zones`: the time zones of one file (TZIDs, VTIMEZONEs, X-WR-TIMEZONE);
- :mod:`.parse`: one chunk to resolved values, or a problem with its line;
- :mod:`.expand`: one series to its occurrences (``recurring-ical-events``);
- :mod:`.arithmetic`: simple daily, weekly and monthly series counted out over the window;
- :mod:`.read`: a whole text to model events and problems;
- :mod:`.files`: the ``.ics`` file and vdir calendars;
- :mod:`.details`: the descriptions of a group's feed (its events' audience).
"""

from sync.sources.ics.files import IcsFileCalendar, VdirCalendar
from sync.sources.ics.prescan import PRESCAN_MARGIN
from sync.sources.ics.read import decode_calendar, parse_calendar_bytes, parse_calendar_text
from sync.sources.ics.zones import ZoneCache

__all__ = [
    "PRESCAN_MARGIN",
    "IcsFileCalendar",
    "VdirCalendar",
    "ZoneCache",
    "decode_calendar",
    "parse_calendar_bytes",
    "parse_calendar_text",
]
