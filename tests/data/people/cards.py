"""Writes the fictional people's address books, calendars and expectations (deterministic).

Each person module (``ops.py``, ``engineer.py``, ``physician.py``, and the held-out
``professor.py`` and ``transport.py``) lists the people in one owner's address book by hand,
with the category the owner would give each of them and whether they are tied to the owner's
current employer. This file only renders them as the usual exports: Google Contacts (vCard 3.0,
CATEGORIES with ``myContacts`` and the user's labels), Apple Contacts (vCard 3.0,
``itemN.X-ABRELATEDNAMES`` with ``_$!<Label>!$_``; with ``apple_groups``, groups as iCloud group
cards) and Outlook (vCard 2.1, quoted-printable notes), plus a few vCard 4.0 cards with RELATED
(Nextcloud). A person with ``also`` is in a second export too, with less on the card. Each
owner's config.toml is built by ``config_toml`` around the owner's own tables, so the
address books it lists are the exports written.

Run ``python tests/data/people/cards.py`` to rewrite the files after changing a person module
(``python tests/data/people/cards.py FOLDER`` writes them under FOLDER instead, to compare).
"""

from __future__ import annotations

import hashlib
import sys
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class P:
    """One card and the owner's own judgement about that person."""

    name: str
    expect: str  # the first category the owner would give
    org: str = ""
    title: str = ""
    email: str = ""
    note: str = ""
    groups: tuple[str, ...] = ()  # address-book labels (Google groups)
    related: tuple[tuple[str, str], ...] = ()  # (label, name) as Apple/Google write them
    fmt: str = "google"  # google | apple | outlook | nextcloud
    employer: bool = False  # tied to the owner's current employer (never target/introducer)
    phone: str = ""
    also: str = ""  # a second export the same person is in (a duplicate the merge must join)


@dataclass(frozen=True)
class Meeting:
    day: str  # YYYYMMDD
    time: str  # HHMM
    summary: str
    attendees: tuple[str, ...] = ()
    rrule: str = ""
    minutes: int = 60


def emails_at(domain: str, *users: str) -> tuple[str, ...]:
    """The addresses of ``users`` at ``domain`` (a team invited to a meeting)."""
    return tuple(f"{user}@{domain}" for user in users)


@dataclass
class Owner:
    slug: str
    config: str  # the config.toml text (see config_toml); the owner's name and emails come from it
    people: list[P] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    apple_groups: bool = False  # Apple's groups as group cards (X-ADDRESSBOOKSERVER-KIND:group)

    @property
    def name(self) -> str:
        return str(tomllib.loads(self.config)["owner"]["name"])

    @property
    def emails(self) -> tuple[str, ...]:
        return tuple(tomllib.loads(self.config)["owner"]["emails"])


def _uid(owner: str, name: str) -> str:
    h = hashlib.sha256(f"{owner}/{name}".encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}".upper()


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def _fold(line: str) -> str:
    out, rest = [], line
    while len(rest.encode()) > 75:
        cut = 74
        while len(rest[:cut].encode()) > 74:
            cut -= 1
        out.append(rest[:cut])
        rest = " " + rest[cut:]
    out.append(rest)
    return "\r\n".join(out)


def _phone(owner: str, name: str, p: P) -> str:
    if p.phone:
        return p.phone
    n = int(hashlib.sha256(f"tel/{owner}/{name}".encode()).hexdigest()[:6], 16)
    return f"(414) 555-{n % 10000:04d}"


def _split(name: str) -> tuple[str, str]:
    parts = name.replace("Dr. ", "").split()
    return (parts[-1], " ".join(parts[:-1])) if len(parts) > 1 else (name, "")


def google(owner: str, p: P) -> list[str]:
    last, first = _split(p.name)
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_esc(p.name)}", f"N:{_esc(last)};{_esc(first)};;;"]
    if p.org:
        lines.append(f"ORG:{_esc(p.org)}")
    if p.title:
        lines.append(f"TITLE:{_esc(p.title)}")
    if p.email:
        lines += [f"item1.EMAIL;TYPE=INTERNET:{p.email}", "item1.X-ABLabel:"]
    lines.append(f"TEL;TYPE=CELL:{_phone(owner, p.name, p)}")
    for i, (label, who) in enumerate(p.related, start=2):
        lines += [f"item{i}.X-ABRELATEDNAMES:{_esc(who)}", f"item{i}.X-ABLabel:{label}"]
    if p.note:
        lines.append(f"NOTE:{_esc(p.note)}")
    lines.append("CATEGORIES:" + ",".join(["myContacts", *p.groups]))
    lines.append("END:VCARD")
    return lines


