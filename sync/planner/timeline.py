"""The day as the planner sees it: busy time and everything placed so far, merged into
disjoint intervals, with the searches slot finding needs (is this free, earliest, latest)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from operator import itemgetter


def up(x: int, step: int) -> int:
    return -(-x // step) * step


def down(x: int, step: int) -> int:
    return x - x % step


class Timeline:
    """Disjoint, sorted, merged intervals of epoch seconds: busy time plus everything placed."""

    def __init__(self, intervals: Iterable[tuple[int, int]]) -> None:
        starts: list[int] = []
        ends: list[int] = []
        # By start alone: pairs with the same start merge alike in any order, and ints sort
        # three times faster than pairs.
        for a, b in sorted(intervals, key=itemgetter(0)):
            if b <= a:
                continue
            if ends and a <= ends[-1]:
                ends[-1] = max(ends[-1], b)
            else:
                starts.append(a)
                ends.append(b)
        self.starts = starts
        self.ends = ends

    def add(self, a: int, b: int) -> None:
        if b <= a:
            return
        i = bisect_left(self.ends, a)
        j = bisect_right(self.starts, b)
        if i < j:
            a = min(a, self.starts[i])
            b = max(b, self.ends[j - 1])
        self.starts[i:j] = [a]
        self.ends[i:j] = [b]

    def conflict(self, a: int, b: int) -> int | None:
        """None if [a, b) is free, else the end of the last interval overlapping it."""
        i = bisect_left(self.starts, b)
        if i and self.ends[i - 1] > a:
            return self.ends[i - 1]
        return None

    def earliest(self, lo: int, hi: int, length: int, step: int) -> int | None:
        s = up(lo, step)
        while s + length <= hi:
            end = self.conflict(s, s + length)
            if end is None:
                return s
            s = up(end, step)
        return None

    def latest(self, lo: int, hi: int, length: int, step: int) -> int | None:
        s = down(hi - length, step)
        while s >= lo:
            j = bisect_right(self.ends, s)
            if j < len(self.starts) and self.starts[j] < s + length:
                s = down(self.starts[j] - length, step)
            else:
                return s
        return None
