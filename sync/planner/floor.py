"""Tie balance as a floor, not only a cap: in every block of four weeks at least
``planner.strong_floor`` one-on-ones go to strong ties and mentors, the most overdue first; and
an introducer whose introduction led to a meeting is thanked in person, not only by email.

The floor takes the time left after the focus and keep-in-touch people, and in the last week of
a block comes before them, so a month full of targets still keeps the strong ties warm. Thanks
take the time left. People kept out of the plan (retired, tied to the employer) are never
chosen.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import islice

from sync.planner.commit import Committer, Unit
from sync.planner.context import Context
from sync.planner.keep import Keeper
from sync.planner.outcome import WeekReport
from sync.planner.people import Person
from sync.planner.place import Placer
from sync.planner.reasons import one_on_one_why
from sync.planner.ties import StrongTies

BLOCK_WEEKS = 4
#: A strong tie met this recently is not overdue.
RECENT_DAYS = 28
#: A thank-you meeting comes at least this long after the meeting the introduction led to.
THANKS_AFTER_DAYS = 7


def _is_strong(p: Person) -> bool:
    return p.contact is not None and (p.strong or "mentors" in p.categories)


def _block_of(day: date) -> int:
    """The block of four weeks holding ``day`` (see :meth:`Floor._block_days`)."""
    return ((day.toordinal() - 1) // 7) // BLOCK_WEEKS


class Floor:
    def __init__(self, ctx: Context, placer: Placer, committer: Committer, keeper: Keeper) -> None:
        self.ctx = ctx
        self.placer = placer
        self.committer = committer
        self.keeper = keeper
        self.strong_weeks: dict[int, int] = {}  # block -> strong one-on-ones placed in it
        self.thanked: set[str] = set()
        # The roster is complete before planning starts and who is strong never changes: the
        # weekly checks look at these few rather than at every contact.
        persons = ctx.roster.persons.values()
        self.strong = [p for p in persons if _is_strong(p)]
        self.held: dict[int, list[Person]] = {}  # block -> strong ties last met in it
        for p in self.strong:
            c = p.contact
            if c is not None and c.last_met is not None:
                self.held.setdefault(_block_of(c.last_met), []).append(p)
        self.ties = StrongTies(ctx.roster, self.strong, self._block)

    def _block(self, wi: int) -> int:
        """The block of week ``wi``: blocks of four weeks counted from a fixed Monday, so
        they stay the same as time passes (a run a week later sees the same blocks)."""
        return _block_of(self.ctx.horizon.monday(wi))

    def _block_days(self, block: int) -> tuple[date, date]:
        first = date.fromordinal(block * BLOCK_WEEKS * 7 + 1)  # ordinal 1 is a Monday
        return first, first + timedelta(weeks=BLOCK_WEEKS)

    def _strong_in_block(self, block: int) -> int:
        """Strong-tie meetings in the block: planned ones, and the history's (last met)."""
        n, counted = self.ties.met_in_block(block)
        return n + sum(1 for p in self.held.get(block, ()) if p.key not in counted)

    def _why(self, p: Person, days: list[date], own: str) -> tuple[str, date]:
        """The reason and earliest day: the cadence's when ``p`` is due anyway (so a replan
        that keeps the meeting tells the same), else ``own``."""
        cad = p.cadence()
        due = p.due(self.ctx.horizon.start, self.ctx.cfg.planner.introduction_lead_days)
        if cad is not None and due is not None and due <= days[-1]:
            what = "focus person" if p.in_focus else "keep in touch"
            return one_on_one_why(what, p.last, due, cad), max(due, days[0])
        return own, days[0]

    def _place(self, p: Person, wi: int, days: list[date], lo: date, why: str) -> Unit | str:
        """The previous plan's meeting with ``p`` this week where it was (stability), else a
        new slot; "later" when the previous plan meets ``p`` in a later week."""
        keeper = self.keeper
        if keeper.planned_later(p, wi) and (p.key, wi) not in keeper.displaced:
            return "later"
        h = self.ctx.horizon
        taken = self.ctx.board.taken
        for e in keeper.prev_by_person.get(p.key, []):
            if h.wi_of(int(e.start.timestamp())) == wi and e.uid not in taken:
                res = self.placer.one_on_one(p, wi, days, lo, why, exact=e)
                if isinstance(res, Unit):
                    return res
        return self.placer.one_on_one(p, wi, days, lo, why)

    def last_chance(self, wi: int) -> bool:
        """Week ``wi`` is the last of its block: the floor goes first."""
        return self._block(wi + 1) != self._block(wi)

    def strong_ties(self, wi: int, days: list[date], report: WeekReport) -> None:
        """Place strong-tie one-on-ones until the block's floor is met (most overdue first)."""
        floor = self.ctx.cfg.planner.strong_floor
        if floor <= 0 or not days:
            return
        block = self._block(wi)
        need = floor - self._strong_in_block(block)
        if need <= 0:
            return
        recent = days[0] - timedelta(days=RECENT_DAYS)
        cands = list(islice(self.ties.overdue(wi, days[0], recent), 8))
        for p in cands:
            if need <= 0:
                return
            last = f"last met {p.last.isoformat()}" if p.last else "not met lately"
            own = f"strong tie ({', '.join(p.categories[:1])}); {last}: at least {floor} every "
            why, lo = self._why(p, days, own + f"{BLOCK_WEEKS} weeks")
            res = self._place(p, wi, days, lo, why)
            if isinstance(res, Unit):
                self.committer.unit(res, report)
                need -= 1

    def thanks(self, wi: int, days: list[date], report: WeekReport) -> None:
        """Meet the introducers whose introductions led to a meeting (once each)."""
        if not days:
            return
        roster = self.ctx.roster
        for p in roster.introduced:
            q = p.introducer
            if not p.needs_intro or q is None or p.planned == 0 or q.id in self.thanked:
                continue
            helper = roster.persons.get(q.id)
            if helper is None or helper.retired or p.last is None or helper.asleep(days[0]):
                continue
            if helper.last is not None and helper.last > p.last:
                self.thanked.add(q.id)  # met since: that meeting's agenda thanks them
                continue
            if days[-1] < p.last + timedelta(days=THANKS_AFTER_DAYS):
                continue
            why, lo = self._why(helper, days, f"thank them for the introduction to {p.name}")
            lo = max(lo, p.last + timedelta(days=THANKS_AFTER_DAYS))
            res = self._place(helper, wi, days, lo, why)
            if isinstance(res, Unit):  # else a later week (not reported: a replan that
                self.committer.unit(res, report)  # keeps it later must report the same)
                self.thanked.add(q.id)
