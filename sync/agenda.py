"""The prepared agenda for each planned activity, and the neutral view for shared calendars.

Pure functions: model objects in, text (or a new :class:`PlannedEvent`) out.

The agenda follows the networking method: why am I going, questions to
ask, topics, the statement of what I want, and the ask — advice, an information interview or a
referral — chosen by the contact's category and by whether this is a first or a repeat meeting.
It is built from the person: their notes, their title and organisation, when we last met; the
ask fits their role (:mod:`sync.roles`: a recruiter, a board director, a peer) and the words fit
the owner's field (no "firm and practice" for a physician).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from types import MappingProxyType

from sync.config import Confidential, Goal, Group, Target
from sync.model import Contact, Kind, PlannedEvent, Tie
from sync.roles import ROLE_ASKS, role_of, vocabulary

ADVICE = "advice"
INFORMATION_INTERVIEW = "information interview"
REFERRAL = "referral"

#: The ask for (first meeting, repeat meeting), by category. Looked up in the order of the
#: contact's categories; the first category found decides.
_ASKS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "targets": (INFORMATION_INTERVIEW, REFERRAL),
        "introducers": (REFERRAL, REFERRAL),
        "brain-builders": (INFORMATION_INTERVIEW, ADVICE),
        "mentors": (ADVICE, ADVICE),
        "alumni": (INFORMATION_INTERVIEW, REFERRAL),
        "school-friends": (ADVICE, REFERRAL),
        "colleagues": (ADVICE, REFERRAL),
        "clients": (ADVICE, REFERRAL),
        "client-professionals": (INFORMATION_INTERVIEW, REFERRAL),
        "service-providers": (ADVICE, REFERRAL),
        "community": (ADVICE, REFERRAL),
        "friends": (ADVICE, REFERRAL),
        "family": (ADVICE, ADVICE),
    }
)

_WHY: Mapping[str, str] = MappingProxyType(
    {
        "targets": "{name} is one of the people I most want to know: they are where I want to go.",
        "introducers": "{name} knows people I want to meet and can open doors.",
        "brain-builders": "{name}'s ideas intrigue me; learning how they think sharpens my own.",
        "mentors": "{name} has guided me before; a mentor's perspective keeps my plan honest.",
        "alumni": "{name} and I share a school; alumni help each other more than strangers do.",
        "school-friends": "{name} is an old classmate: a strong tie worth keeping warm.",
        "colleagues": "{name} has seen my work first hand and can speak to it.",
        "clients": "{name} knows the value I deliver from the client's side.",
        "client-professionals": "{name} works with the same clients and sees the market from "
        "another angle.",
        "service-providers": "{name} serves many professionals and hears what is moving.",
        "community": "{name} and I meet outside work; community ties reach unexpected places.",
        "friends": "{name} is a close friend: strong ties need time too.",
        "family": "{name} is family: keep the strong ties strong.",
    }
)

_QUESTIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "targets": (
            "How did you get to where you are, and what would you do differently?",
            "What does {org} look for when it brings someone in at my level?",
            "Who else should I be talking to?",
        ),
        "introducers": (
            "Would you be comfortable introducing me to the people we discussed?",
            "What should I know about them before we meet?",
        ),
        "brain-builders": (
            "What are you working on now that excites you?",
            "Which trend in the field do most people underestimate?",
        ),
        "mentors": (
            "Here is my plan: where do you see the weak spots?",
            "What would you do in my position over the next six months?",
        ),
        "alumni": (
            "What was your path from school to where you are now?",
            "Which groups or associations were worth your time?",
        ),
        "client-professionals": (
            "What do your clients complain about most?",
            "{peers_winning}",
        ),
        "clients": (
            "What is keeping you busy this quarter?",
            "{client_question}",
        ),
        "colleagues": (
            "How are things on your side since we last worked together?",
            "Who have you met lately that I should know?",
        ),
    }
)

_DEFAULT_QUESTIONS = (
    "What has changed for you since we last talked?",
    "Who have you met lately that I should know?",
)

_TOPICS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "targets": ("{target_topics}",),
        "introducers": ("the introductions I am hoping for", "what I can do for them"),
        "brain-builders": ("their latest article or talk", "where the field is going"),
        "mentors": ("my goal and plan", "progress since last time"),
        "alumni": ("school news", "their career path"),
        "client-professionals": ("shared clients and industries", "referral opportunities"),
        "clients": ("their business priorities", "how I can help"),
    }
)

_DEFAULT_TOPICS = ("what each of us is working on", "people we both know")

_ASK_TEXT: Mapping[str, str] = MappingProxyType(
    {
        ADVICE: 'Ask for advice: "Given where I want to go, what would you do next?"',
        INFORMATION_INTERVIEW: "Ask for an information interview: how their organisation works, "
        "what it values, and what the path in looks like.",
        REFERRAL: 'Ask for a referral: "Who are two people I should meet, and would you '
        'introduce me?"',
    }
)


def ask_for(categories: Sequence[str], first_meeting: bool) -> str:
    """The ask of a meeting: advice, information interview or referral."""
    for cat in categories:
        pair = _ASKS.get(cat)
        if pair:
            return pair[0] if first_meeting else pair[1]
    return ADVICE if first_meeting else REFERRAL


def _main_category(categories: Sequence[str]) -> str:
    for cat in categories:
        if cat in _WHY:
            return cat
    return ""


def _goal_text(event: PlannedEvent, goals: Sequence[Goal]) -> str:
    if event.goal:
        return event.goal
    return goals[0].text if goals else ""


def _bullets(items: Sequence[str]) -> list[str]:
    return [f"  - {x}" for x in items]


def agenda_for(
    event: PlannedEvent,
    contacts: Mapping[str, Contact],
    goals: Sequence[Goal] = (),
    *,
    first_meeting: bool | None = None,
    person_name: str = "",
    target: Target | None = None,
    introducer: str = "",
    asks: Sequence[str] = (),
    group: Group | None = None,
    visit: int = 0,
    attending_targets: Sequence[str] = (),
    why: str = "",
    field: str = "",
    last_met: date | None = None,
    peer_title: str = "",
    thanks: Sequence[str] = (),
) -> str:
    """The prepared agenda of one activity (one-on-one or group event).

    ``first_meeting`` defaults to "never met" (``times_met == 0`` and no ``last_met``).
    ``person_name``/``target``/``introducer`` describe a person who is not yet a contact.
    ``asks`` are introductions to request from this person ("Jane Roe at Smith LLP").
    ``group``/``visit``/``attending_targets`` describe a group event (visit: trial visit number).
    ``why`` is the planner's reason (focus person, cadence due...), added to "Why I am going".
    ``field`` is the owner's field (its words), ``last_met`` the last meeting as the plan knows
    it (else the contact's), ``peer_title`` the role the owner wants (its holders are peers),
    ``thanks`` the people this person introduced the owner to (thank them, in person).
    """
    goal = _goal_text(event, goals)
    if event.kind == Kind.GROUP or group is not None:
        return _group_agenda(event, goal, group, visit, attending_targets, why)
    people = [contacts[c] for c in event.contacts if c in contacts]
    person = people[0] if people else None
    name = person.name if person else (person_name or (target.name if target else "them"))
    categories: tuple[str, ...] = person.categories if person else ("targets",)
    if first_meeting is None:
        first_meeting = person is None or (person.times_met == 0 and person.last_met is None)
    ask = ask_for(categories, first_meeting)
    cat = _main_category(categories)
    role = role_of(person, peer_title) if cat in _ROLE_CATEGORIES else ""
    words = _words(field, person)

    lines = [f"{event.title}", ""]
    lines.append("Why I am going:")
    reason = _WHY.get(cat, "{name} is part of my network and worth the time.").format(name=name)
    lines.append(f"  {reason}")
    if why:
        lines.append(f"  Planned because: {why}.")
    if person and person.organization:
        role_text = f"{person.title}, " if person.title else ""
        lines.append(f"  {name}: {role_text}{person.organization}.")
    elif target and target.organization:
        lines.append(f"  {name}: {target.organization}.")
    lines.extend(_from_notes(person))
    if introducer:
        lines.append(f"  Introduced by {introducer}: thank them, and tell them how it went.")
    for t in thanks:
        lines.append(f"  Thank them for the introduction to {t}, and tell them how it went.")
    lines.append(_meeting_line(first_meeting, last_met or (person.last_met if person else None)))
    lines.append("")
    lines.append("What I want to accomplish:")
    if goal:
        lines.append(f"  My goal: {goal}")
    leave = ROLE_ASKS[role][1] if role else _leave_with(ask)
    lines.append(f"  Leave with: {leave}")
    lines.append("")
    lines.append(f"The ask ({role}):" if role else f"The ask ({ask}):")
    lines.append(f"  {ROLE_ASKS[role][0] if role else _ASK_TEXT[ask]}")
    for a in asks:
        lines.append(f"  Ask for an introduction to {a}.")
    lines.append("")
    lines.append("Questions to ask:")
    lines.extend(_bullets(_filled(_QUESTIONS.get(cat, _DEFAULT_QUESTIONS), words)))
    lines.append("")
    lines.append("Topics:")
    lines.extend(_bullets(_filled(_TOPICS.get(cat, _DEFAULT_TOPICS), words)))
    if person and person.tie == Tie.STRONG:
        lines.append("  - how they are doing (strong tie: the relationship comes first)")
    lines.append("")
    lines.append("What can I offer them: an article, an introduction, help with what they need.")
    return "\n".join(lines)


#: Categories whose ask depends on the person's role (a recruiter, a board director...).
_ROLE_CATEGORIES = frozenset({"targets", "alumni", "client-professionals", "brain-builders"})
#: Longest note excerpt an agenda quotes.
NOTE_CHARS = 240


def _words(field: str, person: Contact | None) -> dict[str, object]:
    v = vocabulary(field)
    org = v.org
    if field != "law" and person is not None and person.organization:
        org = person.organization
    return {
        "org": org,
        "target_topics": v.target_topics,
        "client_question": v.client_question,
        "peers_winning": v.peers_winning,
    }


def _filled(items: Sequence[str], words: Mapping[str, object]) -> list[str]:
    """Template lines with the field's words; a "{x}" line that is a tuple becomes its items."""
    out: list[str] = []
    for item in items:
        key = item[1:-1] if item.startswith("{") and item.endswith("}") else ""
        value = words.get(key) if key else None
        if isinstance(value, tuple):
            out.extend(str(v) for v in value)
        elif isinstance(value, str):
            out.append(value)
        else:
            out.append(item.format(**words) if "{" in item else item)
    return out


def _from_notes(person: Contact | None) -> list[str]:
    """What my notes say about them (first lines, trimmed): how we know each other."""
    if person is None or not person.note.strip():
        return []
    text = " ".join(x.strip() for x in person.note.splitlines() if x.strip())
    if len(text) > NOTE_CHARS:
        text = text[: NOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return [f"  From my notes: {text}"]


def _meeting_line(first_meeting: bool, last: date | None) -> str:
    if first_meeting:
        return "  First meeting: listen more than talk; leave them glad they came."
    if last is not None:
        return f"  Repeat meeting (last met {last.isoformat()}): pick up where we left off."
    return "  Repeat meeting: pick up where we left off."


def _leave_with(ask: str) -> str:
    if ask == INFORMATION_INTERVIEW:
        return "a clear picture of how their organisation hires, and one next step."
    if ask == REFERRAL:
        return "one or two names, and their permission to use theirs."
    return "one concrete piece of advice I will act on this month."


def _group_agenda(
    event: PlannedEvent,
    goal: str,
    group: Group | None,
    visit: int,
    attending_targets: Sequence[str],
    why: str,
) -> str:
    lines = [f"{event.title}", "", "Why I am going:"]
    kind = group.kind if group else "business"
    active = group is not None and group.mode == "active"
    if active:
        lines.append("  I host this one: I choose who comes, and I am the one who connects.")
    elif kind == "profession":
        lines.append(
            "  A single-profession group: peers who refer work and know the openings. "
            "Try a section outside my own area too."
        )
    else:
        lines.append(
            "  A mixed business group: people from many fields. The networking happens before "
            "and after: arrive early, stay late."
        )
    if why:
        lines.append(f"  Planned because: {why}.")
    if group is not None and group.status == "trial" and visit:
        lines.append(
            f"  Trial visit {visit} of {group.trial_visits}: is this group worth joining? "
            "Note who was there and whether they are the people I need."
        )
    lines.append("")
    lines.append("What I want to accomplish:")
    if goal:
        lines.append(f"  My goal: {goal}")
    lines.append("  Meet three new people; set up one follow-up coffee.")
    if attending_targets:
        lines.append("")
        lines.append("Connect ahead (email them this week and suggest meeting there):")
        lines.extend(_bullets(attending_targets))
    lines.append("")
    lines.append("Questions to ask:")
    lines.extend(
        _bullets(
            (
                "What brings you here, and how long have you been coming?",
                "Who here should I meet?",
                "What is the group like the rest of the year?",
            )
        )
    )
    lines.append("")
    lines.append("Topics:")
    lines.extend(_bullets(("the speaker's subject", "what each person is working on")))
    return "\n".join(lines)


def prep_text(parent: PlannedEvent) -> str:
    """The description of a prep block: read the agenda of the activity it prepares."""
    head = f"Prepare for: {parent.title}\nReread the agenda, check the route and the names.\n"
    return head + ("\n" + parent.description if parent.description else "")


def follow_up_text(parent: PlannedEvent, contacts: Mapping[str, Contact]) -> str:
    """The description of a follow-up block after a one-on-one."""
    names = [contacts[c].name for c in parent.contacts if c in contacts]
    who = ", ".join(names) or parent.title
    return "\n".join(
        [
            f"Follow up: {parent.title}",
            "",
            f"  - Send a thank-you note to {who} within 24 hours.",
            "  - Send what I promised (article, introduction, contact).",
            "  - Act on the advice or referral; tell them when I do.",
            "  - Write down what I learnt and the next step; propose the next meeting.",
        ]
    )


def introduction_text(introducer: str, target: str, organization: str, goal: str) -> str:
    """The description of an introduction request."""
    org = f" ({organization})" if organization else ""
    lines = [
        f"Ask {introducer} for an introduction to {target}{org}.",
        "",
        "  - Write a short note they can forward: who I am, why I want to meet, what I ask for.",
        "  - Ask for 20 minutes over coffee, at their convenience.",
        "  - Thank the introducer, and tell them how it went afterwards.",
    ]
    if goal:
        lines.insert(2, f"  My goal: {goal}")
    return "\n".join(lines)


def decide_text(group: Group, visits: int) -> str:
    """The description of the 'decide whether to join' note after trial visits."""
    return "\n".join(
        [
            f"Decide whether to join {group.name} (after {visits} trial visit(s)).",
            "",
            "  - Were the people I need there (targets, their circles)?",
            "  - Did I get at least one follow-up meeting out of it?",
            "  - Is the cost in time worth it against my weekly budget?",
            '  - Then set the group\'s status to "member" or "retired" in the config.',
        ]
    )


# --------------------------------------------------------------------------- confidential

_FALLBACK_TITLES = ("Personal appointment", "Appointment", "Busy", "Private", "Blocked")


def _clean(text: str, words: Sequence[str]) -> bool:
    low = text.casefold()
    return not any(w in low for w in words)


def _sensitive(confidential: Confidential) -> list[str]:
    return [w.strip().casefold() for w in confidential.sensitive_words if w.strip()]


def public_view(event: PlannedEvent, confidential: Confidential) -> PlannedEvent:
    """The event as written to a calendar others (the employer) can see.

    Neutral title, no description, neutral location, private visibility; no contact ids,
    categories, goal or activity name; none of the sensitive words in any text field. Times,
    travel, transparency and the uid (netweave's marker) are kept.
    """
    words = _sensitive(confidential)
    title = next(
        (t for t in (confidential.neutral_title, *_FALLBACK_TITLES) if t and _clean(t, words)),
        "",
    )
    location = confidential.neutral_location
    if not _clean(location, words):
        location = ""
    # The kind travels in the written event (X-NETWEAVE-KIND): an introduction request there
    # would say what the neutral title hides, so it is written as the task it looks like.
    kind = Kind.PREP if event.kind == Kind.INTRODUCTION else event.kind
    return replace(
        event,
        kind=kind,
        title=title,
        description="",
        location=location,
        contacts=(),
        categories=(),
        goal="",
        activity="",
        private=True,
    )


def public_text_fields(event: PlannedEvent) -> tuple[str, ...]:
    """Every human-readable text field of an event (what a calendar viewer could see)."""
    return (
        event.title,
        event.description,
        event.location,
        event.goal,
        event.activity,
        *event.contacts,
        *event.categories,
    )


def mentions(text: str, words: Sequence[str]) -> bool:
    """True if any of ``words`` (case-insensitive, also inside a longer word) is in ``text``."""
    low = text.casefold()
    return any(w.strip() and w.strip().casefold() in low for w in words)
