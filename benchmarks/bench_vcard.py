"""Parse a synthetic 10,000-card .vcf with netweave's parser and with vobject.

.venv/bin/python benchmarks/bench_vcard.py [N]
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from collections.abc import Callable

import vobject

from sync.sources.vcard import parse_vcards


def synthetic(n: int) -> str:
    cards = []
    for i in range(n):
        cards.append(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"UID:card-{i:06d}\r\nN:Person{i};Given{i};;;\r\nFN:Given{i} Person{i}\r\n"
            f"ORG:Firm {i % 97};Litigation\r\nTITLE:Partner\r\n"
            f"item1.EMAIL;type=INTERNET;type=pref:given{i}.person{i}@firm{i % 97}.example\r\n"
            "item1.X-ABLabel:_$!<Work>!$_\r\n"
            f"TEL;type=CELL:+1 (212) 555-{i % 10000:04d}\r\n"
            f"ADR;type=WORK:;;{i} Park Ave;New York;NY;10022;USA\r\n"
            "NOTE:Met at the bar association dinner\\, talked about arbitration and the new\r\n"
            "  rules for discovery in commercial cases.\r\n"
            "CATEGORIES:Clients,Bar Association\r\nEND:VCARD\r\n"
        )
    return "".join(cards)


def measure(label: str, fn: Callable[[], int], memory: bool) -> None:
    t0 = time.perf_counter()
    count = fn()
    dt = time.perf_counter() - t0
    peak = ""
    if memory:  # a second run: tracemalloc slows Python down several times
        tracemalloc.start()
        fn()
        peak = f"  peak {tracemalloc.get_traced_memory()[1] / 1e6:6.1f} MB"
        tracemalloc.stop()
    print(f"{label:10s} {count:6d} cards  {dt:6.2f} s{peak}", flush=True)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    text = synthetic(n)
    print(f"{n} cards, {len(text) / 1e6:.1f} MB")
    measure("netweave", lambda: len(parse_vcards(text, "bench").contacts), True)
    measure("vobject", lambda: sum(1 for _ in vobject.readComponents(text)), False)


if __name__ == "__main__":
    main()
