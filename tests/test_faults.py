"""Faults: every backend call fails in turn; each run ends with a clear report (exit 1, the
source named) and the next run converges: nothing duplicated, no user event touched.

Google through tests/fake_google.py (its failure injection: 5xx, 429, a connection reset, a
hang past the timeout), a full disk on state writes, a read-only export path.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import textwrap
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fake_google import FakeGoogle
from google.oauth2.credentials import Credentials

from sync.cli import main
from sync.sources.google.credentials import (
    SCOPE_CALENDAR_EVENTS,
    SCOPE_CALENDAR_FREEBUSY,
    save_token,
)

pytestmark = pytest.mark.network

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-21T10:00:00-05:00"
NY = ZoneInfo("America/New_York")
OWNER = "dana.whitfield@gmail.com"


@pytest.fixture
def fake() -> Iterator[FakeGoogle]:
    with FakeGoogle(owner_email=OWNER) as f:
        f.hang_seconds = 2.0
        yield f


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeGoogle) -> Path:
    """The example address books; the calendar is Google's primary calendar (busy + write)."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    token = tmp_path / "token.json"
    save_token(
        token,
        Credentials(
            token="expired",
            refresh_token="refresh-1",
            token_uri=fake.token_uri,
            client_id="cid",
            client_secret="sec",
            scopes=[SCOPE_CALENDAR_EVENTS, SCOPE_CALENDAR_FREEBUSY],
            expiry=datetime(2020, 1, 1),
        ),
    )
    kept, skipping = [], False
    for line in (ROOT / "config.example.toml").read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("["):
            skipping = line.strip() == "[[calendars]]"
        if not skipping:
            kept.append(line)
    kept.append(
        textwrap.dedent(
            f"""
            [[calendars]]
            type = "google"
            name = "gcal"
            calendar_id = "primary"
            write = true
            timeout = 1

            [google]
            token_file = "{token}"
            api_endpoint = "{fake.calendar_endpoint}"
            max_retries = 0
            """
        )
    )
    (tmp_path / "config.toml").write_text("\n".join(kept) + "\n", encoding="utf-8")
    monkeypatch.setenv("NETWEAVE_NOW", NOW)
    monkeypatch.chdir(tmp_path)
    # The user's own events: must never change.
    start = datetime(2026, 11, 24, 9, tzinfo=NY)
    for d in range(10):
        s = start + timedelta(days=d)
        fake.seed_event(summary=f"User meeting {d}", start=s, end=s + timedelta(hours=1))
    return tmp_path


