"""Run the sync unattended, for the current config: a systemd user timer (Linux), a launchd
agent (macOS), a Windows Task Scheduler task, or a crontab line.

A failed or partial run is a failure the scheduler shows (no exit status is hidden), and its
messages go to a log file beside the state (cron and launchd) or to the journal (systemd).
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from sync.config import Config

_UNITS = {"m": ("min", 60), "h": ("h", 3600), "d": ("d", 86400)}
FORMATS = ("systemd", "cron", "launchd", "schtasks")
LAUNCHD_LABEL = "org.netweave.sync"
TASK_NAME = "netweave sync"


class ScheduleError(ValueError):
    """A schedule that cannot be written as asked; the message says what to do instead."""


def parse_every(every: str) -> tuple[int, str]:
    """``15m``, ``1h``, ``1d`` -> (seconds, systemd span). Raises :class:`ScheduleError`."""
    m = re.fullmatch(r"(\d+)\s*([mhd])", every.strip())
    if not m or int(m.group(1)) <= 0:
        raise ScheduleError(f"--every: expected a span like 15m, 1h or 1d, got {every!r}")
    n, unit = int(m.group(1)), m.group(2)
    if unit == "m" and n < 5:
        raise ScheduleError("--every: at least 5m (calendar servers have rate limits)")
    suffix, secs = _UNITS[unit]
    return n * secs, f"{n}{suffix}"


def default_format() -> str:
    """The scheduler of this platform."""
    if sys.platform == "darwin":
        return "launchd"
    if sys.platform.startswith("win"):
        return "schtasks"
    return "systemd"


def cron_spec(seconds: int) -> str:
    """A crontab time that runs exactly every ``seconds``, or :class:`ScheduleError`: cron
    counts minutes within the hour and hours within the day, so a span must divide them."""
    minutes = seconds // 60
    if minutes < 60 and 60 % minutes == 0:
        return f"*/{minutes} * * * *" if minutes > 1 else "* * * * *"
    hours = seconds // 3600
    if seconds % 3600 == 0 and hours < 24 and 24 % hours == 0:
        return "7 * * * *" if hours == 1 else f"7 */{hours} * * *"
    if seconds == 86400:
        return "7 6 * * *"
    raise ScheduleError(
        "cron cannot run that span exactly (a span must divide the hour or the day): use "
        "5m, 10m, 15m, 20m, 30m, 1h, 2h, 3h, 4h, 6h, 8h, 12h or 1d, or the systemd timer, "
        "launchd or schtasks, which take any span"
    )


def log_path(config: Config) -> Path:
    """Where unattended runs append their messages: beside the state file."""
    return config.state.resolved().with_name("sync.log")


def command(config: Config, exe: str) -> list[str]:
    cfg = str(Path(config.path).resolve()) if config.path else ""
    return [*shlex.split(exe), *(["--config", cfg] if cfg else []), "-q", "sync", "--scheduled"]


def render(config: Config, every: str, *, fmt: str, exe: str) -> dict[str, str]:
    """File name -> content. Paths are absolute so the job runs from anywhere."""
    seconds, span = parse_every(every)
    argv = command(config, exe)
    cmd = shlex.join(argv)
    log = log_path(config)
    if fmt == "cron":
        return {"crontab": f"{cron_spec(seconds)} {cmd} >>{shlex.quote(str(log))} 2>&1\n"}
    if fmt == "launchd":
        return {f"{LAUNCHD_LABEL}.plist": _plist(argv, seconds, log)}
    if fmt == "schtasks":
        return {"schtasks": _schtasks(argv, seconds) + "\n"}
    service = (
        "[Unit]\nDescription=netweave sync (networking plan -> calendar)\n"
        "After=network-online.target\nWants=network-online.target\n\n"
        "[Service]\nType=oneshot\n"
        f"ExecStart={cmd}\n"
        "Nice=10\n"
        # exit 1 (a source failed) and 2 (bad config) are failures systemd shows and logs.
    )
    timer = (
        "[Unit]\nDescription=Run netweave sync regularly\n\n"
        f"[Timer]\nOnBootSec=5min\nOnUnitActiveSec={span}\nRandomizedDelaySec=120\n"
        "Persistent=true\n\n[Install]\nWantedBy=timers.target\n"
    )
    return {"netweave.service": service, "netweave.timer": timer}


def _plist(argv: list[str], seconds: int, log: Path) -> str:
    args = "".join(f"\n      <string>{escape(a)}</string>" for a in argv)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
        '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
        '<plist version="1.0">\n  <dict>\n'
        f"    <key>Label</key>\n    <string>{LAUNCHD_LABEL}</string>\n"
        f"    <key>ProgramArguments</key>\n    <array>{args}\n    </array>\n"
        f"    <key>StartInterval</key>\n    <integer>{seconds}</integer>\n"
        "    <key>RunAtLoad</key>\n    <true/>\n"
        f"    <key>StandardOutPath</key>\n    <string>{escape(str(log))}</string>\n"
        f"    <key>StandardErrorPath</key>\n    <string>{escape(str(log))}</string>\n"
        "  </dict>\n</plist>\n"
    )


def schtasks_argv(argv: list[str], seconds: int) -> list[str]:
    """``schtasks /Create`` for a task that runs ``argv`` every ``seconds``."""
    if seconds % 86400 == 0:
        sc, mo = "DAILY", seconds // 86400
    elif seconds % 3600 == 0 and seconds < 86400:
        sc, mo = "HOURLY", seconds // 3600
    elif seconds < 86400:
        sc, mo = "MINUTE", seconds // 60
    else:
        raise ScheduleError("schtasks: give a span in whole days when it is over a day")
    run = subprocess.list2cmdline(argv)
    return ["schtasks", "/Create", "/F", "/TN", TASK_NAME, "/SC", sc, "/MO", str(mo), "/TR", run]


def _schtasks(argv: list[str], seconds: int) -> str:
    return subprocess.list2cmdline(schtasks_argv(argv, seconds))


def destination(fmt: str, home: Path | None = None) -> str:
    """Where the output goes, said to the user."""
    base = home or Path.home()
    if fmt == "systemd":
        return f"{base / '.config' / 'systemd' / 'user'}/ (netweave.service, netweave.timer)"
    if fmt == "launchd":
        return str(base / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist")
    if fmt == "cron":
        return "your crontab (crontab -e)"
    return "the Windows Task Scheduler (run the command in a terminal)"


def install_units(units: dict[str, str], home: Path | None = None) -> list[str]:
    """Write the units (or add the crontab line, or create the task); returns what was done."""
    base = home or Path.home()
    if "crontab" in units:
        line = units["crontab"]
        current = subprocess.run(["crontab", "-l"], capture_output=True, text=True)
        existing = current.stdout if current.returncode == 0 else ""
        kept = [ln for ln in existing.splitlines() if "netweave" not in ln or " sync" not in ln]
        new = "\n".join([*kept, line.rstrip("\n")]) + "\n"
        subprocess.run(["crontab", "-"], input=new, text=True, check=True)
        return ["crontab updated:", line.rstrip()]
    if "schtasks" in units:
        subprocess.run(shlex.split(units["schtasks"], posix=False), check=True)
        return [f"task {TASK_NAME!r} created; see it in Task Scheduler"]
    plist = f"{LAUNCHD_LABEL}.plist"
    if plist in units:
        path = base / "Library" / "LaunchAgents" / plist
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(units[plist], encoding="utf-8")
        return [f"wrote {path}", f"load it with: launchctl load -w {shlex.quote(str(path))}"]
    folder = base / ".config" / "systemd" / "user"
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in units.items():
        (folder / name).write_text(text, encoding="utf-8")
        out.append(f"wrote {folder / name}")
    out.append(
        "enable it with: systemctl --user daemon-reload && "
        "systemctl --user enable --now netweave.timer"
    )
    out.append("to run while logged out: loginctl enable-linger $USER")
    out.append(
        "its runs and failures: systemctl --user status netweave; journalctl --user -u netweave"
    )
    return out


def installed(home: Path | None = None) -> list[Path]:
    """The scheduler files netweave wrote that exist (for ``netweave doctor``)."""
    base = home or Path.home()
    paths = [
        base / ".config" / "systemd" / "user" / "netweave.timer",
        base / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist",
    ]
    return [p for p in paths if p.exists()]