def apple(owner: str, p: P) -> list[str]:
    last, first = _split(p.name)
    uid = _uid(owner, p.name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "PRODID:-//Apple Inc.//macOS 15.1//EN",
        f"N:{_esc(last)};{_esc(first)};;;",
        f"FN:{_esc(p.name)}",
    ]
    if p.org:
        lines.append(f"ORG:{_esc(p.org)};")
    if p.title:
        lines.append(f"TITLE:{_esc(p.title)}")
    n = 1
    if p.email:
        lines += [
            f"item{n}.EMAIL;type=INTERNET;type=pref:{p.email}",
            f"item{n}.X-ABLabel:_$!<Other>!$_",
        ]
        n += 1
    lines.append(f"TEL;type=CELL;type=VOICE;type=pref:{_phone(owner, p.name, p)}")
    for label, who in p.related:
        lines += [f"item{n}.X-ABRELATEDNAMES:{_esc(who)}", f"item{n}.X-ABLabel:_$!<{label}>!$_"]
        n += 1
    if p.note:
        lines.append(f"NOTE:{_esc(p.note)}")
    lines += [f"X-ABUID:{uid}:ABPerson", f"UID:{uid}", "END:VCARD"]
    return lines


def _qp(text: str) -> str:
    body = text.replace("=", "=3D").replace("\n", "=0D=0A")
    return body


def outlook(owner: str, p: P) -> list[str]:
    last, first = _split(p.name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:2.1",
        f"N;CHARSET=Windows-1252:{last};{first}",
        f"FN;CHARSET=Windows-1252:{p.name}",
    ]
    if p.org:
        lines.append(f"ORG;CHARSET=Windows-1252:{p.org}")
    if p.title:
        lines.append(f"TITLE;CHARSET=Windows-1252:{p.title}")
    if p.note:
        lines.append(f"NOTE;ENCODING=QUOTED-PRINTABLE:{_qp(p.note)}")
    lines.append(f"TEL;CELL;VOICE:{_phone(owner, p.name, p)}")
    if p.email:
        lines.append(f"EMAIL;PREF;INTERNET:{p.email}")
    if p.groups:
        lines.append("CATEGORIES:" + ",".join(p.groups))
    lines.append("END:VCARD")
    return lines


def nextcloud(owner: str, p: P) -> list[str]:
    last, first = _split(p.name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"UID:{_uid(owner, p.name).lower()}",
        f"FN:{_esc(p.name)}",
    ]
    lines.append(f"N:{_esc(last)};{_esc(first)};;;")
    if p.org:
        lines.append(f"ORG:{_esc(p.org)}")
    if p.title:
        lines.append(f"TITLE:{_esc(p.title)}")
    if p.email:
        lines.append(f"EMAIL;TYPE=work:{p.email}")
    for label, who in p.related:
        lines.append(f"RELATED;TYPE={label.lower()};VALUE=text:{_esc(who)}")
    if p.note:
        lines.append(f"NOTE:{_esc(p.note)}")
    if p.groups:
        lines.append("CATEGORIES:" + ",".join(p.groups))
    lines.append("END:VCARD")
    return lines


WRITERS = {"google": google, "apple": apple, "outlook": outlook, "nextcloud": nextcloud}
FILES = {
    "google": "google.vcf",
    "apple": "apple.vcf",
    "outlook": "outlook.vcf",
    "nextcloud": "nextcloud.vcf",
}


def config_toml(head: str, books: dict[str, str], calendar: str, tail: str) -> str:
    """An owner's config.toml: ``head`` as written (the owner, schools and goals), one
    [[addressbooks]] table for each export in ``books`` (format -> the name the config gives
    it), the shared, writable calendar.ics named ``calendar``, then ``tail`` as written."""
    tables = [
        f'[[addressbooks]]\ntype = "vcard"\npath = "{FILES[fmt]}"\nname = "{name}"\n'
        for fmt, name in books.items()
    ]
    tables.append(
        f'[[calendars]]\ntype = "ics"\npath = "calendar.ics"\nname = "{calendar}"\n'
        "write = true\nshared = true\n"
    )
    return "\n".join([head, *tables, tail])


