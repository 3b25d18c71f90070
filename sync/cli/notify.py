"""A desktop notification when an unattended sync starts failing: ``notify-send`` on Linux and
other Unix desktops, ``osascript`` on macOS, nothing where neither is there. Only the first
failure after a success is worth one: a marker beside the state file remembers that it was
given, and the next successful run removes it. It never blocks the run for long and never
changes its outcome (any failure to notify is ignored)."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from sync.config import Config

TITLE = "netweave sync failed"
#: Seconds to wait for the notifier before leaving it to finish on its own.
WAIT = 2.0
MAX_BODY = 240


def marker_path(config: Config) -> Path:
    """Beside the state file: present while a failure has been notified and no run succeeded."""
    return config.state.resolved().with_suffix(".notified")


def wanted(config: Config, scheduled: bool) -> bool:
    """``[safety] notify``: "scheduled" (runs the schedule starts), "always" or "never"."""
    mode = config.safety.notify
    return mode == "always" or (mode == "scheduled" and scheduled)


def after_run(
    config: Config, *, scheduled: bool, failed: bool, message: str, now: datetime
) -> None:
    """After a sync: a success clears the marker; the first failure since then notifies (when
    wanted) and sets it. Never raises."""
    with contextlib.suppress(Exception):
        _after_run(config, scheduled, failed, message, now)


def _after_run(config: Config, scheduled: bool, failed: bool, message: str, now: datetime) -> None:
    marker = marker_path(config)
    if not failed:
        marker.unlink(missing_ok=True)
        return
    if not wanted(config, scheduled) or marker.exists():
        return
    if not marker.parent.is_dir():
        return  # no state folder yet: nothing to remember with, so never notify over and over
    marker.write_text(f"{now.isoformat()}\n{message}\n", encoding="utf-8")
    send(TITLE, _body(message))


def _body(message: str) -> str:
    text = " ".join(message.split())
    if len(text) > MAX_BODY:
        text = text[: MAX_BODY - 3] + "..."
    return f"{text}\nRun `netweave status` or `netweave doctor` for details."


def command_for(title: str, body: str, platform: str | None = None) -> list[str] | None:
    """The notifier's command line on this platform, or None when there is none."""
    platform = platform or sys.platform
    if platform == "darwin":
        osascript = shutil.which("osascript")
        if osascript is None:
            return None
        script = f"display notification {_applescript(body)} with title {_applescript(title)}"
        return [osascript, "-e", script]
    if platform.startswith("win"):
        return None
    notify_send = shutil.which("notify-send")
    if notify_send is None:
        return None
    return [notify_send, "--app-name=netweave", "--urgency=normal", title, body]


def _applescript(text: str) -> str:
    """An AppleScript string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def send(title: str, body: str) -> bool:
    """Show a notification if this desktop has a notifier; True when one was started."""
    argv = command_for(title, body)
    if argv is None:
        return False
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=WAIT)
    return True
