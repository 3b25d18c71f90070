"""Who everyone in the address book is to the owner, for any field of work.

The rooms: :mod:`~sync.who.fields` (which rules: the common ones, the field's pack, the owner's
profile), :mod:`~sync.who.relations` (relationship fields and possessive notes),
:mod:`~sync.who.employer` (who is tied to the current employer), :mod:`~sync.who.goals` (what
a goal's words ask for: industries, organisations, function), :mod:`~sync.who.overrides` (the
user's corrections) and :mod:`~sync.who.judge` (all of it together, with the reasons).
"""

from sync.who.employer import employer_ties, internal_meetings
from sync.who.fields import infer_field, rule_files, rules_for
from sync.who.judge import (
    NEVER_ASK_KEY,
    TIE_KEY,
    Judge,
    Judged,
    Setting,
    is_never_ask,
    is_tied,
    judge,
    kept_out,
)

__all__ = [
    "NEVER_ASK_KEY",
    "TIE_KEY",
    "Judge",
    "Judged",
    "Setting",
    "employer_ties",
    "infer_field",
    "internal_meetings",
    "is_never_ask",
    "is_tied",
    "judge",
    "kept_out",
    "rule_files",
    "rules_for",
]