def apple_group_cards(o: Owner) -> list[str]:
    """Apple/iCloud export each group as a card of its own listing its members' UIDs."""
    groups: dict[str, list[str]] = {}
    for p in o.people:
        if "apple" in (p.fmt, p.also):
            for g in p.groups:
                groups.setdefault(g, []).append(_uid(o.slug, p.name))
    lines: list[str] = []
    for g, members in groups.items():
        uid = _uid(o.slug, f"group/{g}")
        lines += [
            "BEGIN:VCARD",
            "VERSION:3.0",
            "PRODID:-//Apple Inc.//macOS 15.1//EN",
            f"N:{_esc(g)};;;;",
            f"FN:{_esc(g)}",
            "X-ADDRESSBOOKSERVER-KIND:group",
            *(f"X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:{m}" for m in members),
            f"UID:{uid}",
            "END:VCARD",
        ]
    return lines


def _ics(o: Owner) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        f"X-WR-CALNAME:{o.name}",
    ]
    for m in o.meetings:
        end_min = int(m.time[:2]) * 60 + int(m.time[2:]) + m.minutes
        end = f"{end_min // 60:02d}{end_min % 60:02d}00"
        h = hashlib.sha256(f"{o.slug}/{m.day}/{m.summary}".encode()).hexdigest()[:16]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{h}@{o.slug}.example",
            "DTSTAMP:20261101T000000Z",
            f"DTSTART;TZID=America/Chicago:{m.day}T{m.time}00",
            f"DTEND;TZID=America/Chicago:{m.day}T{end}",
            f"SUMMARY:{_esc(m.summary)}",
        ]
        if m.rrule:
            lines.append(f"RRULE:{m.rrule}")
        if m.attendees:
            lines.append(f"ORGANIZER;CN={o.name}:mailto:{o.emails[0]}")
            for a in m.attendees:
                lines.append(f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{a}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(x) for x in lines) + "\r\n"


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _expected(o: Owner) -> str:
    out = [
        f"# {o.name}'s address book: the first category the owner would give each person,",
        "# decided by hand from who they are (not from what the tagger says), and whether the",
        "# person is tied to the owner's current employer (never a target, introducer or asked).",
        "",
    ]
    for p in o.people:
        out.append(f"[people.{_toml_str(p.name)}]")
        out.append(f"category = {_toml_str(p.expect)}")
        if p.employer:
            out.append("employer = true")
        out.append("")
    return "\n".join(out)


def write(o: Owner, root: Path = HERE) -> None:
    folder = root / o.slug
    folder.mkdir(parents=True, exist_ok=True)
    names = [p.name for p in o.people]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise SystemExit(f"{o.slug}: duplicate names {sorted(dupes)}")
    exports = {FILES[f] for p in o.people for f in (p.fmt, p.also) if f}
    listed = {b["path"] for b in tomllib.loads(o.config)["addressbooks"]}
    if exports != listed:
        raise SystemExit(f"{o.slug}: config lists {sorted(listed)}, cards are in {sorted(exports)}")
    books: dict[str, list[str]] = {}
    for p in o.people:
        books.setdefault(p.fmt, []).extend(WRITERS[p.fmt](o.slug, p))
        if p.also:  # the copy in the other export knows less about them
            bare = replace(p, note="", groups=(), related=(), title="")
            books.setdefault(p.also, []).extend(WRITERS[p.also](o.slug, bare))
    if o.apple_groups:
        books.setdefault("apple", []).extend(apple_group_cards(o))
    for fmt, lines in books.items():
        text = "\r\n".join(_fold(x) for x in lines) + "\r\n"
        (folder / FILES[fmt]).write_bytes(text.encode("utf-8"))
    (folder / "calendar.ics").write_bytes(_ics(o).encode("utf-8"))
    (folder / "config.toml").write_text(o.config, encoding="utf-8")
    (folder / "expected.toml").write_text(_expected(o), encoding="utf-8")


def main() -> None:
    sys.path.insert(0, str(HERE))
    import engineer
    import ops
    import physician
    import professor
    import transport

    root = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for mod in (ops, engineer, physician, professor, transport):
        write(mod.OWNER, root)


if __name__ == "__main__":
    main()
