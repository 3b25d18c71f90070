"""Meeting history: ``last_met`` and ``times_met`` of each contact from past calendar events."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

from sync.copies import changed
from sync.model import Contact, Event, is_owned_uid
from sync.tagging.text import fold


def _instant_key(ev: Event) -> tuple[str, datetime]:
    s = ev.start if ev.start.tzinfo else ev.start.replace(tzinfo=UTC)
    return (ev.uid, s.astimezone(UTC))


#: Honorifics and suffixes left out when looking for a name in an event summary.
_NAME_AFFIXES = frozenset(
    {"dr", "mr", "mrs", "ms", "mx", "prof", "professor", "hon", "judge", "rev", "sir",
     "jr", "sr", "ii", "iii", "iv", "md", "phd", "jd", "esq", "cpa", "mba", "llm"}
)  # fmt: skip


def _name_words(name: str) -> tuple[str, ...] | None:
    """The words to look for in event summaries (honorifics dropped), or None if too vague."""
    words = tuple(w for w in fold(name).split() if w not in _NAME_AFFIXES)
    if len(words) < 2 or sum(len(w) for w in words) < 5:
        return None  # "Mom", "J": too vague to find in free text
    return words


def apply_history(
    contacts: Sequence[Contact],
    events: Iterable[Event],
    owner_emails: Sequence[str],
    today: date,
) -> list[Contact]:
    """Set ``last_met`` and ``times_met`` from past meetings (pure; the order is kept).

    A meeting is an event that started before ``today``, is neither cancelled nor declined by
    the owner (transparent ones count: a lunch marked free is still a lunch) and has the
    contact among its attendees. Each
    instance counts once, even when several calendars hold it (dedupe by UID and start).

    A contact's full name in the summary ("Coffee with Jane Doe", word boundaries, accents
    folded) also counts when the contact has no email or the event has no attendees other than
    the owner; never for events netweave wrote itself (its prep and follow-up blocks carry
    names too), never for names of one word, and never for a name two contacts share.
    The owner's own card (an email in ``owner_emails``) gets no history.
    """
    owners = {e.strip().casefold() for e in owner_emails}
    by_email: dict[str, list[int]] = {}
    words_of: dict[int, tuple[str, ...]] = {}
    name_count: dict[tuple[str, ...], int] = {}
    for i, c in enumerate(contacts):
        emails = {e.strip().casefold() for e in c.emails if e.strip()}
        if emails & owners:
            continue
        for e in emails:
            by_email.setdefault(e, []).append(i)
        words = _name_words(c.name)
        if words is not None:
            words_of[i] = words
            name_count[words] = name_count.get(words, 0) + 1
    # a name's words -> the one contact with that name (ambiguous names are left out)
    by_name = {words: i for i, words in words_of.items() if name_count[words] == 1}
    lengths = sorted({len(words) for words in by_name})
    no_email = {i for i in words_of if not contacts[i].emails}

    summaries: dict[str, tuple[str, ...]] = {}
    met: dict[int, set[tuple[str, datetime]]] = {}
    last: dict[int, date] = {}
    for ev in events:
        if ev.cancelled or ev.start.date() >= today:
            continue
        if ev.declined_by and not owners.isdisjoint(ev.declined_by):
            continue  # an invitation the owner declined: they did not meet
        # copies of one instance in several calendars count once (``met`` holds keys), and
        # every copy is looked at: one may list guests another lacks
        key = _instant_key(ev)
        who: set[int] = set()
        guests = {a.strip().casefold() for a in ev.attendees} - owners
        for a in guests:
            who.update(by_email.get(a, ()))
        owned = ev.netweave_id is not None or is_owned_uid(ev.uid)
        if by_name and not owned:
            tokens = summaries.get(ev.summary)
            if tokens is None:  # a series' instances share their summary
                tokens = summaries[ev.summary] = tuple(fold(ev.summary).split())
            for j in range(len(tokens) - 1):
                for n in lengths:
                    i = by_name.get(tokens[j : j + n], -1)
                    if i >= 0 and i not in who and (not guests or i in no_email):
                        who.add(i)
        d = ev.start.date()
        for i in who:
            met.setdefault(i, set()).add(key)
            if i not in last or d > last[i]:
                last[i] = d
    out = []
    for i, c in enumerate(contacts):
        seen, times = last.get(i), len(met.get(i, ()))
        same = (c.last_met, c.times_met) == (seen, times)
        out.append(c if same else changed(c, last_met=seen, times_met=times))
    return out
