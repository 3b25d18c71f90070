"""CardDAV / CalDAV backend against a real Radicale started on 127.0.0.1 (tests/radicale_server.py).

Faults a real server will not produce on demand (503s, a report it does not support, a user edit
at the exact moment netweave writes) come from a session wrapper that answers some requests
itself and passes the rest to Radicale.
"""

from __future__ import annotations

import base64
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import icalendar
import pytest
import requests
import vobject
from contract import WritableCalendarContract
from radicale_server import (  # noqa: F401 (fixtures)
    RadicaleServer,
    radicale_fixture,
    radicale_htpasswd_fixture,
)

from sync import config
from sync.model import Kind, PlannedEvent, planned_uid
from sync.sources.base import (
    AuthError,
    NotFound,
    OwnedEvent,
    PreconditionFailed,
    SourceError,
    WritableCalendar,
)
from sync.sources.dav import (
    CalDavCalendar,
    CardDavAddressBook,
    CollectionState,
    etag_listing,
    parse_multistatus,
)

pytestmark = pytest.mark.network

NY = ZoneInfo("America/New_York")

# --------------------------------------------------------------------------- fixtures and helpers

PHOTO = base64.b64encode(bytes(range(256)) * 3).decode()


def fold(line: str) -> str:
    out, rest = [], line
    while len(rest) > 75:
        out.append(rest[:75])
        rest = " " + rest[75:]
    out.append(rest)
    return "\r\n".join(out)


def card(uid: str, fn: str, *extra: str, email: str | None = None) -> str:
    family, _, given = fn.partition(" ")[::-1]
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:{uid}",
        f"FN:{fn}",
        f"N:{family};{given};;;",
        f"EMAIL;TYPE=INTERNET:{email or uid + '@example.com'}",
        *extra,
        "END:VCARD",
    ]
    return "\r\n".join(lines) + "\r\n"


RICH_EXTRA = (
    "ORG:Baker & Price LLP",
    "TITLE:Partner",
    "CATEGORIES:Bar association,Golf",
    "X-CUSTOM-FIELD;X-PARAM=keep:some value\\, with comma",
    "item1.EMAIL;TYPE=INTERNET:jane.private@example.org",
    "item1.X-ABLabel:_$!<Other>!$_",
    fold(f"PHOTO;ENCODING=b;TYPE=JPEG:{PHOTO}"),
    "NOTE:Met at the 2024 litigation retreat",
)


def book_cfg(
    server: RadicaleServer, user: str, collection: str | None = None, **kw: Any
) -> config.AddressBookConfig:
    return config.AddressBookConfig(
        type="carddav",
        name="dav-book",
        key="addressbooks[0]",
        url=server.url + "/",
        username=user,
        collection=collection,
        **kw,
    )


def cal_cfg(
    server: RadicaleServer, user: str, collection: str | None = None, **kw: Any
) -> config.CalendarConfig:
    return config.CalendarConfig(
        type="caldav",
        name="dav-cal",
        key="calendars[0]",
        url=server.url + "/",
        username=user,
        collection=collection,
        write=True,
        **kw,
    )


def no_sleep(_s: float) -> None:
    pass


