"""sync/tzmap.py on icalendar's Windows zone table: every Windows id the hand-kept copy of CLDR
(release of 2025-04, kept in tests/data) knew still resolves to the same IANA zone."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sync import tzmap

OLD_TABLE: dict[str, str] = json.loads(
    (Path(__file__).parent / "data" / "windows_zones_cldr_2025-04.json").read_text("utf-8")
)


def test_the_old_table_is_the_one_checked_against() -> None:
    assert len(OLD_TABLE) == 139
    assert OLD_TABLE["W. Europe Standard Time"] == "Europe/Berlin"


@pytest.mark.parametrize("windows_id", sorted(OLD_TABLE))
def test_every_windows_id_maps_as_before(windows_id: str) -> None:
    iana = OLD_TABLE[windows_id]
    assert tzmap.WINDOWS_TO_IANA[windows_id] == iana
    assert tzmap.windows_to_iana(windows_id) == iana
    assert tzmap.windows_to_iana(f'  "{windows_id.upper()}" ') == iana
    zone = tzmap.resolve_tz_name(windows_id)
    if iana == "Etc/UTC":
        assert zone is UTC  # "UTC" is a UTC spelling before it is a Windows id
    else:
        assert getattr(zone, "key", None) == iana


def test_display_names_name_known_windows_ids() -> None:
    for name, windows_id in tzmap.WINDOWS_DISPLAY_NAMES.items():
        assert windows_id in OLD_TABLE, name
        assert tzmap.windows_to_iana(f"(UTC+00:00) {name}") == OLD_TABLE[windows_id]


def _jan_jul(iana: str) -> tuple[timedelta, timedelta]:
    zone = tzmap.iana_zone(iana)
    assert zone is not None, iana
    offsets = []
    for month in (1, 7):
        off = datetime(2025, month, 15, 12, tzinfo=UTC).astimezone(zone).utcoffset()
        assert off is not None
        offsets.append(off)
    return offsets[0], offsets[1]


def _old_match(want: tuple[timedelta, timedelta]) -> str | None:
    """match_offsets as it was: the preferred zones, then the old table in its order."""
    for iana in (*tzmap._PREFERRED, *OLD_TABLE.values()):
        if _jan_jul(iana) == want:
            return iana
    return None


def test_offset_matching_finds_the_same_zones() -> None:
    pairs = {_jan_jul(iana) for iana in OLD_TABLE.values()}
    pairs.add((timedelta(hours=3, minutes=17), timedelta(hours=3, minutes=17)))  # none has it
    for jan, jul in sorted(pairs):
        expected = _old_match((jan, jul))
        if jan == jul:
            assert tzmap.match_offsets(jan) == expected
        elif jan < jul:  # daylight time in July
            assert tzmap.match_offsets(jan, jul) == expected
        else:
            assert tzmap.match_offsets(jul, jan, northern=False) == expected


def test_windows_names_are_resolved_without_loading_icalendar() -> None:
    code = (
        "import sys, sync.tzmap as t\n"
        "assert t.resolve_tz_name('Europe/Berlin') is not None\n"
        "assert 'icalendar' not in sys.modules, 'loaded too early'\n"
        "assert t.resolve_tz_name('W. Europe Standard Time').key == 'Europe/Berlin'\n"
        "assert 'icalendar' not in sys.modules, 'loaded for its table'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_windows_table_read_without_importing_icalendar_is_the_imported_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sync import tzmap

    read = tzmap._read_windows_table()
    assert read is not None and len(read) > 100
    assert read == tzmap._import_windows_table()
    # Not where it was (another icalendar): the table is imported instead.
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    assert tzmap._read_windows_table() is None
