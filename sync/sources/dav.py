"""CardDAV address books and CalDAV calendars (Nextcloud, Fastmail, iCloud, Radicale...).

Thin adapters: every byte goes through :class:`DavHttp` (one ``requests`` session, timeouts,
TLS verification, bounded retries with exponential backoff, a request counter, and HTTP errors
turned into :class:`~sync.sources.base.SourceError` messages that name the server, the status and
what to do). Cards and events are parsed by the file parsers (:mod:`sync.sources.vcard`,
:mod:`sync.sources.ics`) and owned events are rendered by :mod:`sync.export`.

Incremental reads keep, per collection, one JSON entry in ``sync_state`` (a
``MutableMapping[str, str]`` the engine persists)::

    "dav:<collection url>" -> {"token": <sync-token or null>, "items": {href: [etag, text]}}

The entry is written once, after every change of a read was fetched, so a read that fails
half-way (server gone) leaves the previous state intact and the next run starts from there.

* Address books: ``sync-collection`` REPORT (RFC 6578) with the stored token; if the server lacks
  it, a ``PROPFIND Depth: 1`` etag listing. Changed cards come in ``addressbook-multiget``
  batches. A sync with nothing changed costs one request per collection.
* Calendars: a ``calendar-query`` REPORT with a time-range filter asking only for etags (the
  server expands recurrences to decide what touches the window), then ``calendar-multiget`` for
  the resources whose etag is new. Recurrences are expanded locally by
  :func:`sync.sources.ics.parse_calendar_text`, so busy time has the same meaning on every
  server (RFC 4791 ``expand`` is optional, and servers differ on time zones and all-day
  events). A server that refuses the time-range query gets the etag listing instead.
* Writes carry ``If-None-Match: *`` (insert) or ``If-Match: <etag>`` (update, delete, tag
  write-back): a concurrent edit by the user is never overwritten.

Discovery: ``current-user-principal`` -> ``addressbook-home-set`` / ``calendar-home-set`` (the
``caldav`` library for calendars) -> the collections under the home, or ``collection`` in the
config: a URL (absolute, or relative to ``url``) or a collection's display name.
"""

from __future__ import annotations

import json
import logging
import random
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import requests

from sync import config
from sync.model import Event, PlannedEvent, Problem
from sync.sources.base import (
    AuthError,
    ContactsResult,
    EventsResult,
    NotFound,
    OwnedEvent,
    PreconditionFailed,
    SourceError,
)

log = logging.getLogger(__name__)

DAV = "DAV:"
CALDAV = "urn:ietf:params:xml:ns:caldav"
CARDDAV = "urn:ietf:params:xml:ns:carddav"
CALSERVER = "http://calendarserver.org/ns/"

#: Hrefs per multiget REPORT (servers cap the body size; 100 is what DAVx5 uses).
MULTIGET_BATCH = 100
#: Pages of a truncated sync-collection answer (RFC 6578 507) before giving up.
MAX_SYNC_PAGES = 1000
#: The owned-event marker (iCalendar property).
MARKER = "X-NETWEAVE-ID"

MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "netweave (CalDAV/CardDAV)"

Sleep = Callable[[float], None]


def _q(tag: str) -> tuple[str, str]:
    ns, _, local = tag.partition(":")
    return {"d": DAV, "c": CALDAV, "card": CARDDAV, "cs": CALSERVER}[ns], local


def _tag(tag: str) -> str:
    ns, local = _q(tag)
    return f"{{{ns}}}{local}"


# --------------------------------------------------------------------------- HTTP


