"""State database: schema, migration from the first released schema, tokens, runs."""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sync.state import SCHEMA_V1, SCHEMA_VERSION, OwnedRow, State, StateError

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def test_new_state_is_private_and_current(tmp_path: Path) -> None:
    p = tmp_path / "sub" / "state.sqlite"
    with State(p) as st:
        assert st.schema_version == SCHEMA_VERSION
    assert stat.S_IMODE(p.stat().st_mode) == 0o600
    assert stat.S_IMODE(p.parent.stat().st_mode) == 0o700


def test_owned_rows_round_trip(tmp_path: Path) -> None:
    with State(tmp_path / "s.sqlite") as st:
        row = OwnedRow(
            "cal",
            "nw-1@netweave.invalid",
            "a.ics",
            '"1"',
            "fp",
            "ch",
            "done",
            3,
            user_modified=True,
            planned='{"x": 1}',
            prev_fingerprint="old",
        )
        st.put_owned(row, NOW)
        assert st.owned("cal") == {row.nid: row}
        assert st.all_owned() == [row]
        st.add_tombstone("cal", row.nid, NOW)
        assert st.owned("cal") == {}
        assert st.tombstones() == frozenset({row.nid})
        assert st.tombstones("other") == frozenset()


def test_tokens_are_a_persistent_mapping(tmp_path: Path) -> None:
    p = tmp_path / "s.sqlite"
    with State(p) as st:
        t = st.tokens("google")
        t["syncToken"] = "abc"
        t["other"] = "x"
        del t["other"]
        with pytest.raises(KeyError):
            del t["missing"]
        assert st.tokens("caldav") == {}
    with State(p) as st:
        assert dict(st.tokens("google")) == {"syncToken": "abc"}


def test_runs_are_logged(tmp_path: Path) -> None:
    with State(tmp_path / "s.sqlite") as st:
        assert st.last_run() is None
        rid = st.start_run(NOW)
        "INSERT INTO owned VALUES "
        "('cal', 'nw-9@netweave.invalid', 'x.ics', 'e1', 'fp', 'ch', 'done')"
        st.finish_run(rid, NOW, 1, {"inserted": 2})
        run = st.last_run()
        assert run is not None and run["exit_code"] == 1 and run["summary"] == {"inserted": 2}


def test_migrates_a_version_1_database(tmp_path: Path) -> None:
    p = tmp_path / "old.sqlite"
    db = sqlite3.connect(p)
    db.executescript(SCHEMA_V1)
    db.execute(
        "INSERT INTO owned VALUES "
        "('cal', 'nw-9@netweave.invalid', 'x.ics', 'e1', 'fp', 'ch', 'done')"
    )
    db.execute("INSERT INTO tokens VALUES ('google', 'syncToken', 'tok')")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with State(p) as st:
        assert st.schema_version == SCHEMA_VERSION
        row = st.owned("cal")["nw-9@netweave.invalid"]
        assert (row.href, row.etag, row.sequence, row.user_modified) == ("x.ics", "e1", 0, False)
        assert dict(st.tokens("google")) == {"syncToken": "tok"}
        rid = st.start_run(NOW)  # the runs table exists now
        st.finish_run(rid, NOW, 0, {})


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "new.sqlite"
    db = sqlite3.connect(p)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(StateError, match="newer netweave"):
        State(p)


def test_garbage_file_gives_a_clear_error(tmp_path: Path) -> None:
    p = tmp_path / "bad.sqlite"
    p.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StateError, match="move it aside"):
        State(p)


def test_batch_groups_writes_and_rolls_back_on_error(tmp_path: Path) -> None:
    with State(tmp_path / "s.sqlite") as st:
        t = st.tokens("google")
        with st.batch():
            for i in range(100):
                t[f"k{i}"] = str(i)
            assert st.db.in_transaction
        assert not st.db.in_transaction
        assert len(t) == 100
        with pytest.raises(RuntimeError), st.batch():
            t["lost"] = "x"
            raise RuntimeError("boom")
        assert "lost" not in t
        t["after"] = "y"  # the state is usable again
        assert t["after"] == "y"
