"""A local fake of the Google REST APIs netweave uses, as Google really behaves.

A real threaded HTTP server on 127.0.0.1 (random port) that the real google-api-python-client
talks to (``api_endpoint`` client option, static discovery documents). It implements:

Calendar v3 (under ``/calendar/v3/``)
    events.list (timeMin/timeMax/singleEvents/orderBy/pageToken/maxResults capped at 2,500/
    syncToken/showDeleted/q/iCalUID/updatedMin/privateExtendedProperty), events.get/insert/
    update/patch/delete/instances with etags (``If-Match`` -> 412 conditionNotMet),
    freebusy.query, calendarList.list, and the batch endpoint ``/batch/calendar/v3``
    (multipart/mixed, at most 1,000 calls, each counted).
    nextSyncToken comes only on the last page; syncToken cannot be combined with timeMin/timeMax/
    q/orderBy/iCalUID/updatedMin/privateExtendedProperty (400); an expired or unknown token
    answers 410 GONE; incremental results carry deleted events as ``status: cancelled``.
    Recurring events (RRULE/EXDATE) are expanded for ``singleEvents=true``.
People v1 (under ``/v1/``)
    people.connections.list (personFields required, pageSize <= 1,000, requestSyncToken,
    syncToken; deleted contacts come back with ``metadata.deleted``), people.get,
    contactGroups.list/create (409 on an existing name), contactGroups.members.modify
    (<= 1,000 names), people.updateContact (etag; stale -> 400 FAILED_PRECONDITION).
OAuth
    ``/token``: refresh_token and authorization_code grants; a revoked refresh token answers
    400 invalid_grant. With ``require_auth`` set, API calls need a Bearer token it issued (else
    401, which makes google-auth refresh and retry).

Google behaviours the client was once wrong about, and where each comes from
    - **Event ids are permanent.** An insert with an ``id`` (or ``iCalUID``) used before in the
      calendar answers 409 duplicate, even after the event was deleted (deleted events stay as
      ``status: cancelled``) and even after it was purged; updating or patching a cancelled
      event answers 403 forbidden (it cannot be brought back); after :meth:`FakeGoogle.purge`
      events.get answers 404. [Calendar discovery document, ``Event.id``: "the ID must be
      unique per calendar"; google-api-python-client issues #210 and #846; google-api-ruby-
      client issue #1811; ical_to_gcal_sync issue #12 (the 403 on bringing a cancelled event
      back is reported there, not documented)]
    - **Supply ``id`` or ``iCalUID`` at creation, not both**: both answer 400 here. [discovery
      document, ``Event.iCalUID``: "only one of them should be supplied at event creation
      time". What Google really answers to both is not documented; refusing is the strict
      reading.]
    - **events.update is a full replace** (fields not sent, such as attendees, reminders,
      colorId, description, are cleared); **events.patch changes only what it sends**, and
      ``extendedProperties.private`` keys are merged. [Events: update and Events: patch
      reference pages]
    - **freebusy.query refuses long ranges**: a range longer than
      :data:`FREEBUSY_MAX_DAYS` (90) days answers 400 ``timeRangeTooLong`` "The requested time
      range is too long." Google does not document the limit; cal.com (PRs #11696, #11962)
      met this error and queries in pieces of about 90 days, so the fake refuses anything
      longer: a conservative model, the real limit may be larger.
    - **Partial consent**: since 2024 the consent screen lets people untick scopes; the token
      endpoint then answers with only the scopes granted (:attr:`FakeGoogle.consent_grants`),
      and a call whose method needs a scope the access token lacks answers 403
      ``insufficientPermissions`` (ACCESS_TOKEN_SCOPE_INSUFFICIENT). Which scopes each method
      accepts is read from the discovery documents that google-api-python-client ships.
      [Google's granular OAuth consent guide; discovery documents, ``methods.*.scopes``]
    - **403 reasons** (:meth:`FakeGoogle.fail` kinds, :meth:`FakeGoogle.disable_api`):
      ``accessNotConfigured`` (the API is not enabled in the Cloud project; the message
      carries the console link, the details an ErrorInfo ``SERVICE_DISABLED`` with
      ``activationUrl``), ``quotaExceeded``, ``dailyLimitExceeded``, ``forbidden``,
      ``insufficientPermissions``, ``rateLimitExceeded``. [Calendar "Handle API errors" guide;
      Google Cloud error model, ErrorInfo]
    - **Answers lost after processing** (fail kind ``lost``): the call is carried out, then the
      connection drops before the answer; the client sees a connection error although the
      write landed. [any HTTP API; Google's "Handle API errors" asks for retries with backoff,
      which then meet their own earlier write]
    - **People sync tokens expire 7 days after the FULL sync**, not after the incremental sync
      that returned them. [people.v1 discovery document, ``connections.list`` description:
      "Sync tokens expire 7 days after the full sync"]

Test controls: a controllable clock (:meth:`FakeGoogle.advance`), seeding and acting as the user
(``seed_event``, ``user_move_event``, ``user_delete_event``, ``purge``, ``seed_person``...),
injectable failures per endpoint (:meth:`FakeGoogle.fail`: see :data:`FAILURE_KINDS`) and
counters (``http_requests``: HTTP requests; ``calls``: API calls per endpoint, batch parts
included).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import itertools
import json
import re
import socket
import threading
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, parse_qsl, quote, unquote, urlsplit
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

Json = dict[str, Any]

MAX_EVENTS_PAGE = 2500
MAX_CONNECTIONS_PAGE = 1000
MAX_BATCH = 1000
MAX_MEMBERS_MODIFY = 1000
PEOPLE_TOKEN_TTL = timedelta(days=7)
EVENT_ID_RE = re.compile(r"^[a-v0-9]{5,1024}$")
SYNC_FORBIDDEN = (
    "timeMin",
    "timeMax",
    "q",
    "orderBy",
    "iCalUID",
    "updatedMin",
    "privateExtendedProperty",
    "sharedExtendedProperty",
)
#: The 403 reasons :meth:`FakeGoogle.fail` can inject (see the module docstring).
REASONS_403 = (
    "rateLimitExceeded",
    "accessNotConfigured",
    "quotaExceeded",
    "dailyLimitExceeded",
    "forbidden",
    "insufficientPermissions",
)
#: "403" is rateLimitExceeded; "lost": carried out, then the connection drops unanswered.
FAILURE_KINDS = ("429", "403", "500", "503", "hang", "reset", "lost", *REASONS_403)
#: freebusy.query ranges longer than this are refused (conservative: see the module docstring).
FREEBUSY_MAX_DAYS = 90
#: Every scope netweave may ask for (what an unrestricted consent grants).
ALL_SCOPES = tuple(
    "https://www.googleapis.com/auth/" + s
    for s in (
        "contacts",
        "contacts.readonly",
        "calendar.events",
        "calendar.freebusy",
        "calendar.calendarlist.readonly",
    )
)
PROJECT = "123456789012"  # the Cloud project number in accessNotConfigured messages
#: The service names of the APIs, as the console link and the messages name them.
API_SERVICES = {
    "calendar": ("calendar-json.googleapis.com", "Google Calendar API"),
    "people": ("people.googleapis.com", "People API"),
}


class ApiError(Exception):
    def __init__(self, status: int, body: Json, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def cal_error(status: int, reason: str, message: str, **extra: str) -> ApiError:
    err: Json = {"domain": "global", "reason": reason, "message": message, **extra}
    return ApiError(status, {"error": {"code": status, "message": message, "errors": [err]}})


def people_error(status: int, code: str, message: str, reason: str | None = None) -> ApiError:
    body: Json = {"error": {"code": status, "message": message, "status": code}}
    if reason:
        body["error"]["details"] = [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": reason,
                "domain": "people.googleapis.com",
            }
        ]
    return ApiError(status, body)


def rfc3339(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def parse_time(s: str) -> datetime:
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        raise cal_error(400, "invalid", f"Invalid value for time: {s}") from None
    if dt.tzinfo is None:
        raise cal_error(400, "invalid", f"Time {s} needs an offset")
    return dt


@dataclass
class Failure:
    kind: str
    times: int


@dataclass
class FakeCalendar:
    id: str
    summary: str
    access_role: str = "owner"  # owner | writer | reader | freeBusyReader
    time_zone: str = "UTC"
    primary: bool = False
    events: dict[str, Json] = field(default_factory=dict)  # id -> resource (with "_seq")
    used_ids: set[str] = field(default_factory=set)  # every id and iCalUID ever used


@dataclass
class SyncToken:
    calendar_id: str
    seq: int
    single_events: bool
    time_min: datetime | None
    time_max: datetime | None


@dataclass
class PeopleToken:
    seq: int
    full_sync: datetime  # when the full sync this token descends from was made
    person_fields: str


class FakeGoogle:
    """The fake's state and logic. :meth:`start` serves it; :meth:`dispatch` is one API call."""

    def __init__(self, owner_email: str = "me@example.com") -> None:
        self.lock = threading.RLock()
        self.owner_email = owner_email
        self._clock_offset = timedelta()
        self._base_now = datetime.now(UTC).replace(microsecond=0)
        self._seq = itertools.count(1)
        self._ids = itertools.count(1000)
        self.calendars: dict[str, FakeCalendar] = {}
        self.add_calendar(owner_email, "Me", primary=True)
        self.people: dict[str, Json] = {}  # resourceName -> person (with "_seq")
        self.deleted_people: dict[str, int] = {}  # resourceName -> seq of deletion
        self.groups: dict[str, Json] = {}
        for sys_id, name in (("myContacts", "My Contacts"), ("starred", "Starred")):
            self.groups[f"contactGroups/{sys_id}"] = {
                "resourceName": f"contactGroups/{sys_id}",
                "etag": self._etag(),
                "name": sys_id,
                "formattedName": name,
                "groupType": "SYSTEM_CONTACT_GROUP",
            }
        self.event_tokens: dict[str, SyncToken] = {}
        self.people_tokens: dict[str, PeopleToken] = {}
        self.page_tokens: dict[str, tuple[list[Json], Json]] = {}
        self.failures: dict[str, deque[Failure]] = {}
        self.http_requests = 0
        self.calls: Counter[str] = Counter()
        self.log: list[tuple[str, str]] = []  # (method, path) of HTTP requests
        # OAuth
        self.refresh_tokens: dict[str, bool] = {"refresh-1": True}  # token -> valid
        self.auth_codes: set[str] = {"good-code"}
        self.access_tokens: set[str] = {"static-access"}
        # What each token may do (a token not listed here may do everything).
        self.token_scopes: dict[str, frozenset[str]] = {}
        # What the user leaves ticked on the consent screen (None: everything asked for).
        self.consent_grants: frozenset[str] | None = None
        self.disabled_apis: set[str] = set()  # "calendar" | "people": not enabled in Cloud
        self.require_auth = False
        self.hang_seconds = 3.0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._release = threading.Event()

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeGoogle:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeGoogle:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the fake first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    @property
    def calendar_endpoint(self) -> str:
        return self.url + "calendar/v3/"

    @property
    def people_endpoint(self) -> str:
        return self.url

    @property
    def token_uri(self) -> str:
        return self.url + "token"

    # ------------------------------------------------------------------ clock, ids, counters

    def now(self) -> datetime:
        return self._base_now + self._clock_offset

    def advance(self, delta: timedelta) -> None:
        with self.lock:
            self._clock_offset += delta

    def _etag(self) -> str:
        return f'"{next(self._seq) * 7919}"'

    def reset_counters(self) -> None:
        with self.lock:
            self.http_requests = 0
            self.calls.clear()
            self.log.clear()

    def fail(self, endpoint: str, kind: str, times: int = 1) -> None:
        """The next ``times`` calls of ``endpoint`` fail with ``kind`` (see FAILURE_KINDS;
        a 403 reason such as "quotaExceeded" answers 403 with that reason, "lost" carries the
        call out and then drops the connection unanswered).

        ``endpoint`` is an API method name ("events.list", "connections.list", "batch",
        "token", ...) or "*" for every call.
        """
        assert kind in FAILURE_KINDS, kind
        with self.lock:
            self.failures.setdefault(endpoint, deque()).append(Failure(kind, times))

    def _take_failure(self, endpoint: str) -> str | None:
        with self.lock:
            for key in (endpoint, "*"):
                q = self.failures.get(key)
                if q:
                    f = q[0]
                    f.times -= 1
                    if f.times <= 0:
                        q.popleft()
                    return f.kind
        return None

    def release_hangs(self) -> None:
        self._release.set()

    def disable_api(self, api: str) -> None:
        """The API ("calendar" or "people") is not enabled in the Cloud project: every call of
        it answers 403 accessNotConfigured with the console link, as Google does."""
        assert api in API_SERVICES, api
        self.disabled_apis.add(api)

    def grant(self, refresh_token: str, scopes: list[str] | frozenset[str]) -> None:
        """A refresh token the user granted only ``scopes`` to (a partial consent)."""
        with self.lock:
            self.refresh_tokens[refresh_token] = True
            self.token_scopes[refresh_token] = frozenset(scopes)

    # ------------------------------------------------------------------ seeding / the user

    def add_calendar(
        self,
        calendar_id: str,
        summary: str,
        access_role: str = "owner",
        primary: bool = False,
        time_zone: str = "UTC",
    ) -> FakeCalendar:
        cal = FakeCalendar(calendar_id, summary, access_role, time_zone, primary)
        self.calendars[calendar_id] = cal
        return cal

    def _cal(self, calendar_id: str) -> FakeCalendar:
        if calendar_id == "primary":
            calendar_id = self.owner_email
        cal = self.calendars.get(calendar_id)
        if cal is None:
            raise cal_error(404, "notFound", "Not Found")
        return cal

    def seed_event(
        self,
        calendar_id: str = "primary",
        *,
        summary: str = "Busy",
        start: datetime | date,
        end: datetime | date,
        **fields: Any,
    ) -> Json:
        """Create an event as the user would (any resource fields may be given)."""
        with self.lock:
            cal = self._cal(calendar_id)
            body: Json = {"summary": summary, **fields}
            if isinstance(start, datetime):
                body["start"] = {"dateTime": start.isoformat()}
                body["end"] = {"dateTime": end.isoformat()}
            else:
                body["start"] = {"date": start.isoformat()}
                body["end"] = {"date": end.isoformat()}
            return self._strip(self._insert(cal, body))

    def user_update_event(self, calendar_id: str, event_id: str, **changes: Any) -> Json:
        with self.lock:
            cal = self._cal(calendar_id)
            ev = cal.events[event_id]
            ev.update(changes)
            self._touch(ev, bump_sequence=True)
            return self._strip(ev)

    def user_move_event(
        self, calendar_id: str, event_id: str, start: datetime, end: datetime
    ) -> Json:
        return self.user_update_event(
            calendar_id,
            event_id,
            start={"dateTime": start.isoformat()},
            end={"dateTime": end.isoformat()},
        )

    def user_delete_event(self, calendar_id: str, event_id: str) -> None:
        with self.lock:
            ev = self._cal(calendar_id).events[event_id]
            ev["status"] = "cancelled"
            self._touch(ev)

    def user_cancel_instance(self, calendar_id: str, event_id: str, original: datetime) -> None:
        """Delete one instance of a recurring event (an exception with status cancelled)."""
        with self.lock:
            cal = self._cal(calendar_id)
            master = cal.events[event_id]
            iid = f"{event_id}_{original.astimezone(UTC):%Y%m%dT%H%M%SZ}"
            ev = copy.deepcopy(master)
            ev.pop("recurrence", None)
            ev.update(
                id=iid,
                status="cancelled",
                recurringEventId=event_id,
                originalStartTime={"dateTime": original.isoformat()},
            )
            cal.events[iid] = ev
            self._touch(ev)

    def purge(self, calendar_id: str, event_id: str) -> None:
        """Google purges a deleted event some time later: events.get no longer finds it, but
        its id stays used (an insert with it still answers 409)."""
        with self.lock:
            cal = self._cal(calendar_id)
            ev = cal.events[event_id]
            assert ev.get("status") == "cancelled", "only deleted events are purged"
            del cal.events[event_id]

    def user_add_guest(self, calendar_id: str, event_id: str, email: str) -> Json:
        """The user invites someone in Google Calendar (the organizer is listed too)."""
        with self.lock:
            ev = self._cal(calendar_id).events[event_id]
            guests = [a for a in ev.get("attendees") or [] if not a.get("self")]
            guests.append({"email": email, "responseStatus": "needsAction"})
            me = {"email": self.owner_email, "organizer": True, "self": True}
            return self.user_update_event(calendar_id, event_id, attendees=[me, *guests])

    def expire_event_sync_tokens(self) -> None:
        with self.lock:
            self.event_tokens.clear()

    def events_of(
        self, calendar_id: str = "primary", include_cancelled: bool = False
    ) -> list[Json]:
        with self.lock:
            return [
                self._strip(e)
                for e in self._cal(calendar_id).events.values()
                if include_cancelled or e.get("status") != "cancelled"
            ]

    def seed_person(self, **fields: Any) -> Json:
        with self.lock:
            rn = f"people/c{next(self._ids)}"
            person: Json = {
                "resourceName": rn,
                "etag": "",
                "metadata": {
                    "sources": [{"type": "CONTACT", "id": rn.split("/c")[1], "etag": ""}],
                    "objectType": "PERSON",
                },
                **copy.deepcopy(fields),
            }
            person.setdefault(
                "memberships",
                [
                    {
                        "contactGroupMembership": {
                            "contactGroupId": "myContacts",
                            "contactGroupResourceName": "contactGroups/myContacts",
                        }
                    }
                ],
            )
            self.people[rn] = person
            self._touch_person(person)
            return self._strip(person)

    def user_update_person(self, resource_name: str, **changes: Any) -> Json:
        with self.lock:
            person = self.people[resource_name]
            person.update(copy.deepcopy(changes))
            self._touch_person(person)
            return self._strip(person)

    def user_delete_person(self, resource_name: str) -> None:
        with self.lock:
            del self.people[resource_name]
            self.deleted_people[resource_name] = next(self._seq)

    def person(self, resource_name: str) -> Json:
        with self.lock:
            return self._strip(self.people[resource_name])

    def seed_group(self, name: str) -> Json:
        with self.lock:
            return self._create_group(name)

    def group_members(self, name: str) -> set[str]:
        with self.lock:
            rn = next(g["resourceName"] for g in self.groups.values() if g["name"] == name)
            return {p["resourceName"] for p in self.people.values() if rn in _groups_of(p)}

    def revoke_refresh_token(self, token: str) -> None:
        with self.lock:
            self.refresh_tokens[token] = False

    # ------------------------------------------------------------------ internals

    @staticmethod
    def _strip(resource: Json) -> Json:
        return {k: copy.deepcopy(v) for k, v in resource.items() if not k.startswith("_")}

    def _touch(self, ev: Json, bump_sequence: bool = False) -> None:
        ev["_seq"] = next(self._seq)
        ev["etag"] = self._etag()
        ev["updated"] = rfc3339(self.now())
        if bump_sequence:
            ev["sequence"] = int(ev.get("sequence", 0)) + 1

    def _touch_person(self, person: Json) -> None:
        person["_seq"] = next(self._seq)
        etag = "%" + quote(self._etag().strip('"'))
        person["etag"] = etag
        person["metadata"]["sources"][0]["etag"] = etag
        person["metadata"]["sources"][0]["updateTime"] = rfc3339(self.now())

    # ------------------------------------------------------------------ dispatch

    def dispatch(
        self, method: str, target: str, headers: dict[str, str], body: bytes, top: bool = True
    ) -> tuple[int, dict[str, str], bytes]:
        """Serve one API call. ``top`` is False for the parts of a batch."""
        parts = urlsplit(target)
        path = parts.path
        query = parse_qs(parts.query, keep_blank_values=True)
        route = _route(method, path)
        name = route[0] if route else "unknown"
        with self.lock:
            self.calls[name] += 1
        lost = False
        try:
            kind = self._take_failure(name)
            if kind == "lost":
                lost = top  # carried out below; the answer is then lost on the way
            elif kind is not None:
                if kind in ("hang", "reset") and top:
                    raise _Abort(kind)
                raise _failure_error(kind, name)
            if route is None:
                raise cal_error(404, "notFound", f"No route for {method} {path}")
            if name != "token" and name != "batch":
                self._check_enabled(name)
                if self.require_auth:
                    self._check_auth(headers)
                self._check_scope(name, headers)
            handler = getattr(self, "_h_" + name.replace(".", "_"))
            with self.lock:
                status, out = handler(route[1], query, headers, body)
            if lost:
                raise _Abort("reset")
            return status, {"Content-Type": "application/json; charset=UTF-8"}, _dump(out, status)
        except ApiError as e:
            if lost:
                raise _Abort("reset") from None
            hdrs = {"Content-Type": "application/json; charset=UTF-8", **e.headers}
            return e.status, hdrs, _dump(e.body)

    def _check_enabled(self, name: str) -> None:
        api = _api_of(name)
        if api in self.disabled_apis:
            raise _disabled_error(api)

    def _check_scope(self, name: str, headers: dict[str, str]) -> None:
        """403 insufficientPermissions when the access token lacks every scope the method
        accepts (the discovery document's list)."""
        auth = headers.get("authorization", "")
        granted = self.token_scopes.get(auth[7:]) if auth.startswith("Bearer ") else None
        accepted = _method_scopes().get(name)
        if granted is None or accepted is None or granted & accepted:
            return
        raise _failure_error("insufficientPermissions", name)

    def _check_auth(self, headers: dict[str, str]) -> None:
        auth = headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.access_tokens:
            raise ApiError(
                401,
                {
                    "error": {
                        "code": 401,
                        "message": "Invalid Credentials",
                        "status": "UNAUTHENTICATED",
                    }
                },
                {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'},
            )

    # ------------------------------------------------------------------ OAuth

    def _h_token(
        self, m: tuple[str, ...], q: Any, h: dict[str, str], body: bytes
    ) -> tuple[int, Json]:
        form = dict(parse_qsl(body.decode()))
        grant = form.get("grant_type")
        if grant == "refresh_token":
            rt = form.get("refresh_token", "")
            if not self.refresh_tokens.get(rt):
                raise ApiError(
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "Token has been expired or revoked.",
                    },
                )
        elif grant == "authorization_code":
            code = form.get("code", "")
            if code not in self.auth_codes:
                raise ApiError(
                    400, {"error": "invalid_grant", "error_description": "Malformed auth code."}
                )
            self.auth_codes.discard(code)
            rt = f"refresh-{next(self._ids)}"
            self.refresh_tokens[rt] = True
            if self.consent_grants is not None:  # the user unticked some scopes
                self.token_scopes[rt] = self.consent_grants
        else:
            raise ApiError(400, {"error": "unsupported_grant_type"})
        at = f"access-{next(self._ids)}"
        self.access_tokens.add(at)
        out: Json = {"access_token": at, "expires_in": 3599, "token_type": "Bearer"}
        granted = self.token_scopes.get(rt)
        if granted is not None:
            # Google answers with the scopes granted, which may be fewer than asked for.
            self.token_scopes[at] = granted
            out["scope"] = " ".join(sorted(granted))
        elif form.get("scope"):
            out["scope"] = form["scope"]
        if grant == "authorization_code":
            out["refresh_token"] = rt
        return 200, out

    # ------------------------------------------------------------------ Calendar

    def _h_calendarList_list(
        self, m: tuple[str, ...], q: Any, h: Any, b: bytes
    ) -> tuple[int, Json]:
        items = [
            {
                "kind": "calendar#calendarListEntry",
                "id": c.id,
                "summary": c.summary,
                "accessRole": c.access_role,
                "timeZone": c.time_zone,
                **({"primary": True} if c.primary else {}),
            }
            for c in self.calendars.values()
        ]
        return 200, {"kind": "calendar#calendarList", "etag": self._etag(), "items": items}

    def _readable(self, cal: FakeCalendar) -> None:
        if cal.access_role == "freeBusyReader":
            raise cal_error(404, "notFound", "Not Found")

    def _writable(self, cal: FakeCalendar) -> None:
        self._readable(cal)
        if cal.access_role not in ("owner", "writer"):
            raise cal_error(
                403, "requiredAccessLevel", "You need to have writer access to this calendar."
            )

    def _insert(self, cal: FakeCalendar, body: Json) -> Json:
        if body.get("id") and body.get("iCalUID"):
            raise cal_error(
                400, "invalid", "Supply either id or iCalUID at event creation, not both."
            )
        eid = body.get("id") or f"{next(self._ids):x}evt{next(self._ids):x}"
        if not EVENT_ID_RE.match(eid):
            raise cal_error(400, "invalidResourceId", "Invalid resource id value.")
        if eid in cal.used_ids or body.get("iCalUID") in cal.used_ids:
            # Ids are permanent: deleted (cancelled) and purged events keep theirs.
            raise cal_error(409, "duplicate", "The requested identifier already exists.")
        if "start" not in body or "end" not in body:
            raise cal_error(400, "required", "Missing end time.")
        _check_times(body)
        ev: Json = {
            "kind": "calendar#event",
            "status": "confirmed",
            "created": rfc3339(self.now()),
            "creator": {"email": self.owner_email, "self": True},
            "organizer": {"email": cal.id, "self": True},
            "sequence": 0,
            "reminders": {"useDefault": True},
            "eventType": "default",
            **copy.deepcopy(body),
            "id": eid,
        }
        ev.setdefault("iCalUID", f"{eid}@google.com")
        ev["htmlLink"] = f"https://www.google.com/calendar/event?eid={eid}"
        cal.events[eid] = ev
        cal.used_ids |= {eid, ev["iCalUID"]}
        self._touch(ev)
        return ev

    def _h_events_insert(self, m: tuple[str, ...], q: Any, h: Any, b: bytes) -> tuple[int, Json]:
        cal = self._cal(m[0])
        self._writable(cal)
        return 200, self._strip(self._insert(cal, _body(b)))

    def _get_event(self, cal: FakeCalendar, eid: str) -> Json:
        ev = cal.events.get(eid)
        if ev is None:
            raise cal_error(404, "notFound", "Not Found")
        return ev

    def _h_events_get(self, m: tuple[str, ...], q: Any, h: Any, b: bytes) -> tuple[int, Json]:
        cal = self._cal(m[0])
        self._readable(cal)
        return 200, self._strip(self._get_event(cal, m[1]))

    def _precondition(self, ev: Json, headers: dict[str, str]) -> None:
        want = headers.get("if-match")
        if want is not None and want != "*" and want != ev["etag"]:
            raise cal_error(
                412,
                "conditionNotMet",
                "Precondition Failed",
                locationType="header",
                location="If-Match",
            )

    def _replace(self, ev: Json, body: Json, patch: bool) -> None:
        if "sequence" in body and int(body["sequence"]) < int(ev.get("sequence", 0)):
            raise cal_error(
                400,
                "invalid",
                "Invalid sequence value. The specified sequence number is below the current "
                "sequence number of the resource.",
            )
        keep = {
            k: ev[k]
            for k in (
                "id",
                "created",
                "creator",
                "organizer",
                "htmlLink",
                "kind",
                "iCalUID",
                "_seq",
            )
        }
        moved = (
            body.get("start", ev["start"]) != ev["start"] or body.get("end", ev["end"]) != ev["end"]
        )
        if patch:
            for k, v in body.items():
                if k == "extendedProperties":
                    merged = copy.deepcopy(ev.get(k, {}))
                    for scope, props in v.items():
                        merged.setdefault(scope, {}).update(props)
                    ev[k] = merged
                else:
                    ev[k] = copy.deepcopy(v)
        else:
            seq = ev.get("sequence", 0)
            ev.clear()
            ev.update({"status": "confirmed", "sequence": seq, "reminders": {"useDefault": True}})
            ev.update(copy.deepcopy(body))
        ev.update(keep)
        _check_times(ev)
        self._touch(ev, bump_sequence=moved and "sequence" not in body)

    def _not_cancelled(self, ev: Json) -> None:
        """A deleted event cannot be updated back (reported as 403 forbidden)."""
        if ev.get("status") == "cancelled":
            raise cal_error(403, "forbidden", "Forbidden")

    def _h_events_update(
        self, m: tuple[str, ...], q: Any, h: dict[str, str], b: bytes
    ) -> tuple[int, Json]:
        cal = self._cal(m[0])
        self._writable(cal)
        ev = self._get_event(cal, m[1])
        self._precondition(ev, h)
        self._not_cancelled(ev)
        self._replace(ev, _body(b), patch=False)
        return 200, self._strip(ev)

    def _h_events_patch(
        self, m: tuple[str, ...], q: Any, h: dict[str, str], b: bytes
    ) -> tuple[int, Json]:
        cal = self._cal(m[0])
        self._writable(cal)
        ev = self._get_event(cal, m[1])
        self._precondition(ev, h)
        self._not_cancelled(ev)
        self._replace(ev, _body(b), patch=True)
        return 200, self._strip(ev)

    def _h_events_delete(
        self, m: tuple[str, ...], q: Any, h: dict[str, str], b: bytes
    ) -> tuple[int, Json]:
        cal = self._cal(m[0])
        self._writable(cal)
        ev = self._get_event(cal, m[1])
        if ev.get("status") == "cancelled":
            raise cal_error(410, "deleted", "Resource has been deleted")
        self._precondition(ev, h)
        ev["status"] = "cancelled"
        self._touch(ev)
        return 204, {}

    def _expand(
        self, ev: Json, cal: FakeCalendar, lo: datetime | None, hi: datetime | None
    ) -> list[Json]:
        """Instances of a recurring master (overrides applied), or [ev] for a single event."""
        if not ev.get("recurrence"):
            return [ev]
        start, end, all_day = _span(ev, cal.time_zone)
        dur = end - start
        lines = [r for r in ev["recurrence"] if r.startswith(("RRULE", "EXDATE", "RDATE"))]
        dtstart = start.astimezone(ZoneInfo(cal.time_zone)) if not all_day else start
        rule = rrulestr("\n".join(lines), dtstart=dtstart, forceset=True, unfold=True)
        hi_eff = hi or (self.now() + timedelta(days=730))
        lo_eff = (lo or dtstart) - dur
        overrides = {
            o["originalStartTime"].get("dateTime") or o["originalStartTime"].get("date"): o
            for o in cal.events.values()
            if o.get("recurringEventId") == ev["id"]
        }
        out = []
        for occ in rule.between(lo_eff, hi_eff, inc=True):
            key_dt = occ.astimezone(UTC)
            iid = (
                f"{ev['id']}_{key_dt:%Y%m%dT%H%M%SZ}" if not all_day else f"{ev['id']}_{occ:%Y%m%d}"
            )
            orig = {"date": occ.date().isoformat()} if all_day else {"dateTime": occ.isoformat()}
            override = next((o for k, o in overrides.items() if k and _same_instant(k, orig)), None)
            if override is not None:
                continue  # listed on its own
            inst = {k: copy.deepcopy(v) for k, v in ev.items() if k != "recurrence"}
            inst.update(id=iid, recurringEventId=ev["id"], originalStartTime=orig)
            if all_day:
                inst["start"] = {"date": occ.date().isoformat()}
                inst["end"] = {"date": (occ + dur).date().isoformat()}
            else:
                inst["start"] = {"dateTime": occ.isoformat(), "timeZone": cal.time_zone}
                inst["end"] = {"dateTime": (occ + dur).isoformat(), "timeZone": cal.time_zone}
            out.append(inst)
        return out

    def _h_events_list(
        self, m: tuple[str, ...], q: dict[str, list[str]], h: Any, b: bytes
    ) -> tuple[int, Json]:
        cal = self._cal(m[0])
        self._readable(cal)
        if "pageToken" in q:
            return 200, self._page(q["pageToken"][0], _max_results(q, 250, MAX_EVENTS_PAGE))
        single = _flag(q, "singleEvents")
        order = _one(q, "orderBy")
        if order == "startTime" and not single:
            raise cal_error(
                400, "invalid", "The requested ordering is not available for the particular query."
            )
        if "syncToken" in q:
            bad = [p for p in SYNC_FORBIDDEN if p in q]
            if bad:
                raise cal_error(400, "invalid", f"Sync token cannot be used with {bad[0]}.")
            tok = self.event_tokens.get(q["syncToken"][0])
            if tok is None or tok.calendar_id != cal.id:
                raise cal_error(
                    410,
                    "fullSyncRequired",
                    "Sync token is no longer valid, a full sync is required.",
                )
            items = self._changes(cal, tok, single)
            new_tok = SyncToken(cal.id, self._current_seq(), single, tok.time_min, tok.time_max)
        else:
            lo = parse_time(q["timeMin"][0]) if "timeMin" in q else None
            hi = parse_time(q["timeMax"][0]) if "timeMax" in q else None
            if lo and hi and hi <= lo:
                raise cal_error(400, "timeRangeEmpty", "The specified time range is empty.")
            show_deleted = _flag(q, "showDeleted")
            items = []
            for ev in cal.events.values():
                if ev.get("recurringEventId") and single:
                    if ev.get("status") == "cancelled" and not show_deleted:
                        continue
                    if _overlaps(ev, cal.time_zone, lo, hi):
                        items.append(ev)
                    continue
                if ev.get("status") == "cancelled" and not show_deleted:
                    continue
                for inst in self._expand(ev, cal, lo, hi) if single else [ev]:
                    if inst.get("status") == "cancelled" or _overlaps(inst, cal.time_zone, lo, hi):
                        items.append(inst)
            items = [e for e in items if _matches(e, q)]
            new_tok = SyncToken(cal.id, self._current_seq(), single, lo, hi)
        if order == "startTime":
            items.sort(
                key=lambda e: (
                    _span(e, cal.time_zone)[0] if "start" in e else datetime.min.replace(tzinfo=UTC)
                )
            )
        elif order == "updated":
            items.sort(key=lambda e: e.get("updated", ""))
        token = f"est-{next(self._ids)}"
        self.event_tokens[token] = new_tok
        tail: Json = {
            "kind": "calendar#events",
            "summary": cal.summary,
            "timeZone": cal.time_zone,
            "updated": rfc3339(self.now()),
            "accessRole": cal.access_role,
            "nextSyncToken": token,
        }
        return 200, self._paginate(
            [self._strip(e) for e in items], tail, _max_results(q, 250, MAX_EVENTS_PAGE)
        )

    def _current_seq(self) -> int:
        n = next(self._seq)
        return n

    def _changes(self, cal: FakeCalendar, tok: SyncToken, single: bool) -> list[Json]:
        out: list[Json] = []
        for ev in cal.events.values():
            if ev["_seq"] <= tok.seq:
                continue
            if ev.get("status") == "cancelled":
                out.append(
                    {
                        "kind": "calendar#event",
                        "etag": ev["etag"],
                        "id": ev["id"],
                        "status": "cancelled",
                        **(
                            {
                                "recurringEventId": ev["recurringEventId"],
                                "originalStartTime": ev["originalStartTime"],
                            }
                            if ev.get("recurringEventId")
                            else {}
                        ),
                    }
                )
            elif single and ev.get("recurrence"):
                out.extend(self._expand(ev, cal, tok.time_min, tok.time_max))
            else:
                out.append(ev)
        return out

    def _paginate(self, items: list[Json], tail: Json, size: int) -> Json:
        page, rest = items[:size], items[size:]
        if rest:
            pt = f"pt-{next(self._ids)}"
            self.page_tokens[pt] = (rest, tail)
            head = {k: v for k, v in tail.items() if k not in ("nextSyncToken",)}
            return {**head, "items": page, "nextPageToken": pt}
        return {**tail, "items": page}

    def _page(self, token: str, size: int) -> Json:
        got = self.page_tokens.pop(token, None)
        if got is None:
            raise cal_error(400, "invalid", "Invalid page token.")
        return self._paginate(got[0], got[1], size)

    def _h_events_instances(
        self, m: tuple[str, ...], q: dict[str, list[str]], h: Any, b: bytes
    ) -> tuple[int, Json]:
        cal = self._cal(m[0])
        self._readable(cal)
        if "pageToken" in q:
            return 200, self._page(q["pageToken"][0], _max_results(q, 250, MAX_EVENTS_PAGE))
        ev = self._get_event(cal, m[1])
        lo = parse_time(q["timeMin"][0]) if "timeMin" in q else None
        hi = parse_time(q["timeMax"][0]) if "timeMax" in q else None
        items = [i for i in self._expand(ev, cal, lo, hi) if _overlaps(i, cal.time_zone, lo, hi)]
        items += [
            o
            for o in cal.events.values()
            if o.get("recurringEventId") == ev["id"]
            and (o.get("status") != "cancelled" or _flag(q, "showDeleted"))
            and _overlaps(o, cal.time_zone, lo, hi)
        ]
        tail = {"kind": "calendar#events", "summary": cal.summary, "timeZone": cal.time_zone}
        return 200, self._paginate(
            [self._strip(e) for e in items], tail, _max_results(q, 250, MAX_EVENTS_PAGE)
        )

    def _h_freebusy_query(self, m: tuple[str, ...], q: Any, h: Any, b: bytes) -> tuple[int, Json]:
        body = _body(b)
        lo, hi = parse_time(body.get("timeMin", "")), parse_time(body.get("timeMax", ""))
        if hi - lo > timedelta(days=FREEBUSY_MAX_DAYS):
            raise cal_error(400, "timeRangeTooLong", "The requested time range is too long.")
        if int(body.get("calendarExpansionMax", 0)) > 50:
            raise cal_error(400, "invalid", "Invalid calendarExpansionMax value.")
        items = body.get("items", [])
        if len(items) > 50:
            raise cal_error(400, "tooManyCalendarsRequested", "Too many calendars requested.")
        out: Json = {}
        for item in items:
            try:
                cal = self._cal(item["id"])
            except ApiError:
                out[item["id"]] = {
                    "errors": [{"domain": "global", "reason": "notFound"}],
                    "busy": [],
                }
                continue
            busy = []
            for ev in cal.events.values():
                if ev.get("status") == "cancelled" or ev.get("recurringEventId"):
                    continue
                for inst in self._expand(ev, cal, lo, hi):
                    if inst.get("transparency") == "transparent" or not _overlaps(
                        inst, cal.time_zone, lo, hi
                    ):
                        continue
                    s, e, _ = _span(inst, cal.time_zone)
                    busy.append((max(s, lo), min(e, hi)))
            for o in cal.events.values():
                if (
                    o.get("recurringEventId")
                    and o.get("status") != "cancelled"
                    and _overlaps(o, cal.time_zone, lo, hi)
                ):
                    s, e, _ = _span(o, cal.time_zone)
                    busy.append((max(s, lo), min(e, hi)))
            merged: list[tuple[datetime, datetime]] = []
            for s, e in sorted(busy):
                if merged and s <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], e))
                else:
                    merged.append((s, e))
            out[cal.id if item["id"] != "primary" else "primary"] = {
                "busy": [{"start": rfc3339(s), "end": rfc3339(e)} for s, e in merged]
            }
        return 200, {
            "kind": "calendar#freeBusy",
            "timeMin": body["timeMin"],
            "timeMax": body["timeMax"],
            "calendars": out,
        }

    def _h_batch(
        self, m: tuple[str, ...], q: Any, h: dict[str, str], body: bytes
    ) -> tuple[int, Json]:
        raise AssertionError("batch is served by the HTTP handler")

    def serve_batch(
        self, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        ctype = headers.get("content-type", "")
        msg = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body
        )
        if not msg.is_multipart():
            return (
                400,
                {"Content-Type": "application/json"},
                _dump({"error": {"code": 400, "message": "Not multipart"}}),
            )
        parts = list(msg.iter_parts())
        if len(parts) > MAX_BATCH:
            err = cal_error(400, "invalid", f"A batch may hold at most {MAX_BATCH} calls.")
            return err.status, {"Content-Type": "application/json"}, _dump(err.body)
        boundary = f"batch_{next(self._ids)}"
        out = []
        for part in parts:
            raw = part.get_payload(decode=True)
            assert isinstance(raw, bytes)
            head, _, sub_body = raw.replace(b"\r\n", b"\n").partition(b"\n\n")
            lines = head.decode().split("\n")
            method, target, _proto = lines[0].split(" ", 2)
            sub_headers = {}
            for line in lines[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    sub_headers[k.strip().lower()] = v.strip()
            if "authorization" not in sub_headers and "authorization" in headers:
                sub_headers["authorization"] = headers["authorization"]
            status, _h, resp = self.dispatch(method, target, sub_headers, sub_body, top=False)
            cid = part.get("Content-ID", "")
            out.append(
                f"--{boundary}\r\nContent-Type: application/http\r\n"
                f"Content-ID: <response-{cid[1:-1]}>\r\n\r\n"
                f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}\r\n"
                "Content-Type: application/json; charset=UTF-8\r\n"
                f"Content-Length: {len(resp)}\r\n\r\n{resp.decode()}\r\n"
            )
        text = "".join(out) + f"--{boundary}--\r\n"
        return 200, {"Content-Type": f"multipart/mixed; boundary={boundary}"}, text.encode()

    # ------------------------------------------------------------------ People

    def _mask(self, person: Json, fields: set[str]) -> Json:
        out = {k: copy.deepcopy(v) for k, v in person.items() if k in fields}
        out["resourceName"] = person["resourceName"]
        out["etag"] = person["etag"]
        return out

    def _person_fields(self, q: dict[str, list[str]], key: str = "personFields") -> set[str]:
        raw = _one(q, key) or _one(q, "requestMask.includeField")
        if not raw:
            raise people_error(
                400,
                "INVALID_ARGUMENT",
                f"{key} mask is required. Please specify one or more valid paths.",
            )
        return {f.strip() for f in raw.split(",") if f.strip()}

    def _h_connections_list(
        self, m: tuple[str, ...], q: dict[str, list[str]], h: Any, b: bytes
    ) -> tuple[int, Json]:
        fields = self._person_fields(q)
        size = int(_one(q, "pageSize") or 100)
        if not 1 <= size <= MAX_CONNECTIONS_PAGE:
            raise people_error(400, "INVALID_ARGUMENT", "pageSize must be between 1 and 1000.")
        if "pageToken" in q:
            got = self.page_tokens.pop(q["pageToken"][0], None)
            if got is None:
                raise people_error(400, "INVALID_ARGUMENT", "Page token is not valid.")
            rest, page_tail = got
            return 200, self._people_page(rest, page_tail, size)
        full_sync = self.now()
        if "syncToken" in q:
            tok = self.people_tokens.get(q["syncToken"][0])
            if tok is None or self.now() - tok.full_sync > PEOPLE_TOKEN_TTL:
                raise people_error(
                    400,
                    "FAILED_PRECONDITION",
                    "Sync token is expired. Clear local cache and retry call without the sync "
                    "token.",
                    "EXPIRED_SYNC_TOKEN",
                )
            # An incremental sync's token keeps the date of the full sync it descends from.
            full_sync = tok.full_sync
            items = [self._mask(p, fields) for p in self.people.values() if p["_seq"] > tok.seq]
            items += [
                {
                    "resourceName": rn,
                    "etag": "%deleted",
                    "metadata": {"deleted": True, "objectType": "PERSON"},
                }
                for rn, seq in self.deleted_people.items()
                if seq > tok.seq
            ]
        else:
            items = [self._mask(p, fields) for p in sorted(self.people.values(), key=_sort_name)]
        tail: Json = {"totalPeople": len(self.people), "totalItems": len(items)}
        if _flag(q, "requestSyncToken"):
            token = f"pst-{next(self._ids)}"
            self.people_tokens[token] = PeopleToken(
                next(self._seq), full_sync, ",".join(sorted(fields))
            )
            tail["nextSyncToken"] = token
        return 200, self._people_page(items, tail, size)

    def _people_page(self, items: list[Json], tail: Json, size: int) -> Json:
        page, rest = items[:size], items[size:]
        if rest:
            pt = f"ppt-{next(self._ids)}"
            self.page_tokens[pt] = (rest, tail)
            head = {k: v for k, v in tail.items() if k != "nextSyncToken"}
            return {"connections": page, **head, "nextPageToken": pt}
        return {"connections": page, **tail}

    def _h_people_get(
        self, m: tuple[str, ...], q: dict[str, list[str]], h: Any, b: bytes
    ) -> tuple[int, Json]:
        fields = self._person_fields(q)
        person = self.people.get(f"people/{m[0]}")
        if person is None:
            raise people_error(404, "NOT_FOUND", "Requested entity was not found.")
        return 200, self._mask(person, fields)

    def _h_people_updateContact(
        self, m: tuple[str, ...], q: dict[str, list[str]], h: Any, b: bytes
    ) -> tuple[int, Json]:
        rn = f"people/{m[0]}"
        person = self.people.get(rn)
        if person is None:
            raise people_error(404, "NOT_FOUND", "Requested entity was not found.")
        fields = self._person_fields(q, "updatePersonFields")
        body = _body(b)
        if body.get("etag") != person["etag"]:
            raise people_error(
                400,
                "FAILED_PRECONDITION",
                "Request person.etag is different than the current person.etag. Clear local "
                "cache and get the latest person.",
                "FAILED_PRECONDITION",
            )
        for f in fields:
            if f in body:
                person[f] = copy.deepcopy(body[f])
            else:
                person.pop(f, None)
        self._touch_person(person)
        return 200, self._strip(person)

    def _create_group(self, name: str) -> Json:
        if any(g["name"] == name or g["formattedName"] == name for g in self.groups.values()):
            raise people_error(409, "ALREADY_EXISTS", "Contact group name already exists.")
        rn = f"contactGroups/{next(self._ids):x}"
        g = {
            "resourceName": rn,
            "etag": self._etag(),
            "metadata": {"updateTime": rfc3339(self.now())},
            "groupType": "USER_CONTACT_GROUP",
            "name": name,
            "formattedName": name,
        }
        self.groups[rn] = g
        return g

    def _h_contactGroups_list(
        self, m: tuple[str, ...], q: dict[str, list[str]], h: Any, b: bytes
    ) -> tuple[int, Json]:
        size = int(_one(q, "pageSize") or 30)
        if not 1 <= size <= 1000:
            raise people_error(400, "INVALID_ARGUMENT", "pageSize must be between 1 and 1000.")
        if "pageToken" in q:
            got = self.page_tokens.pop(q["pageToken"][0], None)
            if got is None:
                raise people_error(400, "INVALID_ARGUMENT", "Page token is not valid.")
            rest, tail = got
        else:
            rest = []
            for g in self.groups.values():
                count = sum(1 for p in self.people.values() if g["resourceName"] in _groups_of(p))
                rest.append({**g, **({"memberCount": count} if count else {})})
            tail = {"totalItems": len(rest), "nextSyncToken": f"gst-{next(self._ids)}"}
        page, more = rest[:size], rest[size:]
        if more:
            pt = f"gpt-{next(self._ids)}"
            self.page_tokens[pt] = (more, tail)
            return 200, {
                "contactGroups": page,
                "totalItems": tail["totalItems"],
                "nextPageToken": pt,
            }
        return 200, {"contactGroups": page, **tail}

    def _h_contactGroups_create(
        self, m: tuple[str, ...], q: Any, h: Any, b: bytes
    ) -> tuple[int, Json]:
        name = (_body(b).get("contactGroup") or {}).get("name", "").strip()
        if not name:
            raise people_error(400, "INVALID_ARGUMENT", "contact_group.name is required.")
        return 200, self._strip(self._create_group(name))

    def _h_contactGroups_members_modify(
        self, m: tuple[str, ...], q: Any, h: Any, b: bytes
    ) -> tuple[int, Json]:
        rn = f"contactGroups/{m[0]}"
        group = self.groups.get(rn)
        if group is None:
            raise people_error(404, "NOT_FOUND", "Requested entity was not found.")
        body = _body(b)
        add, remove = body.get("resourceNamesToAdd", []), body.get("resourceNamesToRemove", [])
        if len(add) > MAX_MEMBERS_MODIFY or len(remove) > MAX_MEMBERS_MODIFY:
            raise people_error(400, "INVALID_ARGUMENT", "Too many resource names: at most 1000.")
        not_found = []
        gid = rn.split("/", 1)[1]
        for name in add:
            p = self.people.get(name)
            if p is None:
                not_found.append(name)
            elif rn not in _groups_of(p):
                p.setdefault("memberships", []).append(
                    {
                        "contactGroupMembership": {
                            "contactGroupId": gid,
                            "contactGroupResourceName": rn,
                        }
                    }
                )
                self._touch_person(p)
        for name in remove:
            p = self.people.get(name)
            if p is None:
                not_found.append(name)
            elif rn in _groups_of(p):
                p["memberships"] = [
                    x
                    for x in p["memberships"]
                    if (x.get("contactGroupMembership") or {}).get("contactGroupResourceName") != rn
                ]
                self._touch_person(p)
        out: Json = {}
        if not_found:
            out["notFoundResourceNames"] = not_found
        return 200, out


