"""The fake Google (tests/fake_google.py) in a process of its own, for case 3 of run.py.

    .venv/bin/python benchmarks/google_server.py DATA_FOLDER N_EVENTS

Seeds the fake with ``N_EVENTS`` events (the generated .ics as instances around the planning
window, then old meetings), serves it on 127.0.0.1, and prints one JSON line: the calendar
endpoint, the token URI, the control URL and how many events were seeded. The control server
answers ``GET /reset`` (request counters to zero) and ``GET /count`` (HTTP requests the fake
saw since). It stops when its standard input closes. Run apart from the measured netweave
process so that the fake's memory and CPU are not counted as netweave's.
"""

from __future__ import annotations

import json
import sys
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

OWNER = "dana.whitfield@baxterlowe.com"


def seed(fake: object, folder: Path, n_events: int) -> int:
    """The user's calendar: the generated .ics as instances around the windows (Google stores
    series; the fake expands them), plus as many events again far in the past."""
    from sync.sources.ics import IcsFileCalendar

    ny = ZoneInfo("America/New_York")
    cal = IcsFileCalendar("seed", folder / "calendar.ics", ny)
    events = cal.read(datetime(2025, 11, 1, tzinfo=ny), datetime(2027, 6, 1, tzinfo=ny)).events
    seeded = 0
    for e in events:
        if seeded >= n_events:
            break
        fake.seed_event(summary=e.summary, start=e.start, end=e.end)  # type: ignore[attr-defined]
        seeded += 1
    base = datetime(2015, 1, 5, 9, tzinfo=ny)
    while seeded < n_events:
        s = base + timedelta(hours=seeded * 7)
        fake.seed_event(summary="Old meeting", start=s, end=s + timedelta(minutes=45))  # type: ignore[attr-defined]
        seeded += 1
    return seeded


def control_server(fake: object) -> ThreadingHTTPServer:
    """``/reset`` and ``/count`` for the measured process (not counted as API requests)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if self.path == "/reset":
                fake.reset_counters()  # type: ignore[attr-defined]
                body = b"0"
            elif self.path == "/count":
                body = str(fake.http_requests).encode()  # type: ignore[attr-defined]
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    from fake_google import FakeGoogle

    folder, n_events = Path(sys.argv[1]), int(sys.argv[2])
    fake = FakeGoogle(owner_email=OWNER)
    seeded = seed(fake, folder, n_events)
    fake.start()
    control = control_server(fake)
    ready = {
        "calendar_endpoint": fake.calendar_endpoint,
        "token_uri": fake.token_uri,
        "control": f"http://127.0.0.1:{control.server_address[1]}",
        "seeded": seeded,
    }
    print(json.dumps(ready), flush=True)
    sys.stdin.read()  # until the benchmark closes the pipe
    control.shutdown()
    fake.stop()


if __name__ == "__main__":
    main()
