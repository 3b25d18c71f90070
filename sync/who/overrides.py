"""The user's own corrections (``netweave tag "Name" mentors`` / ``--not targets``), kept in a
small TOML file beside the config and applied after tagging on every run, whatever the source
of the card. Pure: text in, text out; the engine and the CLI read and write the file.

The file::

    [people."Jane Roe"]
    add = ["mentors"]          # first category, in this order
    remove = ["targets"]       # never this category
    emails = ["jane@roe.com"]  # optional: find the person by email too
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sync.config import ConfigError
from sync.merge import name_tokens
from sync.model import CATEGORIES, Contact

FILE_NAME = "netweave-tags.toml"


@dataclass(frozen=True)
class Correction:
    name: str
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()

    def fits(self, c: Contact) -> bool:
        mine = {e.casefold() for e in self.emails}
        if mine and any(e.casefold() in mine for e in c.emails):
            return True
        toks = name_tokens(self.name)
        return bool(toks) and toks == name_tokens(c.name)


def overrides_path(config_path: Path | None, configured: Path | None) -> Path | None:
    """Where the corrections live: ``tagging.overrides``, else beside the config file."""
    if configured is not None:
        return configured
    return config_path.parent / FILE_NAME if config_path is not None else None


def parse(text: str, where: Path | None = None) -> tuple[Correction, ...]:
    """The corrections in a file's text. Raises ConfigError naming the bad key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError("", f"not valid TOML: {e}", where) from None
    people = data.get("people", {})
    if not isinstance(people, dict):
        raise ConfigError("people", "expected a table of people", where)
    out = []
    for name, t in people.items():
        if not isinstance(t, dict):
            raise ConfigError(f"people.{name}", "expected a table", where)
        lists: dict[str, tuple[str, ...]] = {}
        for key in ("add", "remove", "emails"):
            v = t.get(key, [])
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise ConfigError(f"people.{name}.{key}", "expected a list of strings", where)
            if key != "emails":
                for x in v:
                    if x not in CATEGORIES:
                        raise ConfigError(f"people.{name}.{key}", f"unknown category {x!r}", where)
            lists[key] = tuple(v)
        unknown = set(t) - {"add", "remove", "emails"}
        if unknown:
            raise ConfigError(f"people.{name}.{sorted(unknown)[0]}", "unknown key", where)
        out.append(Correction(name, lists["add"], lists["remove"], lists["emails"]))
    return tuple(out)


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(corrections: Sequence[Correction]) -> str:
    lines = [
        "# Your corrections to netweave's tags (`netweave tag`). Kept across runs and sources."
    ]
    for c in sorted(corrections, key=lambda c: c.name.casefold()):
        lines += ["", f"[people.{_q(c.name)}]"]
        for key in ("add", "remove", "emails"):
            vals: tuple[str, ...] = getattr(c, key)
            if vals:
                lines.append(f"{key} = [{', '.join(_q(v) for v in vals)}]")
    return "\n".join(lines) + "\n"


def corrected(
    corrections: Sequence[Correction], name: str, category: str, remove: bool, emails: Sequence[str]
) -> tuple[Correction, ...]:
    """The corrections with one more: ``name`` is (or, ``remove``, is not) ``category``."""
    out: list[Correction] = []
    found = False
    toks = name_tokens(name)
    for c in corrections:
        if name_tokens(c.name) == toks:
            found = True
            add = [x for x in c.add if x != category]
            rem = [x for x in c.remove if x != category]
            (rem if remove else add).insert(0 if not remove else len(rem), category)
            c = replace(
                c,
                add=tuple(add),
                remove=tuple(rem),
                emails=tuple(dict.fromkeys([*c.emails, *emails])),
            )
        out.append(c)
    if not found:
        out.append(
            Correction(
                name,
                add=() if remove else (category,),
                remove=(category,) if remove else (),
                emails=tuple(emails),
            )
        )
    return tuple(out)


def correction_for(c: Contact, corrections: Sequence[Correction]) -> Correction | None:
    for k in corrections:
        if k.fits(c):
            return k
    return None


def by_id(
    contacts: Sequence[Contact], corrections: Sequence[Correction]
) -> Mapping[str, Correction]:
    out = {}
    for c in contacts:
        k = correction_for(c, corrections)
        if k is not None:
            out[c.id] = k
    return out
