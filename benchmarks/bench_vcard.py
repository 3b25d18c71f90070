"""Read the benchmark's 10,000-person .vcf (all four dialects, ``generate.vcards``) with
netweave's reader and with vobject.

.venv/bin/python benchmarks/bench_vcard.py [N] [--rounds R]

netweave's reader is timed as it runs (plain cards through the fast reader) and with every
card through the reference reader it sits in front of, both R times interleaved (default 3;
the minimum and the median are printed). vobject is run three ways: as is (it stops at the
first quoted-printable soft line break), with ``allowQP=True`` (it then reads every card, only
tokenising them) and card by card (how many cards it rejects).
"""

from __future__ import annotations

import logging
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import vobject

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import vcards  # noqa: E402

from sync.sources.vcard import parse_vcards  # noqa: E402
from sync.sources.vcard.parse import _parse_text  # noqa: E402


def measure(label: str, fn: Callable[[], str], memory: bool) -> None:
    t0 = time.process_time()
    what = fn()
    dt = time.process_time() - t0
    peak = ""
    if memory:  # a second run: tracemalloc slows Python down several times
        tracemalloc.start()
        fn()
        peak = f"  peak {tracemalloc.get_traced_memory()[1] / 1e6:6.1f} MB"
        tracemalloc.stop()
    print(f"{label:22s} {dt:6.2f} s CPU  {what}{peak}", flush=True)


def vobject_as_is(text: str) -> str:
    n = 0
    try:
        for _ in vobject.readComponents(text):
            n += 1
    except vobject.base.ParseError as e:
        return f"{n} cards, then {str(e)[:60]!r}"
    return f"{n} cards"


def vobject_per_card(text: str) -> str:
    ok = bad = 0
    for chunk in text.split("BEGIN:VCARD")[1:]:
        try:
            vobject.readOne("BEGIN:VCARD" + chunk)
            ok += 1
        except vobject.base.ParseError:
            bad += 1
    return f"{ok} cards read, {bad} rejected"


def readers(text: str, rounds: int) -> None:
    """The reader as it runs and the reference reader alone, interleaved ``rounds`` times."""
    runs: dict[str, list[float]] = {"netweave (read + map)": [], "  reference reader only": []}
    what = {}
    for _ in range(rounds):
        for label in runs:
            t0 = time.process_time()
            if label.startswith("netweave"):
                what[label] = f"{len(parse_vcards(text, 'b').contacts)} contacts"
            else:
                parsed, _stray = _parse_text(text, "b", "netweave: ", fast=False)
                what[label] = f"{sum(p.contact is not None for p in parsed)} contacts"
            runs[label].append(time.process_time() - t0)
    for label, times in runs.items():
        times.sort()
        print(
            f"{label:22s} {times[0]:6.2f} s CPU  {what[label]}"
            f"  (min of {rounds}, median {times[len(times) // 2]:.2f} s)",
            flush=True,
        )
    tracemalloc.start()
    parse_vcards(text, "b")
    print(f"{'':22s} peak {tracemalloc.get_traced_memory()[1] / 1e6:6.1f} MB", flush=True)
    tracemalloc.stop()


def main() -> None:
    args = sys.argv[1:]
    rounds = 3
    if "--rounds" in args:
        i = args.index("--rounds")
        rounds = int(args[i + 1])
        del args[i : i + 2]
    n = int(args[0]) if args else 10_000
    text = vcards(n)
    print(f"{n} people, {text.count('BEGIN:VCARD')} cards, {len(text) / 1e6:.1f} MB")
    logging.disable(logging.CRITICAL)  # vobject logs every line it cannot parse
    readers(text, rounds)
    measure("vobject as is", lambda: vobject_as_is(text), False)
    qp = lambda: f"{sum(1 for _ in vobject.readComponents(text, allowQP=True))} cards"  # noqa: E731
    measure("vobject allowQP=True", qp, False)
    measure("vobject card by card", lambda: vobject_per_card(text), False)


if __name__ == "__main__":
    main()
