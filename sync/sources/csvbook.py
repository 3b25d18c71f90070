"""CSV address books: LinkedIn connections, Google and Outlook CSV exports, alumni directories,
and any other CSV through a column mapping.

Config (``[[addressbooks]]`` with ``type = "csv"``): ``dialect`` is one of ``linkedin``,
``google``, ``outlook``, ``alumni``, ``custom``; ``encoding`` (default ``utf-8-sig``; Excel and
Outlook on Windows write ``cp1252``); ``[addressbooks.columns]`` maps a field to a column header
and overrides the dialect's defaults (needed for ``custom``). A value starting with ``=`` is a
constant for every row: ``school = "=Columbia Law School"`` for one school's alumni directory.

Fields: name, first_name, middle_name, last_name, email, phone, organization, title, note,
categories, city, school, class_year, connected_on, url, birthday. ``email``, ``phone`` and
``categories`` may name several columns, separated by ``|`` (``email = "Email|Email 2"``).

What is read: a header row is looked for (LinkedIn puts a few lines of notes before it); the
delimiter (comma, semicolon, tab) is taken from the header line. Each row becomes a
:class:`~sync.model.Contact` with ``sources = (name,)``; LinkedIn's "Connected On" and the
alumni class year go to ``extra`` as ``connected_on`` (ISO date), ``school``, ``class_year``;
LinkedIn rows are labelled ``LinkedIn`` and alumni rows ``Alumni`` in ``source_categories``
(the tagging rules match those). A LinkedIn profile URL is the row's ``uid`` (stable when an
email appears later). A row with bytes that are not valid in the file's encoding, more fields
than the header, or neither a name nor an email is skipped with a Problem naming the file and
line; the rest is read.

CSV files carry no place for netweave's tags: ``can_write_tags`` is False.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sync.merge import normalize_phone
from sync.model import Contact, Problem, contact_id
from sync.sources.base import ContactsResult, SourceError
from sync.sources.vcard import unique_ids

if TYPE_CHECKING:
    from sync.config import AddressBookConfig

FIELDS = (
    "name",
    "first_name",
    "middle_name",
    "last_name",
    "email",
    "phone",
    "organization",
    "title",
    "note",
    "categories",
    "city",
    "school",
    "class_year",
    "connected_on",
    "url",
    "birthday",
)
_ALIASES = {"employer": "organization", "company": "organization", "position": "title"}

# Per dialect: field -> candidate headers (the first one present wins; "|" joins several).
_DIALECTS: dict[str, dict[str, tuple[str, ...]]] = {
    "linkedin": {
        "first_name": ("First Name",),
        "last_name": ("Last Name",),
        "url": ("URL", "Profile URL"),
        "email": ("Email Address", "E-mail Address"),
        "organization": ("Company",),
        "title": ("Position",),
        "connected_on": ("Connected On",),
    },
    "google": {
        "name": ("Name",),
        "first_name": ("First Name", "Given Name"),
        "middle_name": ("Middle Name", "Additional Name"),
        "last_name": ("Last Name", "Family Name"),
        "email": ("E-mail {n} - Value",),
        "phone": ("Phone {n} - Value",),
        "organization": ("Organization Name", "Organization 1 - Name"),
        "title": ("Organization Title", "Organization 1 - Title"),
        "note": ("Notes",),
        "categories": ("Labels", "Group Membership"),
        "city": ("Address 1 - City",),
        "url": ("Website 1 - Value",),
        "birthday": ("Birthday",),
    },
    "outlook": {
        "first_name": ("First Name",),
        "middle_name": ("Middle Name",),
        "last_name": ("Last Name",),
        "email": ("E-mail Address|E-mail 2 Address|E-mail 3 Address",),
        "phone": (
            "Business Phone|Business Phone 2|Mobile Phone|Home Phone|Home Phone 2|Other Phone"
            "|Primary Phone|Company Main Phone",
        ),
        "organization": ("Company",),
        "title": ("Job Title",),
        "note": ("Notes",),
        "categories": ("Categories",),
        "city": ("Business City", "Home City"),
        "url": ("Web Page",),
        "birthday": ("Birthday",),
    },
    "alumni": {
        "name": ("Name", "Full Name", "Alumni Name"),
        "first_name": ("First Name", "First"),
        "last_name": ("Last Name", "Last"),
        "email": ("Email", "E-mail", "Email Address", "Preferred Email"),
        "phone": ("Phone", "Mobile"),
        "organization": ("Employer", "Company", "Organization", "Current Employer"),
        "title": ("Title", "Job Title", "Position"),
        "city": ("City", "Location"),
        "school": ("School", "College", "University", "Program"),
        "class_year": ("Class Year", "Class", "Year", "Graduation Year", "Grad Year"),
        "url": ("LinkedIn", "LinkedIn URL"),
    },
    "custom": {},
}
_LABEL = {"linkedin": "LinkedIn", "alumni": "Alumni"}
_GOOGLE_SYSTEM = {"myContacts"}  # Google's "all contacts": no information
_DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d", "%b %d, %Y")
_MULTI = re.compile(r"\s*(?::::|;)\s*")


def _fields_for(dialect: str, columns: Mapping[str, str], key: str) -> dict[str, tuple[str, ...]]:
    spec = dict(_DIALECTS[dialect])
    for field, header in columns.items():
        f = _ALIASES.get(field, field)
        if f not in FIELDS:
            raise SourceError(
                key,
                f"{key}.columns.{field}: unknown field; expected one of {', '.join(FIELDS)}",
            )
        spec[f] = (header,)
    if dialect == "custom" and not ({"name", "first_name", "last_name", "email"} & set(spec)):
        raise SourceError(
            key,
            f"{key}.columns: map at least name (or first_name/last_name) or email, "
            'like name = "Full Name"',
        )
    return spec


@dataclass
class _Layout:
    """Where each field is in the rows: column indexes, or a constant."""

    columns: dict[str, list[int]]
    constants: dict[str, str]


def _resolve(
    spec: Mapping[str, tuple[str, ...]], header: Sequence[str], explicit: Mapping[str, str]
) -> tuple[_Layout | None, list[str]]:
    """Map fields to column indexes; returns the layout and the explicitly mapped headers that
    are missing."""
    index: dict[str, int] = {}
    for i, h in enumerate(header):
        index.setdefault(h.strip().casefold(), i)
    cols: dict[str, list[int]] = {}
    consts: dict[str, str] = {}
    missing: list[str] = []
    for field, candidates in spec.items():
        for cand in candidates:
            if cand.startswith("="):
                consts[field] = cand[1:].strip()
                break
            found: list[int] = []
            for part in cand.split("|"):
                part = part.strip()
                if "{n}" in part:
                    n = 1
                    while part.replace("{n}", str(n)).casefold() in index:
                        found.append(index[part.replace("{n}", str(n)).casefold()])
                        n += 1
                elif part.casefold() in index:
                    found.append(index[part.casefold()])
            if found:
                cols[field] = found
                break
        else:
            if field in explicit or _ALIASES.get(field, field) in explicit:
                missing.extend(c for c in candidates if not c.startswith("="))
    if not cols and not consts:
        return None, missing
    identifying = {"name", "first_name", "last_name", "email"}
    if not identifying & set(cols):
        return None, missing
    return _Layout(cols, consts), missing


def _sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _to_date(s: str) -> str:
    s = s.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(s, fmt).date().isoformat()
        except ValueError:
            continue
    return s


def _decode(data: bytes, encoding: str) -> tuple[str, str]:
    """Text (undecodable bytes kept as lone surrogates to report per row) and codec used."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace"), "utf-16"
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise SourceError("csv", f"unknown encoding {encoding!r}") from None
    if codec in ("utf-8", "utf-8-sig", "ascii") or codec.startswith(("iso8859", "cp", "latin")):
        text = data.decode(codec, "surrogateescape")
    else:
        text = data.decode(codec, "replace")
    return text.removeprefix("\ufeff"), codec


