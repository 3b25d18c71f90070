"""The CardDAV address book adapter: contacts from an account's address books, and netweave's
tags written back into the cards' CATEGORIES.

A sync with nothing changed costs one request per collection. Tag writes carry
``If-Match: <etag>``: a card the user edited meanwhile is re-read, never overwritten.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from urllib.parse import urljoin

import requests

from sync import config
from sync.model import Problem
from sync.sources.base import ContactsResult, SourceError
from sync.sources.dav.discovery import (
    Collection,
    choose_collections,
    configured_collection,
    list_collections,
    principal_home,
)
from sync.sources.dav.http import DavHttp, Sleep
from sync.sources.dav.members import etag_listing, refresh, sync_collection
from sync.sources.dav.state import CollectionState, load_state, save_state

log = logging.getLogger(__name__)


@dataclass
class _Card:
    collection: str
    href: str


class CardDavAddressBook:
    """A CardDAV account's address books (or the one named by ``collection``)."""

    def __init__(
        self,
        cfg: config.AddressBookConfig,
        sync_state: MutableMapping[str, str],
        *,
        sleep: Sleep = time.sleep,
        max_retries: int | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.cfg = cfg
        self.name = cfg.name
        self.state = sync_state
        self.http = DavHttp.for_source(
            cfg,
            "carddav",
            max_retries=cfg.retries if max_retries is None else max_retries,
            sleep=sleep,
            session=session,
        )
        self._collections: list[Collection] | None = None
        self._cards: dict[str, _Card] = {}  # contact id -> where its card lives

    @property
    def requests_made(self) -> int:
        return self.http.requests_made

    @property
    def can_write_tags(self) -> bool:
        return self.cfg.write_tags

    def collections(self) -> list[Collection]:
        if self._collections is None:
            wanted = self.cfg.collection
            named = configured_collection(self.http, wanted)
            if named is not None:
                self._collections = [named]
            else:
                home = principal_home(self.http, "card:addressbook-home-set")
                found = list_collections(self.http, home, "card:addressbook", None)
                self._collections = choose_collections(self.http, found, wanted, "address book")
        return self._collections

    def _sync(self, coll: Collection) -> tuple[CollectionState, list[Problem]]:
        st = load_state(self.state, coll.url)
        res = sync_collection(self.http, coll.url, st.token)
        if res is None:
            listing = etag_listing(self.http, coll.url)
            problems = refresh(self.http, coll.url, st, listing, (), True, "card")
            st.token = None
        else:
            changed, removed, token, full = res
            problems = refresh(self.http, coll.url, st, changed, removed, full, "card")
            st.token = token
        save_state(self.state, coll.url, st)
        return st, problems

    def read(self) -> ContactsResult:
        from sync.sources.vcard import parse_vcards

        out = ContactsResult()
        cards: dict[str, _Card] = {}
        for coll in self.collections():
            st, problems = self._sync(coll)
            out.problems.extend(problems)
            for href in sorted(st.items):
                _etag_, text = st.items[href]
                res = parse_vcards(text, self.name, place=href, tag_prefix=self.cfg.tag_prefix)
                out.problems.extend(res.problems)
                for c in res.contacts:
                    out.contacts.append(c)
                    cards[c.id] = _Card(coll.url, href)
        self._cards = cards
        return out

    def write_tags(self, tags: Mapping[str, tuple[str, ...]]) -> list[Problem]:
        """Set netweave's (prefixed) CATEGORIES on each card; every other line stays as is.

        A card the user changed since the read is re-read and retried once; a card that is gone
        is reported, never recreated.
        """
        from sync.sources.vcard import set_categories

        if not self.can_write_tags:
            return [Problem(self.name, f"tag write-back is off ({self.cfg.key}.write_tags)")]
        problems: list[Problem] = []
        states: dict[str, CollectionState] = {}
        try:
            for cid in sorted(tags):
                where = self._cards.get(cid)
                if where is None:
                    problems.append(Problem(self.name, "no card read for this contact", cid))
                    continue
                st = states.get(where.collection)
                if st is None:
                    st = states[where.collection] = load_state(self.state, where.collection)
                p = self._write_one(where.collection, st, where.href, tags[cid], set_categories)
                if p is not None:
                    problems.append(p)
        except SourceError as e:
            problems.append(Problem(self.name, f"tag write-back stopped: {e.message}"))
        finally:
            for url, st in states.items():
                save_state(self.state, url, st)
        return problems

    def _write_one(
        self,
        collection: str,
        st: CollectionState,
        href: str,
        categories: tuple[str, ...],
        set_categories: Callable[[str, tuple[str, ...], str], str],
    ) -> Problem | None:
        url = urljoin(collection, href)
        cached = st.items.get(href)
        for attempt in range(2):
            if cached is None or attempt == 1:
                r = self.http.request("GET", url, allow=(404, 410))
                if r.status_code in (404, 410):
                    st.items.pop(href, None)
                    return Problem(self.name, "the card was deleted on the server", href)
                cached = (r.headers.get("ETag", ""), r.content.decode("utf-8", "replace"))
                st.items[href] = cached
            etag, text = cached
            new = set_categories(text, categories, self.cfg.tag_prefix)
            if new == text:
                return None
            headers = {"Content-Type": "text/vcard; charset=utf-8"}
            if etag:
                headers["If-Match"] = etag
            r = self.http.request("PUT", url, body=new, headers=headers, allow=(404, 410, 412))
            if r.status_code == 412:
                log.info("%s: changed on the server, re-reading", href)
                continue
            if r.status_code in (404, 410):
                st.items.pop(href, None)
                return Problem(self.name, "the card was deleted on the server", href)
            new_etag = r.headers.get("ETag")
            if new_etag:
                st.items[href] = (new_etag, new)
            else:
                st.items.pop(href, None)  # the server changed it: fetch again next read
            return None
        return Problem(
            self.name, "the card keeps changing on the server; tags not written this run", href
        )

    def close(self) -> None:
        self.http.close()
