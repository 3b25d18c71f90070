"""`netweave serve`: the calendar feed fetched over HTTP on 127.0.0.1 and parsed with icalendar."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from sync import config as configmod
from sync.config import Config
from sync.model import Kind, PlannedEvent, planned_to_record, planned_uid
from sync.serve import FeedServer, feed_token, feed_urls, make_server, token_path
from sync.state import State

pytestmark = pytest.mark.network
ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-21T10:00:00-05:00"
TZ = ZoneInfo("America/New_York")


def make_config(tmp_path: Path, private: bool = True) -> Config:
    return configmod.parse(
        {
            "owner": {"timezone": "America/New_York"},
            "state": {"path": str(tmp_path / "state" / "state.sqlite")},
            "export": {"private": private, "calendar_name": "Networking plan"},
            "confidential": {"sensitive_words": ["Burke"]},
        },
        base=tmp_path,
    )


def event(n: int, title: str = "Coffee with Eleanor Vance") -> PlannedEvent:
    start = datetime(2026, 11, 23 + n, 16, 30, tzinfo=TZ)
    return PlannedEvent(
        uid=planned_uid("test", str(n)),
        kind=Kind.ONE_ON_ONE,
        title=title,
        start=start,
        end=start + timedelta(minutes=45),
        location="Burke Feinstein offices",
        contacts=("c-eleanor",),
        goal="Equity partner",
        description="Why: ask about the partner track",
    )


def record_sync(config: Config, events: list[PlannedEvent], finished: str) -> None:
    """What `netweave sync` leaves in the state: the last plan and a finished run."""
    with State(config.state.resolved()) as state:
        state.set_meta("last_plan", json.dumps([planned_to_record(e) for e in events]))
        run = state.start_run(datetime.fromisoformat(finished))
        state.finish_run(run, datetime.fromisoformat(finished), 0, {"inserted": len(events)})


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Config, FeedServer]]:
    config = make_config(tmp_path)
    server = make_server(config, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield config, server
    server.shutdown()
    server.server_close()


def fetch(url: str, method: str = "GET", **headers: str) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def vevents(body: bytes) -> list[icalendar.cal.Component]:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


def test_token_is_random_private_and_stable_until_renewed(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    token = feed_token(config)
    assert len(token) >= 43 and token == feed_token(config)
    path = token_path(config)
    assert path.parent == config.state.resolved().parent
    assert path.stat().st_mode & 0o777 == 0o600
    renewed = feed_token(config, renew=True)
    assert renewed != token and feed_token(config) == renewed
    assert feed_token(make_config(tmp_path / "other")) != renewed


def test_feed_serves_the_last_synced_plan_and_follows_each_sync(
    served: tuple[Config, FeedServer], caplog: pytest.LogCaptureFixture
) -> None:
    config, server = served
    webcal, url = feed_urls(server)
    assert (
        webcal.startswith("webcal://127.0.0.1:") and webcal[len("webcal") :] == url[len("http") :]
    )
    assert server.server_address[0] == "127.0.0.1"

    status, headers, body = fetch(url)  # no sync yet: an empty, valid calendar
    assert status == 200 and vevents(body) == []

    record_sync(config, [event(0), event(1)], "2026-11-21T10:00:05-05:00")
    with caplog.at_level(logging.INFO, logger="netweave.serve"):
        status, headers, body = fetch(url)
    assert status == 200
    assert headers["Content-Type"].startswith("text/calendar")
    assert headers["Last-Modified"] == "Sat, 21 Nov 2026 15:00:05 GMT"
    got = vevents(body)
    assert [str(v["UID"]) for v in got] == [event(0).uid, event(1).uid]
    assert str(got[0]["SUMMARY"]) == "Coffee with Eleanor Vance"  # private export: details
    assert got[0].decoded("DTSTART") == event(0).start
    assert server.token not in caplog.text and "<token>" in caplog.text

    etag = headers["ETag"]
    status, _, body304 = fetch(url, **{"If-None-Match": etag})
    assert status == 304 and body304 == b""
    status, _, _ = fetch(url, **{"If-Modified-Since": headers["Last-Modified"]})
    assert status == 304

    # A new sync: served at once, no restart, with a new ETag.
    record_sync(config, [event(1), event(2)], "2026-11-21T11:00:00-05:00")
    status, headers2, body2 = fetch(url, **{"If-None-Match": etag})
    assert status == 200 and headers2["ETag"] != etag
    assert [str(v["UID"]) for v in vevents(body2)] == [event(1).uid, event(2).uid]

    status, headers3, body3 = fetch(url, method="HEAD")
    assert status == 200 and body3 == b"" and headers3["ETag"] == headers2["ETag"]


def test_a_wrong_token_or_path_is_a_plain_404(served: tuple[Config, FeedServer]) -> None:
    config, server = served
    record_sync(config, [event(0)], "2026-11-21T10:00:05-05:00")
    _, url = feed_urls(server)
    base = url.rsplit("/", 2)[0]
    token = server.token
    wrong = ("x" if token[0] != "x" else "y") + token[1:]
    for bad in (
        f"{base}/{wrong}/netweave.ics",
        f"{base}/{token[:-1]}/netweave.ics",
        f"{base}/netweave.ics",
        f"{base}/",
        f"{base}/{token}/other.ics",
    ):
        status, _, body = fetch(bad)
        assert status == 404 and b"VEVENT" not in body
    assert fetch(url, method="POST")[0] == 405
    assert fetch(f"{base}/{wrong}/netweave.ics", method="DELETE")[0] == 404


def test_feed_is_neutral_when_the_export_is_not_private(tmp_path: Path) -> None:
    config = make_config(tmp_path, private=False)
    record_sync(config, [event(0)], "2026-11-21T10:00:05-05:00")
    server = make_server(config, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        status, _, body = fetch(feed_urls(server)[1])
    finally:
        server.shutdown()
        server.server_close()
    assert status == 200
    (v,) = vevents(body)
    assert str(v["UID"]) == event(0).uid
    assert str(v["SUMMARY"]) == "Personal appointment" and str(v["CLASS"]) == "PRIVATE"
    for word in (b"Eleanor", b"Burke", b"partner", b"Coffee"):
        assert word not in body


def test_serve_command_after_a_real_sync(tmp_path: Path) -> None:
    """As a user runs it: sync the example, start `netweave serve`, subscribe, compare."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shutil.copy(ROOT / "config.example.toml", tmp_path / "config.toml")
    env = dict(os.environ, NETWEAVE_NOW=NOW)
    exe = [sys.executable, "-m", "sync", "--config", str(tmp_path / "config.toml")]
    done = subprocess.run(
        [*exe, "sync", "--json"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    exported = vevents((tmp_path / "out" / "netweave-agenda.ics").read_bytes())
    assert exported
    proc = subprocess.Popen(
        [*exe, "serve", "--port", "0"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        webcal = proc.stdout.readline().strip()
        assert webcal.startswith("webcal://127.0.0.1:") and webcal.endswith("/netweave.ics")
        status, _, body = fetch("http" + webcal[len("webcal") :])
        assert status == 200
        served = vevents(body)
        assert sorted(str(v["UID"]) for v in served) == sorted(str(v["UID"]) for v in exported)
        assert [str(v["SUMMARY"]) for v in served] == [str(v["SUMMARY"]) for v in exported]
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            _out, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            _out, err = proc.communicate()
    assert proc.returncode == 0, err  # Ctrl-C is how it stops: not an error
    token = token_path(configmod.load(tmp_path / "config.toml")).read_text().strip()
    assert token in webcal and token not in err  # printed once, to stdout only
