"""A desktop notification when an unattended sync starts failing, through the CLI on a copy of
the example, with a fake ``notify-send`` (or ``osascript``) on PATH that records its arguments:
the first failure after a success notifies, a second failure in a row does not, a success then
a failure notifies again; runs a person starts do not notify unless ``[safety] notify =
"always"``; ``"never"`` never does; no notifier on PATH is silent; a notifier that hangs does
not hold the run up; the schedule's units start runs with ``--scheduled``."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sandbox import NOW, Home

from sync.cli.notify import command_for

FAKE = """#!/bin/sh
{{ for a in "$@"; do printf '%s\\037' "$a"; done; printf '\\036'; }} >> "{log}"
{extra}
"""


@pytest.fixture(name="home")
def home_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    monkeypatch.setenv("NETWEAVE_NOW", NOW)
    monkeypatch.delenv("NETWEAVE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return Home.make(tmp_path / "home")


def fake_notifier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str = "notify-send", extra: str = ""
) -> Path:
    """A notifier on PATH (and nothing else there) that appends its arguments to a log."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    log = tmp_path / f"{name}.log"
    script = bin_dir / name
    script.write_text(FAKE.format(log=log, extra=extra), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin")
    return log


def calls(log: Path) -> list[list[str]]:
    if not log.exists():
        return []
    records = log.read_text(encoding="utf-8").split("\x1e")[:-1]
    return [record.split("\x1f")[:-1] for record in records]


@contextmanager
def busy_calendar_broken(home: Home) -> Iterator[None]:
    """The busy calendar empty (0 bytes) for a while: the run is not trusted, exit 1."""
    cal = home.root / "examples" / "calendar.ics"
    good = cal.read_bytes()
    cal.write_bytes(b"")
    try:
        yield
    finally:
        cal.write_bytes(good)


def failing(home: Home, *args: str) -> None:
    with busy_calendar_broken(home):
        r = home.run("-q", "sync", *args)
    assert r.code == 1, r.err
    assert "work" in r.err


def succeeding(home: Home, *args: str) -> None:
    r = home.run("-q", "sync", *args)
    assert r.code == 0, r.err


def test_the_first_failure_after_a_success_notifies_once(
    home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = fake_notifier(tmp_path, monkeypatch)
    succeeding(home, "--scheduled")
    assert calls(log) == []
    failing(home, "--scheduled")
    (first,) = calls(log)
    assert "netweave sync failed" in first
    body = first[-1]
    assert "work" in body and "netweave status" in body
    failing(home, "--scheduled")  # the second failure in a row: nothing new
    assert len(calls(log)) == 1
    succeeding(home, "--scheduled")
    assert len(calls(log)) == 1
    failing(home, "--scheduled")  # a success, then a failure: again
    assert len(calls(log)) == 2


def test_a_first_run_that_fails_notifies(
    home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No success yet is no failure yet: an unreadable state file is a failure to tell."""
    log = fake_notifier(tmp_path, monkeypatch)
    home.state.parent.mkdir(parents=True)
    home.state.write_bytes(b"")  # 0 bytes: an error, never a silent fresh start
    r = home.run("-q", "sync", "--scheduled")
    assert r.code == 1, r.err
    (call,) = calls(log)
    assert "state" in call[-1]


def test_runs_a_person_starts_do_not_notify_unless_asked(
    home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = fake_notifier(tmp_path, monkeypatch)
    succeeding(home)
    failing(home)
    assert calls(log) == []  # they saw it on the terminal
    config = home.root / "config.toml"
    text = config.read_text(encoding="utf-8")
    assert 'notify = "scheduled"' in text
    config.write_text(text.replace('notify = "scheduled"', 'notify = "always"'))
    failing(home)
    assert len(calls(log)) == 1
    config.write_text(text.replace('notify = "scheduled"', 'notify = "never"'))
    succeeding(home, "--scheduled")
    failing(home, "--scheduled")
    assert len(calls(log)) == 1


def test_a_dry_run_neither_notifies_nor_counts_as_a_success(
    home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = fake_notifier(tmp_path, monkeypatch)
    succeeding(home, "--scheduled")
    failing(home, "--scheduled")
    succeeding(home, "--scheduled", "--dry-run")
    failing(home, "--scheduled")
    assert len(calls(log)) == 1


def test_no_notifier_is_silent(home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a notifier the run says exactly what it says with notifications off."""
    empty = tmp_path / "nothing"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    succeeding(home, "--scheduled")
    with busy_calendar_broken(home):
        silent = home.run("-q", "sync", "--scheduled")
    config = home.root / "config.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('notify = "scheduled"', 'notify = "never"'))
    succeeding(home, "--scheduled")
    with busy_calendar_broken(home):
        off = home.run("-q", "sync", "--scheduled")
    assert (silent.code, silent.out, silent.err) == (off.code, off.out, off.err)
    assert silent.code == 1 and "Traceback" not in silent.err


def test_a_notifier_that_hangs_does_not_hold_the_run(
    home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = fake_notifier(tmp_path, monkeypatch, extra="sleep 30")
    succeeding(home, "--scheduled")
    started = time.monotonic()
    failing(home, "--scheduled")
    assert time.monotonic() - started < 15
    assert len(calls(log)) == 1


def test_on_macos_osascript_shows_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_notifier(tmp_path, monkeypatch, name="osascript")
    argv = command_for("netweave sync failed", 'work: "calendar.ics" is empty', "darwin")
    assert argv is not None and argv[0].endswith("osascript") and argv[1] == "-e"
    assert argv[2] == (
        'display notification "work: \\"calendar.ics\\" is empty" with title "netweave sync failed"'
    )
    assert command_for("t", "b", "win32") is None
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    assert command_for("t", "b", "darwin") is None and command_for("t", "b", "linux") is None


def test_the_schedule_starts_scheduled_runs(home: Home) -> None:
    for fmt in ("systemd", "cron"):
        r = home.run("schedule", "--format", fmt, "--every", "1h")
        assert r.code == 0, r.err
        assert "-q sync --scheduled" in r.out, r.out
