"""The CalDAV calendar adapter: busy time from an account's calendars, and netweave's own
events listed, inserted, updated and deleted in the one it may write to.

Reading asks a ``calendar-query`` REPORT with a time-range filter for etags only (the server
expands recurrences to decide what touches the window), then ``calendar-multiget`` for the
resources whose etag is new. Recurrences are expanded locally by
:func:`sync.sources.ics.parse_calendar_text`, so busy time has the same meaning on every server
(RFC 4791 ``expand`` is optional, and servers differ on time zones and all-day events). A server
that refuses the time-range query gets the etag listing instead.

Writes carry ``If-None-Match: *`` (insert) or ``If-Match: <etag>`` (update, delete): a
concurrent edit by the user is never overwritten.
"""

from __future__ import annotations

import logging
import time
from collections.abc import MutableMapping
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urljoin, urlsplit
from zoneinfo import ZoneInfo

import requests

from sync import config
from sync.model import Event, PlannedEvent, Problem
from sync.sources.base import (
    EventsResult,
    NotFound,
    OwnedEvent,
    PreconditionFailed,
    SourceError,
)
from sync.sources.dav.discovery import (
    Collection,
    calendar_home,
    choose_collections,
    configured_collection,
    list_collections,
)
from sync.sources.dav.http import DavHttp, Sleep, short_message
from sync.sources.dav.members import etag_listing, refresh
from sync.sources.dav.multistatus import (
    CALDAV,
    DAV,
    XML_HEADERS,
    clean_etag,
    parse_multistatus,
    same_path,
)
from sync.sources.dav.state import CollectionState, load_state, save_state

log = logging.getLogger(__name__)

#: The owned-event marker (iCalendar property).
MARKER = "X-NETWEAVE-ID"


def _ical_utc(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _calendar_query(inner_filter: str, with_data: bool) -> str:
    data = "<c:calendar-data/>" if with_data else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<c:calendar-query xmlns:d="{DAV}" xmlns:c="{CALDAV}">'
        f"<d:prop><d:getetag/>{data}</d:prop>"
        '<c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">'
        f"{inner_filter}</c:comp-filter></c:comp-filter></c:filter></c:calendar-query>"
    )