def fake_response(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Any:
    r = requests.Response()
    r.status_code = status
    r._content = body
    r.reason = {503: "Service Unavailable", 501: "Not Implemented"}.get(status, "")
    r.headers.update(headers or {})
    return r


Hook = Callable[[str, str, bytes | None], Any]


class HookedSession(requests.Session):
    """A real session, except that ``hook`` may answer a request (return a Response) or act
    before it is sent (return None)."""

    def __init__(self, hook: Hook) -> None:
        super().__init__()
        self.hook = hook
        self.seen: list[tuple[str, str]] = []

    def request(self, method: str, url: str, *args: Any, **kw: Any) -> Any:  # type: ignore[override]
        self.seen.append((method, url))
        r = self.hook(method, url, kw.get("data"))
        if r is not None:
            return r
        return super().request(method, url, *args, **kw)


@pytest.fixture
def own_server() -> Iterator[RadicaleServer]:
    """A server of the test's own, for tests that take it down."""
    with tempfile.TemporaryDirectory(prefix="netweave-radicale-") as tmp:
        server = RadicaleServer(Path(tmp))
        server.start()
        try:
            yield server
        finally:
            server.stop()


def fill_book(server: RadicaleServer, user: str, n: int = 3) -> str:
    url = server.make_addressbook(user, "contacts")
    server.put(user, url + "jane.vcf", card("jane", "Jane Roe", *RICH_EXTRA), "text/vcard")
    for i in range(n - 1):
        r = server.put(user, url + f"p{i}.vcf", card(f"p{i}", f"Person{i} Smith"), "text/vcard")
        assert r.status_code == 201, r.text
    return url


def names(contacts: list[Any]) -> list[str]:
    return sorted(c.name for c in contacts)


# --------------------------------------------------------------------------- CardDAV: reading


def test_multistatus_parser_keeps_hrefs_and_statuses() -> None:
    body = b"""<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:sync-token>t2</d:sync-token>
    <d:response><d:href>http://h/u/c/a%20b.vcf</d:href><d:propstat><d:prop><d:getetag>"1"</d:getetag>
    </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat><d:propstat><d:prop><d:displayname/>
    </d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response>
    <d:response><d:href>/u/c/gone.vcf</d:href><d:status>HTTP/1.1 404 Not Found</d:status>
    </d:response><d:response><d:href>/u/c/</d:href>
    <d:status>HTTP/1.1 507 Insufficient Storage</d:status></d:response>
    </d:multistatus>"""
    ms = parse_multistatus(body, "http://h/u/c/", "src")
    assert ms.sync_token == "t2" and ms.truncated
    assert [(i.href, i.status) for i in ms.items] == [
        ("/u/c/a%20b.vcf", 200),
        ("/u/c/gone.vcf", 404),
    ]
    assert ms.items[0].text("d:getetag") == '"1"'
    assert ms.items[0].text("d:displayname") is None
    with pytest.raises(SourceError, match="malformed XML"):
        parse_multistatus(b"<oops", "http://h/", "src")


def test_collection_state_survives_damage() -> None:
    st = CollectionState(token="t", items={"/a": ('"1"', "BEGIN:VCARD")})
    assert CollectionState.load(st.dump()) == st
    assert CollectionState.load("{not json") == CollectionState()
    assert CollectionState.load('{"items": {"/a": 5}}') == CollectionState()


def test_carddav_discovery_full_and_incremental(radicale: RadicaleServer) -> None:
    user = radicale.new_user()
    url = fill_book(radicale, user, 3)
    state: dict[str, str] = {}
    book = CardDavAddressBook(book_cfg(radicale, user), state)
    res = book.read()
    assert not res.problems
    assert names(res.contacts) == ["Jane Roe", "Person0 Smith", "Person1 Smith"]
    jane = next(c for c in res.contacts if c.name == "Jane Roe")
    assert jane.organization == "Baker & Price LLP"
    assert "jane.private@example.org" in jane.emails
    assert set(jane.source_categories) >= {"Bar association", "Golf"}
    assert book.collections()[0].url == url
    # discovery (principal, home, listing) + sync-collection + one multiget
    assert book.requests_made == 5

    before = book.requests_made
    again = book.read()
    assert names(again.contacts) == names(res.contacts)
    assert book.requests_made - before == 1  # nothing changed: one sync-collection REPORT

    # A fresh process (same persisted state, explicit collection): one request, no card fetched.
    book2 = CardDavAddressBook(book_cfg(radicale, user, collection=url), state)
    assert names(book2.read().contacts) == names(res.contacts)
    assert book2.requests_made == 1

    # The user adds, edits and deletes cards elsewhere.
    radicale.put(user, url + "new.vcf", card("new", "Nora New"), "text/vcard")
    radicale.put(user, url + "p0.vcf", card("p0", "Person0 Renamed"), "text/vcard")
    assert radicale.delete(user, url + "p1.vcf").status_code == 200
    before = book2.requests_made
    res3 = book2.read()
    assert names(res3.contacts) == ["Jane Roe", "Nora New", "Person0 Renamed"]
    assert book2.requests_made - before == 2  # sync-collection + one multiget of 2 cards


def test_carddav_refused_token_means_full_resync(radicale: RadicaleServer) -> None:
    user = radicale.new_user()
    url = fill_book(radicale, user, 2)
    state: dict[str, str] = {}
    book = CardDavAddressBook(book_cfg(radicale, user, collection=url), state)
    book.read()
    key = f"dav:{url}"
    st = CollectionState.load(state[key])
    st.token = "http://radicale.org/ns/sync/0000"
    st.items["/elsewhere/ghost.vcf"] = ('"x"', card("ghost", "Ghost Card"))
    state[key] = st.dump()
    res = book.read()
    assert names(res.contacts) == ["Jane Roe", "Person0 Smith"]  # ghost dropped
    assert CollectionState.load(state[key]).token not in (None, st.token)


def test_carddav_without_sync_collection_uses_etag_listing(radicale: RadicaleServer) -> None:
    user = radicale.new_user()
    url = fill_book(radicale, user, 3)

    def no_sync_report(method: str, url: str, data: bytes | None) -> Any:
        if method == "REPORT" and data and b"sync-collection" in data:
            return fake_response(501)
        return None

    session = HookedSession(no_sync_report)
    state: dict[str, str] = {}
    book = CardDavAddressBook(book_cfg(radicale, user, collection=url), state, session=session)
    assert len(book.read().contacts) == 3
    assert [m for m, _u in session.seen] == ["REPORT", "PROPFIND", "REPORT"]
    session.seen.clear()
    radicale.delete(user, url + "p0.vcf")
    assert names(book.read().contacts) == ["Jane Roe", "Person1 Smith"]
    assert [m for m, _u in session.seen] == ["REPORT", "PROPFIND"]  # nothing to fetch


def test_carddav_bad_card_is_a_problem_not_a_crash(radicale: RadicaleServer) -> None:
    user = radicale.new_user()
    url = fill_book(radicale, user, 2)
    # Radicale validates vCards, so a card it accepts but our parser rejects is rare; a card
    # with no FN/N/EMAIL/ORG at all is one.
    radicale.put(
        user,
        url + "empty.vcf",
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:e\r\nFN:\r\nEND:VCARD\r\n",
        "text/vcard",
    )
    res = CardDavAddressBook(book_cfg(radicale, user, collection=url), {}).read()
    assert names(res.contacts) == ["Jane Roe", "Person0 Smith"]
    assert [(p.source, p.place) for p in res.problems] == [
        ("dav-book", f"/{user}/contacts/empty.vcf:1")
    ]


def test_carddav_named_collection_and_unknown_name(radicale: RadicaleServer) -> None:
    user = radicale.new_user()
    fill_book(radicale, user, 2)
    other = radicale.make_addressbook(user, "work")
    radicale.put(user, other + "w.vcf", card("w", "Walt Work"), "text/vcard")
    both = CardDavAddressBook(book_cfg(radicale, user), {}).read()
    assert names(both.contacts) == ["Jane Roe", "Person0 Smith", "Walt Work"]
    work = CardDavAddressBook(book_cfg(radicale, user, collection="work"), {}).read()
    assert names(work.contacts) == ["Walt Work"]
    with pytest.raises(SourceError, match="no address book named 'wrok'.*'work'"):
        CardDavAddressBook(book_cfg(radicale, user, collection="wrok"), {}).read()


def test_carddav_missing_collection_says_check_url(radicale: RadicaleServer) -> None:
    user = radicale.new_user()
    radicale.make_addressbook(user, "contacts")
    book = CardDavAddressBook(book_cfg(radicale, user, collection=f"/{user}/nope/"), {})
    with pytest.raises(NotFound) as e:
        book.read()
    assert "404" in str(e.value) and "collection" in str(e.value) and radicale.url in str(e.value)


# --------------------------------------------------------------------------- CardDAV: tags


def _server_card(server: RadicaleServer, user: str, url: str) -> tuple[str, Any]:
    r = server.get(user, url)
    assert r.status_code == 200
    return r.headers["ETag"], vobject.readOne(r.text)


def _values(vc: Any, name: str) -> list[str]:
    return [str(x.value) for x in vc.contents.get(name, [])]


def test_tag_writeback_keeps_every_other_property(radicale: RadicaleServer) -> None:
    user = radicale.new_user()
    url = fill_book(radicale, user, 2)
    _etag0, before = _server_card(radicale, user, url + "jane.vcf")
    book = CardDavAddressBook(book_cfg(radicale, user, collection=url, write_tags=True), {})
    jane = next(c for c in book.read().contacts if c.name == "Jane Roe")
    assert book.write_tags({jane.id: ("clients", "targets")}) == []
    _etag1, after = _server_card(radicale, user, url + "jane.vcf")

    cats = [c for x in after.contents["categories"] for c in x.value]
    assert sorted(cats) == ["Bar association", "Golf", "netweave: clients", "netweave: targets"]
    for name in set(before.contents) | set(after.contents):
        if name == "categories":
            continue
        assert [x.serialize() for x in before.contents.get(name, [])] == [
            x.serialize() for x in after.contents.get(name, [])
        ], name
    assert after.photo.value == before.photo.value == bytes(range(256)) * 3
    assert _values(after, "x-custom-field") == ["some value, with comma"]

    # Read back: netweave's own tags are not the user's categories (no feedback loop).
    again = next(c for c in book.read().contacts if c.name == "Jane Roe")
    assert set(again.source_categories) == {"Bar association", "Golf"}
    # Same tags again: nothing to write, not even a request.
    before_n = book.requests_made
    assert book.write_tags({jane.id: ("clients", "targets")}) == []
    assert book.requests_made == before_n
    # Fewer tags: the dropped one goes, the user's stay.
    assert book.write_tags({jane.id: ("clients",)}) == []
    _e, last = _server_card(radicale, user, url + "jane.vcf")
    assert sorted(c for x in last.contents["categories"] for c in x.value) == [
        "Bar association",
        "Golf",
        "netweave: clients",
    ]


def test_tag_writeback_off_by_default(radicale: RadicaleServer) -> None:
    user = radicale.new_user()
    url = fill_book(radicale, user, 1)
    book = CardDavAddressBook(book_cfg(radicale, user, collection=url), {})
    c = book.read().contacts[0]
    assert not book.can_write_tags
    problems = book.write_tags({c.id: ("clients",)})
    assert problems and "write_tags" in problems[0].message
    _e, vc = _server_card(radicale, user, url + "jane.vcf")
    assert not any("netweave" in v for x in vc.contents["categories"] for v in x.value)


def test_tag_writeback_412_rereads_and_keeps_user_edit(radicale: RadicaleServer) -> None:
    user = radicale.new_user()
    url = fill_book(radicale, user, 1)
    book = CardDavAddressBook(book_cfg(radicale, user, collection=url, write_tags=True), {})
    jane = book.read().contacts[0]
    # The user edits the card on their phone after netweave read it.
    edited = card("jane", "Jane Roe", *RICH_EXTRA).replace(
        "NOTE:Met at the 2024 litigation retreat", "NOTE:Now general counsel at Acme"
    )
    radicale.put(user, url + "jane.vcf", edited, "text/vcard")
    assert book.write_tags({jane.id: ("clients",)}) == []
    _e, vc = _server_card(radicale, user, url + "jane.vcf")
    assert _values(vc, "note") == ["Now general counsel at Acme"]
    assert "netweave: clients" in [c for x in vc.contents["categories"] for c in x.value]


def test_tag_writeback_gives_up_when_the_card_keeps_changing(radicale: RadicaleServer) -> None:
    user = radicale.new_user()
    url = fill_book(radicale, user, 1)
    edits = iter(range(100))

    def user_types_fast(method: str, u: str, data: bytes | None) -> Any:
        if method == "PUT":  # the user saves just before each of netweave's writes
            note = f"NOTE:edit {next(edits)}"
            radicale.put(user, u, card("jane", "Jane Roe", note), "text/vcard")
        return None

    session = HookedSession(user_types_fast)
    book = CardDavAddressBook(
        book_cfg(radicale, user, collection=url, write_tags=True), {}, session=session
    )
    jane = book.read().contacts[0]
    problems = book.write_tags({jane.id: ("clients",)})
    assert len(problems) == 1 and problems[0].place == f"/{user}/contacts/jane.vcf"
    _e, vc = _server_card(radicale, user, url + "jane.vcf")
    assert _values(vc, "note") == ["edit 1"]  # the user's last version, untouched
    assert "categories" not in vc.contents


def test_tag_writeback_on_a_deleted_card_is_reported(radicale: RadicaleServer) -> None:
    user = radicale.new_user()
    url = fill_book(radicale, user, 2)
    book = CardDavAddressBook(book_cfg(radicale, user, collection=url, write_tags=True), {})
    by_name = {c.name: c for c in book.read().contacts}
    radicale.delete(user, url + "jane.vcf")
    problems = book.write_tags(
        {by_name["Jane Roe"].id: ("clients",), by_name["Person0 Smith"].id: ("alumni",)}
    )
    assert [p.place for p in problems] == [f"/{user}/contacts/jane.vcf"]
    assert "deleted" in problems[0].message
    assert radicale.get(user, url + "jane.vcf").status_code == 404  # not recreated
    _e, vc = _server_card(radicale, user, url + "p0.vcf")
    assert [c for x in vc.contents["categories"] for c in x.value] == ["netweave: alumni"]


# --------------------------------------------------------------------------- HTTP behaviour


def test_password_from_env_and_bad_password(
    radicale_htpasswd: RadicaleServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = radicale_htpasswd
    url = server.make_addressbook("ann", "contacts")
    server.put("ann", url + "a.vcf", card("a", "Al Alpha"), "text/vcard")
    cfg = book_cfg(server, "ann", password=config.Secret(env="NW_DAV_PW"))
    monkeypatch.setenv("NW_DAV_PW", "s3cret-pw")
    assert names(CardDavAddressBook(cfg, {}).read().contacts) == ["Al Alpha"]

    monkeypatch.setenv("NW_DAV_PW", "wrong-horse")
    with pytest.raises(AuthError) as e:
        CardDavAddressBook(cfg, {}).read()
    msg = str(e.value)
    assert "401" in msg and "password_env" in msg and server.url in msg
    assert "wrong-horse" not in msg

    monkeypatch.delenv("NW_DAV_PW")
    with pytest.raises(AuthError, match="NW_DAV_PW"):
        CardDavAddressBook(cfg, {}).read()

    cmd = book_cfg(server, "ann", password=config.Secret(command="printf s3cret-pw"))
    assert names(CardDavAddressBook(cmd, {}).read().contacts) == ["Al Alpha"]
    bad = book_cfg(server, "ann", password=config.Secret(command="false"))
    with pytest.raises(AuthError, match="password command"):
        CardDavAddressBook(bad, {}).read()


def test_retries_transient_errors_with_backoff(radicale: RadicaleServer) -> None:
    user = radicale.new_user()
    url = fill_book(radicale, user, 2)
    failures = iter([fake_response(503), fake_response(429, headers={"Retry-After": "3"})])

    def flaky(method: str, u: str, data: bytes | None) -> Any:
        return next(failures, None)

    sleeps: list[float] = []
    book = CardDavAddressBook(
        book_cfg(radicale, user, collection=url),
        {},
        session=HookedSession(flaky),
        sleep=sleeps.append,
    )
    assert len(book.read().contacts) == 2
    assert book.requests_made == 4  # 503, 429, then sync-collection and multiget
    assert len(sleeps) == 2 and 0.5 <= sleeps[0] < 1 and sleeps[1] >= 3  # Retry-After honoured

    always = HookedSession(lambda m, u, d: fake_response(503))
    sleeps.clear()
    down = CardDavAddressBook(
        book_cfg(radicale, user, collection=url),
        {},
        session=always,
        sleep=sleeps.append,
        max_retries=3,
    )
    with pytest.raises(SourceError, match="503.*4 attempts"):
        down.read()
    assert down.requests_made == 4 and len(sleeps) == 3 and sleeps == sorted(sleeps)

    sleeps.clear()
    configured = CardDavAddressBook(  # `retries` in the config, when the caller names none
        book_cfg(radicale, user, collection=url, retries=1), {}, session=always, sleep=sleeps.append
    )
    with pytest.raises(SourceError, match="503.*2 attempts"):
        configured.read()
    assert configured.requests_made == 2 and len(sleeps) == 1
    cal = CalDavCalendar(cal_cfg(radicale, user, retries=0), NY, {}, session=always)
    with pytest.raises(SourceError, match="503.*1 attempts"):
        cal.read(datetime(2026, 12, 1, tzinfo=NY), datetime(2026, 12, 8, tzinfo=NY))
    assert cal.requests_made == 1


def test_server_goes_down_mid_run_nothing_lost(own_server: RadicaleServer) -> None:
    server = own_server
    user = server.new_user()
    url = fill_book(server, user, 3)
    state: dict[str, str] = {}
    book = CardDavAddressBook(
        book_cfg(server, user, collection=url, write_tags=True), state, sleep=no_sleep
    )
    first = book.read()
    saved = dict(state)

    server.put(user, url + "late.vcf", card("late", "Lena Late"), "text/vcard")
    server.stop()
    with pytest.raises(SourceError) as e:
        book.read()
    assert server.url in str(e.value) and "cannot reach" in str(e.value)
    assert state == saved  # the failed read did not advance the token
    problems = book.write_tags({first.contacts[0].id: ("clients",)})
    assert len(problems) == 1 and "cannot reach" in problems[0].message

    server.start()
    res = book.read()
    assert names(res.contacts) == sorted([*names(first.contacts), "Lena Late"])


# --------------------------------------------------------------------------- CalDAV


VTZ_NY = """BEGIN:VTIMEZONE\r
TZID:America/New_York\r
BEGIN:DAYLIGHT\r
TZOFFSETFROM:-0500\r
TZOFFSETTO:-0400\r
TZNAME:EDT\r
DTSTART:19700308T020000\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r
END:DAYLIGHT\r
BEGIN:STANDARD\r
TZOFFSETFROM:-0400\r
TZOFFSETTO:-0500\r
TZNAME:EST\r
DTSTART:19701101T020000\r
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r
END:STANDARD\r
END:VTIMEZONE\r
"""


def vcal(*components: str, tz: bool = True) -> str:
    body = "".join(components)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//User client//EN\r\n"
        + (VTZ_NY if tz else "")
        + body
        + "END:VCALENDAR\r\n"
    )


def vevent(uid: str, start: str, end: str, summary: str, *extra: str) -> str:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20260101T000000Z",
        f"DTSTART;TZID=America/New_York:{start}",
        f"DTEND;TZID=America/New_York:{end}",
        f"SUMMARY:{summary}",
        *extra,
        "END:VEVENT",
    ]
    return "\r\n".join(lines) + "\r\n"