def _class_year(v: str) -> str:
    """ "2008", "Class of 2008", "JD '08", "'95" -> a four-digit year (else as written)."""
    m = re.search(r"\b(19\d{2}|20\d{2})\b", v)
    if m:
        return m.group(1)
    m = re.search(r"'(\d{2})\b", v) or re.fullmatch(r"\s*(\d{2})\s*", v)
    if m:
        yy = int(m.group(1))
        return str(2000 + yy if yy < 50 else 1900 + yy)
    return v.strip()


def _has_bad_bytes(cells: Sequence[str]) -> str | None:
    for c in cells:
        for ch in c:
            if "\udc80" <= ch <= "\udcff":
                return f"0x{ord(ch) - 0xDC00:02X}"
    return None


def parse_csv(
    data: bytes | str,
    source: str,
    dialect: str,
    columns: Mapping[str, str] | Sequence[tuple[str, str]] = (),
    encoding: str = "utf-8-sig",
    place: str | None = None,
    key: str = "addressbooks",
) -> ContactsResult:
    """Read a CSV address book (pure). ``place`` names the file in problems (``file:line``);
    ``key`` is the config key named in configuration errors."""
    if dialect not in _DIALECTS:
        raise SourceError(source, f"{key}.dialect: unknown CSV dialect {dialect!r}")
    explicit = dict(columns)
    spec = _fields_for(dialect, explicit, key)
    where = place or source
    if isinstance(data, bytes):
        text, codec = _decode(data, encoding)
    else:
        text, codec = data, "utf-8"
    problems: list[Problem] = []
    if "\x00" in text:
        text = text.replace("\x00", "")
        problems.append(Problem(source, "NUL bytes removed: a binary or UTF-16 file?", where))
    lines = re.split(r"\r\n|\n|\r", text)
    # The header: the first line whose cells resolve the dialect's columns.
    layout: _Layout | None = None
    header: list[str] = []
    header_line = -1
    missing: list[str] = []
    for i, line in enumerate(lines[:50]):
        if not line.strip():
            continue
        cells = next(csv.reader([line], delimiter=_sniff_delimiter(line)), [])
        layout, missing = _resolve(spec, cells, explicit)
        if layout is not None:
            header_line = i
            header = cells
            break
    if layout is None:
        wanted = sorted({c for cands in spec.values() for c in cands if not c.startswith("=")})
        raise SourceError(
            source,
            f"{where}: no header row with the {dialect} columns ({', '.join(wanted[:8])}...). "
            f"Check dialect, or map the columns in {key}.columns.",
        )
    if missing:
        problems.append(
            Problem(
                source,
                f"columns not in the header: {', '.join(missing)}",
                f"{where}:{header_line + 1}",
            )
        )
    delimiter = _sniff_delimiter(lines[header_line])
    body = "\n".join(lines[header_line + 1 :])
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    contacts: list[Contact] = []
    prev_end = 0
    label = _LABEL.get(dialect)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            problems.append(
                Problem(
                    source, f"not CSV: {e}; row skipped", f"{where}:{header_line + 2 + prev_end}"
                )
            )
            prev_end = reader.line_num
            continue
        line_no = header_line + 2 + prev_end  # 1-based line where the row starts
        prev_end = reader.line_num
        if not any(c.strip() for c in row):
            continue
        bad = _has_bad_bytes(row)
        if bad:
            problems.append(
                Problem(
                    source,
                    f'byte {bad} is not valid {codec}; row skipped. Set encoding = "cp1252" '
                    "for this address book if Excel or Outlook on Windows wrote it",
                    f"{where}:{line_no}",
                )
            )
            continue
        if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
            problems.append(
                Problem(
                    source,
                    f"{len(row)} fields but the header has {len(header)} (a comma outside "
                    "quotes?); row skipped",
                    f"{where}:{line_no}",
                )
            )
            continue
        contact = _row_to_contact(row, layout, source, dialect, label)
        if contact is None:
            problems.append(
                Problem(source, "no name and no email; row skipped", f"{where}:{line_no}")
            )
            continue
        contacts.append(contact)
    return ContactsResult(contacts=unique_ids(contacts), problems=problems)


