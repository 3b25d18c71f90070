"""Deterministic (seeded) generator of realistic address books and calendars at scale.

    .venv/bin/python benchmarks/generate.py OUTDIR [--contacts 10000] [--events 20000] [--span 1]

Writes ``OUTDIR/contacts.vcf`` (every dialect in one file, as an "export all" of several
address books would be concatenated), ``OUTDIR/calendar.ics`` (one VCALENDAR, Outlook-style
Windows VTIMEZONEs next to IANA ones) and ``OUTDIR/config.toml`` (a 26-week plan, a writable
vdir target, an export) for the benchmarks in ``benchmarks/run.py``.

Contacts (``--contacts`` cards, the same seed gives the same bytes):

* vCard 2.1 as Outlook writes it: ``ENCODING=QUOTED-PRINTABLE`` with ``CHARSET=Windows-1252`` /
  ``utf-8``, soft line breaks, bare type parameters (``TEL;WORK;VOICE``), ``X-MS-`` fields;
* vCard 3.0 as Apple writes it: ``item1.EMAIL`` + ``item1.X-ABLabel``, ``X-ABRELATEDNAMES``,
  group cards (``X-ADDRESSBOOKSERVER-KIND:group`` with members);
* vCard 3.0 as Google writes it: ``CATEGORIES:myContacts,...``, typed emails, ``BDAY``;
* vCard 4.0 as Nextcloud writes it: ``TEL;VALUE=uri:tel:``, ``UID:urn:uuid:``, ``RELATED``,
  ``KIND:group`` + ``MEMBER``.

About 5% of the people appear twice in different dialects (same email): merging is exercised.

Events (``--events`` VEVENT components), spread over 2012-2033 (``--span k``: the events of
``--events / k`` repeated k times, 22 years apart, so every week holds what it holds at 1x) so
that most lie outside the planning window (from 2026-11-21, 26 weeks) and the one-year history
window:

* single timed events in America/New_York, Europe/Berlin, Asia/Tokyo (IANA), "Eastern Standard
  Time" / "W. Europe Standard Time" / "Pacific Standard Time" (Windows, with VTIMEZONEs as Outlook
  writes them), UTC (``Z``) and floating; attendees drawn from the contacts; VALARMs and long
  folded DESCRIPTIONs; an entry in a zone abroad is an invitation from an organiser there;
* trips: a flight out and one back 1 to 3 days later, about every seven weeks;
* all-day events (holidays and birthdays transparent, vacations opaque, multi-day);
* transparent events and ``X-MICROSOFT-CDO-BUSYSTATUS:FREE``;
* recurring series: weekly/daily/monthly with UNTIL (most), COUNT, a few open-ended, with
  EXDATEs; RECURRENCE-ID overrides that move an instance, and cancelled instances.
"""

from __future__ import annotations

import argparse
import random
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

SEED = 8
OWNER_EMAIL = "dana.whitfield@baxterlowe.com"
PLAN_START = date(2026, 11, 21)
FIRST_YEAR, LAST_YEAR = 2012, 2033