# The week of Monday 2026-03-02 .. Sunday 2026-03-08 (EST), and the week after DST starts.
WEEKLY = vcal(
    vevent(
        "standup",
        "20260105T090000",
        "20260105T093000",
        "Partner meeting",
        "RRULE:FREQ=WEEKLY;BYDAY=MO,WE",
    ),
    vevent(
        "standup",
        "20260305T150000",
        "20260305T153000",
        "Partner meeting (moved)",
        "RECURRENCE-ID;TZID=America/New_York:20260304T090000",
    ),
)
ALLDAY = vcal(
    "BEGIN:VEVENT\r\nUID:trial\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260306\r\n"
    "DTEND;VALUE=DATE:20260307\r\nSUMMARY:Trial prep day\r\nEND:VEVENT\r\n",
    tz=False,
)
FREE = vcal(
    vevent("reminder", "20260303T120000", "20260303T130000", "Lunch hold", "TRANSP:TRANSPARENT")
)
LATER = vcal(vevent("later", "20260601T100000", "20260601T110000", "Far away"))

WEEK_START = datetime(2026, 3, 2, tzinfo=NY)
WEEK_END = datetime(2026, 3, 9, tzinfo=NY)


def fill_calendar(server: RadicaleServer, user: str, name: str = "calendar") -> str:
    url = server.make_calendar(user, name)
    for fname, data in (
        ("weekly.ics", WEEKLY),
        ("allday.ics", ALLDAY),
        ("free.ics", FREE),
        ("later.ics", LATER),
    ):
        r = server.put(user, url + fname, data, "text/calendar")
        assert r.status_code == 201, (fname, r.text)
    return url


