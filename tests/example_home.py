"""The bundled example copied into a temp folder and driven through the CLI in this process,
as the loop's CLI tests use it: ``make_home`` (config, data, a fixed clock) and ``cli``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sync.cli import main

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-21T10:00:00-05:00"


def make_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, now: str = NOW) -> Path:
    """The example's config and data in ``tmp_path`` (the working folder), the clock at ``now``."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shutil.copy(ROOT / "config.example.toml", tmp_path / "config.toml")
    monkeypatch.setenv("NETWEAVE_NOW", now)
    monkeypatch.delenv("NETWEAVE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cli(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``netweave --config HOME/config.toml ARGS``: exit code, stdout, stderr."""
    code = 0
    try:
        main(["--config", str(home / "config.toml"), *args])
    except SystemExit as e:
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
