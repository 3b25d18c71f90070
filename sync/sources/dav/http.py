"""One CalDAV/CardDAV server account on the wire.

:class:`DavHttp` holds the ``requests`` session, the credentials (Basic, upgraded to Digest when
the server asks), timeouts and TLS verification, bounded retries with exponential backoff, a
request counter, and turns HTTP failures into :class:`~sync.sources.base.SourceError` messages
that name the server, the status and what to do. Redirects are followed by hand so PROPFIND and
REPORT keep their bodies, and never from https to plain http.
"""

from __future__ import annotations

import logging
import random
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import urljoin

import requests

from sync import config
from sync.sources.base import AuthError, NotFound, PreconditionFailed, SourceError

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = (301, 302, 307, 308)
USER_AGENT = "netweave (CalDAV/CardDAV)"

Sleep = Callable[[float], None]


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
            r = self._send(method, url, data, headers, attempt)
            if r is None:  # unreachable, waited: try again
                continue
            if r.status_code in REDIRECT_STATUSES and r.headers.get("Location"):
                hops += 1
                url = self._redirect_target(url, r.headers["Location"], hops)
                attempt -= 1
                continue
            if r.status_code in allowed or 200 <= r.status_code < 300:
                return r
            if r.status_code in RETRY_STATUSES and attempt <= self.max_retries:
                self._wait(attempt, r.headers.get("Retry-After"))
                continue
            if self._switch_to_digest(r):
                attempt -= 1
                continue
            raise self.error(method, url, r, attempt)

    def _send(
        self,
        method: str,
        url: str,
        data: bytes | None,
        headers: Mapping[str, str] | None,
        attempt: int,
    ) -> requests.Response | None:
        """One round trip; None after a connection failure that will be retried (waited)."""
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
                f"{url}: TLS certificate check failed ({short_message(e)}); fix the server's "
                f"certificate, or (self-hosted, at your own risk) set {self.key}.verify_tls "
                "= false",
            ) from None
        except (requests.ConnectionError, requests.Timeout) as e:
            if attempt <= self.max_retries:
                self._wait(attempt, None)
                return None
            raise SourceError(
                self.source,
                f"{url}: cannot reach the server after {attempt} attempts "
                f"({type(e).__name__}); check {self.key}.url and the network, then rerun",
            ) from None
        log.debug("%s %s -> %s", method, url, r.status_code)
        return r

    def _redirect_target(self, url: str, location: str, hops: int) -> str:
        """Where a redirect leads. Followed by hand: requests would turn PROPFIND/REPORT into a
        bodiless request."""
        target = urljoin(url, location)
        if hops > MAX_REDIRECTS:
            raise SourceError(self.source, f"{url}: too many redirects")
        if url.startswith("https:") and not target.startswith("https:"):
            raise SourceError(
                self.source,
                f"{url}: redirected to plain http ({target}); refusing to send the "
                f"password unencrypted. Check {self.key}.url",
            )
        return target

    def _switch_to_digest(self, r: requests.Response) -> bool:
        """After a 401 that asks for Digest: switch (once) from Basic to Digest auth."""
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
            return True
        return False

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


def short_message(e: BaseException) -> str:
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