def planned(
    key: str = "a", day: int = 4, hour: int = 8, title: str = "Coffee with Ann"
) -> PlannedEvent:
    start = datetime(2026, 3, day, hour, 0, tzinfo=NY)
    return PlannedEvent(
        uid=planned_uid("one-on-one", key),
        kind=Kind.ONE_ON_ONE,
        title=title,
        start=start,
        end=start + timedelta(minutes=45),
        location="Blue Bottle, 1 Main St",
        contacts=("c-123",),
        description="Why: ask about the partnership track.\nQuestions: ...",
    )


def _summaries(events: list[Any]) -> list[tuple[str, str]]:
    return [(e.start.astimezone(NY).strftime("%a %H:%M"), e.summary) for e in events]


@pytest.fixture(scope="module")
def has_ics() -> None:
    pytest.importorskip("sync.sources.ics")


def test_caldav_reads_busy_time_and_caches(radicale: RadicaleServer, has_ics: None) -> None:
    user = radicale.new_user()
    url = fill_calendar(radicale, user)
    state: dict[str, str] = {}
    cal = CalDavCalendar(cal_cfg(radicale, user), NY, state)
    res = cal.read(WEEK_START, WEEK_END)
    assert not res.problems
    got = _summaries(res.events)
    assert ("Mon 09:00", "Partner meeting") in got
    assert ("Thu 15:00", "Partner meeting (moved)") in got
    assert ("Wed 09:00", "Partner meeting") not in got  # the moved instance
    assert ("Tue 12:00", "Lunch hold") in got
    assert ("Fri 00:00", "Trial prep day") in got
    assert "Far away" not in [s for _d, s in got]
    assert next(e for e in res.events if e.summary == "Lunch hold").transparent
    assert next(e for e in res.events if e.summary == "Trial prep day").all_day
    assert cal.collections()[0].url == url

    # Same window, nothing changed: one time-range REPORT, no fetch.
    cal2 = CalDavCalendar(cal_cfg(radicale, user, collection=url), NY, state)
    again = cal2.read(WEEK_START, WEEK_END)
    assert _summaries(again.events) == got
    assert cal2.requests_made == 1

    # The user moves the all-day event into next week: REPORT + one multiget.
    radicale.put(
        user,
        url + "allday.ics",
        ALLDAY.replace("20260306", "20260313").replace("20260307", "20260314"),
        "text/calendar",
    )
    third = cal2.read(WEEK_START, WEEK_END)
    assert "Trial prep day" not in [e.summary for e in third.events]
    assert cal2.requests_made == 2  # the moved event left the window: nothing to fetch
    nxt = cal2.read(WEEK_END, WEEK_END + timedelta(days=7))
    assert "Trial prep day" in [e.summary for e in nxt.events]


