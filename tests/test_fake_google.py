"""The fake Google server itself enforces Google's documented limits and semantics."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from fake_google import FakeGoogle

T0 = datetime(2031, 5, 5, 14, 0, tzinfo=UTC)
pytestmark = pytest.mark.network


@pytest.fixture
def fake() -> Iterator[FakeGoogle]:
    with FakeGoogle() as f:
        yield f


def get(fake: FakeGoogle, path: str, **params: Any) -> requests.Response:
    return requests.get(fake.url + path, params=params, timeout=5)


def events_path(cal: str = "me@example.com") -> str:
    return f"calendar/v3/calendars/{cal}/events"


def seed(fake: FakeGoogle, n: int, **fields: Any) -> list[dict[str, Any]]:
    return [
        fake.seed_event(
            summary=f"E{i}",
            start=T0 + timedelta(hours=i),
            end=T0 + timedelta(hours=i, minutes=30),
            **fields,
        )
        for i in range(n)
    ]


def test_events_page_size_capped_and_sync_token_only_on_last_page(fake: FakeGoogle) -> None:
    seed(fake, 2600)
    r = get(fake, events_path(), maxResults=5000).json()
    assert len(r["items"]) == 2500 and "nextPageToken" in r and "nextSyncToken" not in r
    r2 = get(fake, events_path(), pageToken=r["nextPageToken"]).json()
    assert len(r2["items"]) == 100 and "nextPageToken" not in r2 and "nextSyncToken" in r2


@pytest.mark.parametrize(
    "param",
    ["timeMin", "timeMax", "q", "orderBy", "iCalUID", "updatedMin", "privateExtendedProperty"],
)
def test_sync_token_not_combinable(fake: FakeGoogle, param: str) -> None:
    token = get(fake, events_path()).json()["nextSyncToken"]
    value = {
        "timeMin": T0.isoformat(),
        "timeMax": T0.isoformat(),
        "updatedMin": T0.isoformat(),
        "orderBy": "updated",
        "privateExtendedProperty": "a=b",
    }.get(param, "x")
    r = get(fake, events_path(), syncToken=token, **{param: value})
    assert r.status_code == 400


def test_unknown_or_expired_sync_token_is_410(fake: FakeGoogle) -> None:
    assert get(fake, events_path(), syncToken="nope").status_code == 410
    token = get(fake, events_path()).json()["nextSyncToken"]
    fake.expire_event_sync_tokens()
    r = get(fake, events_path(), syncToken=token)
    assert r.status_code == 410 and r.json()["error"]["errors"][0]["reason"] == "fullSyncRequired"


def test_incremental_returns_changes_and_deletions(fake: FakeGoogle) -> None:
    a, b, _c = seed(fake, 3)
    token = get(fake, events_path()).json()["nextSyncToken"]
    fake.user_delete_event("primary", a["id"])
    fake.user_move_event(
        "primary", b["id"], T0 + timedelta(days=1), T0 + timedelta(days=1, hours=1)
    )
    r = get(fake, events_path(), syncToken=token).json()
    got = {i["id"]: i for i in r["items"]}
    assert set(got) == {a["id"], b["id"]}
    assert got[a["id"]]["status"] == "cancelled"
    assert got[b["id"]]["sequence"] == 1
    again = get(fake, events_path(), syncToken=r["nextSyncToken"]).json()
    assert again["items"] == []


def test_private_extended_property_filter_and_single_events(fake: FakeGoogle) -> None:
    seed(fake, 2)
    seed(fake, 1, extendedProperties={"private": {"netweave": "owned", "netweaveId": "x"}})
    fake.seed_event(
        summary="Daily",
        start=T0,
        end=T0 + timedelta(minutes=15),
        recurrence=["RRULE:FREQ=DAILY;COUNT=5"],
    )
    r = get(fake, events_path(), privateExtendedProperty="netweave=owned").json()
    assert [i["summary"] for i in r["items"]] == ["E0"]
    inst = get(
        fake,
        events_path(),
        singleEvents="true",
        timeMin=T0.isoformat(),
        timeMax=(T0 + timedelta(days=3)).isoformat(),
        orderBy="startTime",
    ).json()
    assert sum(1 for i in inst["items"] if i["summary"] == "Daily") == 3
    assert get(fake, events_path(), orderBy="startTime").status_code == 400


def test_if_match_and_412(fake: FakeGoogle) -> None:
    (ev,) = seed(fake, 1)
    url = fake.url + events_path() + "/" + ev["id"]
    body = {**ev, "summary": "mine"}
    r = requests.put(url, json=body, headers={"If-Match": '"stale"'}, timeout=5)
    assert r.status_code == 412 and r.json()["error"]["errors"][0]["reason"] == "conditionNotMet"
    r = requests.put(url, json=body, headers={"If-Match": ev["etag"]}, timeout=5)
    assert r.status_code == 200 and r.json()["etag"] != ev["etag"]
    assert requests.delete(url, headers={"If-Match": ev["etag"]}, timeout=5).status_code == 412
    assert requests.delete(url, timeout=5).status_code == 204
    assert requests.delete(url, timeout=5).status_code == 410


def test_insert_with_client_id_twice_is_409(fake: FakeGoogle) -> None:
    body: dict[str, Any] = {
        "id": "abc123def",
        "summary": "x",
        "start": {"dateTime": T0.isoformat()},
        "end": {"dateTime": (T0 + timedelta(hours=1)).isoformat()},
    }
    url = fake.url + events_path()
    assert requests.post(url, json=body, timeout=5).status_code == 200
    assert requests.post(url, json=body, timeout=5).status_code == 409
    assert requests.post(url, json={**body, "id": "NOT_BASE32"}, timeout=5).status_code == 400


def test_freebusy_limits(fake: FakeGoogle) -> None:
    seed(fake, 2, transparency="opaque")
    seed(fake, 1, transparency="transparent")
    url = fake.url + "calendar/v3/freeBusy"
    body: dict[str, Any] = {
        "timeMin": T0.isoformat(),
        "timeMax": (T0 + timedelta(days=1)).isoformat(),
        "items": [{"id": "primary"}, {"id": "nobody@example.com"}],
    }
    r = requests.post(url, json=body, timeout=5).json()
    busy = r["calendars"]["primary"]["busy"]  # the transparent event is not busy
    assert [b["start"][11:16] for b in busy] == ["14:00", "15:00"]
    assert r["calendars"]["nobody@example.com"]["errors"][0]["reason"] == "notFound"
    assert (
        requests.post(url, json={**body, "calendarExpansionMax": 51}, timeout=5).status_code == 400
    )
    many: dict[str, Any] = {**body, "items": [{"id": f"c{i}"} for i in range(51)]}
    assert requests.post(url, json=many, timeout=5).status_code == 400


def test_people_limits_and_expiry(fake: FakeGoogle) -> None:
    for i in range(3):
        fake.seed_person(names=[{"displayName": f"P{i}"}])
    path = "v1/people/me/connections"
    assert get(fake, path, pageSize=10).status_code == 400  # personFields required
    assert get(fake, path, personFields="names", pageSize=1001).status_code == 400
    r = get(fake, path, personFields="names", pageSize=2, requestSyncToken="true").json()
    assert "nextSyncToken" not in r and len(r["connections"]) == 2
    r = get(fake, path, personFields="names", pageSize=2, pageToken=r["nextPageToken"]).json()
    token = r["nextSyncToken"]
    fake.advance(timedelta(days=6))
    assert get(fake, path, personFields="names", syncToken=token).status_code == 200
    fake.advance(timedelta(days=2))
    r2 = get(fake, path, personFields="names", syncToken=token)
    assert r2.status_code == 400
    assert r2.json()["error"]["details"][0]["reason"] == "EXPIRED_SYNC_TOKEN"


def test_contact_groups_and_update_contact(fake: FakeGoogle) -> None:
    p = fake.seed_person(names=[{"displayName": "Ann"}])
    url = fake.url + "v1/contactGroups"
    g = requests.post(url, json={"contactGroup": {"name": "x"}}, timeout=5).json()
    assert requests.post(url, json={"contactGroup": {"name": "x"}}, timeout=5).status_code == 409
    mod = fake.url + f"v1/{g['resourceName']}/members:modify"
    too_many: dict[str, Any] = {"resourceNamesToAdd": [f"people/c{i}" for i in range(1001)]}
    assert requests.post(mod, json=too_many, timeout=5).status_code == 400
    r = requests.post(
        mod, json={"resourceNamesToAdd": [p["resourceName"], "people/nope"]}, timeout=5
    )
    assert r.json() == {"notFoundResourceNames": ["people/nope"]}
    assert fake.group_members("x") == {p["resourceName"]}
    upd = fake.url + f"v1/{p['resourceName']}:updateContact"
    stale = requests.patch(
        upd,
        params={"updatePersonFields": "names"},
        json={"etag": p["etag"], "names": [{"displayName": "B"}]},
        timeout=5,
    )
    assert stale.status_code == 400 and stale.json()["error"]["status"] == "FAILED_PRECONDITION"
    fresh = fake.person(p["resourceName"])
    ok = requests.patch(
        upd,
        params={"updatePersonFields": "names"},
        json={"etag": fresh["etag"], "names": [{"displayName": "B"}]},
        timeout=5,
    )
    assert ok.status_code == 200 and ok.json()["names"][0]["displayName"] == "B"


def test_token_endpoint(fake: FakeGoogle) -> None:
    form = {"grant_type": "refresh_token", "refresh_token": "refresh-1", "client_id": "c"}
    r = requests.post(fake.token_uri, data=form, timeout=5)
    assert r.status_code == 200 and r.json()["access_token"]
    fake.revoke_refresh_token("refresh-1")
    r = requests.post(fake.token_uri, data=form, timeout=5)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"


def test_batch_limit_and_counting(fake: FakeGoogle) -> None:
    boundary = "b"
    part = (
        f"--{boundary}\r\nContent-Type: application/http\r\nContent-ID: <x + {{i}}>\r\n\r\n"
        f"GET /calendar/v3/calendars/primary/events HTTP/1.1\r\n\r\n\r\n"
    )
    body = "".join(part.format(i=i) for i in range(3)) + f"--{boundary}--\r\n"
    hdr = {"Content-Type": f"multipart/mixed; boundary={boundary}"}
    url = fake.url + "batch/calendar/v3"
    fake.reset_counters()
    r = requests.post(url, data=body, headers=hdr, timeout=5)
    assert r.status_code == 200 and r.text.count("HTTP/1.1 200") == 3
    assert fake.http_requests == 1 and fake.calls["events.list"] == 3
    big = "".join(part.format(i=i) for i in range(1001)) + f"--{boundary}--\r\n"
    assert requests.post(url, data=big, headers=hdr, timeout=5).status_code == 400


def test_injected_failures_then_success(fake: FakeGoogle) -> None:
    fake.fail("events.list", "429", times=2)
    fake.fail("events.list", "403")
    codes = [get(fake, events_path()).status_code for _ in range(4)]
    assert codes == [429, 429, 403, 200]
    body = json.loads(get(fake, events_path()).text)
    assert body["kind"] == "calendar#events"
    fake.fail("events.list", "reset")
    with pytest.raises(requests.ConnectionError):
        get(fake, events_path())


# --------------------------------------------------------------------------- Google as it behaves


def _event(**extra: Any) -> dict[str, Any]:
    return {
        "summary": "x",
        "start": {"dateTime": T0.isoformat()},
        "end": {"dateTime": (T0 + timedelta(hours=1)).isoformat()},
        **extra,
    }


def test_ids_are_permanent_deleted_and_purged(fake: FakeGoogle) -> None:
    url = fake.url + events_path()
    made = requests.post(url, json=_event(id="abc123def"), timeout=5).json()
    assert requests.delete(f"{url}/abc123def", timeout=5).status_code == 204
    again = requests.post(url, json=_event(id="abc123def"), timeout=5)
    assert again.status_code == 409  # deleted, but its id stays used
    # The cancelled copy cannot be brought back, by update or by patch.
    back = {**_event(), "status": "confirmed"}
    assert requests.put(f"{url}/abc123def", json=back, timeout=5).status_code == 403
    assert requests.patch(f"{url}/abc123def", json=back, timeout=5).status_code == 403
    assert requests.get(f"{url}/abc123def", timeout=5).json()["status"] == "cancelled"
    fake.purge("primary", "abc123def")
    assert requests.get(f"{url}/abc123def", timeout=5).status_code == 404
    assert requests.post(url, json=_event(id="abc123def"), timeout=5).status_code == 409
    # An iCalUID used before is just as permanent; id and iCalUID together are refused.
    uid = requests.post(url, json=_event(iCalUID="u-1@x"), timeout=5)
    assert uid.status_code == 200 and uid.json()["id"] != made["id"]
    assert requests.post(url, json=_event(iCalUID="u-1@x"), timeout=5).status_code == 409
    both = requests.post(url, json=_event(id="fresh12345", iCalUID="u-2@x"), timeout=5)
    assert both.status_code == 400


def test_update_replaces_patch_merges(fake: FakeGoogle) -> None:
    url = fake.url + events_path()
    ev = requests.post(url, json=_event(extendedProperties={"private": {"a": "1"}}), timeout=5)
    eid = ev.json()["id"]
    fake.user_add_guest("primary", eid, "guest@example.com")
    fake.user_update_event(
        "primary", eid, description="my note", colorId="5",
        reminders={"useDefault": False, "overrides": [{"method": "popup", "minutes": 5}]},
    )  # fmt: skip
    patched = requests.patch(
        f"{url}/{eid}",
        json={"summary": "y", "extendedProperties": {"private": {"b": "2"}}},
        timeout=5,
    ).json()
    assert patched["summary"] == "y" and patched["colorId"] == "5"
    assert patched["description"] == "my note" and len(patched["attendees"]) == 2
    assert patched["extendedProperties"]["private"] == {"a": "1", "b": "2"}
    replaced = requests.put(f"{url}/{eid}", json=_event(summary="z"), timeout=5).json()
    for gone in ("attendees", "colorId", "description", "extendedProperties"):
        assert gone not in replaced
    assert replaced["reminders"] == {"useDefault": True}


def test_freebusy_refuses_long_ranges(fake: FakeGoogle) -> None:
    url = fake.url + "calendar/v3/freeBusy"
    body: dict[str, Any] = {"timeMin": T0.isoformat(), "items": [{"id": "primary"}]}
    ok = {**body, "timeMax": (T0 + timedelta(days=90)).isoformat()}
    assert requests.post(url, json=ok, timeout=5).status_code == 200
    long = requests.post(url, json={**body, "timeMax": (T0 + timedelta(days=91)).isoformat()})
    assert long.status_code == 400
    err = long.json()["error"]
    assert err["errors"][0]["reason"] == "timeRangeTooLong"
    assert err["message"] == "The requested time range is too long."


def test_partial_consent_and_scope_checks(fake: FakeGoogle) -> None:
    events_scope = "https://www.googleapis.com/auth/calendar.events"
    fake.consent_grants = frozenset({"https://www.googleapis.com/auth/calendar.freebusy"})
    tok = requests.post(
        fake.token_uri, data={"grant_type": "authorization_code", "code": "good-code"}, timeout=5
    ).json()
    assert tok["scope"] == "https://www.googleapis.com/auth/calendar.freebusy"
    auth = {"Authorization": f"Bearer {tok['access_token']}"}
    r = requests.get(fake.url + events_path(), headers=auth, timeout=5)
    assert r.status_code == 403
    assert r.json()["error"]["errors"][0]["reason"] == "insufficientPermissions"
    body: dict[str, Any] = {"timeMin": T0.isoformat(), "items": [{"id": "primary"}]}
    body["timeMax"] = (T0 + timedelta(days=1)).isoformat()
    fb = requests.post(fake.url + "calendar/v3/freeBusy", json=body, headers=auth, timeout=5)
    assert fb.status_code == 200
    # A refresh keeps the grant as it was given.
    fake.grant("refresh-9", [events_scope])
    again = requests.post(
        fake.token_uri,
        data={"grant_type": "refresh_token", "refresh_token": "refresh-9"},
        timeout=5,
    ).json()
    assert again["scope"] == events_scope
    auth = {"Authorization": f"Bearer {again['access_token']}"}
    assert requests.get(fake.url + events_path(), headers=auth, timeout=5).status_code == 200


@pytest.mark.parametrize(
    "reason",
    ["quotaExceeded", "dailyLimitExceeded", "forbidden", "insufficientPermissions",
     "rateLimitExceeded"],
)  # fmt: skip
def test_each_403_reason(fake: FakeGoogle, reason: str) -> None:
    fake.fail("events.list", reason)
    r = get(fake, events_path())
    assert r.status_code == 403 and r.json()["error"]["errors"][0]["reason"] == reason
    assert get(fake, events_path()).status_code == 200


def test_api_not_enabled_carries_the_console_link(fake: FakeGoogle) -> None:
    fake.disable_api("calendar")
    r = get(fake, events_path())
    err = r.json()["error"]
    assert r.status_code == 403 and err["errors"][0]["reason"] == "accessNotConfigured"
    link = "https://console.developers.google.com/apis/api/calendar-json.googleapis.com/overview"
    assert link in err["message"] and err["details"][0]["reason"] == "SERVICE_DISABLED"
    assert get(fake, "v1/contactGroups").status_code == 200  # People is still enabled
    fake.disable_api("people")
    people = get(fake, "v1/contactGroups").json()["error"]
    assert "people.googleapis.com" in people["message"] and "errors" not in people


def test_lost_answer_the_write_landed(fake: FakeGoogle) -> None:
    fake.fail("events.insert", "lost")
    with pytest.raises(requests.ConnectionError):
        requests.post(fake.url + events_path(), json=_event(id="lost12345"), timeout=5)
    assert [e["id"] for e in fake.events_of()] == ["lost12345"]


def test_people_token_expires_seven_days_after_the_full_sync(fake: FakeGoogle) -> None:
    fake.seed_person(names=[{"displayName": "P"}])
    path = "v1/people/me/connections"
    q = {"personFields": "names", "requestSyncToken": "true"}
    token = get(fake, path, **q).json()["nextSyncToken"]
    for _ in range(6):  # an incremental sync every day does not renew the token's life
        fake.advance(timedelta(days=1))
        r = get(fake, path, syncToken=token, **q)
        assert r.status_code == 200
        token = r.json()["nextSyncToken"]
    fake.advance(timedelta(days=1, seconds=1))
    r = get(fake, path, syncToken=token, **q)
    assert r.status_code == 400 and "EXPIRED_SYNC_TOKEN" in r.text
