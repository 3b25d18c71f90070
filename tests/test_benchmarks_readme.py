"""The figures in README.md and benchmarks/README.md are what benchmarks/results/latest.json
renders (``benchmarks/run.py --readme`` writes them): one source for every figure. Not timed."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def report() -> ModuleType:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import report as module
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return module


@pytest.mark.parametrize("readme", ["README.md", "benchmarks/README.md"])
def test_readme_tables_are_latest_json(report: ModuleType, readme: str) -> None:
    latest = json.loads((ROOT / "benchmarks" / "results" / "latest.json").read_text())
    want = report.render(latest)
    got = report.between((ROOT / readme).read_text(encoding="utf-8"))
    assert got == want, f"{readme} is not latest.json: run benchmarks/run.py --readme"


def test_render_changes_with_the_figures(report: ModuleType) -> None:
    latest = json.loads((ROOT / "benchmarks" / "results" / "latest.json").read_text())
    latest["cases"]["full"]["netweave"]["cpu_s"] += 1.0
    body = report.render(latest)
    text = report.replace_between(
        "a\n<!-- benchmarks:begin -->\nold\n<!-- benchmarks:end -->\n", body
    )
    assert report.between(text) == body
    assert body != report.render(json.loads((ROOT / "benchmarks/results/latest.json").read_text()))