def sync(home: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    code = 0
    try:
        main(["--config", str(home / "config.toml"), "sync", "--json", *extra])
    except SystemExit as e:
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    assert out.strip(), err
    data: dict[str, Any] = json.loads(out)
    data["_code"], data["_err"] = code, err
    return data


def user_events(fake: FakeGoogle) -> list[dict[str, Any]]:
    evs = fake.calendars[OWNER].events.values()
    return sorted(
        (json.loads(json.dumps({k: v for k, v in e.items() if k != "_seq"})) for e in evs
         if not e.get("extendedProperties")),
        key=lambda e: e["id"],
    )  # fmt: skip


def owned_nids(fake: FakeGoogle) -> list[str]:
    out: list[str] = []
    for e in fake.calendars[OWNER].events.values():
        priv = (e.get("extendedProperties") or {}).get("private") or {}
        if priv and e.get("status") != "cancelled":
            out.extend(v for v in priv.values() if str(v).startswith("nw-"))
    return out


def converged(home: Path, fake: FakeGoogle, capsys: pytest.CaptureFixture[str]) -> None:
    """Two clean runs: the second writes nothing; every marker is there once."""
    first = sync(home, capsys)
    assert first["_code"] == 0, first
    second = sync(home, capsys)
    assert second["_code"] == 0 and second["inserted"] == second["updated"] == 0, second
    assert second["deleted"] == 0
    nids = owned_nids(fake)
    assert nids and len(nids) == len(set(nids)), "a duplicated event"


@pytest.mark.parametrize(
    ("endpoint", "kind"),
    [
        ("events.list", "503"),
        ("events.list", "429"),
        ("events.list", "reset"),
        ("events.list", "hang"),
        ("batch", "500"),
        ("batch", "reset"),
        ("token", "503"),
        ("*", "500"),
    ],
)
def test_first_run_fails_cleanly_then_converges(
    home: Path,
    fake: FakeGoogle,
    capsys: pytest.CaptureFixture[str],
    endpoint: str,
    kind: str,
) -> None:
    before = user_events(fake)
    fake.fail(endpoint, kind, times=3)
    failed = sync(home, capsys)
    fake.release_hangs()
    assert failed["_code"] == 1, failed
    assert failed["errors"] and all(e["source"] for e in failed["errors"])
    assert any(e["source"] == "gcal" for e in failed["errors"]), failed["errors"]
    assert "Traceback" not in failed["_err"]
    fake.failures.clear()
    converged(home, fake, capsys)
    assert user_events(fake) == before


def test_failure_after_a_good_run_changes_nothing_then_converges(
    home: Path, fake: FakeGoogle, capsys: pytest.CaptureFixture[str]
) -> None:
    converged(home, fake, capsys)
    before_nids = sorted(owned_nids(fake))
    users = user_events(fake)
    for endpoint, kind in (("events.list", "503"), ("batch", "429"), ("*", "reset")):
        fake.fail(endpoint, kind, times=2)
        out = sync(home, capsys, "--weeks", "6")
        fake.failures.clear()
        assert out["_code"] in (0, 1)
        if out["_code"] == 1:
            assert any(e["source"] == "gcal" for e in out["errors"])
    converged(home, fake, capsys)
    assert user_events(fake) == users
    assert set(before_nids) <= set(owned_nids(fake)) or owned_nids(fake)


def test_disk_full_on_state_write_is_reported_and_the_next_run_converges(
    home: Path,
    fake: FakeGoogle,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sync import state as state_mod

    real = state_mod.State.put_owned
    calls = {"n": 0}

    def full(self: Any, *a: Any, **kw: Any) -> None:
        calls["n"] += 1
        if calls["n"] > 3:
            raise state_mod.StateError(str(self.path), "cannot write the state database: "
                                       "database or disk is full")  # fmt: skip
        real(self, *a, **kw)

    monkeypatch.setattr(state_mod.State, "put_owned", full)
    code = 0
    try:
        main(["--config", str(home / "config.toml"), "sync", "--json"])
    except SystemExit as e:
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    assert code != 0
    assert "disk is full" in out + err and "Traceback" not in err
    monkeypatch.setattr(state_mod.State, "put_owned", real)
    users = user_events(fake)
    converged(home, fake, capsys)
    assert user_events(fake) == users


def test_sqlite_disk_full_error_is_a_state_error(tmp_path: Path) -> None:
    from sync.state import State, StateError

    st = State(tmp_path / "s.sqlite")
    st.db.close()

    class Full:
        def execute(self, *a: Any) -> Any:
            raise sqlite3.OperationalError("database or disk is full")

    st.db = Full()  # type: ignore[assignment]
    with pytest.raises(StateError, match="disk is full"):
        st.set_meta("k", "v")


def test_unwritable_export_path_is_reported_and_the_calendar_still_written(
    home: Path, fake: FakeGoogle, capsys: pytest.CaptureFixture[str]
) -> None:
    # A path whose parent is a file cannot be written by anyone, root included (ENOTDIR),
    # unlike a read-only folder, which root writes anyway.
    blocker = home / "not-a-folder"
    blocker.write_text("a file where the export folder should be\n")
    cfg = home / "config.toml"
    text = cfg.read_text().replace(
        'path = "out/netweave-agenda.ics"', f'path = "{blocker}/agenda.ics"'
    )
    cfg.write_text(text)
    out = sync(home, capsys)
    assert out["_code"] == 1
    errors = [e for e in out["errors"] if e["source"] == "export"]
    assert errors and str(blocker) in errors[0]["message"], out["errors"]
    assert out["inserted"] > 0
    assert blocker.read_text() == "a file where the export folder should be\n"
    again = sync(home, capsys)
    assert again["inserted"] == again["updated"] == again["deleted"] == 0
