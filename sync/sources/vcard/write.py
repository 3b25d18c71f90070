"""Writing netweave's tags back into cards: only the ``CATEGORIES`` values that carry the tag
prefix change, every other line is kept byte for byte with the card's own line endings.

Why not vobject's serialiser: it re-writes the whole card. Read and serialised again, 14 of
the 19 test-fixture cards it can read come out changed in 53 lines (``TYPE=INTERNET;TYPE=WORK``
merged to ``TYPE=INTERNET,WORK``, parameters reordered, values refolded, quoted-printable
values re-encoded), and it cannot read 4 of the 23 at all. For the one new ``CATEGORIES`` line
its ``ContentLine.serialize`` gives the same bytes as :func:`_fold` for ASCII, but with
multi-byte characters it writes 76-octet lines (RFC 6350 allows 75), and it knows neither the
card's own line ending nor the bytes of a foreign charset kept in a user's value.
"""

from __future__ import annotations

import binascii
import codecs
from collections.abc import Mapping, Sequence

from sync.sources.vcard.fields import ParsedCard
from sync.sources.vcard.syntax import (
    Logical,
    Prop,
    Unreadable,
    escape,
    parse_prop,
    prop_head,
    split_escaped,
    split_lines,
    unescape,
    unfold,
    value_colon,
)


def _fold(line: str, ending: str) -> str:
    """Fold to lines of at most 75 octets (RFC 6350 3.2), never inside a UTF-8 sequence."""
    out: list[str] = []
    cur: list[str] = []
    size = 0
    for ch in line:
        n = len(ch.encode("utf-8", "surrogateescape"))
        if size + n > 75:
            out.append("".join(cur))
            cur, size = [" "], 1
        cur.append(ch)
        size += n
    out.append("".join(cur))
    return ending.join(out) + ending


def _qp_encode(b: bytes, head_len: int, ending: str) -> str:
    """Quoted-printable with soft line breaks (vCard 2.1), lines of at most 76 characters."""
    out: list[str] = []
    cur = ""
    width = head_len
    for i, byte in enumerate(b):
        last = i == len(b) - 1
        if 33 <= byte <= 126 and byte != 61 or (byte in (9, 32) and not last):
            tok = chr(byte)
        else:
            tok = f"={byte:02X}"
        if width + len(cur) + len(tok) > 75:
            out.append(cur + "=")
            cur, width = "", 0
        cur += tok
    out.append(cur)
    return ending.join(out) + ending


def set_categories(card_text: str, categories: Sequence[str], prefix: str) -> str:
    """Set netweave's categories on one card's text (``BEGIN:VCARD`` .. ``END:VCARD``).

    Only ``CATEGORIES`` lines that carry ``prefix``-ed values change: their prefixed values are
    replaced by ``prefix + c`` for each of ``categories`` (the user's own values on the same line
    stay, escapes and all). With no such line, one new ``CATEGORIES`` line goes before
    ``END:VCARD``. Every other line is kept byte for byte, with the card's line endings; new
    lines are folded at 75 octets (quoted-printable lines stay quoted-printable). If the card
    already carries exactly these categories, the text is returned unchanged.
    """
    pfx = prefix.strip().lower()
    if not pfx:
        raise ValueError("an empty tag prefix would claim the user's own categories")
    wanted = list(dict.fromkeys(c.strip() for c in categories if c.strip()))
    contents, endings = split_lines(card_text)
    logical = list(unfold(contents))
    end_idx = next((lg for lg in reversed(logical) if lg.text.strip().upper() == "END:VCARD"), None)
    if end_idx is None:
        raise ValueError("not a card: no END:VCARD")
    version, ours = _our_lines(logical, pfx)
    present = sorted(unescape(t).strip() for *_x, mine in ours for t in mine)
    new_tokens = [escape(prefix + c) for c in wanted]
    if present == sorted(unescape(t).strip() for t in new_tokens) and len(ours) <= 1:
        return card_text
    eol = next((e for e in endings if e), "\r\n")
    phys = [c + e for c, e in zip(contents, endings, strict=True)]
    edits: list[tuple[int, int, str]] = []
    for k, (lg, prop, user, _mine) in enumerate(ours):
        tokens = user + (new_tokens if k == 0 else [])
        ending = endings[lg.stop - 1] or eol
        text = "" if not tokens else _render(lg.text, prop, ",".join(tokens), ending)
        edits.append((lg.first, lg.stop, text))
    if not ours and new_tokens:
        line = "CATEGORIES"
        value = ",".join(new_tokens)
        if version == "2.1" and not value.isascii():
            line += ";CHARSET=UTF-8"
        first = end_idx.first
        before = endings[first - 1] if first > 0 and endings[first - 1] else eol
        edits.append((first, first, _fold(f"{line}:{value}", before)))
    for first, stop, text in sorted(edits, reverse=True):
        phys[first:stop] = [text] if text else []
    return "".join(phys)


