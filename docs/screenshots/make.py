"""Regenerate the README screenshots: the week view and the report, on the bundled example.

    .venv/bin/python docs/screenshots/make.py        (needs Debian's chromium)

The week view is rendered by rich into an SVG (``Console(record=True).save_svg``), the report
as written by ``netweave report``; headless Chromium turns both into PNGs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
NOW = "2026-11-21T10:00:00-05:00"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def shoot(page: Path, png: Path, width: int, height: int, work: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("needs chromium: apt-get install -y chromium")
    subprocess.run(
        [
            browser,
            *FLAGS,
            f"--user-data-dir={work / ('profile-' + png.stem)}",
            f"--window-size={width},{height}",
            f"--screenshot={png}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["NETWEAVE_NOW"] = NOW
    from sync import config as configmod
    from sync.engine import RunOptions, plan_only
    from sync.view import _console, render

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "examples", work / "examples")
        shutil.copy(ROOT / "config.example.toml", work / "config.toml")
        (work / "out" / "networking").mkdir(parents=True)
        os.chdir(work)
        config = configmod.load(work / "config.toml")
        inputs, result = plan_only(config, RunOptions(now=datetime.fromisoformat(NOW), weeks=2))
        console = _console(True, 112, record=True)
        console.print(render(config, result.events, inputs.contacts))
        svg = work / "week.svg"
        console.save_svg(str(svg), title="netweave plan --weeks 2")
        m = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg.read_text(encoding="utf-8"))
        assert m, "rich wrote no viewBox"
        shoot(svg, HERE / "week.png", int(float(m.group(1))), int(float(m.group(2))), work)

        report = work / "report.html"
        subprocess.run(
            [sys.executable, "-m", "sync", "-q", "--config", str(work / "config.toml"),
             "report", "--out", str(report)],
            check=True, cwd=work,
        )  # fmt: skip
        shoot(report, HERE / "report.png", 1100, 2400, work)
    for name in ("week.png", "report.png"):
        print(HERE / name)


if __name__ == "__main__":
    main()
