"""What netweave keeps of the user's additions when it rewrites one of its own events.

netweave owns a short list of an event's fields (:data:`OWN_PROPERTIES`: its marker, times,
title, location, description, categories, class, transparency, sequence, stamp). When it
rewrites an event it writes those and keeps everything else exactly as stored, byte for byte:

- every other property of the VEVENT: ATTENDEE and ORGANIZER (guests the user invited), COLOR,
  URL, CREATED, STATUS, any X- property another program added...;
- every component inside it (VALARM: the user's reminders);
- every other component of the calendar object (another VEVENT, a VTODO, a VTIMEZONE with a
  TZID other than the one netweave writes) and calendar properties netweave does not write;
- the user's additions to the DESCRIPTION: netweave records a hash of the text it wrote
  (:data:`NOTES_HASH`); text the user appended after it (a note, on lines of its own) is kept
  after netweave's new text. If the user changed netweave's own text, their whole description
  is kept and netweave's new agenda is not written into it.

Pure functions over bytes and text, no I/O.
"""

from __future__ import annotations

import hashlib
import re

#: The VEVENT property recording a hash of the DESCRIPTION text netweave wrote.
NOTES_HASH = "X-NETWEAVE-NOTES-HASH"
#: The VEVENT properties netweave writes (and so replaces); everything else is the user's.
OWN_PROPERTIES = frozenset(
    {
        "UID", "X-NETWEAVE-ID", "X-NETWEAVE-KIND", NOTES_HASH, "DTSTAMP", "DTSTART", "DTEND",
        "DURATION", "SUMMARY", "LOCATION", "DESCRIPTION", "CATEGORIES", "CLASS", "TRANSP",
        "SEQUENCE",
    }
)  # fmt: skip
_CALENDAR_OWN = frozenset({"PRODID", "VERSION", "CALSCALE", "METHOD"})
_NAME = re.compile(rb"^([A-Za-z0-9-]+)")


def notes_hash(text: str) -> str:
    """A short hash of a description as netweave wrote it (line endings normalised)."""
    norm = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


def merge_notes(current: str, written_hash: str | None, new: str) -> str:
    """The description to write: netweave's ``new`` text plus what the user appended to the
    text netweave wrote before (whose hash is ``written_hash``).

    Unknown history (no hash) or no description: ``new``. The user's text not starting with
    what netweave wrote: ``current`` unchanged (theirs wins).
    """
    norm = current.replace("\r\n", "\n").replace("\r", "\n")
    if written_hash is None or not norm.strip() or notes_hash(norm) == written_hash:
        return new
    lines = norm.split("\n")
    for k in range(len(lines) - 1, -1, -1):
        if notes_hash("\n".join(lines[:k])) == written_hash:
            added = "\n".join(lines[k:]).strip("\n")
            if not added.strip():
                return new
            return f"{new.rstrip()}\n\n{added}" if new.strip() else added
    return current


# --------------------------------------------------------------------------- iCalendar text


def _logical_lines(data: bytes) -> list[bytes]:
    """Content lines with their folded continuations and line endings, as stored."""
    out: list[bytes] = []
    for raw in data.splitlines(keepends=True):
        if raw[:1] in (b" ", b"\t") and out:
            out[-1] += raw
        elif raw.strip():
            out.append(raw)
    return out


def _name(line: bytes) -> str:
    m = _NAME.match(line)
    return m.group(1).decode("ascii").upper() if m else ""


