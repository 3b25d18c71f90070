"""A copy of the bundled example in a temp folder, driven through the CLI as a user (or a
scheduled run) would: the safety tests and the stateful property test share it."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.cli import main

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-21T10:00:00-05:00"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@dataclass
class Home:
    """The example's config and data under ``root``; netweave writes to ``root/out``."""

    root: Path

    @classmethod
    def make(cls, root: Path, extra: str = "") -> Home:
        shutil.copytree(ROOT / "examples", root / "examples")
        text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
        (root / "config.toml").write_text(text + extra, encoding="utf-8")
        return cls(root)

    @property
    def target(self) -> Path:
        return self.root / "out" / "networking"

    @property
    def agenda(self) -> Path:
        return self.root / "out" / "netweave-agenda.ics"

    @property
    def state(self) -> Path:
        return self.root / "out" / "state.sqlite"

    def run(self, *args: str) -> Result:
        """``netweave --config ... ARGS`` in this process (the caller sets NETWEAVE_NOW)."""
        out, err = io.StringIO(), io.StringIO()
        code = 0
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(["--config", str(self.root / "config.toml"), *args])
            except SystemExit as e:
                code = int(e.code or 0)
        return Result(code, out.getvalue(), err.getvalue())

    def sync(self, *args: str) -> dict[str, Any]:
        """``sync --json ARGS``: its summary, with ``_code`` and ``_err``."""
        r = self.run("sync", "--json", *args)
        data = r.json()
        data["_code"], data["_err"] = r.code, r.err
        return data

    def files(self) -> dict[str, bytes]:
        """Every .ics file of the calendar netweave writes to, by name."""
        if not self.target.exists():
            return {}
        return {p.name: p.read_bytes() for p in sorted(self.target.glob("*.ics"))}

    def owned(self) -> dict[str, bytes]:
        return {n: b for n, b in self.files().items() if b"X-NETWEAVE-ID" in b}


def writes(summary: dict[str, Any]) -> tuple[int, int, int]:
    return summary["inserted"], summary["updated"], summary["deleted"]
