"""Run the sync unattended: a systemd user timer, or a crontab line, for the current config."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

from sync.config import Config

_UNITS = {"m": ("min", 60), "h": ("h", 3600), "d": ("d", 86400)}


def parse_every(every: str) -> tuple[int, str]:
    """``15m``, ``1h``, ``1d`` -> (seconds, systemd span). Raises ValueError."""
    m = re.fullmatch(r"(\d+)\s*([mhd])", every.strip())
    if not m or int(m.group(1)) <= 0:
        raise ValueError(f"--every: expected a span like 15m, 1h or 1d, got {every!r}")
    n, unit = int(m.group(1)), m.group(2)
    if unit == "m" and n < 5:
        raise ValueError("--every: at least 5m (calendar servers have rate limits)")
    suffix, secs = _UNITS[unit]
    return n * secs, f"{n}{suffix}"


def _cron_spec(seconds: int) -> str:
    if seconds < 3600:
        return f"*/{max(5, seconds // 60)} * * * *"
    if seconds < 86400:
        return f"7 */{seconds // 3600} * * *"
    return "7 6 * * *"


def render(config: Config, every: str, *, cron: bool, exe: str) -> dict[str, str]:
    """File name -> content. Paths are absolute so the job runs from anywhere."""
    import click

    try:
        seconds, span = parse_every(every)
    except ValueError as e:
        raise click.UsageError(str(e)) from None
    cfg = str(Path(config.path).resolve()) if config.path else ""
    cmd = f"{exe} --config {shlex.quote(cfg)} sync --quiet" if cfg else f"{exe} sync --quiet"
    cmd = cmd.replace(" sync --quiet", " -q sync")
    if cron:
        return {"crontab": f"{_cron_spec(seconds)} {cmd} >/dev/null 2>&1 || true\n"}
    service = (
        "[Unit]\nDescription=netweave sync (networking plan -> calendar)\n"
        "After=network-online.target\n\n"
        "[Service]\nType=oneshot\n"
        f"ExecStart={cmd}\n"
        "Nice=10\n"
        # exit 1 means partial (a source failed): logged, not a unit failure.
        "SuccessExitStatus=1\n"
    )
    timer = (
        "[Unit]\nDescription=Run netweave sync regularly\n\n"
        f"[Timer]\nOnBootSec=5min\nOnUnitActiveSec={span}\nRandomizedDelaySec=120\n"
        "Persistent=true\n\n[Install]\nWantedBy=timers.target\n"
    )
    return {"netweave.service": service, "netweave.timer": timer}


def install_units(units: dict[str, str], home: Path | None = None) -> list[str]:
    """Write the units (or add the crontab line); returns what was done, for the user."""
    if "crontab" in units:
        line = units["crontab"]
        current = subprocess.run(["crontab", "-l"], capture_output=True, text=True)
        existing = current.stdout if current.returncode == 0 else ""
        kept = [ln for ln in existing.splitlines() if "netweave" not in ln or " sync" not in ln]
        new = "\n".join([*kept, line.rstrip("\n")]) + "\n"
        subprocess.run(["crontab", "-"], input=new, text=True, check=True)
        return ["crontab updated:", line.rstrip()]
    base = (home or Path.home()) / ".config" / "systemd" / "user"
    base.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in units.items():
        (base / name).write_text(text, encoding="utf-8")
        out.append(f"wrote {base / name}")
    out.append(
        "enable it with: systemctl --user daemon-reload && "
        "systemctl --user enable --now netweave.timer"
    )
    out.append("to run while logged out: loginctl enable-linger $USER")
    return out