def _value(line: bytes) -> str:
    """A property's value, unfolded and unescaped (TEXT rules)."""
    text = re.sub(rb"\r?\n[ \t]", b"", line).rstrip(b"\r\n").decode("utf-8", "replace")
    quoted = False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            text = text[i + 1 :]
            break
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append("\n" if text[i + 1] in "nN" else text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _components(lines: list[bytes]) -> list[tuple[str, list[bytes]]]:
    """Split the inside of a component into its properties ("" , [line]) and subcomponents
    (NAME, [lines from BEGIN to END])."""
    items: list[tuple[str, list[bytes]]] = []
    depth = 0
    for line in lines:
        name = _name(line)
        if depth == 0 and name == "BEGIN":
            items.append((_value(line).strip().upper(), [line]))
            depth = 1
        elif depth > 0:
            items[-1][1].append(line)
            if name == "BEGIN":
                depth += 1
            elif name == "END":
                depth -= 1
        else:
            items.append(("", [line]))
    return items


def _inside(chunk: bytes, kind: str) -> tuple[list[bytes], bytes, bytes] | None:
    """(the lines inside BEGIN:kind .. END:kind, the BEGIN line, the END line)."""
    lines = _logical_lines(chunk)
    if len(lines) < 2 or _name(lines[0]) != "BEGIN" or _value(lines[0]).strip().upper() != kind:
        return None
    return lines[1:-1], lines[0], lines[-1]


def user_part(old_vevent: bytes) -> tuple[list[bytes], str, str | None]:
    """What of a stored VEVENT is the user's: (the lines to keep, its DESCRIPTION, the notes
    hash netweave recorded)."""
    parts = _inside(old_vevent, "VEVENT")
    if parts is None:
        return [], "", None
    keep: list[bytes] = []
    description, written = "", None
    for kind, lines in _components(parts[0]):
        name = _name(lines[0])
        if kind:
            keep.extend(lines)
        elif name == "DESCRIPTION":
            description = _value(lines[0])
        elif name == NOTES_HASH:
            written = _value(lines[0]).strip()
        elif name not in OWN_PROPERTIES:
            keep.extend(lines)
    return keep, description, written


def keep_in_vevent(old_vevent: bytes, new_vevent: bytes) -> bytes:
    """``new_vevent`` with the user's properties and components of ``old_vevent`` added before
    its END line (in the new text's line ending)."""
    keep, _desc, _hash = user_part(old_vevent)
    parts = _inside(new_vevent, "VEVENT")
    if not keep or parts is None:
        return new_vevent
    inner, begin, end = parts
    newline = b"\r\n" if begin.endswith(b"\r\n") else b"\n"
    kept = [_with_newline(line, newline) for line in keep]
    return begin + b"".join(inner) + b"".join(kept) + end


def _with_newline(line: bytes, newline: bytes) -> bytes:
    return re.sub(rb"\r?\n", newline, line)


def _split_calendar(data: bytes) -> tuple[bytes, list[tuple[str, list[bytes]]], bytes] | None:
    parts = _inside(data, "VCALENDAR")
    if parts is None:
        return None
    inner, begin, end = parts
    return begin, _components(inner), end


def owned_vevent(data: bytes, marker: str) -> bytes | None:
    """The VEVENT of a calendar object that carries ``marker`` (its master), as stored."""
    split = _split_calendar(data)
    if split is None:
        return None
    found = [
        b"".join(lines)
        for kind, lines in split[1]
        if kind == "VEVENT" and any(_name(x) == marker for x in lines)
    ]
    masters = [v for v in found if b"RECURRENCE-ID" not in v.upper()]
    candidates = masters or found
    return candidates[0] if candidates else None


def keep_in_calendar(old: bytes, new: bytes, marker: str) -> bytes:
    """The calendar object ``new`` (netweave's rendering of one event) with what the user
    added to ``old`` kept: see the module docstring."""
    old_split, new_split = _split_calendar(old), _split_calendar(new)
    old_event = owned_vevent(old, marker)
    if old_split is None or new_split is None or old_event is None:
        return new
    begin, new_items, end = new_split
    newline = b"\r\n" if begin.endswith(b"\r\n") else b"\n"
    new_props = {_name(lines[0]) for kind, lines in new_items if not kind}
    new_zones = {_tzid(lines) for kind, lines in new_items if kind == "VTIMEZONE"}
    props = [b"".join(lines) for kind, lines in new_items if not kind]
    comps = [
        keep_in_vevent(old_event, b"".join(lines)) if kind == "VEVENT" else b"".join(lines)
        for kind, lines in new_items
        if kind
    ]
    for kind, lines in old_split[1]:
        chunk = _with_newline(b"".join(lines), newline)
        if not kind:
            if _name(lines[0]) not in new_props | _CALENDAR_OWN:
                props.append(chunk)
        elif kind == "VTIMEZONE" and _tzid(lines) in new_zones:
            continue
        elif b"".join(lines) != old_event:
            comps.append(chunk)
    return begin + b"".join(props) + b"".join(comps) + end


def _tzid(lines: list[bytes]) -> str:
    return next((_value(x).strip() for x in lines if _name(x) == "TZID"), "")