# ---------------------------------------------------------------------- helpers


class _Abort(Exception):
    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


_REASONS = {
    200: "OK",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    410: "Gone",
    412: "Precondition Failed",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}

_ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    ("GET", re.compile(r"^/calendar/v3/calendars/([^/]+)/events$"), "events.list"),
    ("POST", re.compile(r"^/calendar/v3/calendars/([^/]+)/events$"), "events.insert"),
    (
        "GET",
        re.compile(r"^/calendar/v3/calendars/([^/]+)/events/([^/]+)/instances$"),
        "events.instances",
    ),
    ("GET", re.compile(r"^/calendar/v3/calendars/([^/]+)/events/([^/]+)$"), "events.get"),
    ("PUT", re.compile(r"^/calendar/v3/calendars/([^/]+)/events/([^/]+)$"), "events.update"),
    ("PATCH", re.compile(r"^/calendar/v3/calendars/([^/]+)/events/([^/]+)$"), "events.patch"),
    ("DELETE", re.compile(r"^/calendar/v3/calendars/([^/]+)/events/([^/]+)$"), "events.delete"),
    ("POST", re.compile(r"^/calendar/v3/freeBusy$"), "freebusy.query"),
    ("GET", re.compile(r"^/calendar/v3/users/me/calendarList$"), "calendarList.list"),
    ("POST", re.compile(r"^/batch/calendar/v3$"), "batch"),
    ("GET", re.compile(r"^/v1/people/me/connections$"), "connections.list"),
    ("PATCH", re.compile(r"^/v1/people/([^/:]+):updateContact$"), "people.updateContact"),
    ("GET", re.compile(r"^/v1/people/([^/:]+)$"), "people.get"),
    ("GET", re.compile(r"^/v1/contactGroups$"), "contactGroups.list"),
    ("POST", re.compile(r"^/v1/contactGroups$"), "contactGroups.create"),
    (
        "POST",
        re.compile(r"^/v1/contactGroups/([^/:]+)/members:modify$"),
        "contactGroups.members.modify",
    ),
    ("POST", re.compile(r"^/token$"), "token"),
]


