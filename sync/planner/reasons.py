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


def week_over(days: list[date]) -> str:
    """Nothing can start any more in a week: the days left have no meeting window ahead."""
    left = ", ".join(f"{d:%a %d %b}" for d in days)
    return f"no meeting window is left this week (days left: {left})"


def month_cap(count: int, cap: int, first: date, last: date) -> str:
    """The monthly activity cap (``planner.activities_per_month``, over any four weeks)."""
    return f"{MONTH_CAP}: {count} of {cap} in the four weeks {first:%d %b}-{last:%d %b}"


def intro_wait(asked: date, possible: date) -> str:
    """A person met through an introduction, not yet: the lead time after asking runs."""
    return (
        f"waiting for the introduction (asked {asked:%a %d %b}): "
        f"a meeting is possible from {possible.isoformat()}"
    )


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