def test_caldav_without_time_range_report_lists_everything(
    radicale: RadicaleServer, has_ics: None
) -> None:
    user = radicale.new_user()
    url = fill_calendar(radicale, user)

    def no_time_range(method: str, u: str, data: bytes | None) -> Any:
        if method == "REPORT" and data and b"time-range" in data:
            return fake_response(403)
        return None

    cal = CalDavCalendar(
        cal_cfg(radicale, user, collection=url), NY, {}, session=HookedSession(no_time_range)
    )
    got = _summaries(cal.read(WEEK_START, WEEK_END).events)
    assert ("Thu 15:00", "Partner meeting (moved)") in got
    assert "Far away" not in [s for _d, s in got]


def test_owned_events_are_busy_time(radicale: RadicaleServer, has_ics: None) -> None:
    user = radicale.new_user()
    url = fill_calendar(radicale, user)
    cal = CalDavCalendar(cal_cfg(radicale, user, collection=url), NY, {})
    ev = planned()
    cal.insert(ev)
    busy = cal.read(WEEK_START, WEEK_END).events
    mine = [e for e in busy if e.netweave_id == ev.uid]
    assert len(mine) == 1 and mine[0].start == ev.start and mine[0].summary == ev.title


def test_insert_list_update_delete(radicale: RadicaleServer) -> None:
    user = radicale.new_user()
    url = fill_calendar(radicale, user)
    cal = CalDavCalendar(cal_cfg(radicale, user, collection=url), NY, {})
    assert cal.list_owned() == []  # the user's events are never listed
    ev = planned()
    owned = cal.insert(ev)
    assert owned.nid == ev.uid and owned.href.startswith(f"/{user}/calendar/")
    assert owned.start == ev.start and owned.title == ev.title and owned.etag
    assert cal.list_owned() == [owned]
    assert cal.requests_made == 3  # the marker query, one PUT, the marker query

    with pytest.raises(PreconditionFailed):
        cal.insert(ev)  # idempotent per uid: never a second copy
    assert len(cal.list_owned()) == 1

    moved = PlannedEvent(
        **{
            **ev.__dict__,
            "start": ev.start + timedelta(hours=1),
            "end": ev.end + timedelta(hours=1),
        }
    )
    updated = cal.update(owned.href, owned.etag, moved, 1)
    assert updated.etag != owned.etag and updated.sequence == 1
    assert updated.start == moved.start
    with pytest.raises(PreconditionFailed):
        cal.update(owned.href, owned.etag, moved, 2)  # stale etag
    with pytest.raises(PreconditionFailed):
        cal.delete(owned.href, owned.etag)
    cal.delete(updated.href, updated.etag)
    assert cal.list_owned() == []
    with pytest.raises(NotFound):
        cal.delete(updated.href, updated.etag)
    with pytest.raises(NotFound):
        cal.update(updated.href, updated.etag, moved, 3)
    assert radicale.get(user, url + "weekly.ics").status_code == 200  # user's events intact


