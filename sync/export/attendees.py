"""Who accepted an event, read from its iCalendar text: the ATTENDEE lines whose PARTSTAT is
ACCEPTED (as CalDAV servers and calendar apps write them when a guest says yes). Pure."""

from __future__ import annotations

import re

_ATTENDEE = re.compile(r"^ATTENDEE((?:;[^:]*)?):(.*)$", re.I | re.M)
_PARTSTAT = re.compile(r';PARTSTAT="?ACCEPTED"?(?:;|$)', re.I)


def accepted_attendees(data: bytes) -> tuple[str, ...]:
    """The lower-cased addresses of the attendees who accepted, in file order, once each."""
    if b"ATTENDEE" not in data.upper():
        return ()
    text = re.sub(r"\r?\n[ \t]", "", data.decode("utf-8", "replace")).replace("\r", "")
    out: list[str] = []
    for m in _ATTENDEE.finditer(text):
        if not _PARTSTAT.search(m.group(1) + ";"):
            continue
        addr = m.group(2).strip()
        addr = addr[7:] if addr.lower().startswith("mailto:") else addr
        if addr and addr.lower() not in out:
            out.append(addr.lower())
    return tuple(out)
