"""The words of the owner's field and the ask that fits the other person's role (pure).

An agenda for a recruiter, a board director, a private-equity partner and a peer who made the
move the owner wants should not read the same: :func:`role_of` reads the person's title, and
:data:`ROLE_ASKS` says what to ask each. :func:`vocabulary` gives each field's words, so a
physician's agenda never talks about "their firm and practice".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sync.model import Contact


@dataclass(frozen=True)
class Vocabulary:
    """How a field talks about where people work and what the owner wants."""

    org: str  # "your firm", "your company"...
    target_topics: tuple[str, ...]
    client_question: str
    peers_winning: str


_VOCAB: Mapping[str, Vocabulary] = MappingProxyType(
    {
        "law": Vocabulary(
            "your firm",
            ("their firm and practice", "the market for my kind of work", "their path"),
            "What could your outside counsel do better?",
            "Which firms do you see winning work, and why?",
        ),
        "operations": Vocabulary(
            "your company",
            ("their company and how it runs", "where the industry is heading", "their path"),
            "What could we do better as your supplier?",
            "Which companies do you see running best, and why?",
        ),
        "technology": Vocabulary(
            "your team",
            ("their team and what it is building", "the hard problems they work on", "their path"),
            "What would make our product easier for you to build on?",
            "Which teams do you see shipping well, and why?",
        ),
        "healthcare": Vocabulary(
            "your organisation",
            (
                "their service and how it is run",
                "where care in our specialty is going",
                "their path",
            ),
            "What would make referring your patients to me easier?",
            "Which programs do you see growing, and why?",
        ),
        "finance": Vocabulary(
            "your firm",
            ("their fund and strategy", "the market for my kind of work", "their path"),
            "What could we do better for you?",
            "Which firms do you see winning mandates, and why?",
        ),
        "academia": Vocabulary(
            "your department",
            ("their department and its research", "where the field is going", "their path"),
            "What could I do better for my students and collaborators?",
            "Which groups do you see doing the most interesting work, and why?",
        ),
        "public-sector": Vocabulary(
            "your agency",
            ("their agency and its programs", "the policy questions ahead", "their path"),
            "What could we do better for the people we serve?",
            "Which agencies do you see delivering well, and why?",
        ),
    }
)
_GENERAL = Vocabulary(
    "your organisation",
    ("their organisation and their work", "where their field is going", "their path"),
    "What could I do better for you?",
    "Who do you see doing this well, and why?",
)


def vocabulary(field: str) -> Vocabulary:
    return _VOCAB.get(field, _GENERAL)


RECRUITER = "recruiter"
BOARD = "board director"
INVESTOR = "investor"
EXECUTIVE = "hiring executive"
PEER = "peer"

_ROLE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (RECRUITER, re.compile(r"\b(recruit\w*|headhunter|search|talent|sourcer)\b", re.I)),
    (BOARD, re.compile(r"\b(board|independent director|chairman|chairwoman|trustee)\b", re.I)),
    (INVESTOR, re.compile(r"\b(operating partner|general partner|investor|venture)\b", re.I)),
    (
        EXECUTIVE,
        re.compile(
            r"\b(ceo|coo|cfo|cto|cmo|chief|president|vp|vice president|evp|svp|head of|"
            r"director|chair|managing partner|dean)\b",
            re.I,
        ),
    ),
)

#: What to ask each role for: (the ask, what to leave with).
ROLE_ASKS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        RECRUITER: (
            "Ask how they place someone at my level: which searches they run, what their "
            "clients ask for, and what they need from me to put me forward.",
            "where I fit in their searches, and what to send them.",
        ),
        BOARD: (
            "Ask what boards look for in an operator who joins them, and how the seats are "
            "found before they are announced.",
            "what would make me a credible candidate for a board, and one name to talk to.",
        ),
        INVESTOR: (
            "Ask what they look for in the leaders they put into their companies, and how "
            "they find them.",
            "how their firm finds leaders, and whether I should be on their list.",
        ),
        EXECUTIVE: (
            "Ask for an information interview: how their organisation decides who to bring in "
            "at my level, and what they would want to see from me.",
            "a clear picture of how they hire at my level, and one next step.",
        ),
        PEER: (
            "Ask what they learned in the move I want to make: what got them the role, and "
            "what they would do differently.",
            "the two or three things that made the difference for them.",
        ),
    }
)


_SEARCH_FIRMS = re.compile(
    r"\b(search|recruit\w*|talent|staffing|korn ferry|spencer stuart|heidrick|egon zehnder|"
    r"russell reynolds|witt ?/? ?kieffer)\b",
    re.I,
)
_CHIEFS: Mapping[str, str] = MappingProxyType(
    {
        "ceo": "chief executive officer",
        "coo": "chief operating officer",
        "cfo": "chief financial officer",
        "cto": "chief technology officer",
        "cmo": "chief medical officer",
        "cio": "chief information officer",
    }
)


def _same_role(title: str, wanted: str) -> bool:
    t, w = title.casefold(), wanted.casefold().strip()
    if not w:
        return False
    names = {w, _CHIEFS.get(w, w)} | {k for k, v in _CHIEFS.items() if v == w}
    return any(re.search(rf"\b{re.escape(n)}\b", t) for n in names)


def role_of(contact: Contact | None, peer_title: str = "") -> str:
    """The person's role for the ask ("" when their title says nothing). ``peer_title``: the
    role the owner wants (someone with that title already made the move: a peer). Anyone at a
    search firm is a recruiter, whatever their title."""
    if contact is None or not contact.title:
        return ""
    if _SEARCH_FIRMS.search(contact.organization or ""):
        return RECRUITER
    if _same_role(contact.title, peer_title):
        return PEER
    for role, rx in _ROLE_WORDS:
        if rx.search(contact.title):
            return role
    return ""
