"""Reading one TOML table with validation.

:class:`Table` has typed getters that name the key path on error (``calendars[1].timeout``) and
say what was expected, and :meth:`Table.done` rejects keys nobody asked for (typos, with a
"did you mean").
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable
from datetime import date, time
from pathlib import Path
from typing import Any, TypeVar

from sync.config.errors import ConfigError
from sync.config.models import Secret

T = TypeVar("T")


class Table:
    """A TOML table being validated: typed getters that name the key on error, and a check
    that no unknown key is left (typos)."""

    def __init__(self, data: Any, key: str, base: Path) -> None:
        if not isinstance(data, dict):
            raise ConfigError(key, f"expected a table, got {_kind(data)}")
        self.data: dict[str, Any] = data
        self.key = key
        self.base = base
        self.seen: set[str] = set()

    def k(self, name: str) -> str:
        return f"{self.key}.{name}" if self.key else name

    def _get(self, name: str) -> Any:
        self.seen.add(name)
        return self.data.get(name)

    def has(self, name: str) -> bool:
        return name in self.data

    def text(self, name: str, default: str | None = None, choices: tuple[str, ...] = ()) -> Any:
        v = self._get(name)
        if v is None:
            return default
        if not isinstance(v, str):
            raise ConfigError(self.k(name), f"expected a string, got {_kind(v)}")
        if choices and v not in choices:
            hint = did_you_mean(v, choices)
            raise ConfigError(
                self.k(name), f"expected one of {', '.join(choices)}; got {v!r}{hint}"
            )
        return v

    def req_str(self, name: str, choices: tuple[str, ...] = ()) -> str:
        v = self.text(name, None, choices)
        if v is None or (isinstance(v, str) and not v.strip()):
            expected = f"one of {', '.join(choices)}" if choices else "a non-empty string"
            raise ConfigError(self.k(name), f"is required: expected {expected}")
        return str(v)

    def flag(self, name: str, default: bool) -> bool:
        v = self._get(name)
        if v is None:
            return default
        if not isinstance(v, bool):
            raise ConfigError(self.k(name), f"expected true or false, got {_kind(v)}")
        return v

    def whole(self, name: str, default: int, lo: int | None = None, hi: int | None = None) -> int:
        v = self._get(name)
        if v is None:
            return default
        if isinstance(v, bool) or not isinstance(v, int):
            raise ConfigError(self.k(name), f"expected a whole number, got {_kind(v)}")
        _range(self.k(name), v, lo, hi)
        return v

    def number(
        self, name: str, default: float, lo: float | None = None, hi: float | None = None
    ) -> float:
        v = self._get(name)
        if v is None:
            return default
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise ConfigError(self.k(name), f"expected a number, got {_kind(v)}")
        if v != v:  # NaN
            raise ConfigError(self.k(name), "expected a number, got nan")
        _range(self.k(name), float(v), lo, hi)
        return float(v)

    def strs(self, name: str, choices: tuple[str, ...] = ()) -> tuple[str, ...]:
        v = self._get(name)
        if v is None:
            return ()
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise ConfigError(self.k(name), "expected a list of strings")
        for x in v:
            if choices and x not in choices:
                hint = did_you_mean(x, choices)
                raise ConfigError(
                    self.k(name), f"expected each of {', '.join(choices)}; got {x!r}{hint}"
                )
        return tuple(v)

    def path(self, name: str) -> Path | None:
        v = self.text(name)
        if v is None:
            return None
        if not v.strip():
            raise ConfigError(self.k(name), "expected a path, got an empty string")
        p = Path(os.path.expandvars(os.path.expanduser(v)))
        return p if p.is_absolute() else (self.base / p)

    def clock(self, name: str, default: time | None = None) -> time | None:
        v = self._get(name)
        if v is None:
            return default
        if isinstance(v, time):
            return v
        if isinstance(v, str) and re.fullmatch(r"\d{1,2}:\d{2}", v):
            h, m = map(int, v.split(":"))
            if 0 <= h < 24 and 0 <= m < 60:
                return time(h, m)
        raise ConfigError(self.k(name), f'expected a time of day like "07:30", got {v!r}')

    def day(self, name: str) -> date | None:
        v = self._get(name)
        if v is None:
            return None
        if isinstance(v, date):
            return v
        if isinstance(v, str):
            try:
                return date.fromisoformat(v)
            except ValueError:
                pass
        raise ConfigError(self.k(name), f"expected a date like 2026-11-30, got {v!r}")

    def table(self, name: str) -> Table:
        v = self._get(name)
        return Table({} if v is None else v, self.k(name), self.base)

    def tables(self, name: str) -> list[Table]:
        v = self._get(name)
        if v is None:
            return []
        if not isinstance(v, list):
            raise ConfigError(self.k(name), f"expected an array of tables ([[{name}]])")
        return [Table(x, f"{self.k(name)}[{i}]", self.base) for i, x in enumerate(v)]

    def secret(self) -> Secret:
        if self.has("password"):
            self.seen.add("password")
            raise ConfigError(
                self.k("password"),
                'passwords are never kept in the config: use password_env = "VAR" '
                'or password_command = "pass show ..."',
            )
        s = Secret(env=self.text("password_env"), command=self.text("password_command"))
        return s

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.seen)
        if unknown:
            name = unknown[0]
            hint = did_you_mean(name, tuple(sorted(self.seen)))
            raise ConfigError(self.k(name), f"unknown key{hint}")


def _kind(v: Any) -> str:
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }.get(type(v), type(v).__name__) + (f" ({v!r})" if isinstance(v, int | float | str) else "")


def _range(key: str, v: float, lo: float | None, hi: float | None) -> None:
    if lo is not None and v < lo:
        raise ConfigError(key, f"expected at least {lo}, got {v}")
    if hi is not None and v > hi:
        raise ConfigError(key, f"expected at most {hi}, got {v}")


def did_you_mean(word: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def each(tables: list[Table], fn: Callable[[Table], T]) -> tuple[T, ...]:
    out = []
    for t in tables:
        out.append(fn(t))
        t.done()
    return tuple(out)


def str_map(t: Table, name: str) -> dict[str, str]:
    sub = t.table(name)
    out = {}
    for k in list(sub.data):
        v = sub.text(k)
        out[k] = v
    return out


def float_map(t: Table, name: str, keys: tuple[str, ...]) -> dict[str, float]:
    sub = t.table(name)
    out = {}
    for k in list(sub.data):
        if k not in keys:
            raise ConfigError(sub.k(k), f"unknown category{did_you_mean(k, keys)}")
        out[k] = sub.number(k, 0.0, 0, 1)
    return out
