"""WebDAV XML: namespaces, PROPFIND bodies and the 207 multistatus answer.

:func:`parse_multistatus` reads a multistatus into :class:`DavItem` s (href, status and the
properties of the 200 propstat); :func:`propfind` sends one PROPFIND through a
:class:`~sync.sources.dav.http.DavHttp` and parses the answer.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from sync.sources.base import SourceError
from sync.sources.dav.http import DavHttp

DAV = "DAV:"
CALDAV = "urn:ietf:params:xml:ns:caldav"
CARDDAV = "urn:ietf:params:xml:ns:carddav"
CALSERVER = "http://calendarserver.org/ns/"

XML_HEADERS = {"Content-Type": "application/xml; charset=utf-8"}


def _q(tag: str) -> tuple[str, str]:
    ns, _, local = tag.partition(":")
    return {"d": DAV, "c": CALDAV, "card": CARDDAV, "cs": CALSERVER}[ns], local


def qname(tag: str) -> str:
    ns, local = _q(tag)
    return f"{{{ns}}}{local}"


@dataclass
class DavItem:
    """One ``<response>`` of a multistatus: its href, status and the 200-propstat properties."""

    href: str
    status: int = 200
    props: dict[str, ET.Element] = field(default_factory=dict)

    def text(self, tag: str) -> str | None:
        el = self.props.get(qname(tag))
        if el is None or el.text is None:
            return None
        return el.text

    def hrefs(self, tag: str) -> list[str]:
        el = self.props.get(qname(tag))
        if el is None:
            return []
        return [h.text.strip() for h in el.iter(qname("d:href")) if h.text]

    def is_collection(self) -> bool:
        el = self.props.get(qname("d:resourcetype"))
        return el is not None and el.find(qname("d:collection")) is not None

    def has_type(self, tag: str) -> bool:
        el = self.props.get(qname("d:resourcetype"))
        return el is not None and el.find(qname(tag)) is not None


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
    if root.tag != qname("d:multistatus"):
        raise SourceError(source, f"{url}: expected a DAV multistatus, got {root.tag}")
    out = Multistatus(items=[])
    tok = root.find(qname("d:sync-token"))
    if tok is not None and tok.text:
        out.sync_token = tok.text.strip()
    base_path = urlsplit(url).path
    for resp in root.findall(qname("d:response")):
        href_el = resp.find(qname("d:href"))
        if href_el is None or not href_el.text:
            continue
        href = _path(href_el.text.strip())
        item = DavItem(href=href, status=_status_code(_text(resp.find(qname("d:status")))))
        for ps in resp.findall(qname("d:propstat")):
            if _status_code(_text(ps.find(qname("d:status")))) != 200:
                continue
            prop = ps.find(qname("d:prop"))
            if prop is not None:
                for p in prop:
                    item.props[p.tag] = p
        if item.status == 507 and same_path(href, base_path):
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


def same_path(a: str, b: str) -> bool:
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


def propfind(http: DavHttp, url: str, depth: int, *props: str) -> Multistatus:
    r = http.request(
        "PROPFIND",
        url,
        body=_propfind_body(*props),
        headers={**XML_HEADERS, "Depth": str(depth)},
    )
    return parse_multistatus(r.content, url, http.source)


def clean_etag(value: str | None) -> str | None:
    return value.strip() if value else None
