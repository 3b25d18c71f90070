"""Who everyone is: the rules' categories, weighed with the evidence rules cannot see (pure).

For each contact, the categories of every matching rule (ranked by priority) are merged with:
labels on the card that are netweave categories (the user's own), relations and possessive
notes (:mod:`sync.who.relations`), alumni addresses, and internal meetings of the employer in
the calendar history. Then discretion: someone tied to the employer (:mod:`sync.who.employer`),
or in ``confidential.never_ask``, is never a target or introducer, and family is never a target,
unless the user's own rules or ``netweave tag`` say so. The user's corrections come last.
Nothing matched: ``tagging.default_category`` ("unsorted": listed for the user to sort).

Tied contacts carry ``extra["employer_tie"]`` (why), never-ask ones ``extra["never_ask"]``:
the introducer ranking and the planner read them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sync.config import Confidential, Goal, Owner, TagRule
from sync.copies import changed
from sync.merge import name_tokens
from sync.model import CATEGORIES, STRONG_CATEGORIES, Contact, Event
from sync.tagging import ContactText, Reason, Tagger, employer_domains, fold, tie_for
from sync.tagging.tagger import TagMemo
from sync.who.employer import NeverAsk, employer_ties, internal_meetings
from sync.who.fields import infer_field
from sync.who.goals import GoalWords, narrows_pack_targets, read_goals
from sync.who.overrides import Correction, by_id
from sync.who.relations import Evidence, People, label_evidence, relation_evidence

TIE_KEY = "employer_tie"
NEVER_ASK_KEY = "never_ask"
#: Above this, a reason is the user's own word (their rules, ``netweave tag``).
USER_LEVEL = 2000
#: A goal's words make a target above a field pack's titles, below notes and labels.
GOAL_PRIORITY = 44
#: Rules that make a target from a title alone: the field's pack, the goal's role title.
_TITLE_ONLY_TARGETS = ("rules/fields/", "goals[")
_DISCREET = ("targets", "introducers")
_NONE = "\x00none"
_CARD_CATEGORIES = {fold(c): c for c in CATEGORIES} | {fold(c.rstrip("s")): c for c in CATEGORIES}


@dataclass(frozen=True)
class Judged:
    """One contact as tagged, why each category, and why (if so) they are kept out of asks."""

    contact: Contact
    reasons: tuple[Reason, ...]
    employer_tie: str = ""
    never_ask: bool = False
    dropped: tuple[Reason, ...] = field(default=())  # categories discretion took away
    # title-only targets set aside: the goals lead out of the field, and not to this person
    narrowed: tuple[Reason, ...] = field(default=())


@dataclass(frozen=True)
class Setting:
    owner: Owner
    confidential: Confidential
    default_category: str = "unsorted"
    strong_after_meetings: int = 4
    corrections: tuple[Correction, ...] = ()
    today: date | None = None
    goals: tuple[Goal, ...] = ()


def is_tied(c: Contact) -> bool:
    return c.get(TIE_KEY) is not None


def is_never_ask(c: Contact) -> bool:
    return c.get(NEVER_ASK_KEY) is not None


def kept_out(c: Contact) -> str | None:
    """Why ``c`` is never asked or targeted (employer tie or never_ask), else None."""
    tie = c.get(TIE_KEY)
    if tie is not None:
        return f"tied to your employer: {tie}"
    if is_never_ask(c):
        return "listed in confidential.never_ask"
    return None


def _surname(name: str) -> str:
    toks = name_tokens(name)
    return toks[-1] if len(toks) >= 2 else ""


def _fold(text: str, memo: dict[str, str]) -> str:
    """:func:`fold`, each distinct text once."""
    got = memo.get(text)
    if got is None:
        got = memo[text] = fold(text)
    return got


def _card_evidence(
    c: Contact, met: dict[str, str], people: People, surname: str, folded: dict[str, str]
) -> list[Evidence]:
    """``surname``: the owner's ("" when none); ``folded``: labels already folded."""
    out = []
    toks = people.tokens(c.name)
    if surname and not c.organization and len(toks) >= 2 and toks[-1] == surname:
        out.append(Evidence("family", 30, "name", f"your surname, {c.name}"))
    for label in c.source_categories:
        cat = _CARD_CATEGORIES.get(_fold(label, folded))
        if cat:
            out.append(Evidence(cat, 120, "card label", f"your label {label!r}"))
    for e in c.emails:
        dom = e.rpartition("@")[2].casefold()
        if dom.startswith(("alumni.", "alum.")):
            out.append(Evidence("alumni", 45, "email", f"alumni address {e}"))
            break
    for e in c.emails:
        if e.casefold() in met:
            why = f"met in your employer's meeting {met[e.casefold()]!r}"
            out.append(Evidence("colleagues", 45, "calendar", why))
            break
    return out


