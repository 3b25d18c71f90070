"""The bundled example, end to end: the plan JSON, the events written and the agenda are
byte-for-byte what they were when the golden files were made.

A change that is meant to change the plan regenerates them on purpose:
``NETWEAVE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_golden_example.py``
and the diff of ``tests/data/golden/`` is reviewed in the commit.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sync.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden"
NOW = "2026-12-04T10:00:00-05:00"
FROM = "2026-12-07"
WEEKS = "6"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = 0
    try:
        main(["--config", "config.example.toml", *args])
    except SystemExit as e:
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out + err


def _outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, bytes]:
    shutil.copy(ROOT / "config.example.toml", tmp_path / "config.example.toml")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    code, plan = _run(["plan", "--json", "--from", FROM, "--weeks", WEEKS], capsys)
    assert code == 0, plan
    code, out = _run(["sync", "--from", FROM, "--weeks", WEEKS], capsys)
    assert code == 0, out
    files = {"plan.json": plan.encode(), "sync.txt": out.replace(str(tmp_path), "<tmp>").encode()}
    files["agenda.ics"] = (tmp_path / "out" / "netweave-agenda.ics").read_bytes()
    for path in sorted((tmp_path / "out" / "networking").iterdir()):
        files[f"networking/{path.name}"] = path.read_bytes()
    return files


def test_example_outputs_match_golden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NETWEAVE_NOW", NOW)
    monkeypatch.delenv("NETWEAVE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    files = _outputs(tmp_path, capsys)
    if os.environ.get("NETWEAVE_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, data in files.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
    expected = {
        str(p.relative_to(GOLDEN)): p.read_bytes() for p in sorted(GOLDEN.rglob("*")) if p.is_file()
    }
    assert sorted(files) == sorted(expected)
    for name, data in files.items():
        assert data == expected[name], f"{name} differs from tests/data/golden/{name}"