class DavHttp:
    """One server account: session, credentials, retries, error messages, request counter.

    ``source`` names the config entry (``cfg.name``) and ``key`` its config path for hints.
    The password is resolved on first use and never logged or put in a message.
    """

    @classmethod
    def for_source(
        cls,
        cfg: config.AddressBookConfig | config.CalendarConfig,
        kind: str,
        *,
        max_retries: int,
        sleep: Sleep,
        session: requests.Session | None,
    ) -> DavHttp:
        """The account of one ``[[addressbooks]]`` / ``[[calendars]]`` entry of type ``kind``."""
        if not cfg.url:
            raise SourceError(cfg.name, f"{cfg.key}.url is required for {kind}")
        return cls(
            cfg.name,
            cfg.key,
            cfg.url,
            cfg.username,
            cfg.password,
            verify_tls=cfg.verify_tls,
            timeout=cfg.timeout,
            max_retries=max_retries,
            sleep=sleep,
            session=session,
        )

    def __init__(
        self,
        source: str,
        key: str,
        url: str,
        username: str | None,
        password: config.Secret,
        *,
        verify_tls: bool = True,
        timeout: float = 30.0,
        max_retries: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        sleep: Sleep = time.sleep,
        session: requests.Session | None = None,
    ) -> None:
        self.source = source
        self.key = key
        self.url = url if url.endswith("/") else url + "/"
        self.username = username
        self.password = password
        self.verify_tls = verify_tls
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.requests_made = 0
        self._auth_ready = False
        self._digest_tried = False

    def absolute(self, href: str) -> str:
        return urljoin(self.url, href)

    def close(self) -> None:
        self.session.close()

    def _setup_auth(self) -> None:
        if self._auth_ready:
            return
        self._auth_ready = True
        if not self.username:
            return
        try:
            pw = self.password.resolve()
        except Exception as e:  # noqa: BLE001 - a failing password command, any kind
            raise AuthError(
                self.source,
                f"the password command of {self.key} failed ({type(e).__name__}); "
                f"run it by hand to check it prints the password",
            ) from None
        if pw is None and self.password.env:
            raise AuthError(
                self.source,
                f"the environment variable {self.password.env} ({self.key}.password_env) "
                "is not set: export it with the account's (app-specific) password",
            )
        self.session.auth = requests.auth.HTTPBasicAuth(self.username, pw or "")

    def request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        allow: Iterable[int] = (),
    ) -> requests.Response:
        """Send one request (retrying transient failures) and return a 2xx response, or one
        whose status is in ``allow``; any other status raises a :class:`SourceError`."""
        self._setup_auth()
        allowed = set(allow)
        data = body.encode("utf-8") if isinstance(body, str) else body
        attempt = 0
        hops = 0
        while True:
            attempt += 1
            self.requests_made += 1
            try:
                r = self.session.request(
                    method,
                    url,
                    data=data,
                    headers=dict(headers or {}),
                    timeout=self.timeout,
                    verify=self.verify_tls,
                    allow_redirects=False,
                )
            except requests.exceptions.SSLError as e:
                raise SourceError(
                    self.source,
                    f"{url}: TLS certificate check failed ({_short(e)}); fix the server's "
                    f"certificate, or (self-hosted, at your own risk) set {self.key}.verify_tls "
                    "= false",
                ) from None
            except (requests.ConnectionError, requests.Timeout) as e:
                if attempt <= self.max_retries:
                    self._wait(attempt, None)
                    continue
                raise SourceError(
                    self.source,
                    f"{url}: cannot reach the server after {attempt} attempts "
                    f"({type(e).__name__}); check {self.key}.url and the network, then rerun",
                ) from None
            log.debug("%s %s -> %s", method, url, r.status_code)
            if r.status_code in (301, 302, 307, 308) and r.headers.get("Location"):
                # Follow by hand: requests would turn PROPFIND/REPORT into a bodiless request.
                target = urljoin(url, r.headers["Location"])
                hops += 1
                if hops > MAX_REDIRECTS:
                    raise SourceError(self.source, f"{url}: too many redirects")
                if url.startswith("https:") and not target.startswith("https:"):
                    raise SourceError(
                        self.source,
                        f"{url}: redirected to plain http ({target}); refusing to send the "
                        f"password unencrypted. Check {self.key}.url",
                    )
                url = target
                attempt -= 1
                continue
            if r.status_code in allowed or 200 <= r.status_code < 300:
                return r
            if r.status_code in RETRY_STATUSES and attempt <= self.max_retries:
                self._wait(attempt, r.headers.get("Retry-After"))
                continue
            if (
                r.status_code == 401
                and not self._digest_tried
                and self.username
                and "digest" in r.headers.get("WWW-Authenticate", "").lower()
            ):
                self._digest_tried = True
                basic = self.session.auth
                pw = basic.password if isinstance(basic, requests.auth.HTTPBasicAuth) else ""
                pw_text = pw.decode("utf-8") if isinstance(pw, bytes) else pw
                self.session.auth = requests.auth.HTTPDigestAuth(self.username, pw_text)
                attempt -= 1
                continue
            raise self.error(method, url, r, attempt)

    def _wait(self, attempt: int, retry_after: str | None) -> None:
        delay = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        delay *= 1 + random.random() * 0.25  # jitter
        if retry_after and retry_after.strip().isdigit():
            delay = min(self.max_backoff, max(delay, float(retry_after.strip())))
        self.sleep(delay)

    def error(self, method: str, url: str, r: requests.Response, attempts: int = 1) -> SourceError:
        status = r.status_code
        what = f"{url}: {method} answered HTTP {status} {r.reason or ''}".rstrip()
        if status == 401:
            return AuthError(
                self.source,
                f"{what}; check {self.key}.username and the password "
                f"({self.key}.password_env or password_command; iCloud and Fastmail need an "
                "app-specific password)",
            )
        if status == 403:
            return SourceError(
                self.source, f"{what}: the account may not do this here; check the collection URL"
            )
        if status == 404:
            return NotFound(
                self.source, f"{what}: not found; check {self.key}.url and {self.key}.collection"
            )
        if status == 412:
            return PreconditionFailed(self.source, f"{what}: changed on the server meanwhile")
        if status in RETRY_STATUSES:
            return SourceError(
                self.source,
                f"{what} ({attempts} attempts): the server is overloaded or down; rerun later",
            )
        return SourceError(self.source, f"{what}{_error_detail(r)}")


