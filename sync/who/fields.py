"""Which rules tag an owner's contacts: the common rules, the rule pack of the owner's field, and
rules drawn from the owner's own profile (former employers, school labels, the goals' titles).

The field is ``owner.field``, else inferred from the owner's title and employers (a "Senior
Software Engineer" is in technology, "Attorney" in law); an owner with no recognisable field
gets the common rules only, never one field's rules for everyone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from sync.config import FIELDS, Config, Goal, Owner, TagRule
from sync.tagging import (
    bundled_rules_dir,
    fold,
    load_rules,
    read_rules_file,
    rules_from_owner,
    rules_from_targets,
)

#: Common rule files a field leaves out (a physician's doctors are her peers).
SKIP_COMMON: dict[str, tuple[str, ...]] = {"healthcare": ("medical-providers.toml",)}

#: Words in an owner's title or employer that say which field they work in, strongest first.
_FIELD_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("law", ("attorney", "lawyer", "counsel", "paralegal", "litigator", "llp", "law", "legal",
             "barrister", "solicitor")),
    ("healthcare", ("physician", "md", "cardiologist", "surgeon", "nurse", "hospitalist", "doctor",
                    "medical", "hospital", "clinic", "health", "pharmacist", "dentist")),
    ("technology", ("software", "engineer", "developer", "programmer", "sre", "devops", "cto",
                    "data scientist", "product manager", "tech", "labs", "io")),
    ("finance", ("analyst", "banker", "investment", "portfolio", "trader", "cfo", "capital",
                 "bank", "fund", "equity", "controller", "accountant")),
    ("academia", ("professor", "lecturer", "postdoc", "university", "college", "researcher",
                  "dean", "faculty")),
    ("public-sector", ("government", "city of", "county", "state of", "department of", "agency",
                       "public", "policy", "commissioner", "ministry")),
    ("operations", ("operations", "plant", "manufacturing", "supply chain", "coo", "industrial",
                    "logistics", "production", "manufacturer", "components")),
)  # fmt: skip


def infer_field(owner: Owner) -> str:
    """``owner.field``, else the first field whose words appear in the title, else in the
    employers' names; "" when nothing says."""
    if owner.field:
        return owner.field
    for text in (owner.title, " ".join(owner.employers)):
        words = f" {fold(text)} "
        for name, keys in _FIELD_WORDS:
            if any(f" {k} " in words for k in keys):
                return name
    return ""


def _skipped(field: str, rules_dir: Path) -> set[str]:
    return {str(rules_dir / name) for name in SKIP_COMMON.get(field, ())}


def field_pack(rules_dir: Path, field: str, bundled: bool) -> list[TagRule]:
    """The rules of ``rules_dir/fields/<field>.toml`` (none when the file or field is absent)."""
    if field not in FIELDS:
        return []
    path = rules_dir / "fields" / f"{field}.toml"
    if not path.is_file():
        return []
    return read_rules_file(path, f"rules/fields/{field}.toml" if bundled else None)


def rule_files(config: Config) -> list[Path]:
    """Every rules file the config's rules come from (for cache keys)."""
    folder = config.tagging.rules_dir or bundled_rules_dir()
    field = infer_field(config.owner)
    files = [p for p in sorted(folder.glob("*.toml")) if str(p) not in _skipped(field, folder)]
    pack = folder / "fields" / f"{field}.toml"
    return files + ([pack] if field and pack.is_file() else [])


def rules_for(config: Config) -> list[TagRule]:
    """All the rules for this owner: the user's (boosted), the common files, the field's pack,
    then the rules from the owner's profile."""
    bundled = config.tagging.rules_dir is None
    folder = config.tagging.rules_dir or bundled_rules_dir()
    field = infer_field(config.owner)
    rules = load_rules(
        config.tagging.rules_dir, [*config.tagging.rules, *rules_from_targets(config.targets)]
    )
    skip = {f"rules/{n}" if bundled else str(folder / n) for n in SKIP_COMMON.get(field, ())}
    rules = [r for r in rules if r.origin.rsplit(":", 1)[0] not in skip]
    return [
        *rules,
        *field_pack(folder, field, bundled),
        *rules_from_owner(config.owner),
        *profile_rules(config.owner, config.goals),
    ]


# --------------------------------------------------------------------------- the owner's profile

_GENERIC_ORG_WORDS = frozenset(
    {"the", "first", "st", "saint", "university", "college", "school", "of", "and", "group",
     "inc", "llc", "llp", "company", "co", "corp", "corporation", "center", "centre", "medical",
     "national", "american", "new", "united", "global", "international", "management"}
)  # fmt: skip