def test_user_edit_races_netweave_update(radicale: RadicaleServer) -> None:
    user = radicale.new_user()
    url = radicale.make_calendar(user)
    cal = CalDavCalendar(cal_cfg(radicale, user, collection=url), NY, {})
    owned = cal.insert(planned())
    # The user drags the event to Friday in their calendar app.
    r = radicale.get(user, radicale.url + owned.href)
    user_version = r.text.replace("20260304T08", "20260306T08")
    assert radicale.put(
        user, radicale.url + owned.href, user_version, "text/calendar", etag=r.headers["ETag"]
    ).status_code in (201, 204)
    with pytest.raises(PreconditionFailed):
        cal.update(owned.href, owned.etag, planned(title="Coffee (rescheduled)"), 1)
    kept = radicale.get(user, radicale.url + owned.href).text
    assert "20260306T08" in kept and "rescheduled" not in kept
    now = cal.list_owned()
    assert len(now) == 1 and now[0].start.day == 6 and now[0].fingerprint != owned.fingerprint


def test_written_event_is_valid_and_reads_back_in_vobject(radicale: RadicaleServer) -> None:
    user = radicale.new_user()
    url = radicale.make_calendar(user)
    cal = CalDavCalendar(cal_cfg(radicale, user, collection=url), NY, {})
    ev = planned(title="Coffee with Ann — café ☕", day=10)  # after the DST change
    owned = cal.insert(ev)
    r = radicale.get(user, radicale.url + owned.href)
    assert r.status_code == 200 and r.headers["ETag"] == owned.etag
    comp = vobject.readOne(r.text)
    vev = comp.vevent
    assert vev.uid.value == ev.uid
    assert vev.contents["x-netweave-id"][0].value == ev.uid
    assert vev.summary.value == ev.title
    assert vev.location.value == ev.location
    assert vev.dtstart.value == ev.start and vev.dtend.value == ev.end
    assert vev.dtstart.value.utcoffset() == timedelta(hours=-4)
    assert comp.vtimezone.tzid.value == "America/New_York"


