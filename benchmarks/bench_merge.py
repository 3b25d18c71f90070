"""Merge 10,000 vCard records with 5,000 email-less LinkedIn rows (name + organisation rule).

.venv/bin/python benchmarks/bench_merge.py
"""

from __future__ import annotations

import itertools
import random
import time

from sync.merge import merge_contacts
from sync.model import Contact, contact_id


def synthetic(n_cards: int = 10_000, n_linkedin: int = 5_000) -> list[Contact]:
    rnd = random.Random(1)
    first = ["Ann", "Bob", "Carl", "Dana", "Eve", "Frank", "Grace", "Hal", "Ivy", "Jon", "Kim"]
    syllables = itertools.product("bcdfgklmnprstvz", "aeiou", "lnrst", "aeiou")
    last = ["".join(x).title() for x in itertools.islice(syllables, 800)]
    orgs = [f"Firm {i} LLP" for i in range(300)]
    recs = []
    for i in range(n_cards):
        name = f"{rnd.choice(first)} {rnd.choice(last)}"
        emails = (f"p{i}@x{i % 300}.example",)
        recs.append(
            Contact(
                id=contact_id(None, emails, name),
                name=name,
                emails=emails,
                phones=(f"+1 212 555 {i:04d}",),
                organization=rnd.choice(orgs),
                sources=("vcard",),
            )
        )
    for i in range(n_linkedin):
        c = recs[rnd.randrange(n_cards)]
        recs.append(
            Contact(
                id=contact_id(f"li{i}", (), c.name),
                uid=f"li{i}",
                name=c.name,
                organization=c.organization,
                sources=("linkedin",),
            )
        )
    return recs


def main() -> None:
    recs = synthetic()
    t0 = time.perf_counter()
    merged, problems = merge_contacts(recs, ["vcard", "linkedin"])
    dt = time.perf_counter() - t0
    print(f"{len(recs)} records -> {len(merged)} people, {len(problems)} ambiguous, {dt:.2f} s")


if __name__ == "__main__":
    main()
