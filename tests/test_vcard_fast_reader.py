"""The fast vCard reader against the reference reader it sits in front of (hypothesis): on
files built from every dialect's lines, broken ones among them (missing ends, stray text, bad
lines, undecodable bytes, folds, soft line breaks, base64 runs, blank and odd-space lines,
quoted parameters, card edges where they do not belong), both read the same cards from the
same lines, with the same contacts, groups and problems; and the pieces it is made of read as
the reference's (physical lines, unfolding)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.sources.vcard import fast, fields, parse_vcards, syntax
from sync.sources.vcard.files import decode_file
from sync.sources.vcard.parse import _parse_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
MANY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Lines as the four dialects write them, and the broken or odd ones found in the wild.
_PROPS = [
    "VERSION:2.1",
    "VERSION:3.0",
    "VERSION:4.0",
    "version:3.0",
    "PRODID:-//Apple Inc.//macOS 14.4//EN",
    "N:Young;Matthew;;;",
    "N;LANGUAGE=en-us:White;Joseph",
    "N:O\\;Brien;Donna;Q;Dr.;Jr.",
    "FN:Joseph White",
    "fn:lower case",
    "FN:Zoë Ångström",
    "ORG:Northwind Health;Litigation",
    "ORG:Kim & Osei",
    "TITLE:General Counsel",
    "ROLE:Board",
    "TEL;WORK;VOICE:+1 (212) 555-0000",
    "TEL;type=CELL;type=VOICE;type=pref:+1 (212) 555-0001",
    'TEL;VALUE=uri;TYPE="voice,cell":tel:+1-212-5550003;ext=12',
    "TEL:12",
    "EMAIL;PREF;INTERNET:joseph.white0@northwind.example",
    "EMAIL;TYPE=work;PREF=1:Donna@Kim.example",
    "item1.EMAIL;type=INTERNET;type=pref:matthew.young1@acme.example",
    "item1.X-ABLabel:_$!<Other>!$_",
    "item2.X-ABLabel:_$!<Mother>!$_",
    "item2.X-ABRELATEDNAMES;type=pref:Ann Young",
    "X-ABRELATEDNAMES:Bob",
    "EMAIL:mailto:a@b.example",
    "EMAIL:no-at-sign",
    "ADR;WORK;PREF;CHARSET=utf-8;ENCODING=QUOTED-PRINTABLE:;;0 Park Ave.=0D=0ASuite;New York;NY",
    "item2.ADR;type=WORK:;;1 Park Ave;New York;NY;10022;United States",
    "NOTE;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Caf=E9 dis=",
    "covery rules",
    "NOTE;ENCODING=QUOTED-PRINTABLE:soft=",
    " with a space",
    "NOTE;CHARSET=utf-8;ENCODING=QUOTED-PRINTABLE:bad =C3=28 bytes",
    "NOTE;CHARSET=x-nowhere;ENCODING=QUOTED-PRINTABLE:=E9",
    "NOTE:Met at reception\\; talked\\, then",
    "  folded with two spaces",
    "\tfolded with a tab",
    "NOTE:Caf\udce9 raw byte",
    "X-MS-OL-DESIGN;CHARSET=utf-8:<card/>",
    "X-MS-OL-DESIGN:\udce9",
    "X-UNREAD;ENCODING=QUOTED-PRINTABLE:=E9=",
    "X-UNREAD:a=b",
    "CATEGORIES:myContacts,Friends,netweave: clients",
    "CATEGORIES:Alumni\\,Old,,friends",
    "UID:urn:uuid:25f0f212-31a0-4a7c-b3aa-75ab7d1944ff",
    "UID:051e2670-c24f-4aa8-bbf3-6a147c2f7ad0",
    "BDAY:1991-09-07",
    "BDAY:--0907",
    "URL:https://example.org/a=b",
    "X-SOCIALPROFILE;type=linkedin:https://www.linkedin.com/in/x",
    "RELATED;TYPE=spouse:Jane",
    "RELATED:Joe",
    "X-MS-SPOUSE:Sam",
    "KIND:group",
    "KIND:org",
    "X-ADDRESSBOOKSERVER-KIND:group",
    "X-ABShowAs:COMPANY",
    "MEMBER:urn:uuid:25f0f212-31a0-4a7c-b3aa-75ab7d1944ff",
    "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:051e2670-c24f-4aa8-bbf3-6a147c2f7ad0",
    'X-LABEL;LABEL="a;b:c";TYPE=work:value',
    'X-QUOTE;X="open:x',
    "PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQ==",
    "AAAABBBBCCCC",
    " indented+base64/==",
    "KEY;ENCODING=b:abc",
    "NOTE;ENCODING=b:aGVsbG8=",
    "NOTE :spaces before the colon",
    " FN:leading space",
    "a.b.FN:two groups",
    ".FN:empty group",
    "not a property",
    ":no name",
    "",
    "   ",
    "\x0b",
    "\xa0NOTE:odd space",
    "END:VCARD",
    "END:VCARD ",
    "end:vcard",
    "BEGIN:VCARD",
    "begin:vcard",
    "x.END:VCARD",
]
_EDGES = ["BEGIN:VCARD", "END:VCARD", "", "stray text", " BEGIN:VCARD", "BEGIN:VCARD\t"]


@st.composite
def _cards(draw: st.DrawFn) -> str:
    """A file: cards of dialect lines (some missing an edge), junk between them, one line
    ending or a mix."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.integers(0, 4)) == 0:
            parts.append(draw(st.sampled_from(_EDGES)))
        body = draw(st.lists(st.sampled_from(_PROPS), max_size=10))
        if draw(st.booleans()):
            body = [draw(st.sampled_from(_PROPS[:3]))] + body
        if draw(st.integers(0, 6)) == 0:
            body.insert(draw(st.integers(0, len(body))), draw(st.text('ab:;= \t"é', max_size=8)))
        parts += ["BEGIN:VCARD", *body]
        if draw(st.integers(0, 8)) > 0:
            parts.append("END:VCARD")
        parts += [""] * draw(st.integers(0, 2))
    ending = draw(st.sampled_from(["\r\n", "\n", "\r", "mixed"]))
    if ending != "mixed":
        return ending.join(parts)
    ends = draw(st.lists(st.sampled_from(["\r\n", "\n", "\r"]), min_size=len(parts)))
    return "".join(p + e for p, e in zip(parts, ends, strict=False))