def _route(method: str, path: str) -> tuple[str, tuple[str, ...]] | None:
    for m, rx, name in _ROUTES:
        if m == method:
            hit = rx.match(path)
            if hit:
                return name, tuple(unquote(g) for g in hit.groups())
    return None


@functools.cache
def _method_scopes() -> dict[str, frozenset[str]]:
    """The scopes each API method accepts, by the fake's endpoint names, from the discovery
    documents google-api-python-client ships (the same files the client is built from)."""
    from importlib.resources import files

    docs = files("googleapiclient") / "discovery_cache" / "documents"
    out: dict[str, frozenset[str]] = {}

    def walk(resources: Json, prefix: str) -> None:
        for rname, res in resources.items():
            for mname, method in res.get("methods", {}).items():
                out[f"{prefix}{rname}.{mname}"] = frozenset(method.get("scopes", ()))
            walk(res.get("resources", {}), f"{prefix}{rname}.")

    for doc in ("calendar.v3.json", "people.v1.json"):
        walk(json.loads((docs / doc).read_text(encoding="utf-8"))["resources"], "")
    out["connections.list"] = out["people.connections.list"]
    return out


def _api_of(name: str) -> str:
    people = ("connections.", "people.", "contactGroups.")
    return "people" if name.startswith(people) else "calendar"


