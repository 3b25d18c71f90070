"""The read cache (sync.cache): unchanged files are never parsed again, a changed file always is,
and a cached run reads exactly what a fresh one reads."""

from __future__ import annotations

import os
import shutil
import stat
from datetime import date, datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.cache import ReadCache, widen
from sync.cache import rows as cache_rows
from sync.cache import store as cache_store
from sync.config import load
from sync.engine import read_inputs
from sync.sources.ics import read as ics
from sync.sources.vcard import parse as vcard_parse

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime.fromisoformat("2026-11-21T10:00:00-05:00")
START = date(2026, 11, 21)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shutil.copy(ROOT / "config.example.toml", tmp_path / "config.toml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts real parses of .ics texts and .vcf texts."""
    counts = {"ics": 0, "vcf": 0}
    real_ics, real_vcf = ics.parse_calendar_text, vcard_parse._parse_text

    def count_ics(*a: Any, **kw: Any) -> Any:
        counts["ics"] += 1
        return real_ics(*a, **kw)

    def count_vcf(*a: Any, **kw: Any) -> Any:
        counts["vcf"] += 1
        return real_vcf(*a, **kw)

    monkeypatch.setattr(ics, "parse_calendar_text", count_ics)
    monkeypatch.setattr(vcard_parse, "_parse_text", count_vcf)
    return counts


def read(home: Path, cache: ReadCache | None) -> Any:
    config = load(home / "config.toml")
    return read_inputs(config, START, 4, NOW, None, cache=cache)


def summary(inp: Any) -> tuple[Any, ...]:
    return (
        sorted((e.source, e.uid, e.start, e.end, e.start.utcoffset()) for e in inp.events),
        sorted(inp.busy),
        sorted(inp.contacts, key=lambda c: c.id),
        [str(p) for p in inp.problems],
    )


def test_second_read_parses_nothing_and_reads_the_same(home: Path, parses: dict[str, int]) -> None:
    fresh = read(home, None)
    parsed_fresh = dict(parses)
    cache = ReadCache(home / "cache")
    first = read(home, cache)
    assert cache.misses > 0 and summary(first) == summary(fresh)
    parses.update(ics=0, vcf=0)
    again = ReadCache(home / "cache")
    second = read(home, again)
    assert parses == {"ics": 0, "vcf": 0}, "an unchanged file was parsed again"
    assert again.misses == 0 and again.hits > 0
    assert summary(second) == summary(fresh)
    assert parsed_fresh["ics"] > 0 and parsed_fresh["vcf"] > 0
    # The zones survive: an event reads back in the owner's zone with the same offset.
    assert all(e.start.tzinfo == fresh.events[0].start.tzinfo for e in second.events)


def test_a_changed_file_is_parsed_again(home: Path, parses: dict[str, int]) -> None:
    read(home, ReadCache(home / "cache"))
    cal = home / "examples" / "calendar.ics"
    text = cal.read_text(encoding="utf-8")
    extra = (
        "BEGIN:VEVENT\r\nUID:cache-test-1\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART:20261124T150000Z\r\nDTEND:20261124T160000Z\r\nSUMMARY:Added later\r\n"
        "END:VEVENT\r\n"
    )
    cal.write_text(text.replace("END:VCALENDAR", extra + "END:VCALENDAR", 1), encoding="utf-8")
    # The same size and mtime would not fool it either: the key is the content.
    parses.update(ics=0, vcf=0)
    again = ReadCache(home / "cache")
    inp = read(home, again)
    assert parses["ics"] >= 1 and parses["vcf"] == 0
    assert any(e.uid == "cache-test-1" for e in inp.events)
    assert summary(inp) == summary(read(home, None))


def test_a_changed_card_and_a_changed_vdir_item_are_parsed_again(
    home: Path, parses: dict[str, int]
) -> None:
    read(home, ReadCache(home / "cache"))
    vcf = home / "examples" / "contacts.vcf"
    vcf.write_bytes(
        vcf.read_bytes()
        + b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cached Newcomer\r\nN:Newcomer;Cached;;;\r\n"
        b"EMAIL:newcomer@example.org\r\nEND:VCARD\r\n"
    )
    parses.update(ics=0, vcf=0)
    inp = read(home, ReadCache(home / "cache"))
    assert parses["vcf"] == 1 and parses["ics"] == 0
    assert any(c.name == "Cached Newcomer" for c in inp.contacts)
    item = sorted((home / "examples" / "nextcloud").glob("*.vcf"))[0]
    item.write_bytes(item.read_bytes().replace(b"END:VCARD", b"NOTE:changed\r\nEND:VCARD", 1))
    parses.update(ics=0, vcf=0)
    inp = read(home, ReadCache(home / "cache"))
    assert parses["vcf"] >= 1 and parses["ics"] == 0
    assert summary(inp) == summary(read(home, None))


def test_a_deleted_file_is_an_error_again_not_a_cached_read(home: Path) -> None:
    read(home, ReadCache(home / "cache"))
    (home / "examples" / "calendar.ics").unlink()
    inp = read(home, ReadCache(home / "cache"))
    assert inp.calendars_failed
    assert any("does not exist" in p.message for p in inp.failures)


def test_tomorrow_hits_and_cuts_to_the_exact_window(home: Path) -> None:
    config = load(home / "config.toml")
    cache = ReadCache(home / "cache")
    read_inputs(config, START, 4, NOW, None, cache=cache)
    later = ReadCache(home / "cache")
    day2 = date(2026, 11, 22)
    got = read_inputs(config, day2, 4, NOW.replace(day=22), None, cache=later)
    fresh = read_inputs(config, day2, 4, NOW.replace(day=22), None)
    assert later.hits >= 1
    assert summary(got) == summary(fresh)


def test_widen_covers_the_window_with_whole_months() -> None:
    tz = load(ROOT / "config.example.toml").tz
    s, e = widen(datetime(2025, 11, 21, tzinfo=tz), datetime(2026, 12, 19, tzinfo=tz))
    assert (s.day, s.month, e.day, e.month, e.year) == (1, 11, 1, 1, 2027)


def _damage(kind: str, data: bytes) -> bytes:
    if kind == "truncated":  # a crash or a full disk mid-write
        return data[: len(data) // 2]
    if kind == "flipped":  # one byte of the rows changed
        return data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:]
    if kind == "header":  # the header's length says more than there is
        return data[:4] + (1 << 30).to_bytes(4, "little") + data[8:]
    if kind == "json":  # an entry of the JSON format netweave used before
        return b'{"key": "x", "data": {"events": []}}'
    return b"\x00" * 64  # foreign bytes


@pytest.mark.parametrize("kind", ["truncated", "flipped", "header", "json", "foreign"])
def test_damaged_or_foreign_entries_are_misses_and_files_are_private(home: Path, kind: str) -> None:
    folder = home / "cache"
    read(home, ReadCache(folder))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    entries = list(folder.glob("*.bin"))
    assert entries and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in entries)
    for p in entries:
        p.write_bytes(_damage(kind, p.read_bytes()))
    again = ReadCache(folder)
    assert summary(read(home, again)) == summary(read(home, None))
    assert again.hits == 0
    # and the entries are whole again: the next run hits everywhere
    third = ReadCache(folder)
    assert summary(read(home, third)) == summary(read(home, None))
    assert third.misses == 0 and third.hits > 0


