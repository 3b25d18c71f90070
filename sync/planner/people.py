"""Who the planner may meet: every contact and configured target as a person with a cadence,
and the focus list.

* **Focus.** A handful of people (``planner.focus_size``) chosen from ``planner.focus``, the
  configured targets, contacts tagged targets, then introducers; each is met at the focus cadence
  (``planner.cadence.focus``, else their category's, else 21-42 days) counted from ``last_met``.
  A focus person rotates out after ``planner.focus_meetings`` meetings (history included), unless
  named in ``planner.focus``; the next candidate takes the place. Retired people never enter.
* **Keep in touch.** Contacts of a category with a configured cadence are met at that cadence.
* **Targets who are not yet contacts** need an introduction first, from a named or ranked
  introducer.
* **Kept out.** Contacts tied to the owner's employer or in ``confidential.never_ask``
  (:func:`sync.who.kept_out`) are never met, asked or named by the plan.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sync.config import Cadence, Config, Target
from sync.model import STRONG_CATEGORIES, Contact, Tie, planned_uid
from sync.planner.inputs import PlanInput
from sync.who import kept_out

DEFAULT_FOCUS_CADENCE = Cadence(ideal_days=21, max_days=42)


@dataclass
class Person:
    key: str
    name: str
    order: int
    contact: Contact | None
    categories: tuple[str, ...]
    strong: bool
    focus_cadence: Cadence
    pool_cadence: Cadence | None
    target: Target | None = None
    pinned_focus: bool = False
    retired: bool = False
    needs_intro: bool = False
    introducer: Contact | None = None
    intro_day: date | None = None
    intro_blocked: bool = False
    last: date | None = None
    met: int = 0  # times met, history and plan (rotation)
    planned: int = 0  # meetings in this plan (first meeting or repeat)
    weeks_met: set[int] = field(default_factory=set)
    in_focus: bool = False
    rotated_out: bool = False
    in_heap: bool = False
    awake: date | None = None  # snoozed by the user: not met before this day

    def asleep(self, day: date) -> bool:
        """Snoozed on ``day`` (the user asked for no meeting before ``awake``)."""
        return self.awake is not None and day < self.awake

    def cadence(self) -> Cadence | None:
        return self.focus_cadence if self.in_focus else self.pool_cadence

    def due(self, start: date, lead_days: int) -> date | None:
        cad = self.cadence()
        if cad is None:
            return None
        due = start if self.last is None else self.last + timedelta(days=cad.ideal_days)
        if self.needs_intro:
            if self.intro_day is None:
                return None
            due = max(due, self.intro_day + timedelta(days=lead_days))
        return max(due, self.awake) if self.awake is not None else due

    def deadline(self, start: date) -> date:
        cad = self.cadence() or DEFAULT_FOCUS_CADENCE
        return (self.last or start - timedelta(days=cad.ideal_days)) + timedelta(days=cad.max_days)

    def credited(self, day: date) -> bool:
        """A meeting on ``day`` that the contact's ``times_met`` already counts (on or before
        its ``last_met``: the engine credits netweave's past meetings to the contacts)."""
        c = self.contact
        return c is not None and c.last_met is not None and c.times_met > 0 and day <= c.last_met

    def meet(self, day: date, wi: int, counted: bool = False) -> None:
        """Met on ``day``; ``counted``: the contact's ``times_met`` already has it."""
        if self.last is None or day > self.last:
            self.last = day
        if not counted:
            self.met += 1
        self.planned += 1
        self.weeks_met.add(wi)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


def is_known(c: Contact) -> bool:
    """A contact read from an address book, not only synthesised from the config's targets."""
    if c.times_met or c.last_met:
        return True
    return not (c.sources and all(s.startswith(("config", "target")) for s in c.sources))


def find_target(
    t: Target, contacts: Sequence[Contact], find: Callable[[str], Contact | None]
) -> Contact | None:
    """The contact who is this target: the address book's (sync.introductions.find_target
    when present: names, organisations), else by email or exact name, which also finds the
    contact the engine synthesises from the config for a target not yet known."""
    try:
        from sync.introductions import find_target as match_target
    except ImportError:
        found = None
    else:
        try:
            found = match_target(t, contacts)
        except Exception:  # noqa: BLE001 - a matching bug must not break planning
            found = None
    if found is None and t.email:
        found = find(t.email)
    return found or find(t.name)


