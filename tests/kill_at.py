"""``python kill_at.py MODE N NETWEAVE-ARGS...``: run the netweave CLI and SIGKILL it at the N-th
write to a calendar, ``before`` it is sent or ``after`` it was made (a vdir file or a CalDAV
request). With fewer than N writes the run ends as usual. The stateful safety test uses it to
kill a sync at a chosen point of its write phase."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import Any


def killing(orig: Callable[..., Any], mode: str, n: int, count: list[int]) -> Callable[..., Any]:
    def write(self: Any, *args: Any, **kwargs: Any) -> Any:
        count[0] += 1
        if mode == "before" and count[0] == n:
            os.kill(os.getpid(), signal.SIGKILL)
        result = orig(self, *args, **kwargs)
        if mode == "after" and count[0] == n:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    return write


def main() -> None:
    from sync.sources.dav import CalDavCalendar
    from sync.sources.localwrite import WritableVdirCalendar

    mode, n = sys.argv[1], int(sys.argv[2])
    assert mode in ("before", "after"), mode
    count = [0]
    for cls in (WritableVdirCalendar, CalDavCalendar):
        for name in ("insert", "update", "delete"):
            setattr(cls, name, killing(getattr(cls, name), mode, n, count))
    from sync.cli import main as netweave

    netweave(sys.argv[3:])


if __name__ == "__main__":
    main()