def test_entries_of_the_old_json_format_are_replaced(home: Path) -> None:
    folder = home / "cache"
    read(home, ReadCache(folder))
    for p in folder.glob("*.bin"):
        p.with_suffix(".json").write_text('{"key": "x", "data": {}}')
        p.unlink()
    read(home, ReadCache(folder))
    assert not list(folder.glob("*.json")) and list(folder.glob("*.bin"))


def test_an_unused_address_book_entry_is_never_decoded(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the merged contacts hit, the address books' own rows stay undecoded."""
    read(home, ReadCache(home / "cache"))
    decoded: list[int] = []
    real = cache_rows.dec_contact

    def counting(r: Any) -> Any:
        decoded.append(1)
        return real(r)

    monkeypatch.setattr(cache_rows, "dec_contact", counting)
    inp = read(home, ReadCache(home / "cache"))
    assert len(decoded) == len(inp.contacts)  # the derived layer's rows only


def test_rows_round_trip_exactly() -> None:
    """Every field of an event and a contact survives the cache, with its type."""
    from zoneinfo import ZoneInfo

    from sync.model import Contact, Event, Tie

    ny = ZoneInfo("America/New_York")
    e = Event(
        uid="u",
        summary="s\udcff",
        start=datetime(2026, 11, 1, 1, 30, tzinfo=ny),
        end=datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ny),
        all_day=False,
        transparent=True,
        cancelled=True,
        attendees=("a@x", "b@y"),
        location="here",
        source="cal",
        recurrence_id=datetime(2026, 11, 1, 5, 30, 0, 500, tzinfo=ny),
        netweave_id="nw",
    )
    back = cache_rows.dec_event(cache_rows.enc_event(e))
    assert back == e and back.end.utcoffset() == e.end.utcoffset()
    c = Contact(
        id="c-1",
        name="N",
        emails=("a@x",),
        extra=(("school", "Yale"),),
        categories=("friends",),
        tie=next(iter(Tie)),
        focus=True,
        last_met=date(2026, 1, 2),
        times_met=3,
    )
    assert cache_rows.dec_contact(cache_rows.enc_contact(c)) == c


