"""Talking to Google's REST APIs: the authorized HTTP client, retries, paging and batches.

Every call is retried on 429, 403 rateLimitExceeded/userRateLimitExceeded, 5xx, timeouts and
dropped connections with exponential backoff and jitter, at most ``[google] max_retries`` times;
then :class:`SourceError` names the server, the API method and the status. A 401 (or a refused
refresh) is an :class:`AuthError`. Other HTTP errors reach the adapter, which knows what a 404,
409 or 412 means for its call (:mod:`.errors` says what the rest mean). A token refreshed on the
way is saved again. Calls that got no answer at all are counted (``unanswered``): a write retried
after one may meet its own earlier, landed attempt.
"""

from __future__ import annotations

import contextlib
import http.client
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import google_auth_httplib2
import httplib2
from google.auth.credentials import Credentials as BaseCredentials
from google.auth.exceptions import RefreshError, TransportError
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest, HttpRequest

from sync.config import Google
from sync.sources.base import AuthError, SourceError
from sync.sources.google.credentials import REAUTH_HINT, load_credentials, save_token, token_path
from sync.sources.google.errors import RATE_REASONS, explain, first_reason

T = TypeVar("T")
R = TypeVar("R")
Json = dict[str, Any]
#: What one call of a batch answered: the response, or the error.
Answer = tuple[Any, HttpError | None]

BATCH_MAX = 1000  # Google's limit per batch request
MAX_BACKOFF = 32.0
GOOGLE_SERVER = "https://www.googleapis.com/"


class _CountingHttp(httplib2.Http):
    """httplib2 with a request counter (every HTTP request, token refreshes included), and a
    count of the requests httplib2 sent again by itself after the connection dropped before
    an answer (it does so once, silently: the first attempt may have been carried out)."""

    def __init__(self, timeout: float | None) -> None:
        super().__init__(timeout=timeout)
        self.count = 0
        self.resent = 0

    def request(self, *args: Any, **kwargs: Any) -> Any:
        self.count += 1
        return super().request(*args, **kwargs)

    def _conn_request(self, conn: Any, *args: Any) -> Any:
        sends = 0
        send = conn.request

        def counted(*a: Any, **kw: Any) -> Any:
            nonlocal sends
            sends += 1
            return send(*a, **kw)

        conn.request = counted
        try:
            return super()._conn_request(conn, *args)
        finally:
            del conn.request  # the connection's own method again
            self.resent += max(0, sends - 1)


@dataclass(frozen=True)
class Failure:
    """What went wrong with one call, as far as retrying is concerned."""

    status: int | None  # None: no HTTP answer (timeout, reset)
    reason: str
    retry_after: float | None = None


def http_failure(e: HttpError) -> Failure:
    """The status, Google's reason (``rateLimitExceeded``...) and Retry-After of an error."""
    if e.resp is None:  # a BatchError about a malformed answer
        return Failure(None, str(e))
    retry_after = None
    raw = e.resp.get("retry-after")
    if raw:
        try:
            retry_after = float(raw)
        except ValueError:
            retry_after = None
    reason = first_reason(e.content)
    return Failure(int(e.resp.status), reason or str(e.resp.reason or ""), retry_after)


def retryable(f: Failure) -> bool:
    if f.status is None:
        return True
    if f.status == 429 or f.status >= 500:
        return True
    return f.status == 403 and f.reason in RATE_REASONS


def status_of(e: HttpError) -> int:
    return int(e.resp.status)


def api_error(source: str, e: HttpError, what: str) -> SourceError:
    """A final HTTP error as the protocol's exception, its message saying what to do
    (:func:`.errors.explain`): it names the server, the call and Google's reason."""
    server = urlsplit(e.uri or "").netloc
    status = int(e.resp.status) if e.resp is not None else None
    return explain(source, f"{server} {what}".strip(), status, e.content)


def service_endpoint(endpoint: str | None, name: str, version: str) -> str | None:
    """A service's base URL on the server ``[google] api_endpoint`` names (tests: one local
    fake serving both APIs, Calendar under ``calendar/v3/``, People at the root)."""
    if not endpoint:
        return None
    parts = urlsplit(endpoint)
    path = f"{name}/{version}/" if name == "calendar" else ""
    return f"{parts.scheme}://{parts.netloc}/{path}"


def batch_uri(endpoint: str | None, batch_path: str) -> str | None:
    """The batch URL for an overridden endpoint (the client library keeps Google's host)."""
    if not endpoint:
        return None
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}/{batch_path}"


