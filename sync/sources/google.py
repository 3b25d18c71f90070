"""Google Contacts (People API v1) and Google Calendar (v3), with google-api-python-client.

Thin adapters behind :class:`~sync.sources.base.AddressBook` and
:class:`~sync.sources.base.WritableCalendar`:

- :class:`GoogleContacts` reads ``people.connections.list`` at the maximum page size, keeps a
  sync token and a small cache in ``sync_state`` (a mapping the engine persists), so a
  no-change run costs two requests whatever the number of contacts; an expired token
  (EXPIRED_SYNC_TOKEN, 7 days) triggers one full resync. Tag write-back puts contacts into one
  contact group per category (``"netweave: mentors"``) with ``contactGroups.members.modify``;
  nothing else on a contact is touched.
- :class:`GoogleCalendar` reads event instances (``singleEvents``) in a window, incrementally
  with a sync token when ``sync_state`` is given (410 GONE: full resync), and falls back to
  ``freebusy.query`` for calendars shared with free/busy access only. Owned events carry
  ``extendedProperties.private`` ``{"netweave": "owned", "netweaveId": uid}``, the iCalUID of
  the plan and an event id derived from it (so a retried insert cannot duplicate); updates and
  deletes send ``If-Match`` (412 -> :class:`PreconditionFailed`); :meth:`GoogleCalendar.
  write_batch` sends many writes as batch requests. Nobody is ever invited or emailed
  (``sendUpdates=none``).

Every call is retried on 429, 403 rateLimitExceeded/userRateLimitExceeded, 5xx, timeouts and
dropped connections with exponential backoff and jitter, at most ``[google] max_retries`` times;
then :class:`SourceError` names the server, the API method and the status.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import random
import time
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import google_auth_httplib2
import httplib2
from google.auth.credentials import Credentials as BaseCredentials
from google.auth.exceptions import RefreshError, TransportError
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest, HttpRequest

from sync.config import AddressBookConfig, CalendarConfig, Google
from sync.model import CATEGORIES, Contact, Event, PlannedEvent, Problem, contact_id
from sync.sources.base import (
    AuthError,
    ContactsResult,
    EventsResult,
    NotFound,
    OwnedEvent,
    PreconditionFailed,
    SourceError,
)
from sync.sources.google_auth import (
    REAUTH_HINT,
    SCOPE_CALENDAR_EVENTS,
    SCOPE_CALENDAR_FREEBUSY,
    SCOPE_CONTACTS,
    SCOPE_CONTACTS_READONLY,
    load_credentials,
    save_token,
    token_path,
)
from sync.sources.google_auth import (
    authorize as authorize,  # re-exported for `netweave auth google`
)

T = TypeVar("T")
Json = dict[str, Any]

#: extendedProperties.private keys of owned events.
MARKER_KEY = "netweave"
MARKER_VALUE = "owned"
ID_KEY = "netweaveId"

PERSON_FIELDS = ",".join(
    (
        "names", "emailAddresses", "phoneNumbers", "organizations", "biographies",
        "memberships", "relations", "urls", "metadata",
    )
)  # fmt: skip
CONNECTIONS_PAGE = 1000  # People API maximum
EVENTS_PAGE = 2500  # Calendar API maximum
MEMBERS_MODIFY_MAX = 1000
BATCH_MAX = 1000  # Google's limit per batch request
DEFAULT_BATCH_SIZE = 100  # calls per batch netweave sends (kinder to the per-user rate limit)
RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"})
MAX_BACKOFF = 32.0


# --------------------------------------------------------------------------- transport


class _CountingHttp(httplib2.Http):
    """httplib2 with a request counter (every HTTP request, token refreshes included)."""

    def __init__(self, timeout: float | None) -> None:
        super().__init__(timeout=timeout)
        self.count = 0

    def request(self, *args: Any, **kwargs: Any) -> Any:
        self.count += 1
        return super().request(*args, **kwargs)


@dataclass(frozen=True)
class _Failure:
    status: int | None  # None: no HTTP answer (timeout, reset)
    reason: str
    retry_after: float | None = None


def _http_failure(e: HttpError) -> _Failure:
    if e.resp is None:  # a BatchError about a malformed answer
        return _Failure(None, str(e))
    reason = ""
    try:
        body = json.loads(e.content or b"{}")
        err = body.get("error", {}) if isinstance(body, dict) else {}
        if isinstance(err, dict):
            errors = err.get("errors") or []
            details = err.get("details") or []
            reasons = [x.get("reason", "") for x in [*errors, *details] if isinstance(x, dict)]
            reason = next((r for r in reasons if r), "") or str(err.get("status") or "")
            reason = reason or str(err.get("message") or "")
        elif isinstance(err, str):
            reason = err
    except (ValueError, AttributeError):
        pass
    retry_after = None
    raw = e.resp.get("retry-after") if e.resp is not None else None
    if raw:
        try:
            retry_after = float(raw)
        except ValueError:
            retry_after = None
    return _Failure(int(e.resp.status), reason or str(e.resp.reason or ""), retry_after)


def _retryable(f: _Failure) -> bool:
    if f.status is None:
        return True
    if f.status == 429 or f.status >= 500:
        return True
    return f.status == 403 and f.reason in RATE_REASONS


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

    @property
    def requests_made(self) -> int:
        return self._raw.count

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
                failure = _http_failure(e)
                if failure.status == 401:
                    raise AuthError(
                        self.name, f"{server} {what}: 401 {failure.reason}: {REAUTH_HINT}"
                    ) from None
                if not _retryable(failure):
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
                failure = _Failure(None, f"{type(e).__name__}: {e}" if str(e) else type(e).__name__)
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

    def _save_if_refreshed(self) -> None:
        token = getattr(self.credentials, "token", None)
        if token != self._last_token:
            self._last_token = token
            if self._token_path is not None and hasattr(self.credentials, "to_json"):
                # If saving fails, the refreshed token still works for this run.
                with contextlib.suppress(OSError):
                    save_token(self._token_path, self.credentials)  # type: ignore[arg-type]


def _batch_uri(endpoint: str | None, batch_path: str) -> str | None:
    """The batch URL for an overridden endpoint (the client library keeps Google's host)."""
    if not endpoint:
        return None
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}/{batch_path}"