def _disabled_error(api: str) -> ApiError:
    """What Google answers when the API is not enabled in the Cloud project."""
    service, title = API_SERVICES[api]
    link = f"https://console.developers.google.com/apis/api/{service}/overview?project={PROJECT}"
    message = (
        f"{title} has not been used in project {PROJECT} before or it is disabled. Enable it by "
        f"visiting {link} then retry. If you enabled this API recently, wait a few minutes for "
        "the action to propagate to our systems and retry."
    )
    info = {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "SERVICE_DISABLED",
        "domain": "googleapis.com",
        "metadata": {"service": service, "consumer": f"projects/{PROJECT}", "activationUrl": link},
    }
    err: Json = {"code": 403, "message": message, "status": "PERMISSION_DENIED", "details": [info]}
    if api == "calendar":  # the Calendar API still sends the v1 "errors" list as well
        reason = {"domain": "usageLimits", "reason": "accessNotConfigured", "message": message}
        err["errors"] = [{**reason, "extendedHelp": link}]
    return ApiError(403, {"error": err})


_MESSAGES_403 = {
    "quotaExceeded": ("usageLimits", "Quota exceeded for quota metric 'Queries'."),
    "dailyLimitExceeded": ("usageLimits", "Daily Limit Exceeded"),
    "forbidden": ("global", "Forbidden"),
    "insufficientPermissions": ("global", "Request had insufficient authentication scopes."),
}


