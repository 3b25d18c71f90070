"""What the plan says about itself, from the CLI on the bundled example: introduction requests
are their own kind everywhere (plan JSON, week view, sync output, agenda, report), group titles
name their group once, and ``plan --explain`` gives true reasons (no past days, the wait for an
introduction, the monthly cap with its numbers)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sync.cli import main

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-12-04T10:00:00-05:00"
FROM = "2026-12-07"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shutil.copy(ROOT / "config.example.toml", tmp_path / "config.toml")
    monkeypatch.setenv("NETWEAVE_NOW", NOW)
    monkeypatch.delenv("NETWEAVE_CONFIG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(home: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = 0
    try:
        main(["--config", str(home / "config.toml"), *args])
    except SystemExit as e:
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out + err


def plan_json(home: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> list[dict[str, str]]:
    code, out = run(home, "plan", "--json", "--from", FROM, "--weeks", "6", *extra, capsys=capsys)
    assert code == 0, out
    data = json.loads(out)
    assert isinstance(data, list)
    return data


# ------------------------------------------------------------------ group titles


def test_group_titles_name_their_group_once(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = plan_json(home, capsys)
    groups = [e for e in events if e["kind"] == "group"]
    assert groups
    for e in groups:
        for name in ("Midtown Business Exchange", "NYC Small Firm Litigators Forum"):
            assert e["title"].count(name) <= 1, e["title"]
    titles = {e["title"] for e in groups}
    assert "Midtown Business Exchange - first Thursday networking (trial visit 1 of 2)" in titles
    # a summary that does not name its group keeps the group's name before it
    nysba = "NYSBA Commercial & Federal Litigation Section"
    assert f"{nysba}: NYSBA Com Fed Section - holiday reception" in titles
    code, out = run(home, "plan", "--from", FROM, "--weeks", "6", capsys=capsys)
    assert code == 0 and "Midtown Business Exchange: Midtown" not in out.replace("\n", " ")
