"""What a run reads and decides from the benchmark's generated data (and from the bundled
example) is what it was when these golden files were made: every contact as merged and tagged,
every busy interval, every expanded event, and the plan.

The files were made before the readers, the tagging and the planner were made faster, so each
faster path is held to the results of the straightforward one. A change that is meant to change
them regenerates them on purpose and says why in its commit:
``NETWEAVE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_golden_generated.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from datetime import datetime
from pathlib import Path

import pytest
from example_home import cli, make_home

from sync.config import load as load_config
from sync.engine.read import read_inputs
from sync.model import Contact, Event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# beside tests/data/golden/, which tests/test_golden_example.py reads whole
GOLDEN = ROOT / "tests" / "data" / "golden-read-generated"
CONTACTS = 1_200  # every card shape of the generator, many times over
EVENTS = 20_000  # the benchmark's calendar, every kind of series and override in it
NOW = f"{generate.PLAN_START.isoformat()}T10:00:00-05:00"


def _contact_line(c: Contact) -> str:
    whole = {
        **c.to_json(),
        "note": c.note,
        "source_categories": list(c.source_categories),
        "relations": list(c.relations),
        "uid": c.uid,
        "extra": [list(kv) for kv in c.extra],
        "times_met": c.times_met,
    }
    text = json.dumps(whole, ensure_ascii=False, sort_keys=True)
    # what a reader needs to see a difference, and a digest of all the rest
    shown = [c.id, c.name, ",".join(c.categories), str(c.tie), "focus" if c.focus else "-"]
    return " | ".join([*shown, hashlib.sha256(text.encode()).hexdigest()[:16]])


def _event_line(e: Event) -> str:
    return " ".join(
        str(x)
        for x in (
            e.uid,
            e.start.isoformat(),
            e.end.isoformat(),
            int(e.all_day),
            int(e.transparent),
            int(e.cancelled),
            e.recurrence_id.isoformat() if e.recurrence_id else "-",
            ",".join(e.attendees),
            ",".join(e.declined_by),
            e.zone or "-",
            e.status or "-",
            e.netweave_id or "-",
            json.dumps(e.summary, ensure_ascii=False),
            json.dumps(e.location, ensure_ascii=False),
        )
    )


def _outputs(home: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    config = load_config(home / "config.toml")
    now = datetime.fromisoformat(NOW)
    start = generate.PLAN_START
    inp = read_inputs(config, start, config.planner.weeks, now, None)
    assert not inp.failures, inp.failures
    contacts = "".join(_contact_line(c) + "\n" for c in sorted(inp.contacts, key=lambda c: c.id))
    busy = "".join(f"{b.start.isoformat()} {b.end.isoformat()}\n" for b in sorted(inp.busy))
    events = sorted(_event_line(e) for e in inp.events)
    digest = hashlib.sha256("\n".join(events).encode("utf-8")).hexdigest()
    skipped = sorted(str(p).replace(str(home), "<home>") for p in inp.problems)
    code, plan, _ = cli(home, capsys, "plan", "--json")
    assert code in (0, 1), plan
    return {
        "contacts.txt": contacts,
        "busy.txt": busy,
        # every expanded event is pinned by its digest (the lines would be megabytes); the
        # count and the first and last lines say where a difference starts
        "events.txt": f"{len(events)} events, sha256 {digest}\n{events[0]}\n{events[-1]}\n",
        "problems.txt": "".join(s + "\n" for s in skipped),
        "plan.json": plan,
    }


def _compare(outputs: dict[str, str], golden: Path) -> None:
    if os.environ.get("NETWEAVE_UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        golden.mkdir(parents=True)
        for name, text in outputs.items():
            (golden / name).write_text(text, encoding="utf-8")
        return
    for name, text in outputs.items():
        expected = (golden / name).read_text(encoding="utf-8")
        if text != expected:
            got, want = text.splitlines(), expected.splitlines()
            first = next(
                (i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b),
                min(len(got), len(want)),
            )
            raise AssertionError(
                f"{name} differs from {golden / name} at line {first + 1} "
                f"({len(got)} lines, golden {len(want)}):\n"
                f"  got:    {got[first] if first < len(got) else '<end>'}\n"
                f"  golden: {want[first] if first < len(want) else '<end>'}"
            )


def test_generated_data_reads_and_plans_as_golden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    generate.write(tmp_path, CONTACTS, EVENTS)
    monkeypatch.setenv("NETWEAVE_NOW", NOW)
    monkeypatch.delenv("NETWEAVE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    _compare(_outputs(tmp_path, capsys), GOLDEN)


def test_example_contacts_read_as_golden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = _outputs(make_home(tmp_path, monkeypatch, NOW), capsys)
    _compare(outputs, ROOT / "tests" / "data" / "golden-read-example")
