"""Reading a collection's members into its cached state.

Which members changed: ``sync-collection`` REPORT (RFC 6578) with the stored token, or a
``PROPFIND Depth: 1`` etag listing. The changed ones are fetched with ``addressbook-multiget`` /
``calendar-multiget`` in batches (a GET for any the server leaves out), and :func:`refresh`
brings a :class:`~sync.sources.dav.state.CollectionState` up to date.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import unquote, urljoin, urlsplit
from xml.sax.saxutils import escape

import requests

from sync.model import Problem
from sync.sources.base import SourceError
from sync.sources.dav.http import DavHttp
from sync.sources.dav.multistatus import (
    CALDAV,
    CARDDAV,
    DAV,
    XML_HEADERS,
    clean_etag,
    parse_multistatus,
    propfind,
    same_path,
)
from sync.sources.dav.state import CollectionState

log = logging.getLogger(__name__)

#: Hrefs per multiget REPORT (servers cap the body size; 100 is what DAVx5 uses).
MULTIGET_BATCH = 100
#: Pages of a truncated sync-collection answer (RFC 6578 507) before giving up.
MAX_SYNC_PAGES = 1000


def sync_collection(
    http: DavHttp, url: str, token: str | None
) -> tuple[dict[str, str | None], set[str], str | None, bool] | None:
    """RFC 6578: (changed href -> etag, removed hrefs, new token, full) or None if unsupported.

    ``full`` is True when the answer lists every member (no token, or the token was refused).
    """
    changed: dict[str, str | None] = {}
    removed: set[str] = set()
    full = not token
    current = token or ""
    for _page in range(MAX_SYNC_PAGES):
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<d:sync-collection xmlns:d="{DAV}"><d:sync-token>{escape(current)}</d:sync-token>'
            "<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>"
        )
        r = http.request(
            "REPORT",
            url,
            body=body,
            headers={**XML_HEADERS, "Depth": "0"},
            allow=(400, 403, 405, 409, 412, 415, 501),
        )
        if r.status_code in (403, 409, 412, 400) and current and _invalid_token(r):
            # Expired or unknown token: start over with a full listing.
            log.info("%s: sync token refused, full resync", url)
            changed, removed, full, current = {}, set(), True, ""
            continue
        if r.status_code >= 300:
            return None
        ms = parse_multistatus(r.content, url, http.source)
        base = urlsplit(url).path
        for item in ms.items:
            if same_path(item.href, base):
                continue
            if item.status == 404:
                removed.add(item.href)
                changed.pop(item.href, None)
            elif item.status == 200 and not item.is_collection():
                changed[item.href] = clean_etag(item.text("d:getetag"))
                removed.discard(item.href)
        if ms.sync_token:
            current = ms.sync_token
        if not ms.truncated:
            return changed, removed, current or None, full
    raise SourceError(http.source, f"{url}: the sync-collection answer never ended")


def _invalid_token(r: requests.Response) -> bool:
    return b"valid-sync-token" in r.content or r.status_code in (409, 412)


def etag_listing(http: DavHttp, url: str) -> dict[str, str | None]:
    """PROPFIND Depth 1: every member (not sub-collections) with its etag."""
    ms = propfind(http, url, 1, "d:getetag", "d:resourcetype")
    base = urlsplit(url).path
    return {
        it.href: clean_etag(it.text("d:getetag"))
        for it in ms.items
        if it.status == 200 and not it.is_collection() and not same_path(it.href, base)
    }


def multiget(
    http: DavHttp, url: str, hrefs: Sequence[str], kind: str
) -> tuple[dict[str, tuple[str, str]], list[Problem]]:
    """addressbook-multiget / calendar-multiget in batches: href -> (etag, text)."""
    if kind == "card":
        report, data_tag = "card:addressbook-multiget", "card:address-data"
    else:
        report, data_tag = "c:calendar-multiget", "c:calendar-data"
    got: dict[str, tuple[str, str]] = {}
    problems: list[Problem] = []
    for i in range(0, len(hrefs), MULTIGET_BATCH):
        batch = hrefs[i : i + MULTIGET_BATCH]
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<{report} xmlns:d="{DAV}" xmlns:c="{CALDAV}" xmlns:card="{CARDDAV}">'
            f"<d:prop><d:getetag/><{data_tag}/></d:prop>"
            + "".join(f"<d:href>{escape(h)}</d:href>" for h in batch)
            + f"</{report}>"
        )
        r = http.request("REPORT", url, body=body, headers={**XML_HEADERS, "Depth": "1"})
        ms = parse_multistatus(r.content, url, http.source)
        for item in ms.items:
            text = item.text(data_tag)
            etag = clean_etag(item.text("d:getetag"))
            if item.status == 200 and text is not None:
                got[item.href] = (etag or "", text)
        wanted = {unquote(h): h for h in batch}
        have = {unquote(h) for h in got}
        for plain, h in wanted.items():
            if plain in have:
                continue
            # Not in the multiget answer (gone meanwhile, or a server that wants GET).
            resp = http.request("GET", urljoin(url, h), allow=(404, 410))
            if resp.status_code in (404, 410):
                continue
            got[h] = (resp.headers.get("ETag", ""), _decode(resp.content, h, problems, http))
    # Key the answer by the hrefs as asked when the server re-escaped them.
    asked = {unquote(h): h for h in hrefs}
    return {asked.get(unquote(h), h): v for h, v in got.items()}, problems


def _decode(data: bytes, href: str, problems: list[Problem], http: DavHttp) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(http.source, "not UTF-8; read with replacement characters", href))
        return data.decode("utf-8", errors="replace")


def refresh(
    http: DavHttp,
    url: str,
    st: CollectionState,
    listing: Mapping[str, str | None],
    removed: Iterable[str],
    full: bool,
    kind: str,
) -> list[Problem]:
    """Bring ``st.items`` up to date: drop removed members, fetch changed ones."""
    if full:
        for h in [h for h in st.items if h not in listing]:
            del st.items[h]
    for h in removed:
        st.items.pop(h, None)
    stale = [h for h, etag in listing.items() if etag is None or st.items.get(h, ("",))[0] != etag]
    if not stale:
        return []
    fetched, problems = multiget(http, url, stale, kind)
    for h in stale:
        if h in fetched:
            st.items[h] = fetched[h]
        else:
            st.items.pop(h, None)  # gone between the listing and the fetch
    return problems
