"""The message that asks for a meeting, in the method's words: why me (what connects us), why
now (the goal I am working on), the ask (a short meeting at one of two or three held times).
An introduction request is a draft to the introducer with a blurb they can forward. Plain text,
and a ``mailto:`` link carrying it. Pure: no clock, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from urllib.parse import quote

from sync.model import Contact, PlannedEvent

_WHY_ME: dict[str, str] = {
    "mentors": "your advice has shaped how I work, and I would value your view again",
    "alumni": "we share a school, and I have followed where your path has taken you",
    "school-friends": "we go back to school, and it has been too long",
    "colleagues": "we have worked together, and I would like to hear how things are going",
    "clients": "I have valued working with you and would like to hear what is on your mind",
    "client-professionals": "we work with the same clients, and I think we could help each other",
    "targets": "your work is exactly the kind of practice I want to learn about",
    "introducers": "you know the people in my field better than almost anyone",
    "brain-builders": "you know things I want to learn, and I always come away sharper",
    "friends": "it has been a while and I miss our conversations",
    "family": "it has been a while and I would love to catch up",
}
_DEFAULT_WHY = "I have enjoyed our conversations and would like to keep in touch"


@dataclass(frozen=True)
class Message:
    """A ready message: to whom, subject and body, and the ``mailto:`` link carrying it."""

    to: str
    subject: str
    body: str

    @property
    def mailto(self) -> str:
        return (
            f"mailto:{quote(self.to, safe='@')}?subject={quote(self.subject, safe='')}"
            f"&body={quote(self.body, safe='')}"
        )


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def why_me(c: Contact) -> str:
    for cat in c.categories:
        if cat in _WHY_ME:
            return _WHY_ME[cat]
    return _DEFAULT_WHY


def when_text(slots: Sequence[tuple[datetime, datetime]], tz: tzinfo) -> list[str]:
    return [f"{s.astimezone(tz):%A %d %B, %H:%M}-{e.astimezone(tz):%H:%M}" for s, e in slots]


def meeting_request(
    event: PlannedEvent,
    contact: Contact,
    owner: str,
    goal: str,
    slots: Sequence[tuple[datetime, datetime]],
    tz: tzinfo,
) -> Message:
    """The message proposing a one-on-one at one of ``slots``."""
    what = (event.activity or "coffee").replace("-", " ")
    where = f" ({event.location})" if event.location and event.in_person else ""
    lines = [f"Hi {first_name(contact.name)},", ""]
    lines.append(f"I am writing because {why_me(contact)}.")
    if goal:
        lines.append(f"Right now I am working toward this: {goal[0].lower() + goal[1:]}.")
    lines += [
        "",
        f"Would you have time for {what}{where}? Any of these would suit me:",
        *(f"  - {w}" for w in when_text(slots, tz)),
        "",
        "If none of them works, tell me a time that does and I will make it work.",
        "",
        "Best,",
        owner or "",
    ]
    body = "\n".join(lines).rstrip() + "\n"
    subject = f"{what.capitalize()} soon?"
    return Message(contact.emails[0] if contact.emails else "", subject, body)


def introduction_request(
    introducer: Contact, target: str, organization: str, owner: str, goal: str
) -> Message:
    """The draft to the introducer, with a blurb about the owner they can forward."""
    org = f" at {organization}" if organization else ""
    blurb = [
        f"{owner or 'I'} would like to meet {first_name(target)} for twenty minutes over coffee.",
    ]
    if goal:
        blurb.append(f"{owner or 'They'} is working toward this: {goal[0].lower() + goal[1:]}.")
    blurb.append(f"{first_name(target)}'s experience{org} is exactly what would help.")
    lines = [
        f"Hi {first_name(introducer.name)},",
        "",
        f"Would you be willing to introduce me to {target}{org}? You know them, and I think "
        "a short conversation would help me a great deal.",
        "",
        "Here is a note you can forward as it is:",
        "",
        *(f"  {b}" for b in blurb),
        "",
        "Thank you; I will tell you how it goes.",
        "",
        "Best,",
        owner or "",
    ]
    body = "\n".join(lines).rstrip() + "\n"
    subject = f"An introduction to {target}?"
    return Message(introducer.emails[0] if introducer.emails else "", subject, body)
