"""The planner's shortcuts against the straightforward reading they replaced: the strong-tie
floor counting over the strong ties only (and the history's meetings by block), the thanks
and the asks looking only at the people who wait for an introduction. The plan made with the
old readings put back is the same, event for event, on the planner benchmark's data and with
every setting of the floor.
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, time
from pathlib import Path

import pytest

from sync.planner import PlanInput, plan
from sync.planner.floor import Floor, _is_strong
from sync.planner.people import Person, Roster

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import bench_planner as bp  # noqa: E402


def _ref_strong_in_block(self: Floor, block: int) -> int:
    lo, hi = self._block_days(block)
    n = 0
    for p in self.ctx.roster.persons.values():
        if not _is_strong(p):
            continue
        weeks = [w for w in p.weeks_met if self._block(w) == block]
        c = p.contact
        held = c is not None and c.last_met is not None and lo <= c.last_met < hi
        n += len(weeks) or int(held)
    return n


def _ref_asks_of(self: Roster, p: Person) -> list[str]:
    asks = []
    for q in self.persons.values():
        if q.needs_intro and q.introducer is not None and q.introducer.id == p.key:
            org = f" at {q.target.organization}" if q.target and q.target.organization else ""
            asks.append(f"{q.name}{org}")
    return sorted(asks)


def _ref_thanks_of(self: Roster, p: Person) -> list[str]:
    return sorted(
        q.name
        for q in self.persons.values()
        if q.needs_intro and q.introducer is not None and q.introducer.id == p.key and q.planned > 0
    )


def _input(contacts: int, busy: int, weeks: int, floor: int) -> PlanInput:
    from dataclasses import replace

    rng = random.Random(7)
    cfg = bp.make_config()
    cfg = replace(cfg, planner=replace(cfg.planner, strong_floor=floor))
    people = bp.make_contacts(rng, contacts)
    blocked = bp.make_busy(rng, busy, cfg.tz, weeks)
    now = datetime.combine(bp.START, time(6, 0), tzinfo=cfg.tz)
    return PlanInput(cfg, people, blocked, bp.START, weeks, now)


@pytest.mark.parametrize("floor", [1, 3])
def test_plan_same_as_with_the_straightforward_readings(
    monkeypatch: pytest.MonkeyPatch, floor: int
) -> None:
    inp = _input(600, 3000, 16, floor)
    counts: list[tuple[int, int]] = []
    fast = Floor._strong_in_block

    def both(self: Floor, block: int) -> int:
        got = fast(self, block)
        counts.append((got, _ref_strong_in_block(self, block)))
        return got

    monkeypatch.setattr(Floor, "_strong_in_block", both)
    got = plan(inp)
    assert counts and all(a == b for a, b in counts)
    assert any(a > 0 for a, _ in counts)
    with monkeypatch.context() as m:
        m.setattr(Floor, "_strong_in_block", _ref_strong_in_block)
        m.setattr(Roster, "asks_of", _ref_asks_of)
        m.setattr(Roster, "thanks_of", _ref_thanks_of)
        want = plan(inp)
    assert got.events == want.events
    assert got.weeks == want.weeks
    assert len(got.events) > 20