def test_a_cache_that_cannot_be_written_only_costs_speed(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*a: Any, **kw: Any) -> Any:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_store.tempfile, "mkstemp", full)
    inp = read(home, ReadCache(home / "cache"))
    assert summary(inp) == summary(read(home, None))
    assert not any(p.suffix == ".tmp" for p in (home / "cache").glob("*"))


def test_the_sync_uses_the_cache_beside_the_state(
    home: Path, monkeypatch: pytest.MonkeyPatch, parses: dict[str, int]
) -> None:
    from sync.cli import main

    monkeypatch.setenv("NETWEAVE_NOW", NOW.isoformat())
    for _ in range(2):
        parses.update(ics=0, vcf=0)
        with pytest.raises(SystemExit) as done:
            main(["--config", str(home / "config.toml"), "-q", "sync", "--json"])
        assert done.value.code in (0, None, 1)
    assert (home / "out" / "state.sqlite.cache").is_dir()
    # Second run: the example's files are unchanged, only netweave's own target folder may
    # have been read again (it wrote there in the first run) - never the user's files.
    assert parses["vcf"] == 0
    assert os.access(home / "out" / "state.sqlite.cache", os.W_OK)


def test_a_sync_that_changes_nothing_leaves_the_agenda_file_alone(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync.cli import main

    monkeypatch.setenv("NETWEAVE_NOW", NOW.isoformat())
    config = load(home / "config.toml")
    assert config.export.path is not None
    seen = []
    for _ in range(3):
        with pytest.raises(SystemExit):
            main(["--config", str(home / "config.toml"), "-q", "sync", "--json"])
        st = config.export.path.stat()
        seen.append((st.st_ino, st.st_mtime_ns, config.export.path.read_bytes()))
    assert seen[1] == seen[2]  # the same bytes, and not even rewritten


# --------------------------------------------------------------------------- the export's folding
# A no-change resync renders the agenda again; its folding is netweave's own (fast) and must give
# the bytes icalendar gives.


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(
        st.text(alphabet=st.sampled_from(list("ab ,;:\\^n\"'")), max_size=400),
        st.text(alphabet=st.sampled_from(list("ab ,;:\\^n\"'") + ["é", "€", "𝄞"]), max_size=400),
    )
)
def test_the_export_folds_lines_as_icalendar_does(text: str) -> None:
    from icalendar.parser import Contentline

    from sync.export import ical_bytes

    line = Contentline("DESCRIPTION:" + text)
    if line.isascii():
        from sync.export import fold_ascii

        assert fold_ascii(line).encode("ascii") == line.to_ical()
    cal = icalendar.Calendar()
    cal.add("prodid", "-//t//t//EN")
    ev = icalendar.Event()
    ev.add("uid", "u1")
    ev.add("summary", text)
    ev.add("description", text * 3)
    cal.add_component(ev)
    assert ical_bytes(cal) == cal.to_ical()


def test_code_list_names_only_existing_modules() -> None:
    """Every module the read cache's code hash covers exists (a moved one would drop out)."""
    from pathlib import Path as _Path

    import sync
    from sync.cache.keys import code_files

    files = code_files(_Path(sync.__file__).resolve().parent)
    names = {f.parent.name if f.parent.name != "sync" else f.stem for f in files}
    assert {"ics", "vcard", "tagging", "merge"} <= names | {f.stem for f in files}