def _short(e: BaseException) -> str:
    s = str(e)
    return s if len(s) <= 160 else s[:157] + "..."


def _error_detail(r: requests.Response) -> str:
    """A DAV precondition element from the body, e.g. ``valid-calendar-data``."""
    try:
        root = ET.fromstring(r.content)
    except ET.ParseError:
        return ""
    names = [child.tag.rpartition("}")[2] for child in root]
    return f" ({', '.join(names)})" if names else ""


# --------------------------------------------------------------------------- multistatus


@dataclass
class DavItem:
    """One ``<response>`` of a multistatus: its href, status and the 200-propstat properties."""

    href: str
    status: int = 200
    props: dict[str, ET.Element] = field(default_factory=dict)

    def text(self, tag: str) -> str | None:
        el = self.props.get(_tag(tag))
        if el is None or el.text is None:
            return None
        return el.text

    def hrefs(self, tag: str) -> list[str]:
        el = self.props.get(_tag(tag))
        if el is None:
            return []
        return [h.text.strip() for h in el.iter(_tag("d:href")) if h.text]

    def is_collection(self) -> bool:
        el = self.props.get(_tag("d:resourcetype"))
        return el is not None and el.find(_tag("d:collection")) is not None

    def has_type(self, tag: str) -> bool:
        el = self.props.get(_tag("d:resourcetype"))
        return el is not None and el.find(_tag(tag)) is not None


@dataclass
class Multistatus:
    items: list[DavItem]
    sync_token: str | None = None
    truncated: bool = False


def _status_code(text: str | None) -> int:
    # "HTTP/1.1 404 Not Found"
    if not text:
        return 200
    parts = text.split()
    if len(parts) >= 2 and parts[1].isdigit():
        return int(parts[1])
    return 500


