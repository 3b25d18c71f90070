"""The "Latest figures" tables of README.md and benchmarks/README.md, made from
``benchmarks/results/latest.json`` (the one source of the figures).

    .venv/bin/python benchmarks/run.py --readme     # rewrite both tables from latest.json

Each table sits between ``<!-- benchmarks:begin -->`` and ``<!-- benchmarks:end -->``;
tests/test_benchmarks_readme.py checks that they are what latest.json renders.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LATEST = HERE / "results" / "latest.json"
READMES = (HERE.parent / "README.md", HERE / "README.md")
BEGIN, END = "<!-- benchmarks:begin -->", "<!-- benchmarks:end -->"


def _s(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:.0f} s" if x >= 100 else f"{x:.1f} s" if x >= 1 else f"{x:.2f} s"


def _mb(x: float | None) -> str:
    return "" if x is None else f"{x:.0f} MB"


def _load(case: dict[str, Any], results: dict[str, Any]) -> str:
    m = case.get("machine") or results.get("machine") or {}
    return f"load {m.get('load_avg_1m', '?')}, calibration {m.get('calibration_s', '?')} s"


def _rows(r: dict[str, Any]) -> list[str]:
    cases = r.get("cases", {})
    rows: list[str] = []
    if "full" in cases:
        f = cases["full"]
        nw, ic, vo = f["netweave"], f["icalendar"], f["vobject"]
        load = _load(f, r)
        rows.append(
            f"| 1. full sync, 10,000 contacts + 20,000 events, 26 weeks, export | "
            f"{_s(nw['wall_s'])} | {_s(nw['cpu_s'])} | {_mb(nw['peak_mb'])} | "
            f"{nw.get('inserted')} events written{_least(nw.get('cold_cpus'))}; {load} |"
        )
        rows.append(
            f"| icalendar `from_ical` / vobject `readComponents`, same files | "
            f"{_s(ic['wall_s'])} / {_s(vo['wall_s'])} | {_s(ic['cpu_s'])} / {_s(vo['cpu_s'])} | "
            f"{_mb(ic['peak_mb'])} / {_mb(vo['peak_mb'])} | parsers alone |"
        )
        rows.append(
            f"| ratio netweave / (icalendar + vobject) | {f['ratio']['wall']:.2f} | "
            f"{f['ratio']['cpu']:.2f} | | target <= 1.0, stretch <= 0.5 |"
        )
        if "icaljs" in f:
            ij = f["icaljs"]
            rows.append(
                f"| ical.js (node): parse .ics and .vcf whole, walk every event's times and rules"
                f" | {_s(ij['wall_s'])} | {_s(ij['cpu_s'])} | {_mb(ij['peak_mb'])} | "
                f"{ij.get('failed')} vCard 2.1 cards rejected{_least(ij.get('cpus'))} |"
            )
            rows.append(
                f"| ratio netweave cold full sync / ical.js | | {f['ratio']['icaljs_cpu']:.2f} | | "
                f"target <= 2.5{'; timed in turn' if ij.get('cpus') else ''} |"
            )
    if "resync" in cases:
        rs = cases["resync"]
        walls = [x["wall_s"] for x in rs["runs"]]
        cpus = [x["cpu_s"] for x in rs["runs"]]
        peak = max(x["peak_mb"] for x in rs["runs"])
        rows.append(
            f"| 2. no-change resync, same data ({len(walls)} runs) | "
            f"{min(walls):.2f}-{max(walls):.2f} s | {min(cpus):.2f}-{max(cpus):.2f} s | "
            f"{_mb(peak)} | least {rs['best_cpu_s']:.2f} s, median {rs['median_cpu_s']:.2f} s "
            f"CPU; target < 1 s; "
            f"{_load(rs, r)} |"
        )
    if "google" in cases:
        g = cases["google"]
        rows.append(
            f"| 3. Google full / no-change sync ({g.get('seeded')} events in the fake) | "
            f"{_s(g['full']['seconds'])} / {_s(g['nochange']['seconds'])} | "
            f"{_s(g['full']['cpu'])} / {_s(g['nochange']['cpu'])} | {_mb(g['peak_mb'])} | "
            f"{g['full']['requests']} / {g['nochange']['requests']} requests; netweave's process "
            f"only (the fake runs in its own); {_load(g, r)} |"
        )
        rows.append(
            f"| 3. Google: 500 inserts (`write_batch`) | {_s(g['insert500']['seconds'])} | | | "
            f"{g['insert500']['requests']} requests |"
        )
    if "planner" in cases:
        p = cases["planner"]
        rows.append(
            f"| 4. planner: 52 weeks, 2,000 contacts, 20,000 busy | {_s(p['wall_s'])} | "
            f"{_s(p['cpu_s'])} | {_mb(p['peak_mb'])} | `plan()` {_s(p.get('plan_cpu'))} CPU; "
            f"{_load(p, r)} |"
        )
    return rows


def _least(cpus: list[float] | None) -> str:
    """The note on a figure that is the least CPU of several runs."""
    if not cpus or len(cpus) < 2:
        return ""
    return f"; the least CPU of {len(cpus)} runs ({', '.join(f'{c:.1f}' for c in cpus)} s)"


def _calls(n: int | None) -> str:
    return "" if n is None else f"{n / 1e6:.2f} M"


def _scaling(r: dict[str, Any]) -> list[str]:
    sc = r.get("cases", {}).get("scaling")
    if not sc:
        return []
    out = [
        "",
        "5. Scaling, the same work per week: k times the contacts and k times the events over k "
        "times the span (the 2012-2033 calendar repeated every 22 years), the same five focus "
        "people named in the config, a 26-week plan; the planner with the same year's problem "
        "(2,000 contacts, 20,000 busy) k times over k times 52 weeks "
        "(`bench_planner.scaling_input`). CPU seconds: the sync once a size, `plan()` the least "
        "of ten rounds that plan every size in turn; `plan()` calls: the function calls one plan "
        "makes (cProfile), the work free of the machine's noise; growth per doubling, "
        "2.0 = linear. "
        + (
            "Planned events per week equal at every size."
            if sc["same_per_week"]
            else "Planned events per week NOT equal at every size (see below)."
        )
        + f" ({_load(sc, r)})",
        "",
        "| size | full sync CPU | peak | planned / week | `plan()` CPU | `plan()` calls | peak "
        "| planned / week |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for run in sc["runs"]:
        s, p = run["sync"], run["planner"]
        out.append(
            f"| {run['mult']}x | {_s(s['cpu_s'])} | {_mb(s['peak_mb'])} | {s['per_week']:.2f} | "
            f"{_s(p.get('plan_cpu'))} | {_calls(p.get('plan_calls'))} | {_mb(p['peak_mb'])} | "
            f"{p['per_week']:.2f} |"
        )

    runs = sc["runs"]
    first, last = runs[0], runs[-1]
    doublings = math.log2(last["mult"] / first["mult"]) if len(runs) > 1 else 0.0

    def g(key: str, side: str = "", value: str = "") -> str:
        """The growth per doubling between sizes; with ``side`` and ``value``, then the
        growth per doubling from the first size to the last, which the noise of one size
        moves less."""
        text = ", ".join(f"{x:.2f}" for x in sc[key])
        a, b = (first[side].get(value), last[side].get(value)) if side else (None, None)
        if doublings and a and b:
            text += f" ({first['mult']}x-{last['mult']}x: {(b / a) ** (1 / doublings):.2f})"
        return text

    out.append(
        f"| growth | {g('sync_growth', 'sync', 'cpu_s')} | {g('sync_peak_growth')} | | "
        f"{g('planner_growth', 'planner', 'plan_cpu')} | "
        f"{g('planner_calls_growth') if 'planner_calls_growth' in sc else ''} | "
        f"{g('planner_peak_growth')} | |"
    )
    return out


def render(results: dict[str, Any]) -> str:
    """The tables (markdown) for ``results`` (the contents of latest.json)."""
    m = results.get("machine", {})
    head = (
        f"Run of {results.get('when', '?')[:10]}: {m.get('nproc')} x {m.get('cpu')}, Python "
        f"{m.get('python')}; CPU seconds of each case's own process, peak RSS its own high-water "
        "mark (VmHWM). The machine is shared: each row gives the load average of its run."
    )
    lines = [
        head,
        "",
        "| case | wall | CPU | peak RSS | notes |",
        "|---|---|---|---|---|",
        *_rows(results),
        *_scaling(results),
    ]
    return "\n".join(lines) + "\n"


def replace_between(text: str, body: str) -> str:
    """``text`` with what lies between the markers replaced by ``body``."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + "\n" + body + text[end:]


def between(text: str) -> str:
    """What lies between the markers (without the newline after the first)."""
    return text[text.index(BEGIN) + len(BEGIN) : text.index(END)].removeprefix("\n")


def write_readmes(latest: Path = LATEST) -> list[Path]:
    """Rewrite the tables of both READMEs from ``latest``; returns the files changed."""
    body = render(json.loads(latest.read_text(encoding="utf-8")))
    changed = []
    for path in READMES:
        old = path.read_text(encoding="utf-8")
        new = replace_between(old, body)
        if new != old:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed
