"""Places and travel, without the network: which configured place a location names, how far
an area is from another (``[[travel.times]]``, else a place's own ``travel_minutes``), where the
other person is, and where a one-on-one goes.

The rule for a one-on-one in person: near the other person when their place is known and at
most ``travel.max_minutes`` away; else midway (the configured place whose longer leg, from you
or from them, is shortest) when the table knows both legs; else the window's own place (near
you). In confidential mode, a meeting with a target never goes to the area of ``owner.office``
(``confidential.avoid_office``): another place is chosen, else the window is not used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sync.config import Config, Place, Window
from sync.model import Contact

VIRTUAL = re.compile(
    r"zoom|teams|webex|meet\.google|google meet|https?://|video call|phone call|\bdial[- ]in\b",
    re.IGNORECASE,
)


def _has(text: str, word: str) -> bool:
    w = word.strip().casefold()
    return bool(w) and re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", text) is not None


@dataclass(frozen=True)
class Spot:
    """Where something happens: its text for the calendar, area and one-way minutes."""

    where: str
    area: str
    minutes: int


class Atlas:
    """The configured places and the travel table, read once per run."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self.places = cfg.places
        office = cfg.place(cfg.owner.office) if cfg.owner.office else None
        self.office_area = self.area(office) if office else ""
        self.base = cfg.travel.base or self.office_area
        self.times: dict[tuple[str, str], int] = {}
        for t in cfg.travel.times:
            self.times[t.a.casefold(), t.b.casefold()] = t.minutes
            self.times[t.b.casefold(), t.a.casefold()] = t.minutes

    @staticmethod
    def area(p: Place) -> str:
        return p.area or p.name

    def between(self, a: str, b: str) -> int | None:
        """Minutes one way between two areas (0 within one), or None if the table is silent."""
        if a.casefold() == b.casefold():
            return 0
        return self.times.get((a.casefold(), b.casefold()))

    def to_place(self, p: Place) -> int:
        """One-way minutes from where you start to ``p``."""
        if self.base:
            m = self.between(self.base, self.area(p))
            if m is not None and (self.area(p).casefold() != self.base.casefold()):
                return m
        return p.travel_minutes

    def spot(self, p: Place) -> Spot:
        return Spot(p.address or p.name, self.area(p), self.to_place(p))

    def locate(self, text: str) -> Place | None:
        """The configured place a location text names (its words, name or address)."""
        t = text.casefold()
        if not t.strip():
            return None
        for p in self.places:
            if any(_has(t, w) for w in p.words):
                return p
        for p in self.places:
            if (p.address and p.address.casefold() in t) or _has(t, p.name):
                return p
        return None

    def venue(self, text: str, fallback: str = "") -> Spot:
        """Where a group's venue is: the feed's own text always wins; its travel from the place
        it names, else the configured ``fallback`` place, else ``travel.unknown_minutes``."""
        fb = self.cfg.place(fallback) if fallback else None
        if not text.strip():
            return self.spot(fb) if fb else Spot(fallback, "", 0)
        if VIRTUAL.search(text):
            return Spot(text, "", 0)
        p = self.locate(text)
        if p is not None:
            return Spot(text, self.area(p), self.to_place(p))
        return Spot(text, "", self.cfg.travel.unknown_minutes)

    def person_place(
        self, c: Contact | None, target_place: str, org: str, refs: Sequence[str]
    ) -> Place | None:
        """Where a person is: the target's configured place, a place naming them or their
        organisation, else the city of their card's address."""
        if target_place:
            return self.cfg.place(target_place)
        names = {r.strip().casefold() for r in refs if r.strip()}
        for p in self.places:
            if names & {x.strip().casefold() for x in p.people}:
                return p
        org_cf = org.casefold()
        if org_cf:
            for p in self.places:
                if any(o.strip() and o.strip().casefold() in org_cf for o in p.organizations):
                    return p
        city = c.get("city") if c is not None else None
        return self.locate(city) if city else None

    def one_on_one(self, w: Window, theirs: Place | None, target: bool) -> Spot | None:
        """Where a one-on-one in window ``w`` goes (the rule in the module docstring)."""
        mine = self.cfg.place(w.place) if w.place else None
        near_me = self.spot(mine) if mine else Spot(w.place, "", 0)
        choice = near_me
        if theirs is not None:
            them = self.spot(theirs)
            if them.minutes <= self.cfg.travel.max_minutes:
                choice = them
            else:
                choice = self._midway(theirs) or near_me
        conf = self.cfg.confidential
        if (
            target
            and conf.enabled
            and conf.avoid_office
            and self.office_area
            and choice.area.casefold() == self.office_area.casefold()
        ):
            return self._away_from_office(theirs)
        return choice

    def _midway(self, theirs: Place) -> Spot | None:
        best: tuple[int, int, str] | None = None
        spot = None
        for i, p in enumerate(self.places):
            leg = self.between(self.area(theirs), self.area(p))
            if leg is None:
                continue
            mine = self.to_place(p)
            key = (max(leg, mine), i, p.name)
            if best is None or key < best:
                best, spot = key, self.spot(p)
        return spot

    def _away_from_office(self, theirs: Place | None) -> Spot | None:
        """The nearest place outside the office's area (theirs first), or None."""
        office = self.office_area.casefold()
        if theirs is not None and self.area(theirs).casefold() != office:
            return self.spot(theirs)
        others = [p for p in self.places if self.area(p).casefold() != office]
        if not others:
            return None
        best = min(others, key=lambda p: (self.to_place(p), self.places.index(p)))
        return self.spot(best)