def _failure_error(kind: str, name: str = "") -> ApiError:
    if kind == "accessNotConfigured":
        return _disabled_error(_api_of(name))
    if kind in _MESSAGES_403:
        domain, message = _MESSAGES_403[kind]
        err: Json = {"code": 403, "message": message, "status": "PERMISSION_DENIED"}
        err["errors"] = [{"domain": domain, "reason": kind, "message": message}]
        if kind == "insufficientPermissions":
            err["details"] = [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                    "domain": "googleapis.com",
                }
            ]
        return ApiError(403, {"error": err})
    if kind == "rateLimitExceeded":
        kind = "403"
    if kind == "429":
        return ApiError(
            429,
            {
                "error": {
                    "code": 429,
                    "message": "Rate Limit Exceeded",
                    "errors": [
                        {
                            "domain": "usageLimits",
                            "reason": "rateLimitExceeded",
                            "message": "Rate Limit Exceeded",
                        }
                    ],
                    "status": "RESOURCE_EXHAUSTED",
                }
            },
        )
    if kind == "403":
        return ApiError(
            403,
            {
                "error": {
                    "code": 403,
                    "message": "Rate Limit Exceeded",
                    "errors": [
                        {
                            "domain": "usageLimits",
                            "reason": "rateLimitExceeded",
                            "message": "Rate Limit Exceeded",
                        }
                    ],
                }
            },
        )
    status = int(kind) if kind.isdigit() else 503
    return ApiError(
        status,
        {
            "error": {
                "code": status,
                "message": "Backend Error",
                "errors": [
                    {"domain": "global", "reason": "backendError", "message": "Backend Error"}
                ],
            }
        },
    )


