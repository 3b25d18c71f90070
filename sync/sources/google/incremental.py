"""Incremental reading of a Google calendar: a window of events kept in ``sync_state``.

The first read lists a window wider than asked (so the next runs stay inside it) and keeps a
slim copy of each event and the sync token; later reads ask only for what changed since. A
changed recurring series has its instances read again. An expired token (410 GONE), a damaged
cache or a window the cache does not cover means one full read again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, MutableMapping
from datetime import datetime, timedelta

from sync.sources.google.events import rfc3339, slim
from sync.sources.google.http import Json

#: ``events.list`` with the given parameters: its items and the next sync token.
ListEvents = Callable[..., tuple[list[Json], str | None]]
#: ``events.instances`` of one recurring event within a window.
ListInstances = Callable[[str, datetime, datetime], list[Json]]

PREFIX = "gcal:"


class Gone(Exception):
    """The sync token expired, or the event asked about no longer exists (404/410)."""


class NoEventAccess(Exception):
    """The calendar's events cannot be listed (shared with free/busy access only)."""


class EventCache:
    """The events of one calendar in a window, kept in ``state`` between runs."""

    def __init__(
        self,
        state: MutableMapping[str, str],
        calendar_id: str,
        list_events: ListEvents,
        list_instances: ListInstances,
    ) -> None:
        self.state = state
        self.calendar_id = calendar_id
        self.list_events = list_events
        self.list_instances = list_instances
        self.ev_prefix = self._key("ev:")

    def _key(self, suffix: str) -> str:
        return f"{PREFIX}{self.calendar_id}:{suffix}"

    def read(self, start: datetime, end: datetime) -> list[Json]:
        """The cached items of a window covering ``start .. end``, brought up to date."""
        state = self.state
        token = state.get(self._key("token"))
        window = state.get(self._key("window"))
        cache: dict[str, Json] = {}
        for key, raw in list(state.items()):
            if key.startswith(self.ev_prefix):
                try:
                    cache[key[len(self.ev_prefix) :]] = json.loads(raw)
                except ValueError:
                    token = None  # damaged: resync
        covered = False
        if token and window:
            try:
                ws, we = (datetime.fromisoformat(x) for x in window.split("/"))
                covered = ws <= start and end <= we
            except ValueError:
                covered = False
        if covered and token:
            try:
                changes, new_token = self.list_events(syncToken=token, singleEvents=True)
                ws, we = (datetime.fromisoformat(x) for x in (window or "").split("/"))
                self._apply_changes(cache, changes, ws, we)
                if new_token:
                    state[self._key("token")] = new_token
                return list(cache.values())
            except Gone:
                pass
        return self._full(start, end)

    def _full(self, start: datetime, end: datetime) -> list[Json]:
        """Full sync over a window wider than asked, so the next runs stay incremental."""
        state = self.state
        ws, we = start, end + max(end - start, timedelta(days=28))
        items, new_token = self.list_events(
            timeMin=rfc3339(ws), timeMax=rfc3339(we), singleEvents=True, showDeleted=False
        )
        for key in [k for k in state if k.startswith(self.ev_prefix)]:
            del state[key]
        fresh = {}
        for item in items:
            if item.get("id") and item.get("status") != "cancelled":
                fresh[item["id"]] = slim(item)
                state[self.ev_prefix + item["id"]] = json.dumps(
                    fresh[item["id"]], separators=(",", ":")
                )
        if new_token:
            state[self._key("token")] = new_token
            state[self._key("window")] = f"{ws.isoformat()}/{we.isoformat()}"
        else:
            state.pop(self._key("token"), None)
        return list(fresh.values())

    def _apply_changes(
        self, cache: dict[str, Json], changes: list[Json], ws: datetime, we: datetime
    ) -> None:
        state, ev_prefix = self.state, self.ev_prefix
        series: set[str] = set()

        def drop(eid: str) -> None:
            cache.pop(eid, None)
            state.pop(ev_prefix + eid, None)

        def put(item: Json) -> None:
            slimmed = slim(item)
            cache[item["id"]] = slimmed
            state[ev_prefix + item["id"]] = json.dumps(slimmed, separators=(",", ":"))

        for item in changes:
            eid = item.get("id")
            if not eid:
                continue
            if item.get("status") == "cancelled":
                drop(eid)
                for other in [k for k, v in cache.items() if v.get("recurringEventId") == eid]:
                    drop(other)
                continue
            if item.get("recurrence"):
                series.add(eid)
                continue
            if item.get("recurringEventId"):
                series.add(item["recurringEventId"])
            put(item)
        # A changed series: read its instances again (the only way to be sure which remain).
        for sid in sorted(series):
            try:
                instances = self.list_instances(sid, ws, we)
            except (Gone, NoEventAccess):
                instances = []
            for other in [k for k, v in cache.items() if v.get("recurringEventId") == sid]:
                drop(other)
            for inst in instances:
                if inst.get("id") and inst.get("status") != "cancelled":
                    put(inst)
