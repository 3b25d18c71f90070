"""Contact text for matching: folding (case, accents, punctuation), word patterns, and
:class:`ContactText`, a contact's searchable fields folded once."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from sync.model import Contact

# Letters NFKD does not decompose into ASCII + combining marks.
_TRANSLIT = MappingProxyType(
    {
        ord("ø"): "o", ord("Ø"): "O", ord("æ"): "ae", ord("Æ"): "AE", ord("œ"): "oe",
        ord("Œ"): "OE", ord("ł"): "l", ord("Ł"): "L", ord("đ"): "d", ord("Đ"): "D",
        ord("ð"): "d", ord("Ð"): "D", ord("þ"): "th", ord("Þ"): "Th", ord("ı"): "i",
    }
)  # fmt: skip
_APOSTROPHES = re.compile(r"['’ʼ`´]")
# "M.D.", "Ph.D.", "U.S.", "C.P.A." -> one word; "law.columbia.edu" is left alone.
_DOTTED = re.compile(r"(?<![^\W_])[^\W\d_]{1,2}(?:\.[^\W\d_]{1,2})+\.?(?![^\W_])")
_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Normalise text for matching: accents and case folded, punctuation -> single spaces.

    >>> fold("  Ph.D., Managing-Partner at Société Générale ")
    'phd managing partner at societe generale'
    """
    if text.isascii():
        t = text.lower()
    else:
        t = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
        t = "".join(ch for ch in t if not unicodedata.combining(ch)).casefold()
    if not t.isascii() or "'" in t or "`" in t:  # the others of _APOSTROPHES are not ASCII
        t = _APOSTROPHES.sub("", t)
    if "." in t:
        t = _DOTTED.sub(_undotted, t)
    return _NON_WORD.sub(" ", t).strip()


def _undotted(m: re.Match[str]) -> str:
    return m.group(0).replace(".", "")


def _stems(text: str) -> frozenset[str]:
    """The words of folded text, each also without a plural ending, and "" (a pre-filter)."""
    out = {""}  # the key of the patterns that may start at any word ("consult*")
    for w in text.split():
        out.add(w)
        if w.endswith("s"):
            out.add(w[:-1])
            if w.endswith("es"):
                out.add(w[:-2])
    return frozenset(out)


def _word_regex(pattern: str, whole: bool = False) -> str | None:
    """One pattern -> a regex over folded text (None if nothing is left after folding).

    Words match whole words (or their plural); a trailing ``*`` lets the last word (or, with
    ``whole``, the rest of the label) go on; a leading ``^`` anchors at the start of the text or
    of a line. ``whole``: the pattern must be the entire label (source categories).
    """
    star = pattern.rstrip().endswith("*")
    anchored = pattern.lstrip().startswith("^")
    words = fold(pattern).split()
    if not words:
        return None
    # Texts are padded (see _pad): every word has a space on each side, so each regex starts
    # with a literal space and the engine only tries it where a word starts.
    parts = [re.escape(w) + "(?:s|es)?" for w in words]
    if star:
        parts[-1] = re.escape(words[-1]) + (r"[^\n]*" if whole else r"\w*")
    body = " ".join(parts)
    if whole:
        return f"^ {body}$" if star else f"^ {body} $"
    return f"^ {body} " if anchored else f" {body} "


def pattern_key(pattern: str) -> str:
    """The word a text starts with where ``pattern`` may match: its first folded word, or ""
    for a single word with a trailing ``*`` (it may start at any word). Look a pattern up
    only when its key is among the text's words (:func:`_stems`, which holds "")."""
    words = fold(pattern).split()
    if not words or (len(words) == 1 and pattern.rstrip().endswith("*")):
        return ""
    return words[0]


def _pad(lines: Iterable[str]) -> str:
    """Folded lines as one searchable text: `` a b \n c `` (empty: "")."""
    kept = [x for x in lines if x]
    return "".join(f" {x} \n" for x in kept)[:-1] if kept else ""


@dataclass(frozen=True)
class ContactText:
    """A contact's searchable text, folded once (tagging thousands of contacts stays cheap).

    Each text is padded with a space around every line; list fields (and note lines) are one
    line each, so a phrase never spans two entries.
    """

    name: str
    organization: str
    title: str
    note: str
    source_categories: str
    relations: str
    emails: tuple[str, ...]
    school: str = ""
    class_year: str = ""
    #: field name -> its words (and their singulars): rules whose first words are all missing
    #: skip the regex.
    words: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )

    @classmethod
    def of(cls, c: Contact, memo: dict[tuple[str, object], _Folded] | None = None) -> ContactText:
        """The contact's text. ``memo`` (kept by the caller across contacts) serves the fields
        many contacts share (firm, title, labels, notes) without folding them again."""
        school = year = None  # the first of each, as Contact.get
        for k, v in c.extra:
            if k == "school" and school is None:
                school = v
            elif k == "class_year" and year is None:
                year = v
        shared: tuple[tuple[str, object], ...] = (
            ("note", c.note),  # many are empty, or the same words
            ("organization", c.organization or ""),
            ("title", c.title or ""),
            ("source_categories", c.source_categories),
            ("relations", c.relations),
            ("school", school or ""),
            ("class_year", year or ""),
        )
        texts: dict[str, str] = {}
        words: dict[str, frozenset[str]] = {}
        texts["name"], words["name"] = _folded("name", c.name)
        seen = {} if memo is None else memo
        for key in shared:
            got = seen.get(key)
            if got is None:
                got = seen[key] = _folded(key[0], key[1])
            texts[key[0]], words[key[0]] = got
        return cls(
            **texts,
            emails=tuple(e.strip().casefold() for e in c.emails if "@" in e),
            words=MappingProxyType(words),
        )


#: A field's padded text and its words (see :func:`_stems`).
_Folded = tuple[str, frozenset[str]]


def _folded(attr: str, value: object) -> _Folded:
    if isinstance(value, tuple):  # a list field: one line per entry
        text = _pad(fold(str(x)) for x in value)
    elif attr == "note":
        text = _pad(fold(line) for line in str(value).splitlines())
    else:
        one = fold(str(value))
        text = f" {one} " if one else ""  # _pad of one line
    return text, _stems(text)


def _view(contact: Contact | ContactText) -> ContactText:
    return contact if isinstance(contact, ContactText) else ContactText.of(contact)
