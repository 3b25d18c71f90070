"""Tag the generated 10,000-contact book (benchmarks/generate.py) with the bundled rules.

    .venv/bin/python benchmarks/bench_tagging.py [N] [--rounds 5] [--judge] [--goal TEXT]

Parses and merges once (not timed), then times :func:`sync.tagging.tag` (CPU seconds, best and
median of the rounds) with the bundled rules, the owner's school and employer rules, and the
owner's employer domain: the same rules the full sync uses. Prints the load average.
``--judge`` times :func:`sync.who.judge` instead (what the sync runs: rules, relations,
employer ties, the goals' words), with each ``--goal`` (none by default) as the owner's goals.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, os.environ.get("NETWEAVE_ROOT") or str(Path(__file__).resolve().parent.parent))

import generate as gen  # noqa: E402

from sync.config import Confidential, Goal, Owner, School  # noqa: E402
from sync.merge import merge_contacts  # noqa: E402
from sync.model import Contact  # noqa: E402
from sync.sources.vcard import parse_vcards  # noqa: E402
from sync.tagging import load_rules, rules_from_owner, tag  # noqa: E402
from sync.who import Setting, judge  # noqa: E402


def book(n: int) -> list[Contact]:
    """The generated book of ``n`` people, parsed and merged as the sync does."""
    contacts = parse_vcards(gen.vcards(n), "all").contacts
    merged, _ = merge_contacts(contacts, source_order=["all"])
    return list(merged)


def owner() -> Owner:
    return Owner(
        name="Dana Whitfield",
        emails=(gen.OWNER_EMAIL,),
        schools=(School("Columbia Law School", 2016),),
        employers=("Baxter Lowe LLP",),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", nargs="?", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--judge", action="store_true", help="time sync.who.judge, not tag()")
    ap.add_argument("--goal", action="append", default=[], help="a goal's text (with --judge)")
    args = ap.parse_args()
    contacts = book(args.n)
    rules = [*load_rules(None, []), *rules_from_owner(owner())]
    goals = tuple(Goal(f"g{i}", text) for i, text in enumerate(args.goal))
    setting = Setting(owner(), Confidential(enabled=True), goals=goals)
    cpu: list[float] = []
    for _ in range(args.rounds):
        c0 = time.process_time()
        if args.judge:
            tagged = [j.contact for j in judge(contacts, rules, setting)]
        else:
            tagged = tag(
                contacts,
                rules,
                default_category="acquaintances",
                strong_after_meetings=3,
                owner_domains=["baxterlowe.com"],
            )
        cpu.append(time.process_time() - c0)
    cats = sum(len(c.categories) for c in tagged)
    what = f"judge() with {len(goals)} goal(s)" if args.judge else "tag()"
    print(
        f"{what}: {len(contacts)} contacts x {len(rules)} rules: best {min(cpu):.3f} s cpu, "
        f"median {statistics.median(cpu):.3f} s ({args.rounds} rounds; {cats} categories); "
        f"load {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