def _shape(text: str, fast_path: bool) -> tuple[list[object], list[object]]:
    parsed, stray = _parse_text(text, "book", "netweave: ", fast=fast_path)
    cards: list[object] = [
        (
            p.card.first,
            p.card.stop,
            p.contact,
            p.group,
            None if p.problem is None else (p.problem.line, p.problem.message),
        )
        for p in parsed
    ]
    return cards, [(s.line, s.message) for s in stray]


@MANY
@given(_cards())
def test_the_fast_reader_reads_every_file_as_the_reference_reader(text: str) -> None:
    assert _shape(text, True) == _shape(text, False)


@MANY
@given(_cards(), st.integers(0, 400), st.text("BEGIN:VCARD\r\n =;\t", max_size=12))
def test_a_mutated_file_reads_as_the_reference_reader(text: str, at: int, junk: str) -> None:
    at = min(at, len(text))
    mutated = text[:at] + junk + text[at:]
    assert _shape(mutated, True) == _shape(mutated, False)


def test_the_benchmark_book_and_the_test_books_read_as_the_reference_reader() -> None:
    texts = [generate.vcards(1500, seed=5), generate.vcards(300, seed=11)]
    texts += [decode_file(p.read_bytes())[0] for p in sorted(DATA.rglob("*.vcf"))]
    assert len(texts) > 10
    for text in texts:
        assert _shape(text, True) == _shape(text, False)
        fast_shape = _shape(text, True)
        assert fast_shape[0], "no card read"


def test_cards_the_fast_reader_leaves_to_the_reference_one_keep_their_line_numbers() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob\r\nthis is not a property\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:caf\udce9\r\nFN:Cy\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Di\r\n"
    )
    result = parse_vcards(text, "book", "book.vcf")
    assert [c.name for c in result.contacts] == ["Ann"]
    assert [p.place for p in result.problems] == ["book.vcf:8", "book.vcf:12", "book.vcf:15"]


# ----------------------------------------------------------------------------- pieces

_LINE_TEXT = st.text(alphabet="ab:;=\t \r\n\x0b", max_size=30)


@MANY
@given(_LINE_TEXT)
def test_physical_lines_are_the_regex_split(text: str) -> None:
    assert syntax.physical_lines(text) == syntax.split_lines(text)[0]


_BODY_LINES = st.lists(
    st.one_of(st.sampled_from(_PROPS), st.text(alphabet="ab:;= \t\x0bAQB64", max_size=6)),
    max_size=12,
)


@MANY
@given(_BODY_LINES)
def test_unfolding_texts_is_unfolding(lines: list[str]) -> None:
    assert fast.unfold_texts(lines) == [lg.text for lg in syntax.unfold(lines)]


@MANY
@given(_BODY_LINES)
def test_a_card_body_unfolds_as_the_reference_unfolds_it(lines: list[str]) -> None:
    """Equal unless an odd blank line (not a space or tab first) is followed by a fold:
    there the fast reader sees a line starting with that space and leaves the card. (A body
    follows a ``BEGIN:VCARD`` line: its first line does not continue another.)"""
    lines = ["FN:first", *lines]
    got = fast.logical_lines(lines)
    want = [lg.text for lg in syntax.unfold(lines)]
    odd_blank = any(not c.strip() and c[:1] not in (" ", "\t", "") for c in lines)
    if not odd_blank:
        assert got == want
    else:
        assert got == want or any(s[:1].isspace() for s in got)


_VALUES = st.text(alphabet="ab ;\\,nN\té", max_size=16)


@MANY
@given(_VALUES)
def test_names_and_cities_read_as_every_part_unescaped(value: str) -> None:
    parts = [syntax.unescape(x).strip() for x in syntax.split_escaped(value, ";")]
    assert fields.city(value) == (parts[3] if len(parts) > 3 else "")
    parts += [""] * (5 - len(parts))
    family, given_name, additional, honorific, suffix = parts[:5]
    name = " ".join(x for x in (honorific, given_name, additional, family, suffix) if x)
    assert fields.full_name(value) == name


@MANY
@given(
    st.text(alphabet="12ab٣ -()+", max_size=12),
    st.lists(st.sampled_from(["a", "A", "b", "ß", "bb", "SS"]), max_size=5),
)
def test_phone_digits_and_dedupes_read_as_the_plain_steps(phone: str, items: list[str]) -> None:
    assert bool(fields.THREE_DIGITS_RE.search(phone)) == (len(re.findall(r"\d", phone)) >= 3)
    assert fields.dedupe(items) == tuple(dict.fromkeys(items))
    first_of_each: dict[str, str] = {}
    for x in items:
        first_of_each.setdefault(x.casefold(), x)
    assert fields.dedupe(items, fold=True) == tuple(first_of_each.values())
    flagged = [(len(x) % 2, x) for x in items]  # bb and SS preferred
    assert fields._preferred_first(flagged) == [x for _, x in sorted(flagged, key=lambda t: t[0])]