class GoogleApi:
    """What both adapters share: an authorized, counting HTTP client, retries and backoff.

    ``sleep`` and ``rng`` are injectable so tests never wait.
    """

    def __init__(
        self,
        name: str,
        credentials: BaseCredentials,
        google: Google,
        *,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        save_refreshed: bool = True,
    ) -> None:
        self.name = name
        self.google = google
        self.credentials = credentials
        self.max_retries = google.max_retries
        self.sleep = sleep
        self.rng = rng or random.Random()
        self._raw = _CountingHttp(timeout)
        self.http = google_auth_httplib2.AuthorizedHttp(credentials, http=self._raw)
        self._token_path = token_path(google) if save_refreshed else None
        self._last_token = getattr(credentials, "token", None)
        self._unanswered = 0  # attempts that got no answer (timeout, reset) so far

    @property
    def requests_made(self) -> int:
        return self._raw.count

    @property
    def unanswered(self) -> int:
        """Attempts so far that got no answer (retried by netweave or by httplib2 itself)."""
        return self._unanswered + self._raw.resent

    def build(self, service: str, version: str, endpoint: str | None) -> Any:
        options = {"api_endpoint": endpoint} if endpoint else None
        return build(
            service,
            version,
            http=self.http,
            static_discovery=True,
            cache_discovery=False,
            client_options=options,
        )

    def backoff(self, attempt: int, hint: float | None = None) -> float:
        """Exponential backoff with full jitter: 1, 2, 4... seconds (capped), or Retry-After."""
        base = min(MAX_BACKOFF, 2.0**attempt)
        delay = base / 2 + self.rng.uniform(0, base / 2)
        return max(delay, hint) if hint is not None else delay

    def call(self, fn: Callable[[], T], what: str, server: str) -> T:
        """Run ``fn`` (one HTTP exchange) with retries; map what is left to our errors.

        An :class:`HttpError` that is not retryable is re-raised for the caller to map
        (404, 409, 412...).
        """
        attempt = 0
        while True:
            try:
                result = fn()
                self._save_if_refreshed()
                return result
            except HttpError as e:
                failure = http_failure(e)
                if failure.status == 401:
                    raise explain(self.name, f"{server} {what}", 401, e.content) from None
                if not retryable(failure):
                    raise
            except RefreshError as e:
                raise AuthError(
                    self.name,
                    f"Google refused the stored authorization ({e.args[0] if e.args else e}): "
                    + REAUTH_HINT,
                ) from None
            except httplib2.ServerNotFoundError as e:
                raise SourceError(
                    self.name, f"{server} {what}: cannot resolve the server ({e})"
                ) from None
            except (
                TimeoutError,
                ConnectionError,
                http.client.HTTPException,
                httplib2.HttpLib2Error,
                TransportError,
                OSError,
            ) as e:
                failure = Failure(None, f"{type(e).__name__}: {e}" if str(e) else type(e).__name__)
                self._unanswered += 1
            if attempt >= self.max_retries:
                status = f"HTTP {failure.status}" if failure.status is not None else "no answer"
                raise SourceError(
                    self.name,
                    f"{server} {what}: {status} ({failure.reason}) after {attempt + 1} attempts; "
                    "Google is busy or unreachable, the next sync will try again",
                )
            self.sleep(self.backoff(attempt, failure.retry_after))
            attempt += 1

    def execute(self, request: HttpRequest, what: str) -> Any:
        server = urlsplit(request.uri).netloc
        return self.call(lambda: request.execute(num_retries=0), what, server)

    def pages(self, request: Callable[[Json], HttpRequest], what: str) -> Iterator[Json]:
        """Every page of a list call: ``request`` makes the call for the extra parameters given
        (the next ``pageToken``). An :class:`HttpError` is left for the caller to map."""
        page_token = None
        while True:
            page = self.execute(request({"pageToken": page_token} if page_token else {}), what)
            yield page
            page_token = page.get("nextPageToken")
            if not page_token:
                return

    def _save_if_refreshed(self) -> None:
        token = getattr(self.credentials, "token", None)
        if token != self._last_token:
            self._last_token = token
            if self._token_path is not None and hasattr(self.credentials, "to_json"):
                # If saving fails, the refreshed token still works for this run.
                with contextlib.suppress(OSError):
                    save_token(self._token_path, self.credentials)  # type: ignore[arg-type]