def _status(e: HttpError) -> int:
    return int(e.resp.status)


class _Connection:
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
            self._services[name] = self.api.build(name, version, self.google.api_endpoint)
        return self._services[name]

    @property
    def requests_made(self) -> int:
        return self._api.requests_made if self._api is not None else 0


# --------------------------------------------------------------------------- contacts


class GoogleContacts:
    """Google Contacts as an :class:`~sync.sources.base.AddressBook`.

    ``sync_state`` is a mapping private to this source that the engine persists (SQLite); a
    plain dict works. Without it every read is a full read.
    """

    def __init__(
        self,
        config: AddressBookConfig,
        google: Google,
        sync_state: MutableMapping[str, str] | None = None,
        *,
        credentials: BaseCredentials | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.name = config.name
        self.config = config
        self.google = google
        self.state: MutableMapping[str, str] = sync_state if sync_state is not None else {}
        self._conn = _Connection(
            self.name, google, credentials, config.timeout, sleep, rng,
            [SCOPE_CONTACTS if config.write_tags else SCOPE_CONTACTS_READONLY],
        )  # fmt: skip
        self._prefix = "people:"
        self._people: dict[str, Json] = {}  # contact id -> person (as last read)
        self._groups: dict[str, str] = {}  # resourceName -> name

    @property
    def api(self) -> GoogleApi:
        return self._conn.api

    @property
    def service(self) -> Any:
        return self._conn.service("people", "v1")

    @property
    def requests_made(self) -> int:
        return self._conn.requests_made

    @property
    def can_write_tags(self) -> bool:
        return self.config.write_tags

    # -- reading

    def read(self) -> ContactsResult:
        self._groups = self._list_groups()
        people = self._sync_people()
        result = ContactsResult()
        self._people = {}
        for rn, person in sorted(people.items()):
            try:
                contact = self._contact(person)
            except (KeyError, TypeError, ValueError, AttributeError) as e:
                result.problems.append(Problem(self.name, f"unreadable contact: {e!r}", rn))
                continue
            if contact is None:
                result.problems.append(
                    Problem(self.name, "contact has no name, email or phone", rn)
                )
                continue
            result.contacts.append(contact)
            self._people[contact.id] = person
        return result

    def _sync_people(self) -> dict[str, Json]:
        token = self.state.get(self._prefix + "syncToken")
        if token:
            try:
                return self._incremental(token)
            except _ExpiredToken:
                pass
        return self._full()

    def _pages(self, **params: Any) -> Iterator[Json]:
        page_token = None
        while True:
            req = (
                self.service.people()
                .connections()
                .list(
                    resourceName="people/me",
                    personFields=PERSON_FIELDS,
                    pageSize=CONNECTIONS_PAGE,
                    requestSyncToken=True,
                    **params,
                    **({"pageToken": page_token} if page_token else {}),
                )
            )
            try:
                page = self.api.execute(req, "people.connections.list")
            except HttpError as e:
                if _status(e) == 400 and "EXPIRED_SYNC_TOKEN" in (e.content or b"").decode(
                    errors="replace"
                ):
                    raise _ExpiredToken() from None
                if _status(e) == 400 and "syncToken" in params:
                    raise _ExpiredToken() from None
                raise self._error(e, "people.connections.list") from None
            yield page
            page_token = page.get("nextPageToken")
            if not page_token:
                return

    def _full(self) -> dict[str, Json]:
        people: dict[str, Json] = {}
        token = None
        for page in self._pages():
            for p in page.get("connections", []):
                if isinstance(p, dict) and p.get("resourceName"):
                    people[p["resourceName"]] = p
            token = page.get("nextSyncToken", token)
        for key in [k for k in self.state if k.startswith(self._prefix + "p:")]:
            if key[len(self._prefix) + 2 :] not in people:
                del self.state[key]
        for rn, p in people.items():
            self.state[self._prefix + "p:" + rn] = json.dumps(p, separators=(",", ":"))
        if token:
            self.state[self._prefix + "syncToken"] = token
        else:
            self.state.pop(self._prefix + "syncToken", None)
        return people

    def _incremental(self, token: str) -> dict[str, Json]:
        changed: dict[str, Json | None] = {}
        new_token = None
        for page in self._pages(syncToken=token):
            for p in page.get("connections", []):
                if not isinstance(p, dict) or not p.get("resourceName"):
                    continue
                deleted = bool((p.get("metadata") or {}).get("deleted"))
                changed[p["resourceName"]] = None if deleted else p
            new_token = page.get("nextSyncToken", new_token)
        for rn, p in changed.items():
            if p is None:
                self.state.pop(self._prefix + "p:" + rn, None)
            else:
                self.state[self._prefix + "p:" + rn] = json.dumps(p, separators=(",", ":"))
        if new_token:
            self.state[self._prefix + "syncToken"] = new_token
        people: dict[str, Json] = {}
        plen = len(self._prefix) + 2
        for key, raw in list(self.state.items()):
            if key.startswith(self._prefix + "p:"):
                try:
                    people[key[plen:]] = json.loads(raw)
                except ValueError:
                    raise _ExpiredToken() from None  # a damaged cache: read everything again
        return people

    def _list_groups(self) -> dict[str, str]:
        groups: dict[str, str] = {}
        page_token = None
        while True:
            req = self.service.contactGroups().list(
                pageSize=1000, **({"pageToken": page_token} if page_token else {})
            )
            try:
                page = self.api.execute(req, "contactGroups.list")
            except HttpError as e:
                raise self._error(e, "contactGroups.list") from None
            for g in page.get("contactGroups", []):
                if g.get("groupType") == "USER_CONTACT_GROUP":
                    groups[g["resourceName"]] = g.get("formattedName") or g.get("name", "")
            page_token = page.get("nextPageToken")
            if not page_token:
                return groups

    def _contact(self, p: Json) -> Contact | None:
        rn = p["resourceName"]
        name = _primary(p.get("names"), "displayName") or _primary(
            p.get("names"), "unstructuredName"
        )
        emails = tuple(x["value"].strip() for x in p.get("emailAddresses") or [] if x.get("value"))
        phones = tuple(x["value"].strip() for x in p.get("phoneNumbers") or [] if x.get("value"))
        org = (p.get("organizations") or [{}])[0]
        name = (
            name
            or org.get("name")
            or (emails[0] if emails else "")
            or (phones[0] if phones else "")
        )
        if not name:
            return None
        groups = []
        prefix = self.config.tag_prefix
        for rg in _membership_names(p):
            gname = self._groups.get(rg)
            if gname and not gname.startswith(prefix):
                groups.append(gname)
        extra = [("google_resource", rn)]
        extra += [("url", u["value"]) for u in p.get("urls") or [] if u.get("value")][:1]
        return Contact(
            id=contact_id(rn, emails, name),
            name=name.strip(),
            emails=emails,
            phones=phones,
            organization=org.get("name") or None,
            title=org.get("title") or None,
            note=_primary(p.get("biographies"), "value") or "",
            source_categories=tuple(groups),
            relations=tuple(
                str(r.get("type") or r.get("formattedType")).lower()
                for r in p.get("relations") or []
                if r.get("type") or r.get("formattedType")
            ),
            uid=rn,
            sources=(self.name,),
            extra=tuple(extra),
        )

    # -- writing tags

    def write_tags(self, tags: Mapping[str, tuple[str, ...]]) -> list[Problem]:
        """Make netweave's contact groups match ``tags`` (contact id -> categories).

        Only contacts read from this book and present in ``tags`` are touched, and only their
        membership in groups named ``tag_prefix + category``.
        """
        if not self.config.write_tags:
            return []
        problems: list[Problem] = []
        if not self._people:
            self.read()
        prefix = self.config.tag_prefix
        wanted_cats = sorted({c for cats in tags.values() for c in cats if c in CATEGORIES})
        try:
            self._groups = self._list_groups()
            by_name = {n: rn for rn, n in self._groups.items() if n.startswith(prefix)}
            for cat in wanted_cats:
                if prefix + cat not in by_name:
                    by_name[prefix + cat] = self._create_group(prefix + cat)
        except SourceError as e:
            return [Problem(self.name, e.message, "contactGroups")]
        for gname, grn in sorted(by_name.items()):
            cat = gname[len(prefix) :]
            if cat not in CATEGORIES:
                continue  # not one of ours (a user group that happens to share the prefix)
            add, remove = [], []
            for cid, cats in tags.items():
                person = self._people.get(cid)
                if person is None:
                    continue
                member = grn in _membership_names(person)
                if cat in cats and not member:
                    add.append(person["resourceName"])
                elif cat not in cats and member:
                    remove.append(person["resourceName"])
            problems += self._modify(grn, gname, sorted(add), sorted(remove))
        return problems

    def _create_group(self, name: str) -> str:
        req = self.service.contactGroups().create(body={"contactGroup": {"name": name}})
        try:
            return str(self.api.execute(req, "contactGroups.create")["resourceName"])
        except HttpError as e:
            if _status(e) != 409:
                raise self._error(e, "contactGroups.create") from None
        # Someone created it meanwhile: use theirs.
        self._groups = self._list_groups()
        for rn, n in self._groups.items():
            if n == name:
                return rn
        raise SourceError(self.name, f"contact group {name!r} exists (409) but is not listed")

    def _modify(self, grn: str, gname: str, add: list[str], remove: list[str]) -> list[Problem]:
        problems = []
        ops = [("add", rn) for rn in add] + [("remove", rn) for rn in remove]
        for i in range(0, len(ops), MEMBERS_MODIFY_MAX):
            chunk = ops[i : i + MEMBERS_MODIFY_MAX]
            body: Json = {}
            adds = [rn for op, rn in chunk if op == "add"]
            removes = [rn for op, rn in chunk if op == "remove"]
            if adds:
                body["resourceNamesToAdd"] = adds
            if removes:
                body["resourceNamesToRemove"] = removes
            req = self.service.contactGroups().members().modify(resourceName=grn, body=body)
            try:
                resp = self.api.execute(req, "contactGroups.members.modify")
            except HttpError as e:
                problems.append(
                    Problem(
                        self.name, self._error(e, "contactGroups.members.modify").message, gname
                    )
                )
                continue
            except SourceError as e:
                problems.append(Problem(self.name, e.message, gname))
                continue
            resp = resp if isinstance(resp, dict) else {}
            missing = set(resp.get("notFoundResourceNames", []))
            missing |= set(resp.get("canNotRemoveLastContactGroupResourceNames", []))
            for rn in sorted(missing):
                problems.append(Problem(self.name, f"could not change membership in {gname!r}", rn))
            for op, rn in chunk:
                if rn in missing:
                    continue
                for person in self._people.values():
                    if person["resourceName"] == rn:
                        _set_membership(person, grn, op == "add")
        return problems

    def _error(self, e: HttpError, what: str) -> SourceError:
        f = _http_failure(e)
        server = urlsplit(e.uri or "").netloc
        if f.status == 403:
            return AuthError(self.name, f"{server} {what}: 403 {f.reason}: {REAUTH_HINT}")
        return SourceError(self.name, f"{server} {what}: HTTP {f.status} ({f.reason})")


class _ExpiredToken(Exception):
    pass


def _primary(items: Any, key: str) -> str:
    if not items:
        return ""
    for it in items:
        if (it.get("metadata") or {}).get("primary") and it.get(key):
            return str(it[key])
    return str(items[0].get(key) or "")


def _membership_names(person: Json) -> set[str]:
    return {
        (m.get("contactGroupMembership") or {}).get("contactGroupResourceName", "")
        for m in person.get("memberships") or []
    } - {""}


def _set_membership(person: Json, grn: str, member: bool) -> None:
    ms = [
        m
        for m in person.get("memberships") or []
        if (m.get("contactGroupMembership") or {}).get("contactGroupResourceName") != grn
    ]
    if member:
        gid = grn.split("/", 1)[-1]
        ms.append(
            {"contactGroupMembership": {"contactGroupId": gid, "contactGroupResourceName": grn}}
        )
    person["memberships"] = ms


# --------------------------------------------------------------------------- calendar


def event_id_for(uid: str) -> str:
    """The Google event id netweave uses for a planned UID (base32hex alphabet, stable)."""
    return hashlib.sha256(uid.encode("utf-8")).hexdigest()[:40]


def rfc3339(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _when(dt: datetime) -> Json:
    out: Json = {"dateTime": dt.isoformat()}
    if isinstance(dt.tzinfo, ZoneInfo):
        out["timeZone"] = dt.tzinfo.key
    return out


def event_body(event: PlannedEvent, sequence: int | None = None) -> Json:
    """The Google event resource for a planned event, with netweave's ownership marker."""
    body: Json = {
        "id": event_id_for(event.uid),
        "iCalUID": event.uid,
        "summary": event.title,
        "location": event.location,
        "description": event.description,
        "start": _when(event.start),
        "end": _when(event.end),
        "visibility": "private" if event.private else "default",
        "transparency": "transparent" if event.transparent else "opaque",
        "status": "confirmed",
        "extendedProperties": {"private": {MARKER_KEY: MARKER_VALUE, ID_KEY: event.uid}},
        "reminders": {"useDefault": True},
        "guestsCanSeeOtherGuests": False,
    }
    if sequence is not None:
        body["sequence"] = sequence
    return body


def _parse_when(w: Json, tz: tzinfo) -> tuple[datetime, bool]:
    if "dateTime" in w:
        dt = datetime.fromisoformat(w["dateTime"])
        zone: tzinfo = tz
        if w.get("timeZone"):
            try:
                zone = ZoneInfo(w["timeZone"])
            except (ValueError, KeyError):  # not an IANA name: keep the offset given
                zone = tz
        dt = dt.replace(tzinfo=zone) if dt.tzinfo is None else dt.astimezone(zone)
        return dt, False
    if "date" in w:
        return datetime.combine(date.fromisoformat(w["date"]), datetime.min.time(), tz), True
    raise ValueError(f"no dateTime or date in {w!r}")


def _to_event(item: Json, tz: tzinfo, source: str) -> Event:
    start, all_day = _parse_when(item["start"], tz)
    end, _ = _parse_when(item["end"], tz)
    if end < start:
        raise ValueError("ends before it starts")
    attendees = [a for a in item.get("attendees") or [] if isinstance(a, dict)]
    declined = any(a.get("self") and a.get("responseStatus") == "declined" for a in attendees)
    emails = [str(a["email"]).lower() for a in attendees if a.get("email")]
    org = (item.get("organizer") or {}).get("email")
    if org and org.lower() not in emails:
        emails.insert(0, str(org).lower())
    recurrence_id = None
    if item.get("originalStartTime"):
        recurrence_id, _ = _parse_when(item["originalStartTime"], tz)
    private = (item.get("extendedProperties") or {}).get("private") or {}
    return Event(
        uid=str(item.get("iCalUID") or item["id"]),
        summary=str(item.get("summary") or ""),
        start=start,
        end=end,
        all_day=all_day,
        transparent=item.get("transparency") == "transparent"
        or declined
        or item.get("eventType") == "workingLocation",
        cancelled=item.get("status") == "cancelled",
        attendees=tuple(emails),
        location=str(item.get("location") or ""),
        source=source,
        recurrence_id=recurrence_id,
        netweave_id=private.get(ID_KEY) if private.get(MARKER_KEY) == MARKER_VALUE else None,
    )


def _to_owned(item: Json, tz: tzinfo) -> OwnedEvent:
    private = (item.get("extendedProperties") or {}).get("private") or {}
    start, _ = _parse_when(item["start"], tz)
    end, _ = _parse_when(item["end"], tz)
    return OwnedEvent(
        nid=str(private[ID_KEY]),
        href=str(item["id"]),
        etag=str(item["etag"]),
        start=start,
        end=end,
        title=str(item.get("summary") or ""),
        location=str(item.get("location") or ""),
        sequence=int(item.get("sequence") or 0),
        transparent=item.get("transparency") == "transparent",
    )


_CACHE_KEYS = (
    "id", "status", "iCalUID", "summary", "location", "start", "end", "transparency",
    "attendees", "organizer", "recurringEventId", "originalStartTime", "eventType",
    "extendedProperties",
)  # fmt: skip


def _slim(item: Json) -> Json:
    out = {k: item[k] for k in _CACHE_KEYS if k in item}
    if "attendees" in out:
        out["attendees"] = [
            {k: a[k] for k in ("email", "self", "responseStatus") if k in a}
            for a in out["attendees"]
            if isinstance(a, dict)
        ]
    return out


@dataclass(frozen=True)
class WriteOp:
    kind: str  # insert | update | delete
    event: PlannedEvent | None = None
    href: str = ""
    etag: str = ""
    sequence: int | None = None


class GoogleCalendar:
    """One Google calendar as a :class:`~sync.sources.base.WritableCalendar`.

    ``tz`` is the owner's zone (all-day events span its days). ``sync_state``, when given, is a
    mapping private to this calendar that the engine persists: reads become incremental.
    ``free_busy_only`` reads busy time with freebusy.query (no titles); without it, a calendar
    whose events cannot be listed (shared free/busy only) falls back to it.
    """

    def __init__(
        self,
        config: CalendarConfig,
        google: Google,
        tz: tzinfo,
        sync_state: MutableMapping[str, str] | None = None,
        *,
        credentials: BaseCredentials | None = None,
        free_busy_only: bool = False,
        batch_size: int = DEFAULT_BATCH_SIZE,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.name = config.name
        self.config = config
        self.calendar_id = config.calendar_id
        self.tz = tz
        self.state = sync_state
        self.free_busy_only = free_busy_only
        self.batch_size = max(1, min(BATCH_MAX, batch_size))
        self._conn = _Connection(
            self.name, google, credentials, config.timeout, sleep, rng,
            [SCOPE_CALENDAR_EVENTS, SCOPE_CALENDAR_FREEBUSY],
        )  # fmt: skip
        self._batch_uri = _batch_uri(google.api_endpoint, "batch/calendar/v3")
        self._prefix = "gcal:"
        self.problems: list[Problem] = []  # what list_owned could not read

    @property
    def api(self) -> GoogleApi:
        return self._conn.api

    @property
    def service(self) -> Any:
        return self._conn.service("calendar", "v3")

    @property
    def requests_made(self) -> int:
        return self._conn.requests_made

    # -- reading busy time

    def read(self, start: datetime, end: datetime) -> EventsResult:
        if self.free_busy_only:
            return self._freebusy(start, end)
        try:
            if self.state is None:
                items = self._list_window(start, end)
            else:
                items = self._incremental(start, end)
        except _NoEventAccess:
            return self._freebusy(start, end)
        result = EventsResult()
        for item in items:
            if item.get("status") == "cancelled":
                continue
            try:
                ev = _to_event(item, self.tz, self.name)
            except (KeyError, TypeError, ValueError) as e:
                result.problems.append(
                    Problem(self.name, f"unreadable event: {e}", f"event {item.get('id', '?')}")
                )
                continue
            if (
                ev.end > start
                and ev.start < end
                or (ev.start == ev.end and start <= ev.start < end)
            ):
                result.events.append(ev)
        result.events.sort(key=lambda e: (e.start, e.end, e.uid))
        return result

    def _events_list(
        self, what: str = "events.list", **params: Any
    ) -> tuple[list[Json], str | None]:
        items: list[Json] = []
        page_token = None
        sync_token = None
        while True:
            req = self.service.events().list(
                calendarId=self.calendar_id,
                maxResults=EVENTS_PAGE,
                **params,
                **({"pageToken": page_token} if page_token else {}),
            )
            try:
                page = self.api.execute(req, what)
            except HttpError as e:
                status = _status(e)
                if status == 410:
                    raise _Gone() from None
                if status == 404 or (status == 403 and _http_failure(e).reason not in RATE_REASONS):
                    raise _NoEventAccess() from None
                raise self._error(e, what) from None
            items.extend(i for i in page.get("items", []) if isinstance(i, dict))
            page_token = page.get("nextPageToken")
            sync_token = page.get("nextSyncToken", sync_token)
            if not page_token:
                return items, sync_token

    def _list_window(self, start: datetime, end: datetime) -> list[Json]:
        items, _ = self._events_list(
            timeMin=rfc3339(start), timeMax=rfc3339(end), singleEvents=True, showDeleted=False
        )
        return items

    def _key(self, suffix: str) -> str:
        return f"{self._prefix}{self.calendar_id}:{suffix}"

    def _incremental(self, start: datetime, end: datetime) -> list[Json]:
        assert self.state is not None
        state = self.state
        token = state.get(self._key("token"))
        window = state.get(self._key("window"))
        ev_prefix = self._key("ev:")
        cache: dict[str, Json] = {}
        for key, raw in list(state.items()):
            if key.startswith(ev_prefix):
                try:
                    cache[key[len(ev_prefix) :]] = json.loads(raw)
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
                changes, new_token = self._events_list(syncToken=token, singleEvents=True)
                ws, we = (datetime.fromisoformat(x) for x in (window or "").split("/"))
                self._apply_changes(cache, changes, ws, we, state, ev_prefix)
                if new_token:
                    state[self._key("token")] = new_token
                return list(cache.values())
            except _Gone:
                pass
        # Full sync over a window wider than asked, so the next runs stay incremental.
        ws, we = start, end + max(end - start, timedelta(days=28))
        items, new_token = self._events_list(
            timeMin=rfc3339(ws), timeMax=rfc3339(we), singleEvents=True, showDeleted=False
        )
        for key in [k for k in state if k.startswith(ev_prefix)]:
            del state[key]
        fresh = {}
        for item in items:
            if item.get("id") and item.get("status") != "cancelled":
                fresh[item["id"]] = _slim(item)
                state[ev_prefix + item["id"]] = json.dumps(fresh[item["id"]], separators=(",", ":"))
        if new_token:
            state[self._key("token")] = new_token
            state[self._key("window")] = f"{ws.isoformat()}/{we.isoformat()}"
        else:
            state.pop(self._key("token"), None)
        return list(fresh.values())

    def _apply_changes(
        self,
        cache: dict[str, Json],
        changes: list[Json],
        ws: datetime,
        we: datetime,
        state: MutableMapping[str, str],
        ev_prefix: str,
    ) -> None:
        series: set[str] = set()

        def drop(eid: str) -> None:
            cache.pop(eid, None)
            state.pop(ev_prefix + eid, None)

        def put(item: Json) -> None:
            slim = _slim(item)
            cache[item["id"]] = slim
            state[ev_prefix + item["id"]] = json.dumps(slim, separators=(",", ":"))

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
                instances, _ = self._instances(sid, ws, we)
            except (_Gone, _NoEventAccess):
                instances = []
            for other in [k for k, v in cache.items() if v.get("recurringEventId") == sid]:
                drop(other)
            for inst in instances:
                if inst.get("id") and inst.get("status") != "cancelled":
                    put(inst)

    def _instances(self, event_id: str, ws: datetime, we: datetime) -> tuple[list[Json], None]:
        items: list[Json] = []
        page_token = None
        while True:
            req = self.service.events().instances(
                calendarId=self.calendar_id,
                eventId=event_id,
                timeMin=rfc3339(ws),
                timeMax=rfc3339(we),
                maxResults=EVENTS_PAGE,
                **({"pageToken": page_token} if page_token else {}),
            )
            try:
                page = self.api.execute(req, "events.instances")
            except HttpError as e:
                if _status(e) in (404, 410):
                    raise _Gone() from None
                raise self._error(e, "events.instances") from None
            items.extend(i for i in page.get("items", []) if isinstance(i, dict))
            page_token = page.get("nextPageToken")
            if not page_token:
                return items, None

    def _freebusy(self, start: datetime, end: datetime) -> EventsResult:
        body = {
            "timeMin": rfc3339(start),
            "timeMax": rfc3339(end),
            "items": [{"id": self.calendar_id}],
        }
        req = self.service.freebusy().query(body=body)
        try:
            resp = self.api.execute(req, "freebusy.query")
        except HttpError as e:
            raise self._error(e, "freebusy.query") from None
        cal = (resp.get("calendars") or {}).get(self.calendar_id) or {}
        if cal.get("errors"):
            reasons = ", ".join(str(x.get("reason")) for x in cal["errors"])
            raise SourceError(
                self.name,
                f"calendar {self.calendar_id!r}: {reasons}; check calendar_id and that it is "
                "shared with you (`netweave auth google` lists your calendars)",
            )
        result = EventsResult()
        for i, b in enumerate(cal.get("busy") or []):
            try:
                bs, be = datetime.fromisoformat(b["start"]), datetime.fromisoformat(b["end"])
            except (KeyError, ValueError) as ex:
                result.problems.append(
                    Problem(self.name, f"bad free/busy interval: {ex}", f"busy[{i}]")
                )
                continue
            result.events.append(
                Event(
                    uid=f"freebusy-{self.calendar_id}-{rfc3339(bs)}",
                    summary="Busy",
                    start=bs,
                    end=be,
                    source=self.name,
                )
            )
        return result

    def list_calendars(self) -> list[Json]:
        """The user's calendars (id, summary, accessRole), for `netweave auth google`."""
        out: list[Json] = []
        page_token = None
        while True:
            req = self.service.calendarList().list(
                maxResults=250, **({"pageToken": page_token} if page_token else {})
            )
            try:
                page = self.api.execute(req, "calendarList.list")
            except HttpError as e:
                raise self._error(e, "calendarList.list") from None
            out += [
                {k: c.get(k) for k in ("id", "summary", "accessRole", "primary")}
                for c in page.get("items", [])
            ]
            page_token = page.get("nextPageToken")
            if not page_token:
                return out

    # -- owned events

    def list_owned(self) -> list[OwnedEvent]:
        items, _ = self._owned_items()
        owned = []
        self.problems = []
        for item in items:
            try:
                owned.append(_to_owned(item, self.tz))
            except (KeyError, TypeError, ValueError) as e:
                self.problems.append(
                    Problem(self.name, f"unreadable owned event: {e}", item.get("id"))
                )
        return owned

    def _owned_items(self) -> tuple[list[Json], str | None]:
        try:
            return self._events_list(
                "events.list(owned)",
                privateExtendedProperty=f"{MARKER_KEY}={MARKER_VALUE}",
                showDeleted=False,
            )
        except (_NoEventAccess, _Gone):
            raise SourceError(
                self.name, f"calendar {self.calendar_id!r} cannot be listed: is it yours to write?"
            ) from None

    def insert(self, event: PlannedEvent) -> OwnedEvent:
        return self._single(WriteOp("insert", event=event))  # type: ignore[return-value]

    def update(self, href: str, etag: str, event: PlannedEvent, sequence: int) -> OwnedEvent:
        op = WriteOp("update", event=event, href=href, etag=etag, sequence=sequence)
        return self._single(op)  # type: ignore[return-value]

    def delete(self, href: str, etag: str) -> None:
        self._single(WriteOp("delete", href=href, etag=etag))

    def _single(self, op: WriteOp) -> OwnedEvent | None:
        req = self._request(op)
        try:
            resp = self.api.execute(req, f"events.{op.kind}")
        except HttpError as e:
            return self._settle(op, e)
        return self._outcome(op, resp)

    def write_batch(
        self,
        inserts: Sequence[PlannedEvent] = (),
        updates: Sequence[tuple[str, str, PlannedEvent, int]] = (),
        deletes: Sequence[tuple[str, str]] = (),
    ) -> list[OwnedEvent | None | Exception]:
        """Many writes in batch requests. One result per op, in order inserts, updates, deletes:
        the :class:`OwnedEvent` written, ``None`` for a delete, or the exception that op would
        have raised alone (:class:`PreconditionFailed`, :class:`NotFound`, :class:`SourceError`).
        """
        ops = [WriteOp("insert", event=e) for e in inserts]
        ops += [WriteOp("update", event=e, href=h, etag=t, sequence=s) for h, t, e, s in updates]
        ops += [WriteOp("delete", href=h, etag=t) for h, t in deletes]
        results: list[OwnedEvent | None | Exception] = [None] * len(ops)
        pending = list(range(len(ops)))
        attempt = 0
        while pending:
            again: list[int] = []
            last: dict[int, _Failure] = {}
            for c in range(0, len(pending), self.batch_size):
                chunk = pending[c : c + self.batch_size]
                answers: dict[int, tuple[Any, HttpError | None]] = {}
                try:
                    self._send_batch(ops, chunk, answers)
                except SourceError as e:
                    for i in chunk:
                        results[i] = e
                    continue
                for i in chunk:
                    resp, err = answers.get(i, (None, None))
                    if err is None and i not in answers:
                        results[i] = SourceError(self.name, "batch: no answer for this call")
                        continue
                    if err is not None:
                        f = _http_failure(err)
                        if _retryable(f):
                            again.append(i)
                            last[i] = f
                            continue
                        try:
                            results[i] = self._settle(ops[i], err)
                        except SourceError as ex:
                            results[i] = ex
                        continue
                    try:
                        results[i] = self._outcome(ops[i], resp)
                    except SourceError as ex:
                        results[i] = ex
            if again and attempt < self.api.max_retries:
                hint = max((f.retry_after or 0.0) for f in last.values()) or None
                self.api.sleep(self.api.backoff(attempt, hint))
                attempt += 1
                pending = again
                continue
            server = urlsplit(self._batch_uri or "https://www.googleapis.com/").netloc
            for i in again:
                f = last[i]
                results[i] = SourceError(
                    self.name,
                    f"{server} batch events.{ops[i].kind}: HTTP {f.status} ({f.reason}) after "
                    f"{attempt + 1} attempts; Google is busy or unreachable, the next sync will "
                    "try again",
                )
            break
        return results

    def _send_batch(
        self, ops: list[WriteOp], chunk: list[int], answers: dict[int, tuple[Any, HttpError | None]]
    ) -> None:
        def run() -> None:
            answers.clear()
            batch = (
                BatchHttpRequest(batch_uri=self._batch_uri)
                if self._batch_uri
                else self.service.new_batch_http_request()
            )
            for i in chunk:
                batch.add(
                    self._request(ops[i]),
                    callback=lambda rid, resp, err: answers.__setitem__(int(rid), (resp, err)),
                    request_id=str(i),
                )
            batch.execute(http=self.api.http)

        server = urlsplit(self._batch_uri or "https://www.googleapis.com/").netloc
        try:
            self.api.call(run, "batch", server)
        except HttpError as e:
            raise self._error(e, "batch") from None

    def _request(self, op: WriteOp) -> HttpRequest:
        events = self.service.events()
        if op.kind == "insert":
            assert op.event is not None
            return events.insert(
                calendarId=self.calendar_id, body=event_body(op.event), sendUpdates="none"
            )
        if op.kind == "update":
            assert op.event is not None
            body = event_body(op.event, op.sequence)
            body["id"] = op.href
            req = events.update(
                calendarId=self.calendar_id, eventId=op.href, body=body, sendUpdates="none"
            )
        else:
            req = events.delete(calendarId=self.calendar_id, eventId=op.href, sendUpdates="none")
        if op.etag:
            req.headers["If-Match"] = op.etag
        return req

    def _outcome(self, op: WriteOp, resp: Any) -> OwnedEvent | None:
        if op.kind == "delete":
            return None
        try:
            return _to_owned(resp, self.tz)
        except (KeyError, TypeError, ValueError) as e:
            raise SourceError(self.name, f"events.{op.kind}: unexpected answer ({e})") from None

    def _settle(self, op: WriteOp, e: HttpError) -> OwnedEvent | None:
        """Map a final HTTP error of a write to the protocol's exceptions (or recover)."""
        status = _status(e)
        what = f"events.{op.kind} {op.href or (op.event.uid if op.event else '')}"
        if status == 412:
            if self._is_deleted(op.href):
                raise NotFound(self.name, f"{what}: deleted")
            raise PreconditionFailed(self.name, f"{what}: changed since read (etag {op.etag})")
        if status in (404, 410) and op.kind != "insert":
            raise NotFound(self.name, f"{what}: gone")
        if status == 409 and op.kind == "insert":
            assert op.event is not None
            return self._insert_conflict(op.event)
        raise self._error(e, what)

    def _is_deleted(self, event_id: str) -> bool:
        """Google keeps deleted events (status cancelled): a 412 on one means it is gone."""
        req = self.service.events().get(calendarId=self.calendar_id, eventId=event_id)
        try:
            current = self.api.execute(req, "events.get")
        except HttpError as e:
            return _status(e) in (404, 410)
        return isinstance(current, dict) and current.get("status") == "cancelled"

    def _insert_conflict(self, event: PlannedEvent) -> OwnedEvent:
        """The event id exists: a cancelled copy is brought back; a live one is a conflict."""
        eid = event_id_for(event.uid)
        req = self.service.events().get(calendarId=self.calendar_id, eventId=eid)
        try:
            current = self.api.execute(req, "events.get")
        except HttpError as e:
            raise self._error(e, f"events.get {eid}") from None
        if current.get("status") != "cancelled":
            raise PreconditionFailed(self.name, f"{event.uid} exists already as event {eid}")
        op = WriteOp(
            "update", event=event, href=eid, etag=str(current.get("etag", "")),
            sequence=int(current.get("sequence") or 0) + 1,
        )  # fmt: skip
        owned = self._single(op)
        assert owned is not None
        return owned

    def _error(self, e: HttpError, what: str) -> SourceError:
        f = _http_failure(e)
        server = urlsplit(e.uri or "").netloc
        if f.status == 403 and f.reason not in RATE_REASONS:
            return AuthError(self.name, f"{server} {what}: 403 {f.reason}: {REAUTH_HINT}")
        return SourceError(self.name, f"{server} {what}: HTTP {f.status} ({f.reason})")


class _Gone(Exception):
    pass


class _NoEventAccess(Exception):
    pass
