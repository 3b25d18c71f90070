"""The bundled example copied into a temp folder and driven through the CLI in this process,
as the CLI tests use it: ``make_home`` (config, data, a fixed clock), ``cli`` and ``cli_text``."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sync.cli import main

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-21T10:00:00-05:00"


def make_home(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    now: str = NOW,
    *,
    plain_terminal: bool = False,
    config: Callable[[str], str] | None = None,
) -> Path:
    """The example's config and data in ``tmp_path`` (the working folder), the clock at ``now``.

    ``plain_terminal``: NO_COLOR and COLUMNS unset, so colour and width are the test's own.
    ``config``: a change to the example config's text before it is written."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    if config is not None:
        text = config(text)
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("NETWEAVE_NOW", now)
    monkeypatch.delenv("NETWEAVE_CONFIG", raising=False)
    if plain_terminal:
        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.delenv("COLUMNS", raising=False)
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


def cli_text(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """``cli`` with all it printed as one text, stdout then stderr."""
    code, out, err = cli(home, capsys, *args)
    return code, out + err