def parse_multistatus(data: bytes, url: str, source: str) -> Multistatus:
    """Parse a 207 body. Hrefs are returned as server paths (``/user/cal/x.ics``)."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise SourceError(source, f"{url}: the server sent malformed XML ({e})") from None
    if root.tag != _tag("d:multistatus"):
        raise SourceError(source, f"{url}: expected a DAV multistatus, got {root.tag}")
    out = Multistatus(items=[])
    tok = root.find(_tag("d:sync-token"))
    if tok is not None and tok.text:
        out.sync_token = tok.text.strip()
    base_path = urlsplit(url).path
    for resp in root.findall(_tag("d:response")):
        href_el = resp.find(_tag("d:href"))
        if href_el is None or not href_el.text:
            continue
        href = _path(href_el.text.strip())
        item = DavItem(href=href, status=_status_code(_text(resp.find(_tag("d:status")))))
        for ps in resp.findall(_tag("d:propstat")):
            if _status_code(_text(ps.find(_tag("d:status")))) != 200:
                continue
            prop = ps.find(_tag("d:prop"))
            if prop is not None:
                for p in prop:
                    item.props[p.tag] = p
        if item.status == 507 and _same_path(href, base_path):
            out.truncated = True
            continue
        out.items.append(item)
    return out


def _text(el: ET.Element | None) -> str | None:
    return el.text if el is not None else None


def _path(href: str) -> str:
    """An href as a server path: absolute URLs lose scheme and host; escaping is kept."""
    parts = urlsplit(href)
    return parts.path if parts.scheme else href


def _same_path(a: str, b: str) -> bool:
    return unquote(a).rstrip("/") == unquote(b).rstrip("/")


def _propfind_body(*props: str) -> str:
    inner = "".join(_el(p) for p in props)
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<d:propfind xmlns:d="{DAV}" xmlns:c="{CALDAV}" xmlns:card="{CARDDAV}" '
        f'xmlns:cs="{CALSERVER}"><d:prop>{inner}</d:prop></d:propfind>'
    )


def _el(tag: str) -> str:
    return f"<{tag}/>"


XML_HEADERS = {"Content-Type": "application/xml; charset=utf-8"}


def propfind(http: DavHttp, url: str, depth: int, *props: str) -> Multistatus:
    r = http.request(
        "PROPFIND",
        url,
        body=_propfind_body(*props),
        headers={**XML_HEADERS, "Depth": str(depth)},
    )
    return parse_multistatus(r.content, url, http.source)


# --------------------------------------------------------------------------- collections


@dataclass(frozen=True)
class Collection:
    url: str  # absolute, ends with "/"
    name: str  # display name (or last path segment)


def _collection_url(http: DavHttp, value: str) -> str:
    url = urljoin(http.url, value)
    return url if url.endswith("/") else url + "/"


def _looks_like_url(value: str) -> bool:
    return "/" in value or value.startswith(("http:", "https:"))


def _choose(
    http: DavHttp, found: Sequence[Collection], wanted: str | None, kind: str
) -> list[Collection]:
    if wanted is None:
        if not found:
            raise SourceError(
                http.source,
                f"{http.url}: the account has no {kind}; create one, or set "
                f"{http.key}.collection to its URL",
            )
        return list(found)
    for c in found:
        if wanted in (c.name, c.url.rstrip("/").rpartition("/")[2]):
            return [c]
    names = ", ".join(repr(c.name) for c in found) or "none"
    raise SourceError(
        http.source,
        f"{http.url}: no {kind} named {wanted!r} ({kind}s found: {names}); "
        f"set {http.key}.collection to one of them or to its URL",
    )


def _principal_home(http: DavHttp, home_prop: str) -> str:
    """current-user-principal -> the home set (addressbook-home-set / calendar-home-set)."""
    ms = propfind(http, http.url, 0, "d:current-user-principal", home_prop)
    principal = None
    for item in ms.items:
        hrefs = item.hrefs(home_prop)
        if hrefs:
            return urljoin(http.url, hrefs[0])
        p = item.hrefs("d:current-user-principal")
        if p:
            principal = urljoin(http.url, p[0])
    if principal is None:
        raise SourceError(
            http.source,
            f"{http.url}: the server names no current-user-principal; set "
            f"{http.key}.collection to the collection's URL",
        )
    ms = propfind(http, principal, 0, home_prop)
    for item in ms.items:
        hrefs = item.hrefs(home_prop)
        if hrefs:
            return urljoin(principal, hrefs[0])
    raise SourceError(
        http.source,
        f"{principal}: the principal has no {home_prop.partition(':')[2]}; set "
        f"{http.key}.collection to the collection's URL",
    )


def _list_collections(http: DavHttp, home: str, rtype: str, comp: str | None) -> list[Collection]:
    ms = propfind(
        http, home, 1, "d:resourcetype", "d:displayname", "c:supported-calendar-component-set"
    )
    out = []
    for item in ms.items:
        if not item.has_type(rtype):
            continue
        if comp is not None:
            comps = item.props.get(_tag("c:supported-calendar-component-set"))
            if comps is not None:
                names = {c.get("name", "").upper() for c in comps}
                if names and comp not in names:
                    continue
        url = urljoin(home, item.href)  # the home may live on another host (iCloud)
        url = url if url.endswith("/") else url + "/"
        last = unquote(url.rstrip("/").rpartition("/")[2])
        out.append(Collection(url=url, name=(item.text("d:displayname") or last).strip()))
    return sorted(out, key=lambda c: c.url)


# --------------------------------------------------------------------------- the cache


@dataclass
class CollectionState:
    """What we know of one collection: a sync token and href -> (etag, text)."""

    token: str | None = None
    items: dict[str, tuple[str, str]] = field(default_factory=dict)

    def dump(self) -> str:
        return json.dumps(
            {"token": self.token, "items": {h: [e, t] for h, (e, t) in self.items.items()}},
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def load(cls, raw: str | None) -> CollectionState:
        if not raw:
            return cls()
        try:
            d = json.loads(raw)
            items = {str(h): (str(v[0]), str(v[1])) for h, v in dict(d.get("items", {})).items()}
            token = d.get("token")
            return cls(token=str(token) if token else None, items=items)
        except (ValueError, TypeError, AttributeError, IndexError, KeyError):
            return cls()  # a damaged cache costs one full read, nothing else


def _state_key(url: str) -> str:
    return f"dav:{url}"


def _load_state(store: MutableMapping[str, str], url: str) -> CollectionState:
    return CollectionState.load(store.get(_state_key(url)))


def _save_state(store: MutableMapping[str, str], url: str, st: CollectionState) -> None:
    raw = st.dump()
    key = _state_key(url)
    if store.get(key) != raw:
        store[key] = raw


# --------------------------------------------------------------------------- reading members


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
            if _same_path(item.href, base):
                continue
            if item.status == 404:
                removed.add(item.href)
                changed.pop(item.href, None)
            elif item.status == 200 and not item.is_collection():
                changed[item.href] = _etag(item.text("d:getetag"))
                removed.discard(item.href)
        if ms.sync_token:
            current = ms.sync_token
        if not ms.truncated:
            return changed, removed, current or None, full
    raise SourceError(http.source, f"{url}: the sync-collection answer never ended")


def _invalid_token(r: requests.Response) -> bool:
    return b"valid-sync-token" in r.content or r.status_code in (409, 412)


def _etag(value: str | None) -> str | None:
    return value.strip() if value else None


def etag_listing(http: DavHttp, url: str) -> dict[str, str | None]:
    """PROPFIND Depth 1: every member (not sub-collections) with its etag."""
    ms = propfind(http, url, 1, "d:getetag", "d:resourcetype")
    base = urlsplit(url).path
    return {
        it.href: _etag(it.text("d:getetag"))
        for it in ms.items
        if it.status == 200 and not it.is_collection() and not _same_path(it.href, base)
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
            etag = _etag(item.text("d:getetag"))
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


# --------------------------------------------------------------------------- CardDAV


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
        max_retries: int = 4,
        session: requests.Session | None = None,
    ) -> None:
        self.cfg = cfg
        self.name = cfg.name
        self.state = sync_state
        self.http = DavHttp.for_source(
            cfg, "carddav", max_retries=max_retries, sleep=sleep, session=session
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
            if wanted and _looks_like_url(wanted):
                url = _collection_url(self.http, wanted)
                self._collections = [Collection(url, unquote(url.rstrip("/").rpartition("/")[2]))]
            else:
                home = _principal_home(self.http, "card:addressbook-home-set")
                found = _list_collections(self.http, home, "card:addressbook", None)
                self._collections = _choose(self.http, found, wanted, "address book")
        return self._collections

    def _sync(self, coll: Collection) -> tuple[CollectionState, list[Problem]]:
        st = _load_state(self.state, coll.url)
        res = sync_collection(self.http, coll.url, st.token)
        if res is None:
            listing = etag_listing(self.http, coll.url)
            problems = refresh(self.http, coll.url, st, listing, (), True, "card")
            st.token = None
        else:
            changed, removed, token, full = res
            problems = refresh(self.http, coll.url, st, changed, removed, full, "card")
            st.token = token
        _save_state(self.state, coll.url, st)
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
                    st = states[where.collection] = _load_state(self.state, where.collection)
                p = self._write_one(where.collection, st, where.href, tags[cid], set_categories)
                if p is not None:
                    problems.append(p)
        except SourceError as e:
            problems.append(Problem(self.name, f"tag write-back stopped: {e.message}"))
        finally:
            for url, st in states.items():
                _save_state(self.state, url, st)
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


# --------------------------------------------------------------------------- CalDAV


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


def _make_davclient(http: DavHttp) -> Any:
    """A ``caldav.DAVClient`` whose every request goes through ``http``."""
    from caldav.davclient import DAVClient
    from caldav.response import DAVResponse

    class _Client(DAVClient):
        def request(
            self,
            url: str,
            method: str = "GET",
            body: str = "",
            headers: Mapping[str, str] | None = None,
            rate_limit_time_slept: float = 0,
        ) -> DAVResponse:
            merged = {
                str(k): str(v) for k, v in self.headers.items() if str(k).lower() != "user-agent"
            }
            merged.update(headers or {})
            raw = body.encode("utf-8") if isinstance(body, str) else body
            r = http.request(
                method, str(url), body=raw or None, headers=merged, allow=range(300, 600)
            )
            if r.status_code in (401, 403) or r.status_code >= 500:
                raise http.error(method, str(url), r)
            return DAVResponse(r, self)

    return _Client(url=http.url, enable_rfc6764=False, timeout=int(http.timeout))


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
        max_retries: int = 4,
        session: requests.Session | None = None,
    ) -> None:
        self.cfg = cfg
        self.name = cfg.name
        self.tz = tz
        self.state = sync_state
        self.http = DavHttp.for_source(
            cfg, "caldav", max_retries=max_retries, sleep=sleep, session=session
        )
        self._collections: list[Collection] | None = None
        self._owned_query_works = True

    @property
    def requests_made(self) -> int:
        return self.http.requests_made

    def close(self) -> None:
        self.http.close()

    # ------------------------------------------------------------------ discovery

    def collections(self) -> list[Collection]:
        if self._collections is None:
            wanted = self.cfg.collection
            if wanted and _looks_like_url(wanted):
                url = _collection_url(self.http, wanted)
                self._collections = [Collection(url, unquote(url.rstrip("/").rpartition("/")[2]))]
            else:
                home = self._calendar_home()
                found = _list_collections(self.http, home, "c:calendar", "VEVENT")
                self._collections = _choose(self.http, found, wanted, "calendar")
        return self._collections

    def _calendar_home(self) -> str:
        from caldav.lib import error as caldav_error

        client = _make_davclient(self.http)
        try:
            home = client.principal().calendar_home_set
            return str(home.url)
        except SourceError:
            raise
        except caldav_error.DAVError as e:
            raise SourceError(
                self.name,
                f"{self.http.url}: calendar discovery failed ({type(e).__name__}: {_short(e)}); "
                f"set {self.cfg.key}.collection to the calendar's URL",
            ) from None
        finally:
            client.close()

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
        st = _load_state(self.state, coll.url)
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
                it.href: _etag(it.text("d:getetag"))
                for it in ms.items
                if it.status == 200 and not _same_path(it.href, base)
            }
        else:
            log.info("%s: time-range query refused (%s), listing all", coll.url, r.status_code)
            listing = etag_listing(self.http, coll.url)
        # full=True: the cache keeps only what the last window needs.
        problems = refresh(self.http, coll.url, st, listing, (), True, "event")
        _save_state(self.state, coll.url, st)
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
                        found[it.href] = (_etag(it.text("d:getetag")) or "", data)
            else:
                self._owned_query_works = False
        if not self._owned_query_works:
            st = _load_state(self.state, coll.url)
            listing = etag_listing(self.http, coll.url)
            refresh(self.http, coll.url, st, listing, (), True, "event")
            found = dict(st.items)
        owned = []
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
                    f"({_short(e)}); fix or delete it in your calendar app, then rerun",
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
            raise SourceError(self.name, f"{href}: written, but unreadable: {_short(e)}") from None
        if owned is None:
            raise SourceError(self.name, f"{href}: written, but the marker did not read back")
        return owned

    def insert(self, event: PlannedEvent) -> OwnedEvent:
        from sync.export import event_to_ical

        href = self.href_for(event)
        data = event_to_ical(event, self.tz, 0)
        r = self._put(href, data, {"If-None-Match": "*"})
        return self._stored(href, data, r)

    def update(self, href: str, etag: str, event: PlannedEvent, sequence: int) -> OwnedEvent:
        from sync.export import event_to_ical

        data = event_to_ical(event, self.tz, sequence)
        r = self._put(href, data, {"If-Match": etag})
        return self._stored(href, data, r)

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


__all__ = [
    "CalDavCalendar",
    "CardDavAddressBook",
    "Collection",
    "CollectionState",
    "DavHttp",
    "Multistatus",
    "parse_multistatus",
]
