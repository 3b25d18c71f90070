"""Rules: reading ``rules/*.toml``, the user's rules above the defaults, and rules derived from
the owner's profile and the configured targets."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import sync
from sync.config import (
    RULE_MATCHERS,
    ConfigError,
    Owner,
    TagRule,
    Target,
    rule_from_table,
)
from sync.config.table import Table, did_you_mean
from sync.tagging.text import _word_regex

#: Added to a user rule's priority by :func:`load_rules`: the user's rules outrank every default
#: (rule priorities are validated to -1000..1000).
USER_PRIORITY_BOOST = 2001


def rules_from_targets(targets: Sequence[Target]) -> list[TagRule]:
    """Rules for the config's ``[[targets]]``: each target by email or full name, and each
    named introducer. They are user rules: pass them to :func:`load_rules` with the others."""
    out: list[TagRule] = []
    for i, t in enumerate(targets):
        if t.email:
            out.append(TagRule("targets", email_domain=(t.email,), origin=f"targets[{i}].email"))
        if t.name.strip():
            out.append(TagRule("targets", name=(t.name,), origin=f"targets[{i}].name"))
        for j, who in enumerate(t.introducers):
            origin = f"targets[{i}].introducers[{j}]"
            if "@" in who:
                out.append(TagRule("introducers", email_domain=(who,), origin=origin))
            elif who.strip():
                out.append(TagRule("introducers", name=(who,), origin=origin))
    return out


def rules_from_owner(owner: Owner) -> list[TagRule]:
    """Default-level rules from the owner's own profile: classmates (same school and class year)
    are school friends, others from the same school are alumni, people at a current or former
    employer are colleagues. They rank like the bundled rules (by specificity), below the
    user's own rules."""
    out: list[TagRule] = []
    for i, school in enumerate(owner.schools):
        if school.class_year is not None:
            out.append(
                TagRule(
                    "school-friends",
                    school=(school.name,),
                    class_year=(str(school.class_year),),
                    priority=150,  # a classmate above the generic alumni labels (100)
                    origin=f"owner.schools[{i}]",
                )
            )
        out.append(TagRule("alumni", school=(school.name,), origin=f"owner.schools[{i}]"))
    for i, employer in enumerate(owner.employers):
        out.append(TagRule("colleagues", organization=(employer,), origin=f"owner.employers[{i}]"))
    return out


def bundled_rules_dir() -> Path:
    """The default rules: ``sync/rules`` when installed as package data, else the source tree's
    top-level ``rules/`` folder."""
    pkg = Path(sync.__file__).resolve().parent
    inside = pkg / "rules"
    return inside if inside.is_dir() else pkg.parent / "rules"


_RULE_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*rule[ \t]*\]\]", re.MULTILINE)


_RULE_KEYS = ("category", *RULE_MATCHERS, "priority")


def _check_patterns(rule: TagRule, key: str, path: Path | None) -> None:
    for m in RULE_MATCHERS:
        for i, p in enumerate(getattr(rule, m)):
            if m == "email_domain":
                ok = bool(p.strip().lstrip("@*.")) and " " not in p.strip()
            else:
                ok = _word_regex(p) is not None
            if not ok:
                raise ConfigError(
                    f"{key}.{m}[{i}]" if key else f"{m}[{i}]",
                    f"expected words (or a domain) to match, got {p!r}",
                    path,
                )


def read_rules_file(path: Path, origin_prefix: str | None = None) -> list[TagRule]:
    """The ``[[rule]]`` tables of one TOML file. Raises ConfigError naming file and key."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError("", f"not UTF-8 text (byte {e.start})", path) from None
    except OSError as e:
        raise ConfigError("", f"cannot read the rules file: {e.strerror}", path) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError("", f"not valid TOML: {e}", path) from None
    lines = [text.count("\n", 0, m.start()) + 1 for m in _RULE_HEADER.finditer(text)]
    prefix = origin_prefix if origin_prefix is not None else str(path)
    out = []
    try:
        root = Table(data, "", path.parent)
        for i, t in enumerate(root.tables("rule")):
            line = f":{lines[i]}" if i < len(lines) else f" rule[{i}]"
            for k in sorted(t.data):
                if k not in _RULE_KEYS:
                    hint = did_you_mean(k, _RULE_KEYS)
                    raise ConfigError(t.k(k), f"unknown key{hint}")
            r = rule_from_table(t, origin=f"{prefix}{line}")
            t.done()
            _check_patterns(r, t.key, path)
            out.append(r)
        root.done()
    except ConfigError as e:
        raise ConfigError(e.key, e.message, path) from None
    return out


def load_rules(rules_dir: Path | None, user_rules: Sequence[TagRule]) -> list[TagRule]:
    """User rules (boosted above every default) then every ``rules_dir/*.toml`` rule, by name.

    ``rules_dir`` None: the bundled default rules (:func:`bundled_rules_dir`). Raises
    :class:`ConfigError` naming the file and key of a bad rule, or the config key of a bad user
    rule.
    """
    bundled = rules_dir is None
    folder = bundled_rules_dir() if rules_dir is None else rules_dir
    if not folder.is_dir():
        raise ConfigError(
            "tagging.rules_dir",
            "no such folder" + (" (the bundled rules are missing: reinstall)" if bundled else ""),
            folder,
        )
    user: list[TagRule] = []
    for r in user_rules:
        _check_patterns(r, r.origin, None)
        user.append(replace(r, priority=r.priority + USER_PRIORITY_BOOST))
    defaults: list[TagRule] = []
    for f in sorted(folder.glob("*.toml")):
        defaults.extend(read_rules_file(f, f"rules/{f.name}" if bundled else None))
    return user + defaults