class Connection:
    """Credentials, HTTP client and services, made on first use (a config error or a missing
    token surfaces as :class:`AuthError` from the first call, where the engine reports it)."""

    def __init__(
        self,
        name: str,
        google: Google,
        credentials: BaseCredentials | None,
        timeout: float,
        sleep: Callable[[float], None],
        rng: random.Random | None,
        scopes: list[str],
    ) -> None:
        self.name = name
        self.google = google
        self.credentials = credentials
        self.timeout = timeout
        self.sleep = sleep
        self.rng = rng
        self.scopes = scopes
        self._api: GoogleApi | None = None
        self._services: dict[str, Any] = {}

    @property
    def api(self) -> GoogleApi:
        if self._api is None:
            creds = self.credentials
            save = False
            if creds is None:
                creds = load_credentials(self.google, self.scopes)
                save = True
            self._api = GoogleApi(
                self.name, creds, self.google, timeout=self.timeout, sleep=self.sleep,
                rng=self.rng, save_refreshed=save,
            )  # fmt: skip
        return self._api

    def service(self, name: str, version: str) -> Any:
        if name not in self._services:
            self._services[name] = self.api.build(
                name, version, service_endpoint(self.google.api_endpoint, name, version)
            )
        return self._services[name]

    @property
    def requests_made(self) -> int:
        return self._api.requests_made if self._api is not None else 0


def send_batch(
    api: GoogleApi,
    new_batch: Callable[[], BatchHttpRequest],
    chunk: Sequence[int],
    request: Callable[[int], HttpRequest],
    answers: dict[int, Answer],
    server: str,
) -> None:
    """One batch request holding the calls ``request(i)`` for ``i`` in ``chunk``, retried whole
    (no answer, 5xx); each call's answer lands in ``answers[i]``."""

    def run() -> None:
        answers.clear()
        batch = new_batch()
        for i in chunk:
            batch.add(
                request(i),
                callback=lambda rid, resp, err: answers.__setitem__(int(rid), (resp, err)),
                request_id=str(i),
            )
        batch.execute(http=api.http)

    api.call(run, "batch", server)


def run_batches(
    conn: Connection,
    whats: Sequence[str],
    size: int,
    send: Callable[[list[int], dict[int, Answer]], None],
    settle: Callable[[int, Answer], R],
    server: str,
) -> list[R | Exception | None]:
    """Calls ``0 .. len(whats) - 1`` in batches of ``size``; one result per call, in order.

    ``send(chunk, answers)`` sends one batch; ``settle(i, answer)`` turns call ``i``'s answer
    into its result or raises :class:`SourceError`, which becomes the result. Calls that fail
    in a retryable way are sent again, after a backoff, in a new batch; ``whats[i]`` names
    call ``i`` when it still fails after the last attempt.
    """
    results: list[R | Exception | None] = [None] * len(whats)
    source = conn.name
    pending = list(range(len(whats)))
    attempt = 0
    while pending:
        again: dict[int, Failure] = {}
        for c in range(0, len(pending), size):
            chunk = pending[c : c + size]
            answers: dict[int, Answer] = {}
            try:
                send(chunk, answers)
            except SourceError as e:
                for i in chunk:
                    results[i] = e
                continue
            for i in chunk:
                _settle_one(source, i, answers, settle, results, again)
        if again and attempt < conn.api.max_retries:
            hint = max((f.retry_after or 0.0) for f in again.values()) or None
            conn.api.sleep(conn.api.backoff(attempt, hint))
            attempt += 1
            pending = list(again)
            continue
        for i, f in again.items():
            results[i] = SourceError(
                source,
                f"{server} batch {whats[i]}: HTTP {f.status} ({f.reason}) after "
                f"{attempt + 1} attempts; Google is busy or unreachable, the next sync will "
                "try again",
            )
        break
    return results


def _settle_one(
    source: str,
    i: int,
    answers: dict[int, Answer],
    settle: Callable[[int, Answer], R],
    results: list[R | Exception | None],
    again: dict[int, Failure],
) -> None:
    """Call ``i``'s result from its answer, or a note in ``again`` that it is to be retried."""
    if i not in answers:
        results[i] = SourceError(source, "batch: no answer for this call")
        return
    answer = answers[i]
    err = answer[1]
    if err is not None:
        f = http_failure(err)
        if retryable(f):
            again[i] = f
            return
    try:
        results[i] = settle(i, answer)
    except SourceError as ex:
        results[i] = ex
