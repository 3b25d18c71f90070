"""The words the planner gives for its decisions: why something was placed, and the reasons
something was not (shown in the weekly report and in meeting descriptions)."""

from __future__ import annotations

from datetime import date

from sync.config import Cadence, Group

NO_WINDOW = "no free window"
BUDGET_SPENT = "budget spent"
NOT_DUE = "cadence not due"
CAP = "one-on-one cap"
MONTH_CAP = "monthly activity cap reached"
TRIAL_DONE = "trial visits done"
UNDER_WAY = "after a meeting already under way"
KEPT = "; kept in place"
TRAVEL_SHORT = "travel would not fit"


def one_on_one_why(what: str, last: date | None, due: date, cad: Cadence) -> str:
    every = f"every {cad.ideal_days}-{cad.max_days} days"
    if last is None:
        return f"{what}; first meeting ({every})"
    return f"{what}; last met {last.isoformat()}, due {due.isoformat()} ({every})"


def intro_why(name: str) -> str:
    return f"{name} is not yet a contact: the introduction comes first"


def group_why(g: Group, visits: int) -> str:
    """``visits``: the visits made so far."""
    if g.mode == "active":
        return "you host it"
    if g.status == "trial":
        return f"trial visit {visits + 1} of {g.trial_visits}"
    return "member: every meeting"