#: Words after a place name in a public body's name: "Chicago Department of Transportation"
#: is known by its place, and a place is not distinctive ("Chicago" is in many notes).
_PUBLIC_BODY_WORDS = frozenset(
    {"department", "county", "city", "state", "transit", "park", "public", "police", "fire",
     "metropolitan", "regional", "board", "office", "agency", "authority", "district"}
)  # fmt: skip


def distinctive(name: str) -> str:
    """The part of an organisation's name people write in notes: "Brandt Precision Components"
    -> "Brandt", "St. Brigid Medical Center" -> "St Brigid", "" when nothing stands out (also
    for a public body known by its place: "City of Chicago", "Chicago Department of ...")."""
    words = fold(name).split()
    if not words or words[0] in _PUBLIC_BODY_WORDS:
        return ""
    if len(words) > 1 and words[1] in _PUBLIC_BODY_WORDS:
        return ""
    if words[0] in _GENERIC_ORG_WORDS and len(words) > 1 and words[1] not in _GENERIC_ORG_WORDS:
        return f"{words[0]} {words[1]}"
    if words[0] in _GENERIC_ORG_WORDS or len(words[0]) < 4:
        return ""
    return words[0]


def acronym(name: str) -> str:
    """ "University of Illinois Urbana-Champaign" -> "UIUC" (capitalised words only)."""
    letters = [w[0] for w in re.findall(r"[A-Za-z]+", name) if w[0].isupper()]
    return "".join(letters) if len(letters) >= 3 else ""


def _school_labels(name: str) -> list[str]:
    out = [name]
    for extra in (distinctive(name), acronym(name)):
        if extra and extra not in out:
            out.append(extra)
    # every other distinctive word: "Loyola Stritch School of Medicine" -> "Stritch"
    for w in fold(name).split()[1:]:
        if w not in _GENERIC_ORG_WORDS and len(w) >= 5 and w not in (x.casefold() for x in out):
            out.append(w)
    return out


_TITLE_HEADS = frozenset(
    {"engineer", "director", "officer", "partner", "coo", "ceo", "cfo", "cto", "cmo", "cio",
     "manager", "president", "chief", "head", "vp", "professor", "chair", "lead", "principal",
     "architect", "scientist", "dean", "superintendent", "commissioner"}
)  # fmt: skip
_GOAL_LEAD = re.compile(r"^(?:an?|the|my|first|new|next|independent|senior)\s+", re.IGNORECASE)
_GOAL_TAIL = re.compile(r"\s+(?:role|position|job|track|seat|opening)$", re.IGNORECASE)
_GOAL_CUT = re.compile(r"\s(?:on|at|of|in|for|with|to|within)\s|[,;:(]", re.IGNORECASE)


def goal_title(goal: Goal) -> str:
    """The role a goal names ("Staff engineer on a ... team" -> "Staff engineer"), or ""."""
    head = _GOAL_CUT.split(goal.text.strip(), maxsplit=1)[0].strip()
    prev = None
    while prev != head:
        prev = head
        head = _GOAL_TAIL.sub("", _GOAL_LEAD.sub("", head)).strip()
    words = fold(head).split()
    if not words or len(words) > 4 or not _TITLE_HEADS.intersection(words):
        return ""
    return head.replace("-", " ")


def profile_rules(owner: Owner, goals: Sequence[Goal]) -> list[TagRule]:
    """Rules from the owner's profile, ranked like the bundled ones: people at a former
    employer (or whose notes name one) are colleagues; an address-book label naming one of the
    owner's schools marks a school friend ("<school> alumni": an alum); a title that is the role
    a goal names marks a target."""
    out: list[TagRule] = []
    for i, employer in enumerate(owner.former_employers):
        origin = f"owner.former_employers[{i}]"
        out.append(TagRule("colleagues", organization=(employer,), origin=origin))
        word = distinctive(employer)
        out.append(
            TagRule("colleagues", note=tuple({employer, word} - {""}), priority=40, origin=origin)
        )
    for i, employer in enumerate(owner.employers):
        word = distinctive(employer)
        notes = tuple(sorted({employer, word} - {""}))
        out.append(TagRule("colleagues", note=notes, priority=40, origin=f"owner.employers[{i}]"))
    for i, school in enumerate(owner.schools):
        labels = _school_labels(school.name)
        origin = f"owner.schools[{i}].labels"
        out.append(
            TagRule("school-friends", source_category=tuple(labels), priority=58, origin=origin)
        )
        alumni = tuple(f"{x} alumni" for x in labels) + tuple(f"{x} alums" for x in labels)
        out.append(TagRule("alumni", source_category=alumni, priority=100, origin=origin))
    for i, goal in enumerate(goals):
        title = goal_title(goal)
        if title and (not goal.categories or "targets" in goal.categories):
            out.append(TagRule("targets", title=(title,), priority=34, origin=f"goals[{i}].text"))
    return out
