"""Tagging: rules -> networking categories and tie strength for each contact (pure).

The rooms: ``text`` (folding, word patterns, a contact's searchable text), ``matchers``
(one object per test, :func:`compile_rule`), ``index`` (every rule compiled together),
``tagger`` (:func:`tag`, reasons, ties), ``rules`` (loading rule files, owner and target
rules), ``history`` (meetings from past events).

Two layers, like khard's ``query.py``:

* **Matchers** are small composable objects with one ``match(contact) -> bool`` method:
  :class:`OrganizationRule`, :class:`TitleRule`, :class:`EmailDomainRule`,
  :class:`SourceCategoryRule`, :class:`NoteKeywordRule`, :class:`RelationRule`, :class:`NameRule`,
  combined with :class:`All` and :class:`Any`.
* :class:`~sync.config.TagRule` is the declarative form (``rules/*.toml`` and ``[[tagging.rules]]``
  in the config). :func:`compile_rule` turns one into ``All(Any-of-each-non-empty-list)``: every
  non-empty matcher list must match, and within a list any entry matches.

Text matching is case-insensitive, accent-insensitive and word-boundary aware: ``"law"`` does not
match ``"lawn"``, ``"Partner"`` matches ``"Managing Partner"``, ``"Jose"`` matches ``"José"``.
A word also matches its plural (``"client"`` matches ``"Clients"``), dotted abbreviations are
read as one word (``"MD"`` matches ``"M.D."``), a trailing ``*`` matches any ending
(``"consult*"`` matches ``"Consultant"``) and a leading ``^`` anchors at the start of a line
(``"^client"`` matches a note "Client - Atlas v. Meridian", not "met a client"). A
``source_category`` entry must be a whole label: ``"Client"`` matches "Clients" but not "Client
Professionals" (``"Client*"`` matches both). An ``email_domain`` entry matches that domain and its
subdomains (``columbia.edu`` matches ``law.columbia.edu``); an entry with an ``@`` matches that
exact address; the placeholder ``$owner`` stands for the owner's employer domains passed to
:func:`tag` (see :func:`employer_domains`).

Precedence: a contact gets every category whose rule matches, primary first. Rules are ranked by
priority (higher first), then specificity (more matcher lists first), then their order.
:func:`load_rules` puts the user's rules (from the config) above every default rule.

Discretion: no default rule tags someone with an address at the owner's employer as a target or
introducer (:data:`DISCREET_CATEGORIES`); only the user's own rules can.
"""

from sync.tagging.history import apply_history
from sync.tagging.index import RuleIndex
from sync.tagging.matchers import (
    OWNER_PLACEHOLDER,
    PUBLIC_MAIL_DOMAINS,
    All,
    Any,
    ClassYearRule,
    EmailDomainRule,
    Matcher,
    NameRule,
    NoteKeywordRule,
    OrganizationRule,
    RelationRule,
    SchoolRule,
    SourceCategoryRule,
    TitleRule,
    compile_rule,
)
from sync.tagging.rules import (
    USER_PRIORITY_BOOST,
    bundled_rules_dir,
    load_rules,
    read_rules_file,
    rules_from_owner,
    rules_from_targets,
)
from sync.tagging.tagger import (
    DISCREET_CATEGORIES,
    Reason,
    Tagger,
    employer_domains,
    is_user_rule,
    specificity,
    tag,
    tag_explained,
    tie_for,
)
from sync.tagging.text import ContactText, fold

__all__ = [
    "DISCREET_CATEGORIES",
    "OWNER_PLACEHOLDER",
    "PUBLIC_MAIL_DOMAINS",
    "USER_PRIORITY_BOOST",
    "All",
    "Any",
    "ClassYearRule",
    "ContactText",
    "EmailDomainRule",
    "Matcher",
    "NameRule",
    "NoteKeywordRule",
    "OrganizationRule",
    "Reason",
    "RelationRule",
    "RuleIndex",
    "SchoolRule",
    "SourceCategoryRule",
    "Tagger",
    "TitleRule",
    "apply_history",
    "bundled_rules_dir",
    "compile_rule",
    "employer_domains",
    "fold",
    "is_user_rule",
    "load_rules",
    "read_rules_file",
    "rules_from_owner",
    "rules_from_targets",
    "specificity",
    "tag",
    "tag_explained",
    "tie_for",
]