GIVEN = [
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "William",
    "Elizabeth",
    "David",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Christopher",
    "Nancy",
    "Daniel",
    "Lisa",
    "Matthew",
    "Betty",
    "Anthony",
    "Margaret",
    "Mark",
    "Sandra",
    "Donald",
    "Ashley",
    "Steven",
    "Kimberly",
    "Paul",
    "Emily",
    "Andrew",
    "Donna",
    "Joshua",
    "Michelle",
    "Kenneth",
    "Carol",
    "Kevin",
    "Amanda",
    "Brian",
    "Melissa",
    "George",
    "Deborah",
    "Timothy",
    "Stephanie",
    "José",
    "Zoë",
    "Renée",
    "Björn",
    "François",
    "Søren",
    "Łukasz",
    "Chloé",
    "Mónica",
    "Jürgen",
]
FAMILY = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Müller",
    "O'Brien",
    "Nuñez",
    "Kowalski",
    "Öztürk",
    "Dubois",
    "Sørensen",
    "Kessler",
    "Vance",
    "Fitch",
    "Osei",
]
FIRMS = [
    "Baxter Lowe LLP",
    "Burke Feinstein PLLC",
    "Kim & Osei",
    "Carrow Partners",
    "Hudson Title Co.",
    "Meridian Capital",
    "Northwind Health",
    "Columbia Law School",
    "NYSBA",
    "Acme Insurance",
    "Grant & Whitaker",
    "Lexington Advisors",
    "Brooklyn Tech",
    "St. Mark's Parish",
    "Harbor Bank",
]
TITLES = [
    "Partner",
    "Associate",
    "General Counsel",
    "Professor",
    "Paralegal",
    "CFO",
    "Managing Director",
    "Judge",
    "Senior Associate",
    "Of Counsel",
    "Recruiter",
    "Accountant",
    "Physician",
    "Pastor",
    "Author",
]
CATS = [
    "Family",
    "Friends",
    "Clients",
    "Colleagues",
    "Mentors",
    "Alumni",
    "Bar Association",
    "Doctor",
    "Church",
    "Law School",
    "Targets",
    "Book Club",
    "Former Colleagues",
]
RELATIONS = ("Spouse", "Mother", "Father", "Sister", "Brother", "Assistant", "Manager", "Child")
SUMMARIES = [
    "Deposition prep",
    "Client call",
    "Team meeting",
    "Partner lunch",
    "Court appearance",
    "Doctor",
    "Dentist",
    "Pickup kids",
    "Gym",
    "Board meeting",
    "Status conference",
    "Mediation",
    "Coffee",
    "Brief review",
    "All hands",
    "Budget review",
    "Dinner",
    "Conference call",
    "1:1",
]
LOREM = (
    "Please review the attached draft before the call. Dial-in: +1 646 555 0100, access code "
    "123 456 789#. Agenda: status of discovery, scheduling of depositions, privilege log, "
    "expert reports, settlement posture. Microsoft Teams meeting: join on your computer or "
    "mobile app. Click here to join the meeting. Learn more about Teams. Meeting options. "
)

# Windows zones as Outlook writes them (two rules each), and IANA zones as Google writes them.
VTIMEZONES = {
    "Eastern Standard Time": ("-0500", "-0400", 3, 11),
    "W. Europe Standard Time": ("+0100", "+0200", 3, 10),
    "Pacific Standard Time": ("-0800", "-0700", 3, 11),
    "America/New_York": ("-0500", "-0400", 3, 11),
    "Europe/Berlin": ("+0100", "+0200", 3, 10),
    "Asia/Tokyo": ("+0900", None, 0, 0),
}
TZIDS = (
    ["America/New_York"] * 8
    + ["Eastern Standard Time"] * 6
    + ["Europe/Berlin", "W. Europe Standard Time", "Pacific Standard Time", "Asia/Tokyo"]
    + ["Z"] * 3
    + ["floating"]
)
# Zones of the owner's own town: an entry in any other zone is an invitation from an office
# abroad (it carries its organiser's zone), as such entries come into a New York calendar.
HOME_TZIDS = {"America/New_York", "Eastern Standard Time", "Z", "floating"}
# Trips as a calendar shows them: a flight out and a flight back 1 to 3 days later (with a
# meeting there in between), about every seven weeks.
TRIPS = [
    ("Chicago", "ORD", "UA"),
    ("Boston", "BOS", "B6"),
    ("Washington", "DCA", "AA"),
    ("London", "LHR", "BA"),
    ("San Francisco", "SFO", "UA"),
]
TRIP_EVERY = timedelta(days=49)


# --------------------------------------------------------------------------- helpers


def fold(line: str) -> str:
    """RFC 5545/6350 folding at 75 octets (approximated by characters), CRLF endings."""
    if len(line) <= 75:
        return line + "\r\n"
    parts = [line[:75]]
    rest = line[75:]
    while rest:
        parts.append(" " + rest[:74])
        rest = rest[74:]
    return "\r\n".join(parts) + "\r\n"