def _values(row: Sequence[str], layout: _Layout, field: str) -> list[str]:
    if field in layout.constants:
        return [layout.constants[field]]
    out = []
    for i in layout.columns.get(field, []):
        if i < len(row) and row[i].strip():
            out.append(row[i].strip())
    return out


def _one(row: Sequence[str], layout: _Layout, field: str) -> str:
    v = _values(row, layout, field)
    return v[0] if v else ""


def _row_to_contact(
    row: Sequence[str], layout: _Layout, source: str, dialect: str, label: str | None
) -> Contact | None:
    first, middle, last = (_one(row, layout, f) for f in ("first_name", "middle_name", "last_name"))
    name = _one(row, layout, "name") or " ".join(x for x in (first, middle, last) if x)
    emails: list[str] = []
    for v in _values(row, layout, "email"):
        for e in _MULTI.split(v):
            e = e.strip().lower().removeprefix("mailto:")
            if "@" in e and e not in emails:
                emails.append(e)
    phones: list[str] = []
    seen: set[str] = set()
    for v in _values(row, layout, "phone"):
        for p in _MULTI.split(v):
            k = normalize_phone(p) or p
            if p.strip() and k not in seen:
                seen.add(k)
                phones.append(p.strip())
    org = _one(row, layout, "organization")
    name = name or org or (emails[0] if emails else "")
    person = first or last or _one(row, layout, "name") or emails
    if not name or not (person or (org and dialect not in ("linkedin", "alumni"))):
        return None  # LinkedIn and alumni rows are people: a company alone is no row
    cats: list[str] = [label] if label else []
    for v in _values(row, layout, "categories"):
        for c in _MULTI.split(v):
            c = c.strip().removeprefix("* ").strip()
            if c and c not in _GOOGLE_SYSTEM and not c.startswith("Imported on") and c not in cats:
                cats.append(c)
    extra: list[tuple[str, str]] = []
    for field, key in (
        ("connected_on", "connected_on"),
        ("school", "school"),
        ("class_year", "class_year"),
        ("city", "city"),
        ("url", "url"),
        ("birthday", "bday"),
    ):
        v = _one(row, layout, field)
        if not v:
            continue
        if field in ("connected_on", "birthday"):
            v = _to_date(v)
        elif field == "class_year":
            v = _class_year(v)
        extra.append((key, v))
    url = _one(row, layout, "url")
    uid = url.rstrip("/").lower() if dialect == "linkedin" and "linkedin.com" in url else None
    return Contact(
        id=contact_id(uid, tuple(emails), name),
        name=name,
        emails=tuple(emails),
        phones=tuple(phones),
        organization=org or None,
        title=_one(row, layout, "title") or None,
        note=_one(row, layout, "note"),
        source_categories=tuple(cats),
        uid=uid,
        sources=(source,),
        extra=tuple(extra),
    )


