"""The planner: config + tagged contacts + busy time + state -> planned events. Pure and
deterministic: the same inputs give the same plan, byte for byte.

A run (``sweep``) commits what stands (``standing``), then goes week by week: the focus list
rotates (``people``), the previous plan is kept where still valid (``keep``), and the week is
filled (``fill``) with group visits, tasks and one-on-ones, found in free time (``place``,
``timeline``) within the budget and the balance (``ledger``). Who is due comes from
``people`` and ``demand``, groups from ``groups``; what events look like from ``events``;
the words for decisions from ``reasons``; the result and its renderings from ``outcome``.
"""

from __future__ import annotations

from sync.planner.clock import cost_minutes, footprint, in_budget
from sync.planner.inputs import PlanInput
from sync.planner.outcome import (
    Placement,
    Plan,
    Unplaced,
    WeekReport,
    event_json,
    explain,
    plan_json,
)
from sync.planner.sweep import Sweep

__all__ = [
    "Placement",
    "Plan",
    "PlanInput",
    "Unplaced",
    "WeekReport",
    "cost_minutes",
    "event_json",
    "explain",
    "footprint",
    "in_budget",
    "plan",
    "plan_json",
]


def plan(inp: PlanInput) -> Plan:
    """Plan ``inp.weeks`` weeks from ``inp.start``. Same inputs, same output."""
    return Sweep(inp).run()
