"""Read the benchmark's calendar (.ics) the way a sync does and print the CPU time per run.

.venv/bin/python benchmarks/bench_ics.py DIR [RUNS] [--profile]

DIR holds ``calendar.ics`` (``generate.py DIR``). The window is the sync's: a year of history
before ``generate.PLAN_START`` to 26 weeks after it, in America/New_York. Each run reads the
file from scratch, with the collector thresholds the command line sets; the count and a digest
of every event say that two trees read the same.

Measured back to back on a shared 2-core machine (load 3.7-4.0), min of 5 reads, three rounds:
before the arithmetic series and the scan changes 3.22 / 3.16 / 2.95 s CPU, after them 1.55 /
1.51 / 1.64 s; the same 10,408 events (sha256 2556ed00067c3020).
"""

from __future__ import annotations

import cProfile
import gc
import hashlib
import pstats
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import PLAN_START  # noqa: E402

from sync.sources.ics import parse_calendar_bytes  # noqa: E402


def main() -> None:
    gc.set_threshold(50_000, 20, 100)  # as the command line sets it (sync.cli.edge)
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    folder = Path(args[0])
    runs = int(args[1]) if len(args) > 1 else 5
    tz = ZoneInfo("America/New_York")
    start = datetime.combine(PLAN_START - timedelta(days=365), datetime.min.time(), tz)
    end = datetime.combine(PLAN_START + timedelta(weeks=26), datetime.min.time(), tz)
    data = (folder / "calendar.ics").read_bytes()
    if "--profile" in sys.argv:
        prof = cProfile.Profile()
        prof.enable()
        parse_calendar_bytes(data, "work", tz, start, end)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
        return
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        result = parse_calendar_bytes(data, "work", tz, start, end)
        times.append(time.process_time() - t0)
    lines = sorted(
        f"{e.uid} {e.start.isoformat()} {e.end.isoformat()} {e.recurrence_id} {e.summary}"
        for e in result.events
    )
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]
    shown = " ".join(f"{t:.2f}" for t in times)
    print(f"{len(result.events)} events, {len(result.problems)} problems, sha256 {digest}")
    print(f"CPU s per read: {shown} (min {min(times):.2f})")


if __name__ == "__main__":
    main()
