"""The WritableCalendar contract (tests/contract.py) on the in-memory reference backend."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from contract import WritableCalendarContract

from sync.model import Event
from sync.sources.base import MemoryCalendar, OwnedEvent


class TestMemoryContract(WritableCalendarContract):
    @pytest.fixture
    def calendar(self) -> MemoryCalendar:
        return MemoryCalendar("memory")

    def add_foreign(
        self, calendar: Any, uid: str, summary: str, start: datetime, end: datetime
    ) -> None:
        calendar.foreign.append(Event(uid=uid, summary=summary, start=start, end=end))

    def user_edit(self, calendar: Any, owned: OwnedEvent, start: datetime, end: datetime) -> None:
        calendar.user_move(owned.href, start, end)

    def user_delete(self, calendar: Any, owned: OwnedEvent) -> None:
        calendar.user_delete(owned.href)

    def stored_description(self, calendar: Any, owned: OwnedEvent) -> str:
        _etag, _owned, planned = calendar.items[owned.href]
        return str(planned.description)
