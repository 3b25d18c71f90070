"""Two configs without ``[state].path`` never share one state file (nor count each other's
events in ``status``); a state file shared before this rule stays with the config that used it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sync.cli import main
from sync.config import load

ROOT = Path(__file__).resolve().parent.parent


def _config(folder: Path) -> Path:
    """The example config in ``folder``, writing into that folder, with no ``[state]``."""
    folder.mkdir(parents=True)
    shutil.copytree(ROOT / "examples", folder / "examples")
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    head, _sep, tail = text.partition("\n[state]\n")
    rest = tail.split("\n[", 1)
    text = head + ("\n[" + rest[1] if len(rest) > 1 else "\n")
    assert "[state]" not in text
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("NETWEAVE_STATE", raising=False)
    monkeypatch.delenv("NETWEAVE_CONFIG", raising=False)
    monkeypatch.setenv("NETWEAVE_NOW", "2026-11-21T10:00:00-05:00")
    return tmp_path / "xdg-state" / "netweave"


def _run(config: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = 0
    try:
        main(["--config", str(config), *args])
    except SystemExit as e:
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out + err


def test_two_configs_have_their_own_state(
    tmp_path: Path, xdg: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = _config(tmp_path / "a"), _config(tmp_path / "b")
    assert load(a).state.resolved() != load(b).state.resolved()
    assert load(a).state.resolved().parent == xdg
    monkeypatch.chdir(tmp_path / "a")
    code, out = _run(a, "sync", capsys=capsys)
    assert code == 0, out
    code, out = _run(a, "status", "--json", capsys=capsys)
    assert json.loads(out)["owned"] > 0
    monkeypatch.chdir(tmp_path / "b")
    code, out = _run(b, "status", "--json", capsys=capsys)
    # b has never synced: it knows no events of a's.
    assert code != 0 or json.loads(out).get("owned", 0) == 0, out


def test_shared_state_made_before_stays_with_its_config(tmp_path: Path, xdg: Path) -> None:
    a, b = _config(tmp_path / "a"), _config(tmp_path / "b")
    xdg.mkdir(parents=True)
    legacy = xdg / "state.sqlite"
    legacy.write_bytes(b"")  # any existing file; its owner is not recorded yet
    assert load(a).state.resolved() == legacy
    (xdg / "state.config-path").write_text(str(a.resolve()) + "\n", encoding="utf-8")
    assert load(a).state.resolved() == legacy
    assert load(b).state.resolved() != legacy


def test_explicit_path_and_env_win(
    tmp_path: Path, xdg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = _config(tmp_path / "a")
    monkeypatch.setenv("NETWEAVE_STATE", str(tmp_path / "env.sqlite"))
    assert load(a).state.resolved() == tmp_path / "env.sqlite"