def _merge(ranked: list[tuple[int, Reason]], extra: Iterable[Evidence]) -> list[tuple[int, Reason]]:
    items = list(ranked)
    for ev in extra:
        items.append((ev.priority, Reason(ev.category, ev.origin, (ev.because,))))
    items.sort(key=lambda x: -x[0])  # stable: rules before evidence of the same rank
    seen: set[str] = set()
    out = []
    for p, r in items:
        if r.category not in seen:
            seen.add(r.category)
            out.append((p, r))
    return out


def _narrowed(ranked: list[tuple[int, Reason]]) -> tuple[list[tuple[int, Reason]], list[Reason]]:
    """The ranked reasons without title-only targets, and those set aside."""
    kept, aside = [], []
    for p, r in ranked:
        if r.category == "targets" and r.origin.startswith(_TITLE_ONLY_TARGETS):
            aside.append(r)
        else:
            kept.append((p, r))
    return kept, aside


class Judge:
    """Rules compiled once; :meth:`judge` tags a batch with all the evidence."""

    def __init__(self, rules: Sequence[TagRule], setting: Setting) -> None:
        self.setting = setting
        self.tagger = Tagger.build(rules, employer_domains(setting.owner.emails))
        self.rank = {(r.category, r.origin): r.priority for r in rules}
        self.scoped = read_goals(setting.goals, infer_field(setting.owner))
        self.goals: tuple[GoalWords, ...] = tuple(g for g in self.scoped if g.serves)
        self.narrow = narrows_pack_targets(self.scoped)

    def _ranked(self, view: ContactText, memo: TagMemo) -> list[tuple[int, Reason]]:
        out = []
        for r in self.tagger.reasons_in(view, _NONE, memo):
            if r.category != _NONE:
                out.append((self.rank.get((r.category, r.origin), 0), r))
        return out

    def _goal_evidence(self, view: ContactText) -> tuple[list[Evidence], bool]:
        """Targets by the goals' words, and whether the contact is in a goal's world."""
        out: list[Evidence] = []
        opened = [g for g in self.scoped if g.gate.open(view)]
        for g in opened:
            w = g.serves.witness(view) if g.serves is not None else None
            if w is not None:
                why = "; ".join(w) or "the goal's words"
                out.append(Evidence("targets", GOAL_PRIORITY, g.origin, why))
        if out or not self.narrow:
            return out, True
        return out, any(g.scope is not None and g.scope.match(view) for g in opened)

    def _first(
        self,
        contacts: Sequence[Contact],
        met: dict[str, str],
        people: People,
        folded: dict[str, str],
    ) -> tuple[dict[str, list[tuple[int, Reason]]], set[str]]:
        """Each contact's categories from rules and card evidence; who is out of the goals'
        world (their title-only targets do not count)."""
        memo: dict[tuple[str, object], tuple[str, frozenset[str]]] = {}
        found = TagMemo()
        surname = _surname(self.setting.owner.name)
        base: dict[str, list[tuple[int, Reason]]] = {}
        outside: set[str] = set()
        for c in contacts:
            view = ContactText.of(c, memo)
            goal, inside = self._goal_evidence(view) if self.goals or self.narrow else ([], True)
            if not inside:
                outside.add(c.id)
            card = _card_evidence(c, met, people, surname, folded)
            base[c.id] = _merge(self._ranked(view, found), [*card, *goal])
        return base, outside

    def judge(self, contacts: Sequence[Contact], events: Iterable[Event] = ()) -> list[Judged]:
        s = self.setting
        events = list(events)
        today = s.today
        met = internal_meetings(events, s.owner, today) if today else {}
        people = People(contacts, s.owner.name)
        tied = employer_ties(
            contacts, s.owner, s.confidential, events, today, met=met, people=people
        )
        folded: dict[str, str] = {}
        base, outside = self._first(contacts, met, people, folded)
        set_aside: dict[str, list[Reason]] = {}
        for cid in outside:  # a goal out of the field: a pack's title alone is no target
            kept, set_aside[cid] = _narrowed(base[cid])
            base[cid] = kept
        merged = _settled(contacts, base, people, tied, folded)
        fixes = by_id(contacts, s.corrections)
        never = NeverAsk(s.confidential) if s.confidential.enabled else None
        return [
            self._finish(
                c,
                merged[c.id],
                tied.get(c.id, ""),
                fixes.get(c.id),
                never is not None and never.lists(c, people.tokens(c.name)),
                tuple(set_aside.get(c.id, ())),
            )
            for c in contacts
        ]

    def _finish(
        self,
        c: Contact,
        ranked: list[tuple[int, Reason]],
        tie: str,
        fix: Correction | None,
        never: bool,
        narrowed: tuple[Reason, ...],
    ) -> Judged:
        s = self.setting
        kept: list[Reason] = []
        dropped: list[Reason] = []
        # a strong tie (family, a friend, a mentor) is not someone to be introduced to
        strong = bool(ranked) and ranked[0][1].category in STRONG_CATEGORIES
        for p, r in ranked:
            discreet = r.category in _DISCREET and bool(tie or never)
            unwanted = discreet or (r.category == "targets" and strong)
            (dropped if unwanted and p <= USER_LEVEL else kept).append(r)
        if tie and not kept:
            kept.append(Reason("colleagues", "employer", (tie,)))
        if fix is not None:
            kept = [r for r in kept if r.category not in fix.remove and r.category not in fix.add]
            added = [Reason(x, "netweave tag", ("your correction",)) for x in fix.add]
            kept = added + kept
        if not kept:
            kept.append(Reason(s.default_category, "default_category"))
        cats = tuple(r.category for r in kept)
        extra = [(k, v) for k, v in c.extra if k not in (TIE_KEY, NEVER_ASK_KEY)]
        if tie:
            extra.append((TIE_KEY, tie))
        if never:
            extra.append((NEVER_ASK_KEY, "1"))
        tagged = changed(
            c,
            categories=cats,
            tie=tie_for(cats, c.times_met, s.strong_after_meetings),
            extra=tuple(extra),
        )
        return Judged(tagged, tuple(kept), tie, never, tuple(dropped), narrowed)