def test_several_calendars_need_a_collection_to_write(
    radicale: RadicaleServer, has_ics: None
) -> None:
    user = radicale.new_user()
    fill_calendar(radicale, user, "calendar")
    work = radicale.make_calendar(user, "work")
    radicale.make_calendar(user, "tasks", comp="VTODO")  # not an event calendar: ignored
    radicale.put(
        user,
        work + "w.ics",
        vcal(vevent("w", "20260303T140000", "20260303T150000", "Deposition")),
        "text/calendar",
    )
    both = CalDavCalendar(cal_cfg(radicale, user), NY, {})
    summaries = {e.summary for e in both.read(WEEK_START, WEEK_END).events}
    assert {"Deposition", "Partner meeting"} <= summaries
    assert [c.name for c in both.collections()] == ["calendar", "work"]
    with pytest.raises(SourceError, match="several calendars.*collection"):
        both.insert(planned())
    only = CalDavCalendar(cal_cfg(radicale, user, collection="work"), NY, {})
    owned = only.insert(planned())
    assert owned.href.startswith(f"/{user}/work/")


def test_caldav_server_down_raises_and_writes_nothing(
    own_server: RadicaleServer, has_ics: None
) -> None:
    server = own_server
    user = server.new_user()
    url = fill_calendar(server, user)
    state: dict[str, str] = {}
    cal = CalDavCalendar(cal_cfg(server, user, collection=url), NY, state, sleep=no_sleep)
    cal.read(WEEK_START, WEEK_END)
    owned = cal.insert(planned())
    saved = dict(state)
    server.stop()
    for call in (
        lambda: cal.read(WEEK_START, WEEK_END),
        cal.list_owned,
        lambda: cal.insert(planned("b")),
        lambda: cal.delete(owned.href, owned.etag),
    ):
        with pytest.raises(SourceError, match="cannot reach"):
            call()
    assert state == saved
    server.start()
    assert [o.nid for o in cal.list_owned()] == [owned.nid]


def test_caldav_is_a_writable_calendar(radicale: RadicaleServer) -> None:
    user = radicale.new_user()
    cal = CalDavCalendar(cal_cfg(radicale, user, collection=f"/{user}/calendar/"), NY, {})
    assert isinstance(cal, WritableCalendar)


# --------------------------------------------------------------------------- the shared contract


class TestCalDavContract(WritableCalendarContract):
    """tests/contract.py against a fresh Radicale calendar per test; the hooks act through
    plain HTTP as another client (a phone, Thunderbird) would."""

    @pytest.fixture
    def calendar(self, radicale: RadicaleServer) -> CalDavCalendar:
        user = radicale.new_user()
        url = radicale.make_calendar(user)
        self.server, self.user, self.url = radicale, user, url
        return CalDavCalendar(cal_cfg(radicale, user, collection=url), NY, {})

    def _get(self, owned: OwnedEvent) -> tuple[str, icalendar.Calendar]:
        r = self.server.get(self.user, self.server.url + owned.href)
        assert r.status_code == 200
        return r.headers["ETag"], icalendar.Calendar.from_ical(r.content)

    def add_foreign(
        self, calendar: Any, uid: str, summary: str, start: datetime, end: datetime
    ) -> None:
        cal = icalendar.Calendar()
        cal.add("prodid", "-//Test//Phone//EN")
        cal.add("version", "2.0")
        ev = icalendar.Event()
        ev.add("uid", uid)
        ev.add("dtstamp", datetime(2030, 1, 1, tzinfo=UTC))
        ev.add("dtstart", start.astimezone(UTC))
        ev.add("dtend", end.astimezone(UTC))
        ev.add("summary", summary)
        cal.add_component(ev)
        name = quote(uid, safe="") + ".ics"
        r = self.server.put(self.user, self.url + name, cal.to_ical(), "text/calendar", create=True)
        assert r.status_code == 201, r.text

    def user_edit(self, calendar: Any, owned: OwnedEvent, start: datetime, end: datetime) -> None:
        etag, cal = self._get(owned)
        for ev in cal.walk("VEVENT"):
            for name, value in (("dtstart", start), ("dtend", end)):
                del ev[name]
                ev.add(name, value.astimezone(UTC))
        r = self.server.put(
            self.user, self.server.url + owned.href, cal.to_ical(), "text/calendar", etag=etag
        )
        assert r.status_code in (201, 204), r.text

    def user_delete(self, calendar: Any, owned: OwnedEvent) -> None:
        assert self.server.delete(self.user, self.server.url + owned.href).status_code == 200

    def stored_description(self, calendar: Any, owned: OwnedEvent) -> str:
        _etag, cal = self._get(owned)
        return str(next(iter(cal.walk("VEVENT")))["description"])

    def foreign_snapshot(self, calendar: Any) -> object:
        """Every byte and etag of every resource without netweave's marker."""
        listing = etag_listing(calendar.http, self.url)
        out = {}
        for href, etag in sorted(listing.items()):
            body = self.server.get(self.user, self.server.url + href).content
            if b"X-NETWEAVE-ID" not in body:
                out[href] = (etag, body)
        return out


