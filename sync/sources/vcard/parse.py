"""The tolerant vCard reader: cards in, contacts and one Problem per unreadable card out.

This is the reference reader (a scan of unfolded lines into property objects, with line
numbers) and the entry points; plain cards go to the fast reader in :mod:`.fast` first, which
leaves it any card it is not sure to read the same (a test reads random files with both).

Why it is hand-written rather than vobject (measured with ``benchmarks/bench_vcard.py`` on the
benchmark's generated 10,000-person file: 10,531 cards, 5.4 MB, all four dialects; CPU seconds
on a shared 2-core VM, load about 3.5):

* vobject as is reads 0 cards: it stops at line 25, the first quoted-printable soft line break
  Outlook writes (``NOTE;ENCODING=QUOTED-PRINTABLE:...=`` then the rest of the value); read card
  by card it rejects 2,612 of the 10,531 (every long Outlook 2.1 value);
* with ``allowQP=True`` it reads them all but needs 9.8 s only to tokenise them, where this
  reader reads and maps every card to a contact in 0.8 to 1.0 s (the reference reader alone
  1.1 to 1.5 s; 30 MB peak);
* it stops the whole file at an unindented base64 photo line (Outlook 2.1), and hands raw
  Windows-1252 bytes back undecoded, where this reader skips one card or decodes the bytes.

vobject stays the reference: a property test checks that for every card vobject can read, both
read the same names, emails, phones, organization, title, note and categories.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

from sync.collector import paused
from sync.model import Contact, Problem, contact_id
from sync.sources.base import ContactsResult
from sync.sources.vcard.fast import Head, card_end, card_starts, read_card
from sync.sources.vcard.fields import (
    SKIPPED,
    Card,
    Fields,
    ParsedCard,
    decode_value,
    dedupe,
    finish,
    info_of,
    uid_key,
)
from sync.sources.vcard.files import decode_file
from sync.sources.vcard.syntax import Unreadable, parse_prop, physical_lines, unfold

DEFAULT_PREFIX = "netweave: "


def _scan(
    contents: list[str], stray: list[Unreadable], start: int = 0, stop: int | None = None
) -> Iterator[Card]:
    """The cards, one at a time (props parsed); text outside any card goes to ``stray``.
    ``start``/``stop``: only the lines ``contents[start:stop]``, where ``stop``, unless it is
    the end, is the line of the next card (a card still open there ends before it)."""
    card: Card | None = None
    last_stray = -2
    end = len(contents) if stop is None else stop
    memo: dict[str, dict[str, list[str]]] = {}  # parameters by their text
    for lg in unfold(contents, start, end):
        key = lg.text.strip()
        key = key.upper() if len(key) <= 11 else ""  # BEGIN:VCARD, END:VCARD or neither
        if key == "BEGIN:VCARD":
            if card is not None:
                card.stop = lg.first
                if card.error is None:
                    card.error = Unreadable(
                        card.line,
                        f"no END:VCARD before the next card at line {lg.first + 1}",
                    )
                yield card
            card = Card(lg.first, lg.stop)
        elif key == "END:VCARD":
            if card is None:
                stray.append(Unreadable(lg.first + 1, "END:VCARD without BEGIN:VCARD: ignored"))
            else:
                card.stop = lg.stop
                yield card
                card = None
        elif card is None:
            if lg.first > last_stray + 1:  # one problem per run of stray lines
                stray.append(Unreadable(lg.first + 1, "text outside any card: ignored"))
            last_stray = lg.stop - 1
        elif card.error is None:
            try:
                card.props.append(parse_prop(lg.text, lg.first + 1, memo))
            except Unreadable as e:
                card.error = e
            card.stop = lg.stop
        else:
            card.stop = lg.stop
    if card is not None:
        card.stop = end
        if card.error is None:
            card.error = Unreadable(
                card.line,
                f"no END:VCARD before the next card at line {end + 1}"
                if end < len(contents)
                else "no END:VCARD: the card runs to the end of the file",
            )
        yield card


def _card_to_contact(card: Card, source: str, pfx: str) -> ParsedCard:
    """The reference reading of a scanned card (raises :class:`Unreadable`)."""
    version = "3.0"
    for p in card.props:
        if p.name == "VERSION":
            version = p.raw.strip()
            break
    f = Fields(pfx)
    for p in card.props:
        if p.name not in SKIPPED:
            info = info_of(p.params)
            f.add(p.name, p.group, info, decode_value(p.raw, info[0], info[1], version, p.line))
    return finish(card, f, source)


def _parse_text(
    text: str, source: str, prefix: str, fast: bool = True
) -> tuple[list[ParsedCard], list[Unreadable]]:
    """Every card of ``text`` read, and the text outside any card. Plain cards go to the fast
    reader (:func:`~.fast.read_card`), the rest (and any it declines) to the reference one;
    ``fast=False`` reads everything with the reference one."""
    with paused():
        return _read_all(physical_lines(text), source, prefix.strip().lower(), fast)


def _read_all(
    contents: list[str], source: str, pfx: str, fast: bool
) -> tuple[list[ParsedCard], list[Unreadable]]:
    stray: list[Unreadable] = []
    out: list[ParsedCard] = []
    starts = card_starts(contents) if fast else []
    first = starts[0] if starts else len(contents)
    if first > 0 or not starts:
        _read_reference(contents, 0, first, source, pfx, out, stray)
    heads: dict[str, Head] = {}
    for k, begin in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(contents)
        end = card_end(contents, begin, stop)
        got = read_card(contents, begin, end, source, pfx, heads) if end > 0 else None
        if got is not None:
            out.append(got)
        else:
            _read_reference(contents, begin, stop, source, pfx, out, stray)
    return out, stray


def _read_reference(
    contents: list[str],
    start: int,
    stop: int,
    source: str,
    pfx: str,
    out: list[ParsedCard],
    stray: list[Unreadable],
) -> None:
    """Read ``contents[start:stop]`` with the reference reader into ``out`` and ``stray``."""
    for card in _scan(contents, stray, start, stop):
        if card.error is not None:
            out.append(ParsedCard(card, problem=card.error))
        else:
            try:
                out.append(_card_to_contact(card, source, pfx))
            except Unreadable as e:
                out.append(ParsedCard(card, problem=e))
        card.props = []  # read: free the memory


def unique_ids(contacts: Sequence[Contact]) -> list[Contact]:
    """Give every contact of one source its own id: a repeated id (two cards with only the same
    name, or a duplicated UID) gets a derived one, in source order (stable across runs)."""
    seen: set[str] = set()
    out = []
    for c in contacts:
        cid, n = c.id, 1
        while cid in seen:
            n += 1
            cid = contact_id(None, (), f"{c.id}#{n}")
        seen.add(cid)
        out.append(c if cid == c.id else replace(c, id=cid))
    return out


def _apply_groups(parsed: list[ParsedCard]) -> None:
    """Group cards (Apple, vCard 4 KIND:group) become source categories of their members."""
    groups = [p.group for p in parsed if p.group is not None]
    if not groups:
        return
    by_uid: dict[str, list[str]] = {}
    for gname, members in groups:
        for m in members:
            by_uid.setdefault(m, []).append(gname)
    for p in parsed:
        c = p.contact
        if c is not None and c.uid and uid_key(c.uid) in by_uid:
            cats = dedupe((*c.source_categories, *by_uid[uid_key(c.uid)]), fold=True)
            p.contact = replace(c, source_categories=cats)


def problem_at(source: str, place: str, bad: Unreadable, card_line: int | None = None) -> Problem:
    msg = bad.message
    if card_line is not None:
        msg += (
            f" (card from line {card_line} skipped)"
            if card_line != bad.line
            else (" (card skipped)")
        )
    return Problem(source, msg, f"{place}:{bad.line}")


def _finish(
    parsed: list[ParsedCard], stray: list[Unreadable], source: str, place: str
) -> ContactsResult:
    _apply_groups(parsed)
    problems = [problem_at(source, place, b) for b in stray]
    contacts = []
    for p in parsed:
        if p.problem is not None:
            problems.append(problem_at(source, place, p.problem, p.card.line))
        elif p.contact is not None:
            contacts.append(p.contact)
    return ContactsResult(contacts=contacts, problems=problems)


def parse_vcards(
    data: bytes | str,
    source: str,
    place: str | None = None,
    tag_prefix: str = DEFAULT_PREFIX,
) -> ContactsResult:
    """Read every card in ``data`` (pure). ``source`` names the address book (Problem.source and
    Contact.sources); ``place`` the file or href for problem places (``place:line``; default
    ``source``). Bad cards are skipped with one Problem each; ids are unique within ``data``."""
    where = place or source
    text = data if isinstance(data, str) else decode_file(data)[0]
    parsed, stray = _parse_text(text, source, tag_prefix)
    result = _finish(parsed, stray, source, where)
    if not parsed and not stray and text.strip():
        result.problems.append(Problem(source, "no vCard (BEGIN:VCARD) found", f"{where}:1"))
    result.contacts = unique_ids(result.contacts)
    return result


def parsed_with_ids(
    text: str, source: str, prefix: str
) -> tuple[list[ParsedCard], list[Unreadable]]:
    parsed, stray = _parse_text(text, source, prefix)
    _apply_groups(parsed)
    return parsed, stray


def assign_ids(parsed: list[ParsedCard]) -> None:
    with_contact = [p for p in parsed if p.contact is not None]
    fixed = unique_ids([p.contact for p in with_contact if p.contact is not None])
    for p, c in zip(with_contact, fixed, strict=True):
        p.contact = c
