"""The other times offered for a held meeting: each hold stands where it fits, before anything
else is placed (an offer already made outranks a meeting not yet asked for), and is dropped
where it does not: on busy time, on what already stands, on another hold, on a day away, in
the past. A hold takes time, not budget."""

from __future__ import annotations

from sync.planner.context import Context


def commit_holds(ctx: Context) -> None:
    """Commit the input's holds that fit, in time order (an earlier offer wins a clash)."""
    h = ctx.horizon
    board = ctx.board
    for e in sorted(ctx.inp.holds, key=lambda e: (e.start, e.uid)):
        if e.uid in board.taken or e.uid in board.fixed_uids:
            continue  # deleted by the user, or moved by them: theirs now
        a, b = h.fp(e)
        if a < h.now or not h.in_horizon(int(e.start.timestamp())):
            continue
        if board.timeline.conflict(a, b) is not None:
            continue
        if ctx.presence.conflict(a, b, e.in_person) is not None:
            continue
        board.hold(e)