class CalDavCalendar:
    """A CalDAV account's event calendars: busy time from all of them (or the one named by
    ``collection``), owned events written to that one."""

    def __init__(
        self,
        cfg: config.CalendarConfig,
        tz: ZoneInfo,
        sync_state: MutableMapping[str, str],
        *,
        sleep: Sleep = time.sleep,
        max_retries: int | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.cfg = cfg
        self.name = cfg.name
        self.tz = tz
        self.state = sync_state
        self.http = DavHttp.for_source(
            cfg,
            "caldav",
            max_retries=cfg.retries if max_retries is None else max_retries,
            sleep=sleep,
            session=session,
        )
        self._collections: list[Collection] | None = None
        self._owned_query_works = True
        self._stored_data: dict[str, tuple[str, bytes]] = {}  # href -> (etag, text) as listed

    @property
    def requests_made(self) -> int:
        return self.http.requests_made

    def close(self) -> None:
        self.http.close()

    # ------------------------------------------------------------------ discovery

    def collections(self) -> list[Collection]:
        if self._collections is None:
            wanted = self.cfg.collection
            named = configured_collection(self.http, wanted)
            if named is not None:
                self._collections = [named]
            else:
                home = calendar_home(self.http)
                found = list_collections(self.http, home, "c:calendar", "VEVENT")
                self._collections = choose_collections(self.http, found, wanted, "calendar")
        return self._collections

    def target(self) -> Collection:
        """The one collection netweave writes to."""
        cols = self.collections()
        if len(cols) != 1:
            names = ", ".join(repr(c.name) for c in cols)
            raise SourceError(
                self.name,
                f"{self.http.url}: the account has several calendars ({names}); set "
                f"{self.cfg.key}.collection to the one netweave may write to",
            )
        return cols[0]

    # ------------------------------------------------------------------ reading

    def read(self, start: datetime, end: datetime) -> EventsResult:
        from sync.sources.ics import ZoneCache, parse_calendar_text

        out = EventsResult()
        zones = ZoneCache()  # the same VTIMEZONE repeats in every resource
        for coll in self.collections():
            st, listing, problems = self._window(coll, start, end)
            out.problems.extend(problems)
            for href in sorted(listing):
                item = st.items.get(href)
                if item is None:
                    continue
                res = parse_calendar_text(
                    item[1], self.name, self.tz, start, end, place=href, zone_cache=zones
                )
                out.problems.extend(res.problems)
                out.events.extend(res.events)
        out.events.sort(key=_event_key)
        return out

    def _window(
        self, coll: Collection, start: datetime, end: datetime
    ) -> tuple[CollectionState, dict[str, str | None], list[Problem]]:
        """Members touching [start, end) with fresh data in the cache."""
        st = load_state(self.state, coll.url)
        # A day of slack each side: servers judge floating times and all-day events in UTC.
        flt = (
            f'<c:time-range start="{_ical_utc(start - timedelta(days=1))}" '
            f'end="{_ical_utc(end + timedelta(days=1))}"/>'
        )
        r = self.http.request(
            "REPORT",
            coll.url,
            body=_calendar_query(flt, with_data=False),
            headers={**XML_HEADERS, "Depth": "1"},
            allow=(400, 403, 405, 415, 501),
        )
        listing: dict[str, str | None]
        if r.status_code < 300:
            ms = parse_multistatus(r.content, coll.url, self.name)
            base = urlsplit(coll.url).path
            listing = {
                it.href: clean_etag(it.text("d:getetag"))
                for it in ms.items
                if it.status == 200 and not same_path(it.href, base)
            }
        else:
            log.info("%s: time-range query refused (%s), listing all", coll.url, r.status_code)
            listing = etag_listing(self.http, coll.url)
        # full=True: the cache keeps only what the last window needs.
        problems = refresh(self.http, coll.url, st, listing, (), True, "event")
        save_state(self.state, coll.url, st)
        return st, listing, problems

    # ------------------------------------------------------------------ owned events

    def list_owned(self) -> list[OwnedEvent]:
        from sync.export import has_marker, owned_from_ical

        coll = self.target()
        found: dict[str, tuple[str, str]] = {}
        if self._owned_query_works:
            r = self.http.request(
                "REPORT",
                coll.url,
                body=_calendar_query(f'<c:prop-filter name="{MARKER}"/>', with_data=True),
                headers={**XML_HEADERS, "Depth": "1"},
                allow=(400, 403, 405, 415, 501),
            )
            if r.status_code < 300:
                ms = parse_multistatus(r.content, coll.url, self.name)
                for it in ms.items:
                    data = it.text("c:calendar-data")
                    if it.status == 200 and data is not None:
                        found[it.href] = (clean_etag(it.text("d:getetag")) or "", data)
            else:
                self._owned_query_works = False
        if not self._owned_query_works:
            st = load_state(self.state, coll.url)
            listing = etag_listing(self.http, coll.url)
            refresh(self.http, coll.url, st, listing, (), True, "event")
            found = dict(st.items)
        owned = []
        self._stored_data = {
            href: (etag, data.encode("utf-8")) for href, (etag, data) in found.items()
        }
        for href, (etag, data) in sorted(found.items()):
            raw = data.encode("utf-8")
            if not has_marker(raw):  # a server that ignored the filter
                continue
            try:
                ev = owned_from_ical(raw, href, etag, self.tz)
            except ValueError as e:
                # Never treat an owned event we cannot read as gone: that would duplicate it.
                raise SourceError(
                    self.name,
                    f"{urljoin(coll.url, href)}: an event marked as netweave's cannot be read "
                    f"({short_message(e)}); fix or delete it in your calendar app, then rerun",
                ) from None
            if ev is not None:
                owned.append(ev)
        return owned

    # ------------------------------------------------------------------ writing

    def absolute(self, href: str) -> str:
        """An owned event's URL: hrefs are paths on the host of the collection."""
        return urljoin(self.target().url, href)

    def href_for(self, event: PlannedEvent) -> str:
        coll = self.target()
        stem = event.uid.partition("@")[0] or event.uid
        return urlsplit(coll.url).path + quote(stem, safe="-_.") + ".ics"

    def _put(self, href: str, data: bytes, headers: dict[str, str]) -> requests.Response:
        headers = {"Content-Type": "text/calendar; charset=utf-8", **headers}
        url = self.absolute(href)
        r = self.http.request("PUT", url, body=data, headers=headers, allow=(403, 404, 409, 412))
        if r.status_code == 412 and "If-Match" in headers and not self._exists(url):
            raise NotFound(self.name, f"{url}: gone (deleted meanwhile)")
        if r.status_code == 412:
            raise PreconditionFailed(
                self.name, f"{url}: changed or created by someone else meanwhile (HTTP 412)"
            )
        if r.status_code in (403, 409) and b"uid-conflict" in r.content:
            raise PreconditionFailed(
                self.name, f"{url}: an event with this UID exists already elsewhere"
            )
        if r.status_code == 404:
            raise NotFound(self.name, f"{url}: gone (HTTP 404)")
        if r.status_code >= 300:
            raise self.http.error("PUT", url, r)
        return r

    def _exists(self, url: str) -> bool:
        """After a 412 on If-Match: was it a newer version, or is the resource gone?"""
        return self.http.request("HEAD", url, allow=(404, 410)).status_code < 300

    def _stored(self, href: str, data: bytes, r: requests.Response) -> OwnedEvent:
        from sync.export import owned_from_ical

        etag = r.headers.get("ETag")
        if not etag:
            # The server changed what we sent (no strong ETag): read back what it stores.
            got = self.http.request("GET", self.absolute(href))
            etag, data = got.headers.get("ETag", ""), got.content
        try:
            owned = owned_from_ical(data, href, etag, self.tz)
        except ValueError as e:
            raise SourceError(
                self.name, f"{href}: written, but unreadable: {short_message(e)}"
            ) from None
        if owned is None:
            raise SourceError(self.name, f"{href}: written, but the marker did not read back")
        return owned

    def insert(self, event: PlannedEvent) -> OwnedEvent:
        from sync.export import rewrite_ical

        href = self.href_for(event)
        data = rewrite_ical(None, event, self.tz, 0)
        r = self._put(href, data, {"If-None-Match": "*"})
        return self._stored(href, data, r)

    def update(self, href: str, etag: str, event: PlannedEvent, sequence: int) -> OwnedEvent:
        """Rewrite an owned event, keeping what the user added to it (guests, reminders,
        notes...: :mod:`sync.export.keep`); the stored text is the one listed, or read again."""
        from sync.export import rewrite_ical

        old = self._stored_text(href, etag)
        data = rewrite_ical(old, event, self.tz, sequence)
        r = self._put(href, data, {"If-Match": etag})
        return self._stored(href, data, r)

    def _stored_text(self, href: str, etag: str) -> bytes | None:
        """The stored text of an owned event (as listed at ``etag``, else read again; if it
        changed meanwhile, the conditional PUT fails as it should)."""
        known = self._stored_data.get(href)
        if known is not None and known[0] == etag:
            return known[1]
        r = self.http.request("GET", self.absolute(href), allow=(404, 410))
        return r.content if r.status_code < 300 else None

    def delete(self, href: str, etag: str) -> None:
        url = self.absolute(href)
        r = self.http.request("DELETE", url, headers={"If-Match": etag}, allow=(404, 410, 412))
        if r.status_code == 412 and not self._exists(url):
            raise NotFound(self.name, f"{url}: already gone")
        if r.status_code == 412:
            raise PreconditionFailed(self.name, f"{url}: changed by someone else (HTTP 412)")
        if r.status_code in (404, 410):
            raise NotFound(self.name, f"{url}: already gone")


def _event_key(e: Event) -> tuple[datetime, datetime, str]:
    return (e.start, e.end, e.uid)