def _settled(
    contacts: Sequence[Contact],
    base: dict[str, list[tuple[int, Reason]]],
    people: People,
    tied: Mapping[str, str],
    folded: dict[str, str],
) -> dict[str, list[tuple[int, Reason]]]:
    """The ranked reasons with the evidence of relations, possessive notes and labels that
    name a community group, settled in a few rounds (a spouse of a sister of the owner).

    Only a contact whose card names someone, or with labels and no reason yet, can gain
    evidence; every other contact keeps its ``base`` reasons (merging nothing into them
    changes nothing)."""
    some = {c.id for c in people.linked} | {
        c.id for c in contacts if c.source_categories and not base[c.id]
    }
    moving = [c for c in contacts if c.id in some]  # every card of an id, the last one wins
    orgs = [(c.id, _fold(c.organization, folded)) for c in contacts if c.organization]
    still = {cid: r[0][1].category for cid, r in base.items() if r}
    merged = base
    last: dict[str, str] | None = None
    for _ in range(3):
        moved = {cid: merged[cid][0][1].category for cid in some if merged[cid]}
        if moved == last:
            break  # the same primaries as the round before: the same evidence again
        last = moved
        primary = still | moved
        groups = {org: "community" for cid, org in orgs if primary.get(cid) == "community"}
        merged = dict(base)
        for c in moving:
            merged[c.id] = _merge(
                base[c.id],
                [
                    *relation_evidence(c, people, primary, tied),
                    *([] if base[c.id] else label_evidence(c, groups, frozenset())),
                ],
            )
    return merged


def judge(
    contacts: Sequence[Contact],
    rules: Sequence[TagRule],
    setting: Setting,
    events: Iterable[Event] = (),
) -> list[Judged]:
    """Tag every contact (order kept) with the reasons for each category."""
    return Judge(rules, setting).judge(contacts, events)
