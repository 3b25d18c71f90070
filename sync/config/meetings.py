"""``[meetings]``: what happens to a planned meeting after it is written (the lifecycle).

``silence`` says what a slot whose time passed unconfirmed counts as: ``wait`` (neither met nor
failed until the user says, listed by ``netweave status``), ``met`` or ``skipped``.
``offer_slots`` is how many times an outreach message proposes (two or three).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the table reader imports the models, which import this
    from sync.config.table import Table

SILENCE_CHOICES: tuple[str, ...] = ("wait", "met", "skipped")


@dataclass(frozen=True)
class Meetings:
    silence: str = "wait"
    offer_slots: int = 3


def read_meetings(root: Table) -> Meetings:
    m = root.table("meetings")
    meetings = Meetings(
        silence=m.text("silence", "wait", SILENCE_CHOICES),
        offer_slots=m.whole("offer_slots", 3, 2, 3),
    )
    m.done()
    return meetings