def _dump(obj: Json, status: int = 200) -> bytes:
    return b"" if status == 204 else json.dumps(obj).encode()


def _body(b: bytes) -> Json:
    if not b:
        return {}
    try:
        out = json.loads(b)
    except ValueError:
        raise cal_error(400, "parseError", "Parse Error") from None
    if not isinstance(out, dict):
        raise cal_error(400, "parseError", "Parse Error")
    return out


def _one(q: dict[str, list[str]], key: str) -> str | None:
    v = q.get(key)
    return v[0] if v else None


def _flag(q: dict[str, list[str]], key: str) -> bool:
    return (_one(q, key) or "").lower() == "true"


def _max_results(q: dict[str, list[str]], default: int, cap: int) -> int:
    try:
        n = int(_one(q, "maxResults") or default)
    except ValueError:
        raise cal_error(400, "invalid", "Invalid maxResults") from None
    if n < 1:
        raise cal_error(400, "invalid", "Invalid maxResults")
    return min(n, cap)  # Google caps the page size at 2,500 whatever is asked


def _span(ev: Json, tz: str) -> tuple[datetime, datetime, bool]:
    s, e = ev["start"], ev["end"]
    if "date" in s:
        z = ZoneInfo(tz)
        return (
            datetime.combine(date.fromisoformat(s["date"]), datetime.min.time(), z),
            datetime.combine(date.fromisoformat(e["date"]), datetime.min.time(), z),
            True,
        )
    start = datetime.fromisoformat(s["dateTime"])
    end = datetime.fromisoformat(e["dateTime"])
    if start.tzinfo is None:
        start = start.replace(tzinfo=ZoneInfo(s.get("timeZone", tz)))
    if end.tzinfo is None:
        end = end.replace(tzinfo=ZoneInfo(e.get("timeZone", tz)))
    return start, end, False


