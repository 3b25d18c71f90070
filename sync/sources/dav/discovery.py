"""Finding an account's collections.

``current-user-principal`` -> ``addressbook-home-set`` / ``calendar-home-set`` (the ``caldav``
library for calendars) -> the collections under the home, or ``collection`` in the config: a URL
(absolute, or relative to ``url``) or a collection's display name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urljoin

from sync.sources.base import SourceError
from sync.sources.dav.http import DavHttp, short_message
from sync.sources.dav.multistatus import propfind, qname


@dataclass(frozen=True)
class Collection:
    url: str  # absolute, ends with "/"
    name: str  # display name (or last path segment)


def collection_url(http: DavHttp, value: str) -> str:
    url = urljoin(http.url, value)
    return url if url.endswith("/") else url + "/"


def looks_like_url(value: str) -> bool:
    return "/" in value or value.startswith(("http:", "https:"))


def configured_collection(http: DavHttp, wanted: str | None) -> Collection | None:
    """The collection ``collection`` names by URL, or None when it names one by display name
    (or is not set) and the account must be searched."""
    if not (wanted and looks_like_url(wanted)):
        return None
    url = collection_url(http, wanted)
    return Collection(url, unquote(url.rstrip("/").rpartition("/")[2]))


def choose_collections(
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


def principal_home(http: DavHttp, home_prop: str) -> str:
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


def list_collections(http: DavHttp, home: str, rtype: str, comp: str | None) -> list[Collection]:
    ms = propfind(
        http, home, 1, "d:resourcetype", "d:displayname", "c:supported-calendar-component-set"
    )
    out = []
    for item in ms.items:
        if not item.has_type(rtype):
            continue
        if comp is not None:
            comps = item.props.get(qname("c:supported-calendar-component-set"))
            if comps is not None:
                names = {c.get("name", "").upper() for c in comps}
                if names and comp not in names:
                    continue
        url = urljoin(home, item.href)  # the home may live on another host (iCloud)
        url = url if url.endswith("/") else url + "/"
        last = unquote(url.rstrip("/").rpartition("/")[2])
        out.append(Collection(url=url, name=(item.text("d:displayname") or last).strip()))
    return sorted(out, key=lambda c: c.url)


def make_davclient(http: DavHttp) -> Any:
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


def calendar_home(http: DavHttp) -> str:
    """The account's calendar-home-set, found by the ``caldav`` library over ``http``."""
    from caldav.lib import error as caldav_error

    client = make_davclient(http)
    try:
        home = client.principal().calendar_home_set
        return str(home.url)
    except SourceError:
        raise
    except caldav_error.DAVError as e:
        raise SourceError(
            http.source,
            f"{http.url}: calendar discovery failed ({type(e).__name__}: {short_message(e)}); "
            f"set {http.key}.collection to the calendar's URL",
        ) from None
    finally:
        client.close()
