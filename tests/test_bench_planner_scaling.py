"""The planner's scaling benchmark measures the same work at every size: k years of the same
problem plan the same events every year, so planned events per week are equal at 1x and 3x
(benchmarks/run.py fails the scaling case otherwise)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from sync.planner import plan

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import bench_planner as bp  # noqa: E402


def _per_year(k: int, contacts: int = 200, busy: int = 2500) -> list[int]:
    inp = bp.scaling_input(k, contacts, busy)
    per = [0] * k
    for e in plan(inp).events:
        per[(e.start.date() - bp.START).days // 364] += 1
    return per


def test_every_year_plans_the_same_events_as_the_first() -> None:
    one = _per_year(1)
    assert one[0] > 100
    assert _per_year(3) == one * 3


def test_a_run_on_the_first_day_would_plan_less_in_its_first_week() -> None:
    """Why the scaling input runs the week before: a run on the first Monday opens that week
    later than every other year's, and the first year plans less."""
    inp = bp.scaling_input(2, 200, 2500)
    late = replace(inp, now=inp.now + (bp.START - inp.now.date()))
    per = [0, 0]
    for e in plan(late).events:
        per[(e.start.date() - bp.START).days // 364] += 1
    assert per[0] < per[1]


def test_the_work_of_a_plan_grows_as_its_size() -> None:
    """The function calls one plan makes (cProfile's count: the work, free of the machine's
    noise) double when the problem doubles, and grow about fourfold at 4x: a pass in Python
    over every waiting person each week (a backlog that grows with the years) would make them
    grow faster. benchmarks/run.py reports the same count at 1x-8x."""
    import run  # benchmarks/run.py

    got = run._child_planner_rounds(200, 2500, [1, 2, 4], 1)
    calls = [got[k]["plan_calls"] for k in ("1", "2", "4")]
    assert 1.9 < calls[1] / calls[0] < 2.1, calls
    assert 3.8 < calls[2] / calls[0] < 4.2, calls
    assert [got[k]["planned"] for k in ("1", "2", "4")] == [
        got["1"]["planned"] * n for n in (1, 2, 4)
    ]
