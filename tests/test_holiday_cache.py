"""The public holidays go through the read cache: the ``holidays`` package loads every
country's rules on its first lookup (a third of a second of a no-change sync), so the table is
kept beside the state, keyed by the query and the package's version; the plan's days off are
the same either way."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import sync.daysoff as daysoff
from sync.cache import ReadCache
from sync.config import parse


def test_a_second_lookup_reads_the_cache_and_gives_the_same_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ReadCache(tmp_path / "cache")
    first = cache.holidays("US", "", (2026, 2027))
    assert first[date(2026, 12, 25)].startswith("Christmas")
    calls: list[object] = []
    real = daysoff.public_holidays

    def counted(*query: object) -> dict[date, str]:
        calls.append(query)
        return real(*query)  # type: ignore[arg-type]

    monkeypatch.setattr(daysoff, "public_holidays", counted)
    again = ReadCache(tmp_path / "cache").holidays("US", "", (2026, 2027))
    assert again == first and calls == []
    other = ReadCache(tmp_path / "cache").holidays("DE", "BY", (2026, 2027))
    assert calls == [("DE", "BY", (2026, 2027))] and date(2026, 10, 3) in other
    # A damaged entry is a miss, never an error.
    for f in (tmp_path / "cache").iterdir():
        f.write_bytes(b"NWC2 not an entry")
    assert ReadCache(tmp_path / "cache").holidays("US", "", (2026, 2027)) == first


def test_days_off_use_a_known_table_only_for_the_same_query() -> None:
    cfg = parse({"owner": {"timezone": "America/New_York"}}, Path("."))
    start, end = date(2026, 12, 1), date(2027, 1, 31)
    query = daysoff.holiday_query(cfg, start, end)
    assert query == ("US", "", (2026, 2027))
    plain = daysoff.days_off(cfg, start, end)
    assert daysoff.days_off(cfg, start, end, (query, daysoff.public_holidays(*query))) == plain
    fake = {date(2026, 12, 2): "Test Day"}
    assert daysoff.days_off(cfg, start, end, (query, fake)) == {
        date(2026, 12, 2): "holiday (Test Day)"
    }
    stale = (("US", "", (2025,)), fake)
    assert daysoff.days_off(cfg, start, end, stale) == plain