def rank_introducers(target: Target, contacts: Sequence[Contact]) -> list[Contact]:
    try:
        from sync.introductions import rank_introducers as rank
    except ImportError:
        return []
    try:
        ranked = rank(target, contacts)
    except Exception:  # noqa: BLE001 - a ranking bug must not break planning
        return []
    out: list[Contact] = []
    for item in ranked:
        c = item[0] if isinstance(item, tuple) else item
        if isinstance(c, Contact):
            out.append(c)
    return out


class Roster:
    """Every person the planner may meet, the focus candidates in order, and the focus list."""

    def __init__(self, inp: PlanInput) -> None:
        cfg = inp.config
        pl = cfg.planner
        self.cadences = dict(pl.cadence)
        self._by_cats: dict[tuple[str, ...], tuple[Cadence | None, Cadence, bool]] = {}
        contacts = sorted({c.id: c for c in inp.contacts}.values(), key=lambda c: c.id)
        self.contact_list = contacts
        self.contacts: dict[str, Contact] = {c.id: c for c in contacts}
        self.by_name: dict[str, list[Contact]] = defaultdict(list)
        self.by_email: dict[str, Contact] = {}
        for one in contacts:
            self.by_name[one.name.strip().casefold()].append(one)
            for e in one.emails:
                self.by_email.setdefault(e.strip().casefold(), one)
        self.retired_refs = {r.strip().casefold() for r in pl.retired}
        self.persons: dict[str, Person] = {}
        snoozed = inp.snoozed
        for i, ct in enumerate(contacts):
            p = self.persons[ct.id] = self._person(ct.id, ct.name, i, ct, ct.categories)
            # tied to the employer or never to be asked: never planned, asked or named
            p.retired = kept_out(ct) is not None or self.is_retired(ct.name, ct.emails)
            p.awake = snoozed.get(ct.id)
        self.target_keys: list[str] = []  # targets who are not contacts
        self.key_of_target: dict[int, str] = {}
        self._add_targets(cfg.targets)
        # who waits for an introduction, and from whom, is settled here and never changes
        self.introduced = [
            q for q in self.persons.values() if q.needs_intro and q.introducer is not None
        ]
        cands = self._focus_candidates(cfg)
        self.candidates = [k for k in cands if not self.persons[k].retired]
        self.cursor = 0
        self.focus: list[str] = []
        self.size = pl.focus_size
        self.rounds = pl.focus_meetings
        self.intro_uid = {  # "prep": the uid it had as a task, kept so no request is made twice
            k: planned_uid("prep", "introduction", k)
            for k in self.persons
            if self.persons[k].needs_intro
        }
        self.intro_by_uid = {u: k for k, u in self.intro_uid.items()}
        # Every meeting as it is counted, in order: indexes over the people (who is due,
        # who was met when) catch up from it instead of looking at everyone each week.
        self.met_log: list[tuple[Person, int]] = []

    def meet(self, p: Person, day: date, wi: int, counted: bool = False) -> None:
        """``p`` is met on ``day`` in week ``wi`` (see :meth:`Person.meet`), and logged."""
        p.meet(day, wi, counted)
        self.met_log.append((p, wi))

    def find(self, ref: str) -> Contact | None:
        r = ref.strip().casefold()
        if r in self.by_email:
            return self.by_email[r]
        hits = self.by_name.get(r)
        return hits[0] if hits else None

    def is_retired(self, name: str, emails: Iterable[str]) -> bool:
        if not self.retired_refs:
            return False
        return name.strip().casefold() in self.retired_refs or any(
            e.casefold() in self.retired_refs for e in emails
        )

    def _add_targets(self, targets: Sequence[Target]) -> None:
        """Targets from the config: a contact, or a person to be introduced to."""
        order = len(self.contact_list)
        for ti, t in enumerate(targets):
            c = find_target(t, self.contact_list, self.find)
            if c is not None:
                p = self.persons[c.id]
                p.target = t
                if t.cadence is not None:
                    p.focus_cadence = t.cadence
                if "targets" not in p.categories:
                    p.categories = (*p.categories, "targets")
                p.needs_intro = not is_known(c)
            else:
                key = "target:" + slug(t.name)
                if key in self.persons:
                    continue
                p = self._person(key, t.name, order, None, ("targets",))
                order += 1
                p.target = t
                if t.cadence is not None:
                    p.focus_cadence = t.cadence
                p.needs_intro = True
                p.retired = self.is_retired(t.name, (t.email,) if t.email else ())
                self.persons[key] = p
                self.target_keys.append(key)
            self.key_of_target[ti] = p.key
            if p.needs_intro:
                p.introducer = self._introducer(t, p)

    def _focus_candidates(self, cfg: Config) -> list[str]:
        """Focus candidates in order: named, configured targets, tagged targets, introducers."""
        cands: list[str] = []
        seen: set[str] = set()

        def add(key: str) -> None:
            if key not in seen:
                seen.add(key)
                cands.append(key)

        for ref in cfg.planner.focus:
            c = self.find(ref)
            key = c.id if c else "target:" + slug(ref)
            if key in self.persons and key not in seen:
                self.persons[key].pinned_focus = True
                add(key)
        for ti in range(len(cfg.targets)):
            key = self.key_of_target.get(ti, "")
            if key in self.persons:
                add(key)
        tagged = sorted(
            (p for p in self.persons.values() if p.contact and "targets" in p.categories),
            key=lambda p: (p.last is not None, p.name.casefold(), p.key),
        )
        for p in tagged:
            add(p.key)
        for t in cfg.targets:
            for ref in t.introducers:
                c = self.find(ref)
                if c:
                    add(c.id)
        intro_tagged = sorted(
            (p for p in self.persons.values() if p.contact and "introducers" in p.categories),
            key=lambda p: (p.name.casefold(), p.key),
        )
        for p in intro_tagged:
            add(p.key)
        return cands

    def _person(
        self, key: str, name: str, order: int, c: Contact | None, cats: tuple[str, ...]
    ) -> Person:
        known = self._by_cats.get(cats)
        if known is None:  # the same few sets of categories come up again and again
            known = self._by_cats[cats] = self._of_categories(cats)
        pool, focus_cad, strong_cats = known
        strong = (c.tie == Tie.STRONG) if c and c.tie else strong_cats
        return Person(
            key=key,
            name=name.strip() or "(no name)",
            order=order,
            contact=c,
            categories=cats,
            strong=strong,
            focus_cadence=focus_cad,
            pool_cadence=pool,
            last=c.last_met if c else None,
            met=c.times_met if c else 0,
        )

    def _of_categories(self, cats: tuple[str, ...]) -> tuple[Cadence | None, Cadence, bool]:
        """The keep-in-touch cadence (the shortest of the categories'), the focus cadence,
        and whether the categories make a strong tie."""
        pool: Cadence | None = None
        for cat in cats:
            cd = self.cadences.get(cat)
            if cd and (
                pool is None or (cd.ideal_days, cd.max_days) < (pool.ideal_days, pool.max_days)
            ):
                pool = cd
        focus_cad = self.cadences.get("focus") or pool or DEFAULT_FOCUS_CADENCE
        return pool, focus_cad, bool(set(cats) & STRONG_CATEGORIES)

    def _introducer(self, t: Target, p: Person) -> Contact | None:
        for ref in t.introducers:
            c = self.find(ref)
            if c is not None and c.id != p.key and kept_out(c) is None:
                return c
        for c in rank_introducers(t, self.contact_list):
            if c.id != p.key and is_known(c):
                return c
        return None

    def asks_of(self, p: Person) -> list[str]:
        """The introductions ``p`` is asked for (sorted), as "Name at Organisation"."""
        asks = []
        for q in self.introduced:
            if q.introducer is not None and q.introducer.id == p.key:
                org = f" at {q.target.organization}" if q.target and q.target.organization else ""
                asks.append(f"{q.name}{org}")
        return sorted(asks)

    def thanks_of(self, p: Person) -> list[str]:
        """The people ``p`` introduced the owner to who have been met (sorted): to thank."""
        return sorted(
            q.name
            for q in self.introduced
            if q.introducer is not None and q.introducer.id == p.key and q.planned > 0
        )

    def eligible(self, p: Person) -> bool:
        if p.retired or p.rotated_out or p.intro_blocked:
            return False
        if p.needs_intro and p.introducer is None:
            return False
        return p.pinned_focus or self.rounds == 0 or p.met < self.rounds

    def rotate(self) -> list[Person]:
        """Drop focus people met enough; fill up from the candidates. Returns those dropped."""
        dropped = []
        for key in list(self.focus):
            p = self.persons[key]
            if not self.eligible(p):
                self.focus.remove(key)
                p.in_focus = False
                p.rotated_out = True
                dropped.append(p)
        while len(self.focus) < self.size and self.cursor < len(self.candidates):
            p = self.persons[self.candidates[self.cursor]]
            self.cursor += 1
            if self.eligible(p):
                self.focus.append(p.key)
                p.in_focus = True
        return dropped