# --------------------------------------------------------------------------- engine invariants


def test_engine_invariants_on_caldav(
    radicale: RadicaleServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The real `netweave sync` on the example, writing to Radicale: a second run writes
    nothing, the user's move and delete are respected, the user's own events are untouched."""
    import json

    from example_home import cli, make_home

    user = radicale.new_user()
    url = radicale.make_calendar(user, "networking")
    radicale.put(user, url + "mine.ics", FREE, "text/calendar")

    def on_radicale(text: str) -> str:
        vdir = 'type = "vdir"\npath = "out/networking"'
        assert vdir in text
        return text.replace(
            vdir,
            f'type = "caldav"\nurl = "{radicale.url}/"\nusername = "{user}"\ncollection = "{url}"',
        )

    make_home(tmp_path, monkeypatch, config=on_radicale)

    def sync() -> dict[str, Any]:
        code, out, _ = cli(tmp_path, capsys, "sync", "--json")
        data: dict[str, Any] = json.loads(out)
        assert code == 0 and not data["errors"], data
        return data

    def server_state() -> dict[str, tuple[str | None, bytes]]:
        cal = CalDavCalendar(cal_cfg(radicale, user, collection=url), NY, {})
        listing = etag_listing(cal.http, url)
        return {h: (e, radicale.get(user, radicale.url + h).content) for h, e in listing.items()}

    first = sync()
    assert first["inserted"] >= 3
    after_first = server_state()
    assert len(after_first) == first["inserted"] + 1
    again = sync()
    assert (again["inserted"], again["updated"], again["deleted"]) == (0, 0, 0)
    assert server_state() == after_first  # not a byte, not an etag changed

    ours = sorted(h for h in after_first if not h.endswith("mine.ics"))
    moved_href, deleted_href = ours[0], ours[1]
    cal = CalDavCalendar(cal_cfg(radicale, user, collection=url), NY, {})
    moved = next(o for o in cal.list_owned() if o.href == moved_href)
    etag, body = after_first[moved_href]
    ical = icalendar.Calendar.from_ical(body)
    for ev in ical.walk("VEVENT"):
        for name in ("dtstart", "dtend"):
            value = ev.decoded(name) + timedelta(days=1)
            del ev[name]
            ev.add(name, value)
    assert radicale.put(
        user, radicale.url + moved_href, ical.to_ical(), "text/calendar", etag=etag
    ).status_code in (201, 204)
    assert radicale.delete(user, radicale.url + deleted_href).status_code == 200
    user_view = server_state()

    later = sync()
    # A deleted meeting takes its own prep and follow-up blocks with it; nothing is recreated.
    assert later["inserted"] == 0 and later["deleted"] <= 2, later
    again = sync()
    assert (again["inserted"], again["updated"], again["deleted"]) == (0, 0, 0), again
    final = server_state()
    assert final[moved_href] == user_view[moved_href]  # left where the user put it
    assert deleted_href not in final  # not recreated
    assert (
        final[next(h for h in final if h.endswith("mine.ics"))]
        == after_first[next(h for h in after_first if h.endswith("mine.ics"))]
    )
    assert len(cal.list_owned()) == first["inserted"] - 1 - later["deleted"] == len(final) - 1
    assert moved.nid in {o.nid for o in cal.list_owned()}


def test_discovery_follows_well_known_redirect_with_the_body(radicale: RadicaleServer) -> None:
    user = radicale.new_user()
    fill_book(radicale, user, 2)
    r = radicale.session(user).request(
        "PROPFIND", radicale.url + "/.well-known/carddav", allow_redirects=False
    )
    assert r.status_code in (301, 302, 307, 308)  # Radicale redirects like Nextcloud does
    cfg = book_cfg(radicale, user)
    cfg = config.AddressBookConfig(**{**cfg.__dict__, "url": radicale.url + "/.well-known/carddav"})
    assert names(CardDavAddressBook(cfg, {}).read().contacts) == ["Jane Roe", "Person0 Smith"]