def qp(text: str, charset: str) -> str:
    """Quoted-printable as Outlook writes it (soft line breaks every ~70 chars)."""
    raw = text.encode(charset, "replace")
    out: list[str] = []
    line = ""
    for b in raw:
        ch = chr(b)
        enc = ch if (33 <= b <= 126 and ch != "=") or b == 32 else f"={b:02X}"
        if len(line) + len(enc) > 72:
            out.append(line + "=")
            line = ""
        line += enc
    out.append(line)
    return "\r\n".join(out)


def esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


AREA_CODES = ("212", "646", "332", "917", "718", "347", "929", "516", "631", "914")


class Person:
    def __init__(self, rng: random.Random, i: int) -> None:
        self.i = i
        self.given = rng.choice(GIVEN)
        self.family = rng.choice(FAMILY)
        self.firm = rng.choice(FIRMS)
        self.title = rng.choice(TITLES)
        slug = f"{self.given}.{self.family}".lower().encode("ascii", "ignore").decode()
        slug = slug.replace("'", "")
        domain = self.firm.split()[0].lower().strip("&.,'") or "mail"
        self.email = f"{slug}{i}@{domain}.example"
        self.email2 = f"{slug}{i}@gmail.example" if rng.random() < 0.4 else None
        # each ten thousand people another New York area code: a bigger book has no two
        # people on one number (shared numbers read as a switchboard or as the same person)
        area = AREA_CODES[i // 10000 % len(AREA_CODES)]
        self.phone = f"+1 ({area}) 555-{i % 10000:04d}"
        self.cats = rng.sample(CATS, rng.randrange(0, 3))
        self.uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        self.relation = (
            (rng.choice(RELATIONS), f"{rng.choice(GIVEN)} {self.family}")
            if rng.random() < 0.15
            else None
        )
        self.note = (
            f"Met at {rng.choice(FIRMS)} reception; talked about arbitration, the new "
            f"discovery rules and {rng.choice(SUMMARIES).lower()}. Follow up in spring."
            if rng.random() < 0.5
            else ""
        )
        self.bday = date(rng.randrange(1950, 2000), rng.randrange(1, 13), rng.randrange(1, 29))

    @property
    def fn(self) -> str:
        return f"{self.given} {self.family}"


# --------------------------------------------------------------------------- vCards


def card_outlook21(p: Person) -> str:
    charset = "Windows-1252" if p.i % 3 else "utf-8"
    try:
        p.fn.encode("cp1252")
    except UnicodeEncodeError:
        charset = "utf-8"  # Outlook falls back to UTF-8 for names outside its code page
    lines = ["BEGIN:VCARD", "VERSION:2.1"]
    name = f"{p.family};{p.given}"
    if any(ord(c) > 127 for c in name):
        enc = qp(name, "cp1252" if charset == "Windows-1252" else "utf-8")
        lines.append(f"N;LANGUAGE=en-us;CHARSET={charset};ENCODING=QUOTED-PRINTABLE:{enc}")
        enc = qp(p.fn, "cp1252" if charset == "Windows-1252" else "utf-8")
        lines.append(f"FN;CHARSET={charset};ENCODING=QUOTED-PRINTABLE:{enc}")
    else:
        lines += [f"N;LANGUAGE=en-us:{name}", f"FN:{p.fn}"]
    lines += [f"ORG:{p.firm};Litigation", f"TITLE:{p.title}"]
    lines.append(f"TEL;WORK;VOICE:{p.phone}")
    if p.i % 4 == 0:
        lines.append(f"TEL;CELL;VOICE:+1 917 555 {p.i % 10000:04d}")
    addr = f";;{p.i} Park Ave.\r\nSuite {p.i % 40}\r\nAttn: {p.fn};New York;NY;10022;USA"
    enc = qp(addr, "cp1252" if charset == "Windows-1252" else "utf-8")
    lines.append(f"ADR;WORK;PREF;CHARSET={charset};ENCODING=QUOTED-PRINTABLE:{enc}")
    lines.append(f"EMAIL;PREF;INTERNET:{p.email}")
    if p.email2:
        lines.append(f"EMAIL;INTERNET:{p.email2}")
    if p.note:
        enc = qp(p.note, "cp1252" if charset == "Windows-1252" else "utf-8")
        lines.append(f"NOTE;CHARSET={charset};ENCODING=QUOTED-PRINTABLE:{enc}")
    if p.relation:
        lines.append(f"X-MS-SPOUSE;CHARSET={charset}:{p.relation[1]}")
    if p.cats:
        lines.append("CATEGORIES:" + ",".join(p.cats))
    lines += ["X-MS-OL-DEFAULT-POSTAL-ADDRESS:2", "X-MS-OL-DESIGN;CHARSET=utf-8:<card/>"]
    lines += [f"REV:20240{1 + p.i % 9}11T101010Z", "END:VCARD"]
    # 2.1 lines are not folded by Outlook except QP soft breaks (already in the text).
    return "".join(line + "\r\n" for line in lines)


def card_apple30(p: Person) -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//macOS 14.4//EN"]
    lines += [f"N:{esc(p.family)};{esc(p.given)};;;", f"FN:{esc(p.fn)}"]
    lines += [f"ORG:{esc(p.firm)};", f"TITLE:{esc(p.title)}"]
    lines += [f"item1.EMAIL;type=INTERNET;type=pref:{p.email}", "item1.X-ABLabel:_$!<Other>!$_"]
    if p.email2:
        lines.append(f"EMAIL;type=INTERNET;type=HOME:{p.email2}")
    lines.append(f"TEL;type=CELL;type=VOICE;type=pref:{p.phone}")
    lines.append(f"item2.ADR;type=WORK:;;{p.i} Park Ave;New York;NY;10022;United States")
    lines.append("item2.X-ABADR:us")
    if p.relation:
        lines += [
            f"item3.X-ABRELATEDNAMES;type=pref:{esc(p.relation[1])}",
            f"item3.X-ABLabel:_$!<{p.relation[0]}>!$_",
        ]
    if p.note:
        lines.append(f"NOTE:{esc(p.note)}")
    if p.cats:
        lines.append("CATEGORIES:" + ",".join(esc(c) for c in p.cats))
    lines += [f"UID:{p.uid}", f"X-ABUID:{p.uid.upper()}:ABPerson", "END:VCARD"]
    return "".join(fold(line) for line in lines)


def card_google30(p: Person) -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0"]
    lines += [f"FN:{esc(p.fn)}", f"N:{esc(p.family)};{esc(p.given)};;;"]
    lines.append(f"EMAIL;TYPE=INTERNET;TYPE=WORK:{p.email}")
    if p.email2:
        lines.append(f"EMAIL;TYPE=INTERNET;TYPE=HOME:{p.email2}")
    lines.append(f"TEL;TYPE=CELL:{p.phone}")
    lines.append(f"ORG:{esc(p.firm)}")
    lines.append(f"TITLE:{esc(p.title)}")
    lines.append(f"BDAY:{p.bday.isoformat()}")
    if p.note:
        lines.append(f"NOTE:{esc(p.note)}")
    lines.append("CATEGORIES:" + ",".join(["myContacts", *(esc(c) for c in p.cats)]))
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def card_nextcloud40(p: Person) -> str:
    lines = ["BEGIN:VCARD", "VERSION:4.0", "PRODID:-//Sabre//Sabre VObject 4.5.4//EN"]
    lines += [f"UID:urn:uuid:{p.uid}", f"FN:{esc(p.fn)}", f"N:{esc(p.family)};{esc(p.given)};;;"]
    lines.append(f"EMAIL;TYPE=work;PREF=1:{p.email}")
    if p.email2:
        lines.append(f"EMAIL;TYPE=home:{p.email2}")
    digits = "".join(c for c in p.phone if c.isdigit())
    lines.append(f'TEL;VALUE=uri;TYPE="voice,cell":tel:+{digits[0]}-{digits[1:4]}-{digits[4:]}')
    lines.append(f"ORG:{esc(p.firm)}")
    lines.append(f"TITLE:{esc(p.title)}")
    if p.relation:
        lines.append(f"RELATED;TYPE={p.relation[0].lower()};VALUE=text:{esc(p.relation[1])}")
    if p.note:
        lines.append(f"NOTE:{esc(p.note)}")
    if p.cats:
        lines.append("CATEGORIES:" + ",".join(esc(c) for c in p.cats))
    lines += ["REV:20250102T030405Z", "END:VCARD"]
    return "".join(fold(line) for line in lines)


DIALECTS = (card_outlook21, card_apple30, card_google30, card_nextcloud40)


def apple_group(name: str, uid: str, members: list[Person]) -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//macOS 14.4//EN"]
    lines += [f"N:{esc(name)}", f"FN:{esc(name)}", "X-ADDRESSBOOKSERVER-KIND:group"]
    lines += [f"X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:{m.uid}" for m in members]
    lines += [f"UID:{uid}", "END:VCARD"]
    return "".join(fold(line) for line in lines)


def nextcloud_group(name: str, uid: str, members: list[Person]) -> str:
    lines = ["BEGIN:VCARD", "VERSION:4.0", "KIND:group", f"FN:{esc(name)}"]
    lines += [f"MEMBER:urn:uuid:{m.uid}" for m in members]
    lines += [f"UID:urn:uuid:{uid}", "END:VCARD"]
    return "".join(fold(line) for line in lines)


def people(n: int, seed: int = SEED) -> list[Person]:
    rng = random.Random(seed)
    return [Person(rng, i) for i in range(n)]


def vcards(n: int, seed: int = SEED) -> str:
    """``n`` person cards (plus a few group cards) in all four dialects."""
    rng = random.Random(seed + 1)
    persons = people(n, seed)
    parts: list[str] = []
    for p in persons:
        dialect = DIALECTS[p.i % 4]
        parts.append(dialect(p))
        if rng.random() < 0.05:  # the same person again from another address book
            parts.append(DIALECTS[(p.i + 1) % 4](p))
    apple_members = [p for p in persons if p.i % 4 == 1]
    next_members = [p for p in persons if p.i % 4 == 3]
    for g in range(max(1, n // 2000)):
        uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        pick = rng.sample(apple_members, min(len(apple_members), 25))
        parts.append(apple_group(f"Book Club {g}", uid, pick))
        uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        pick = rng.sample(next_members, min(len(next_members), 25))
        parts.append(nextcloud_group(f"Bar Section {g}", uid, pick))
    return "".join(parts)


# --------------------------------------------------------------------------- events


def vtimezone(tzid: str) -> str:
    std, dst, dst_month, std_month = VTIMEZONES[tzid]
    out = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    if dst is None:
        out += [
            "BEGIN:STANDARD",
            "DTSTART:16010101T000000",
            f"TZOFFSETFROM:{std}",
            f"TZOFFSETTO:{std}",
            "END:STANDARD",
        ]
    else:
        europe = std.startswith("+")
        std_rule = "BYDAY=-1SU" if europe else "BYDAY=1SU"
        dst_rule = "BYDAY=-1SU" if europe else "BYDAY=2SU"
        out += [
            "BEGIN:STANDARD",
            "DTSTART:16011104T020000" if not europe else "DTSTART:16011028T030000",
            f"RRULE:FREQ=YEARLY;{std_rule};BYMONTH={std_month}",
            f"TZOFFSETFROM:{dst}",
            f"TZOFFSETTO:{std}",
            "END:STANDARD",
            "BEGIN:DAYLIGHT",
            "DTSTART:16010311T020000" if not europe else "DTSTART:16010325T020000",
            f"RRULE:FREQ=YEARLY;{dst_rule};BYMONTH={dst_month}",
            f"TZOFFSETFROM:{std}",
            f"TZOFFSETTO:{dst}",
            "END:DAYLIGHT",
        ]
    out.append("END:VTIMEZONE")
    return "".join(line + "\r\n" for line in out)


def _dt(prop: str, when: datetime, tzid: str) -> str:
    stamp = when.strftime("%Y%m%dT%H%M%S")
    if tzid == "Z":
        return f"{prop}:{stamp}Z"
    if tzid == "floating":
        return f"{prop}:{stamp}"
    return f"{prop};TZID={tzid}:{stamp}"


def _random_time(rng: random.Random, first_year: int = FIRST_YEAR) -> datetime:
    last_year = first_year + LAST_YEAR - FIRST_YEAR
    day = date(first_year, 1, 1) + timedelta(
        days=rng.randrange((date(last_year, 12, 31) - date(first_year, 1, 1)).days)
    )
    return datetime(day.year, day.month, day.day, rng.randrange(7, 20), rng.choice((0, 15, 30, 45)))


def _common(
    rng: random.Random, uid: str, emails: list[str], tzid: str = "America/New_York"
) -> list[str]:
    lines = [f"UID:{uid}", "DTSTAMP:20250101T120000Z", f"SUMMARY:{rng.choice(SUMMARIES)}"]
    if tzid not in HOME_TZIDS and emails:  # an invitation from an office abroad
        organizer = rng.choice(emails)
        lines.append(f"ORGANIZER:mailto:{organizer}")
        lines.append(f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{OWNER_EMAIL}")
        lines.append(f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{organizer}")
        return lines
    if rng.random() < 0.3:
        lines.append(f"LOCATION:{rng.choice(FIRMS)}\\, {rng.randrange(1, 60)}th floor")
    if rng.random() < 0.5:
        size = rng.randrange(100, 700)
        text = (LOREM * 3)[:size]
        lines.append("DESCRIPTION:" + esc(text))
    if emails and rng.random() < 0.6:
        lines.append(f"ORGANIZER;CN=Dana Whitfield:mailto:{OWNER_EMAIL}")
        for email in rng.sample(emails, rng.randrange(1, 4)):
            lines.append(
                f"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:{email}"
            )
    if rng.random() < 0.2:
        lines.append("X-MICROSOFT-CDO-BUSYSTATUS:BUSY")
    return lines


def _valarm(rng: random.Random) -> list[str]:
    if rng.random() >= 0.3:
        return []
    return [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:Reminder",
        f"TRIGGER:-PT{rng.choice((5, 10, 15, 30))}M",
        "END:VALARM",
    ]


def _vevent(lines: list[str]) -> str:
    return "".join(fold(line) for line in ["BEGIN:VEVENT", *lines, "END:VEVENT"])


def trips(rng: random.Random, first_year: int, suffix: str) -> list[str]:
    """The flights of a trip about every ``TRIP_EVERY`` over the 22 years from ``first_year``:
    out in the morning, back 1 to 3 days later in the evening, as the owner enters them."""
    out: list[str] = []
    day = date(first_year, 1, 1) + timedelta(days=rng.randrange(TRIP_EVERY.days))
    last = date(first_year + LAST_YEAR - FIRST_YEAR, 12, 31)
    n = 0
    while day < last:
        city, code, airline = rng.choice(TRIPS)
        number = rng.randrange(100, 2000)
        back = day + timedelta(days=rng.randrange(1, 4))
        legs = [
            (day, 7, f"Flight to {city} ({airline} {number})", "LaGuardia Airport (LGA)"),
            (back, 18, f"Flight to New York ({airline} {number + 1})", f"Airport ({code})"),
        ]
        for when, hour, summary, where in legs:
            n += 1
            start = datetime(when.year, when.month, when.day, hour, 0)
            out.append(
                _vevent(
                    [
                        _dt("DTSTART", start, "America/New_York"),
                        _dt("DTEND", start + timedelta(hours=2), "America/New_York"),
                        f"UID:trip-{first_year}-{n}{suffix}",
                        "DTSTAMP:20250101T120000Z",
                        f"SUMMARY:{summary}",
                        f"LOCATION:{esc(where)}",
                    ]
                )
            )
        day += TRIP_EVERY + timedelta(days=rng.randrange(-7, 8))
    return out


def events(
    m: int, emails: list[str], seed: int = SEED, first_year: int = FIRST_YEAR, suffix: str = ""
) -> Iterator[str]:
    """``m`` VEVENT components as text, over the 22 years from ``first_year``; ``suffix`` is
    appended to every UID (the same seed gives the same events, shifted by whole years). The
    flights of ``trips`` are among them."""
    rng = random.Random(seed + 2)
    flights = trips(random.Random(seed + 5), first_year, suffix)[: m // 10]
    yield from flights
    made = len(flights)
    n = 0
    while made < m:
        n += 1
        uid = f"{uuid.UUID(int=rng.getrandbits(128), version=4)}{suffix}"
        r = rng.random()
        if r < 0.62 or m - made < 6:  # single timed event
            tzid = rng.choice(TZIDS)
            start = _random_time(rng, first_year)
            end = start + timedelta(minutes=rng.choice((30, 30, 45, 60, 60, 90, 120)))
            lines = [_dt("DTSTART", start, tzid), _dt("DTEND", end, tzid)]
            lines += _common(rng, uid, emails, tzid)
            if rng.random() < 0.07:
                lines.append("TRANSP:TRANSPARENT")
            elif rng.random() < 0.03 and "X-MICROSOFT-CDO-BUSYSTATUS:BUSY" not in lines:
                lines.append("X-MICROSOFT-CDO-BUSYSTATUS:FREE")
            lines += _valarm(rng)
            yield _vevent(lines)
            made += 1
        elif r < 0.74:  # all-day: holidays/birthdays (transparent), vacations (opaque)
            day = _random_time(rng, first_year).date()
            days = 1 if rng.random() < 0.8 else rng.randrange(2, 10)
            lines = [
                f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                f"DTEND;VALUE=DATE:{day + timedelta(days=days):%Y%m%d}",
                f"UID:{uid}",
                "DTSTAMP:20250101T120000Z",
                "SUMMARY:" + ("Vacation" if days > 1 else rng.choice(("Holiday", "Birthday"))),
            ]
            if days == 1:
                lines.append("TRANSP:TRANSPARENT")
                if rng.random() < 0.3:
                    lines.append("RRULE:FREQ=YEARLY")
            yield _vevent(lines)
            made += 1
        else:  # a recurring series, perhaps with overrides and cancelled instances
            tzid = rng.choice([t for t in TZIDS if t != "floating"])
            start = _random_time(rng, first_year)
            minutes = rng.choice((30, 60, 60, 90))
            freq, step = rng.choice(
                (("WEEKLY", timedelta(weeks=1)),) * 5
                + (("DAILY", timedelta(days=1)), ("MONTHLY", timedelta(days=28)))
            )
            count = rng.randrange(4, 60)
            rule = f"RRULE:FREQ={freq}"
            kind = rng.random()
            if kind < 0.75 or freq != "WEEKLY":
                until = start + step * count
                until_s = until.strftime("%Y%m%dT%H%M%S")
                rule += f";UNTIL={until_s}Z" if tzid != "floating" else f";UNTIL={until_s}"
            elif kind < 0.997:
                rule += f";COUNT={count}"
            # else open-ended (a standing meeting)
            if freq == "WEEKLY" and rng.random() < 0.4:
                rule += ";BYDAY=" + rng.choice(("MO", "TU", "WE", "TH", "FR", "MO,WE", "TU,TH"))
                rule += ";WKST=SU"
            master = [
                _dt("DTSTART", start, tzid),
                _dt("DTEND", start + timedelta(minutes=minutes), tzid),
            ]
            master += [rule, *_common(rng, uid, emails, tzid)]
            exdates = sorted({rng.randrange(1, count) for _ in range(rng.randrange(0, 3))})
            for k in exdates:
                master.append(_dt("EXDATE", start + step * k, tzid))
            master += _valarm(rng)
            yield _vevent(master)
            made += 1
            for _ in range(rng.randrange(0, 3) if made < m - 3 else 0):
                k = rng.randrange(1, count)
                original = start + step * k
                if freq == "WEEKLY" and "BYDAY" in rule:
                    continue  # the k-th instance is not start + k weeks then
                moved = original + timedelta(hours=rng.choice((-2, -1, 1, 2, 24)))
                lines = [
                    _dt("RECURRENCE-ID", original, tzid),
                    _dt("DTSTART", moved, tzid),
                    _dt("DTEND", moved + timedelta(minutes=minutes), tzid),
                    *_common(rng, uid, emails, tzid),
                    "SEQUENCE:1",
                ]
                if rng.random() < 0.35:
                    lines.append("STATUS:CANCELLED")
                yield _vevent(lines)
                made += 1


def calendar(m: int, emails: list[str], seed: int = SEED, span: int = 1) -> str:
    """One VCALENDAR of ``m`` events; ``span`` > 1: the events of ``m / span`` repeated
    ``span`` times, each copy 22 years after the previous one (new UIDs), so that every week
    (the planning window too: it lies in the first copy) holds what it holds at ``span`` 1."""
    head = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
        "VERSION:2.0",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Work",
    ]
    tzs = "".join(vtimezone(t) for t in VTIMEZONES)
    years = LAST_YEAR - FIRST_YEAR + 1
    body = "".join(
        "".join(events(m // span, emails, seed, FIRST_YEAR + j * years, f"-{j}" if j else ""))
        for j in range(span)
    )
    return "".join(line + "\r\n" for line in head) + tzs + body + "END:VCALENDAR\r\n"


CONFIG = """\
[owner]
timezone = "America/New_York"
name = "Dana Whitfield"
emails = ["{owner}"]

[[goals]]
id = "small-firm-partner"
text = "Equity-partner track at a small-to-medium litigation firm in New York"

[[addressbooks]]
type = "vcard"
path = "contacts.vcf"
name = "all"

[[calendars]]
type = "ics"
path = "calendar.ics"
name = "work"
write = false

[[calendars]]
type = "vdir"
path = "out/networking"
name = "networking"
write = true

[budget]
hours_per_week = 5
max_one_on_ones_per_week = 3
buffer_minutes = 10

[[windows]]
name = "breakfast"
days = ["tue", "wed", "thu"]
start = "07:30"
end = "09:00"
duration_minutes = 60

[[windows]]
name = "coffee"
days = ["mon", "tue", "wed", "thu", "fri"]
start = "15:00"
end = "17:30"
duration_minutes = 45

[[windows]]
name = "lunch"
days = ["mon", "tue", "wed", "thu", "fri"]
start = "12:00"
end = "14:00"
duration_minutes = 60

[planner]
weeks = 26
history_days = 365
focus_size = 5{focus}
activities_per_month = 8

[confidential]
enabled = true
sensitive_words = ["interview", "recruiter", "Carrow"]

[export]
path = "out/agenda.ics"

[state]
path = "out/state.sqlite"
"""


def write(
    outdir: Path, contacts: int, events_: int, seed: int = SEED, span: int = 1, focus: int = 0
) -> dict[str, Path]:
    """Write the data set and a config into ``outdir``; returns the paths. ``span``: the
    events over that many times the 2012-2033 span (see :func:`calendar`); attendees are
    drawn from the first ``contacts / span`` people at every span. ``focus``: the config names
    the book's first ``focus`` people as the owner's focus people (``[planner] focus``), so a
    bigger book does not change who they are (the scaling case: the same plan at every size)."""
    outdir.mkdir(parents=True, exist_ok=True)
    persons = people(contacts, seed)
    emails = [p.email for p in persons[: max(1, contacts // span)]]
    vcf = outdir / "contacts.vcf"
    ics = outdir / "calendar.ics"
    cfg = outdir / "config.toml"
    vcf.write_bytes(vcards(contacts, seed).encode("utf-8"))
    ics.write_bytes(calendar(events_, emails, seed, span).encode("utf-8"))
    pinned = ", ".join(f'"{p.email}"' for p in persons[:focus])
    cfg.write_text(
        CONFIG.format(owner=OWNER_EMAIL, focus=f"\nfocus = [{pinned}]" if focus else ""),
        encoding="utf-8",
    )
    return {"vcf": vcf, "ics": ics, "config": cfg}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--contacts", type=int, default=10_000)
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--span", type=int, default=1, help="times the 2012-2033 span of the events")
    ap.add_argument("--focus", type=int, default=0, help="the first N people named as focus")
    args = ap.parse_args()
    paths = write(args.outdir, args.contacts, args.events, args.seed, args.span, args.focus)
    for name, path in paths.items():
        print(f"{name}: {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