class CsvAddressBook:
    """A CSV export as an address book (read only)."""

    def __init__(self, cfg: AddressBookConfig) -> None:
        if cfg.path is None or cfg.dialect is None:
            raise SourceError(cfg.name, f"{cfg.key}: a csv address book needs path and dialect")
        self.name = cfg.name
        self.path = Path(cfg.path)
        self.dialect = cfg.dialect
        self.columns = dict(cfg.columns)
        self.encoding = cfg.encoding
        self.key = cfg.key

    @property
    def can_write_tags(self) -> bool:
        return False

    def read(self) -> ContactsResult:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            raise SourceError(
                self.name,
                f"{self.path}: no such file. Check {self.key}.path (LinkedIn: Settings > Data "
                "privacy > Get a copy of your data > Connections).",
            ) from None
        except IsADirectoryError:
            raise SourceError(self.name, f"{self.path} is a folder, not a CSV file") from None
        except OSError as e:
            raise SourceError(self.name, f"{self.path}: cannot read: {e.strerror}") from None
        try:
            return parse_csv(
                data,
                self.name,
                self.dialect,
                self.columns,
                self.encoding,
                place=str(self.path),
                key=self.key,
            )
        except SourceError as e:
            raise SourceError(self.name, e.message) from None

    def write_tags(self, tags: Mapping[str, tuple[str, ...]]) -> list[Problem]:
        if not tags:
            return []
        return [
            Problem(
                self.name,
                "a CSV export has no place for tags: not written (set write_tags = false)",
                str(self.path),
            )
        ]
