"""Config: the example loads; every invalid value of every key is refused naming the key."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync import config as cfgmod
from sync.config import ConfigError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "config.example.toml"


def example_data() -> dict[str, Any]:
    return tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))


def test_example_config_loads() -> None:
    c = cfgmod.load(EXAMPLE)
    assert c.owner.timezone == "America/New_York"
    assert {a.type for a in c.addressbooks} == {"vcard", "vdir", "csv"}
    assert any(cal.write for cal in c.calendars)
    assert c.budget.hours_per_week == 4
    assert len(c.goals) == 2
    assert all(p.is_absolute() for p in (c.addressbooks[0].path, c.export.path) if p)


def test_missing_file_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config.example.toml"):
        cfgmod.load(tmp_path / "nope.toml")


def test_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETWEAVE_CONFIG", str(tmp_path / "x.toml"))
    assert cfgmod.default_path() == tmp_path / "x.toml"


def test_toml_syntax_error_names_the_file(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text("[owner\ntimezone = 1\n")
    with pytest.raises(ConfigError, match="not valid TOML") as e:
        cfgmod.load(p)
    assert str(p) in str(e.value)


def _parse(data: dict[str, Any]) -> cfgmod.Config:
    return cfgmod.parse(data, base=ROOT)


def _set(data: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    d = copy.deepcopy(data)
    cur: Any = d
    for p in path[:-1]:
        cur = cur[p]
    cur[path[-1]] = value
    return d


# (path into the example, a bad value, the key the message must name)
BAD: list[tuple[list[Any], Any, str | None]] = [
    (["owner", "timezone"], "Mars/Olympus", "owner.timezone"),
    (["owner", "timezone"], 5, "owner.timezone"),
    (["owner", "emails"], "x", None),  # a single string is accepted as a list: not bad
    (["owner", "emails"], [1], "owner.emails"),
    (["addressbooks", 0, "type"], "vcf", "addressbooks[0].type"),
    (["addressbooks", 0, "path"], "", "addressbooks[0].path"),
    (["addressbooks", 0, "write_tags"], "yes", "addressbooks[0].write_tags"),
    (["calendars", 1, "type"], "outlook", "calendars[1].type"),
    (["calendars", 1, "write"], 1, "calendars[1].write"),
    (["calendars", 1, "retries"], 11, "calendars[1].retries"),
    (["addressbooks", 0, "retries"], 1.5, "addressbooks[0].retries"),
    (["safety", "notify"], "sometimes", "safety.notify"),
    (["calendars", 0, "pasword_env"], "X", "calendars[0].pasword_env"),
    (["calendars", 0, "password"], "hunter2", "calendars[0].password"),
    (["budget", "hours_per_week"], -1, "budget.hours_per_week"),
    (["budget", "hours_per_week"], "four", "budget.hours_per_week"),
    (["budget", "max_one_on_ones_per_week"], 2.5, "budget.max_one_on_ones_per_week"),
    (["budget", "min_in_person_share"], 1.5, "budget.min_in_person_share"),
    (["budget", "hours_per_wek"], 3, "budget.hours_per_wek"),
    (["windows", 0, "start"], "7.30", "windows[0].start"),
    (["windows", 0, "end"], "07:00", "windows[0].end"),
    (["windows", 0, "days"], ["tuesday"], "windows[0].days"),
    (["windows", 0, "duration_minutes"], 600, "windows[0].duration_minutes"),
    (["windows", 0, "place"], "Nowhere", "windows[0].place"),
    (["places", 0, "travel_minutes"], -5, "places[0].travel_minutes"),
    (["groups", 1, "rrule"], "FREQ=SOMETIMES", "groups[1].rrule"),
    (["groups", 1, "status"], "maybe", "groups[1].status"),
    (["groups", 1, "goal"], "world-peace", "groups[1].goal"),
    (["planner", "weeks"], 0, "planner.weeks"),
    (["planner", "focus_size"], "five", "planner.focus_size"),
    (["planner", "cadence", "targets", "max_days"], 1, "planner.cadence.targets.max_days"),
    (["planner", "cadence", "tragets"], {"ideal_days": 3}, "planner.cadence.tragets"),
    (["planner", "category_share_max", "friends"], 2, "planner.category_share_max.friends"),
    (["confidential", "sensitive_words"], "job", None),
    (["confidential", "neutral_title"], "Job interview", "confidential.neutral_title"),
    (["tagging", "default_category"], "aquaintances", "tagging.default_category"),
    (["tagging", "rules", 0, "category"], "vip", "tagging.rules[0].category"),
    (["tagging", "rules", 0], {"category": "targets"}, "tagging.rules[0]"),
    (["export", "private"], "no", "export.private"),
    (["state", "path"], 3, "state.path"),
    (["goals", 0, "text"], "", "goals[0].text"),
    (["unknown_section"], {}, "unknown_section"),
]


@pytest.mark.parametrize("path,value,key", BAD, ids=[".".join(map(str, b[0])) for b in BAD])
def test_each_bad_value_names_its_key(path: list[Any], value: Any, key: str | None) -> None:
    data = _set(example_data(), path, value)
    if key is None:
        _parse(data)
        return
    with pytest.raises(ConfigError) as e:
        _parse(data)
    assert e.value.key == key, str(e.value)
    assert str(e.value).startswith(key)


def test_typo_suggests_the_key() -> None:
    with pytest.raises(ConfigError, match="did you mean 'hours_per_week'"):
        _parse(_set(example_data(), ["budget", "hours_per_wek"], 3))


def _leaves(d: Any, prefix: list[Any]) -> list[list[Any]]:
    out: list[list[Any]] = []
    if isinstance(d, dict):
        for k, v in d.items():
            out += _leaves(v, [*prefix, k])
    elif isinstance(d, list) and d and isinstance(d[0], dict):
        for i, v in enumerate(d):
            out += _leaves(v, [*prefix, i])
    else:
        out.append(prefix)
    return out


LEAVES = _leaves(example_data(), [])
WRONG = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.booleans(),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(LEAVES), WRONG)
def test_any_value_anywhere_either_loads_or_names_a_key(path: list[Any], value: Any) -> None:
    """Config fuzzing: no crash, no traceback; an error always names a key path."""
    data = _set(example_data(), path, value)
    try:
        _parse(data)
    except ConfigError as e:
        assert e.key, f"error without a key for {path}={value!r}: {e}"
        top = str(path[0])
        assert e.key.split(".")[0].split("[")[0] in (
            top,
            "goals",
            "windows",
            "groups",
            "confidential",
        ), e.key


def test_windows_zone_name_gets_a_suggestion() -> None:
    data = _set(example_data(), ["owner", "timezone"], "Eastern Standard Time")
    with pytest.raises(ConfigError, match="did you mean 'America/New_York'"):
        _parse(data)


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_bytes(b"\xef\xbb\xbf[owner]\ntimezone = 'UTC'\n")
    assert cfgmod.load(p).owner.timezone == "UTC"