def _check_times(ev: Json) -> None:
    try:
        s, e, _ = _span(ev, "UTC")
    except (KeyError, ValueError):
        raise cal_error(400, "invalid", "Invalid start or end time.") from None
    if e < s:
        raise cal_error(400, "timeRangeEmpty", "The specified time range is empty.")


def _overlaps(ev: Json, tz: str, lo: datetime | None, hi: datetime | None) -> bool:
    s, e, _ = _span(ev, tz)
    return (lo is None or e > lo) and (hi is None or s < hi)


def _same_instant(key: str, orig: Json) -> bool:
    if "date" in orig:
        return key == orig["date"]
    try:
        return datetime.fromisoformat(key) == datetime.fromisoformat(orig["dateTime"])
    except ValueError:
        return False


def _matches(ev: Json, q: dict[str, list[str]]) -> bool:
    for prop in q.get("privateExtendedProperty", []):
        k, _, v = prop.partition("=")
        if (ev.get("extendedProperties") or {}).get("private", {}).get(k) != v:
            return False
    for prop in q.get("sharedExtendedProperty", []):
        k, _, v = prop.partition("=")
        if (ev.get("extendedProperties") or {}).get("shared", {}).get(k) != v:
            return False
    if "iCalUID" in q and ev.get("iCalUID") != q["iCalUID"][0]:
        return False
    if "updatedMin" in q and ev.get("updated", "") < rfc3339(parse_time(q["updatedMin"][0])):
        return False
    text = _one(q, "q")
    if text:
        hay = " ".join(str(ev.get(k, "")) for k in ("summary", "description", "location")).lower()
        if text.lower() not in hay:
            return False
    return True