_Ours = tuple[Logical, Prop, list[str], list[str]]  # the line, its prop, user's and our tokens


def _our_lines(logical: list[Logical], pfx: str) -> tuple[str, list[_Ours]]:
    """The card's version, and its ``CATEGORIES`` lines that hold ``pfx``-ed values (each with
    the user's own tokens and ours, escapes kept)."""
    version = "3.0"
    ours: list[_Ours] = []
    for lg in logical:
        if lg.text[:8].upper() == "VERSION:":
            version = lg.text[8:].strip()
        if "CATEGORIES" not in prop_head(lg.text):
            continue
        try:
            prop = parse_prop(lg.text, lg.first + 1)
        except Unreadable:
            continue
        if prop.name != "CATEGORIES":
            continue
        user: list[str] = []
        mine: list[str] = []
        for tok in split_escaped(_value_for_edit(prop), ","):
            (mine if unescape(tok).strip().lower().startswith(pfx) else user).append(tok)
        if mine:
            ours.append((lg, prop, user, mine))
    return version, ours


def _value_for_edit(prop: Prop) -> str:
    """The prop's value with transfer encoding undone but bytes kept (surrogateescape)."""
    enc = (prop.param("ENCODING") or "").upper()
    if enc in ("QUOTED-PRINTABLE", "Q"):
        b = binascii.a2b_qp(prop.raw.encode("utf-8", "surrogateescape"))
        return b.decode(_codec(prop), "surrogateescape")
    return prop.raw


def _codec(prop: Prop) -> str:
    try:
        return codecs.lookup(prop.param("CHARSET") or "utf-8").name
    except LookupError:
        return "utf-8"


def _render(original: str, prop: Prop, value: str, ending: str) -> str:
    colon = value_colon(original)
    head = original[:colon]
    enc = (prop.param("ENCODING") or "").upper()
    if enc in ("QUOTED-PRINTABLE", "Q"):
        b = value.encode(_codec(prop), "surrogateescape")
        return head + ":" + _qp_encode(b, len(head) + 1, ending)
    return _fold(f"{head}:{value}", ending)


def retag_text(
    text: str,
    parsed: list[ParsedCard],
    tags: Mapping[str, tuple[str, ...]],
    prefix: str,
) -> tuple[str, int]:
    """``text`` with the tagged cards' CATEGORIES changed; and how many cards changed."""
    contents, endings = split_lines(text)
    phys = [c + e for c, e in zip(contents, endings, strict=True)]
    changed = 0
    for p in sorted(parsed, key=lambda x: x.card.first, reverse=True):
        c = p.contact
        if c is None or c.id not in tags:
            continue
        card_text = "".join(phys[p.card.first : p.card.stop])
        new = set_categories(card_text, tags[c.id], prefix)
        if new != card_text:
            phys[p.card.first : p.card.stop] = [new]
            changed += 1
    return "".join(phys), changed