def _groups_of(person: Json) -> set[str]:
    return {
        (m.get("contactGroupMembership") or {}).get("contactGroupResourceName", "")
        for m in person.get("memberships", [])
    }


def _sort_name(p: Json) -> str:
    names = p.get("names") or [{}]
    return str(names[0].get("displayName", p["resourceName"]))


def _handler_for(fake: FakeGoogle) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            with fake.lock:
                fake.http_requests += 1
                fake.log.append((self.command, self.path))
            try:
                if self.command == "POST" and urlsplit(self.path).path.startswith("/batch/"):
                    with fake.lock:
                        fake.calls["batch"] += 1
                    kind = fake._take_failure("batch")
                    if kind in ("hang", "reset"):
                        raise _Abort(kind)
                    if kind == "lost":  # every call is carried out; the answer is lost
                        fake.serve_batch(headers, body)
                        raise _Abort("reset")
                    if kind is not None:
                        err = _failure_error(kind, "batch")
                        status, hdrs, out = (
                            err.status,
                            {"Content-Type": "application/json"},
                            _dump(err.body),
                        )
                    else:
                        status, hdrs, out = fake.serve_batch(headers, body)
                else:
                    status, hdrs, out = fake.dispatch(self.command, self.path, headers, body)
            except _Abort as a:
                if a.kind == "hang":
                    fake._release.wait(fake.hang_seconds)
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                    )
                return
            self.send_response(status, _REASONS.get(status))
            for k, v in hdrs.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(out)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    return Handler


def iter_all(fake: FakeGoogle, calendar_id: str = "primary") -> Iterator[Json]:
    """Every event resource of a calendar, cancelled included (for assertions)."""
    yield from fake.events_of(calendar_id, include_cancelled=True)
