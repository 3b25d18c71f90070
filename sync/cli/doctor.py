"""``netweave doctor``: checks the config, that credentials are there, that each source can be
read, the last sync and the schedule, and says what to fix for each problem found.

It reads the sources the way every run does (the engine's own reading), and writes nothing.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from dataclasses import dataclass

import click

from sync.cli.common import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, Ctx, cli, run_options
from sync.config import AddressBookConfig, CalendarConfig, Config, ConfigError


@dataclass(frozen=True)
class Finding:
    ok: bool
    what: str
    fix: str = ""


@cli.command()
@click.pass_obj
def doctor(ctx: Ctx) -> None:
    """Check config, credentials, sources and schedule, and say what to fix."""
    try:
        config = ctx.config()
    except ConfigError as e:
        _show([Finding(False, f"config: {e}", "edit the config file (or run `netweave init`)")])
        sys.exit(EXIT_USAGE)
    findings = [Finding(True, f"config: {config.path or 'defaults'} loads")]
    findings += credentials(config)
    findings += reachability(config)
    findings += last_sync(config)
    findings += scheduled()
    _show(findings)
    bad = sum(1 for f in findings if not f.ok)
    click.echo(f"{bad} problem{'s' if bad != 1 else ''} found" if bad else "all good")
    sys.exit(EXIT_PARTIAL if bad else EXIT_OK)


def _show(findings: list[Finding]) -> None:
    for f in findings:
        click.echo(f"{'ok ' if f.ok else 'FIX'}  {f.what}")
        if f.fix and not f.ok:
            click.echo(f"     -> {f.fix}")


def credentials(config: Config) -> list[Finding]:
    """Each password variable set, each password command found, the Google token present."""
    out: list[Finding] = []
    for src in _sources(config):
        secret = src.password
        if secret.env:
            here = bool(os.environ.get(secret.env))
            out.append(
                Finding(
                    here,
                    f"{src.key} ({src.name}): password variable {secret.env} "
                    + ("is set" if here else "is not set"),
                    f"export {secret.env}=... in the environment netweave runs in",
                )
            )
        elif secret.command:
            words = shlex.split(secret.command)
            found = bool(words) and shutil.which(words[0]) is not None
            out.append(
                Finding(
                    found,
                    f"{src.key} ({src.name}): password command "
                    + (f"{words[0]} found" if found else f"{secret.command!r} not found"),
                    "install it, or fix password_command in the config",
                )
            )
        elif src.type in ("carddav", "caldav"):
            out.append(
                Finding(
                    False,
                    f"{src.key} ({src.name}): no password source",
                    'add password_env = "VAR" or password_command = "..." to it',
                )
            )
    if any(s.type == "google" for s in _sources(config)):
        from sync.sources.google_auth import token_path

        path = token_path(config.google)
        out.append(
            Finding(
                path.exists(),
                f"google: token {path} " + ("present" if path.exists() else "missing"),
                "run `netweave auth google`",
            )
        )
    return out


def reachability(config: Config) -> list[Finding]:
    """Every source read once, as a run reads it; each one's outcome."""
    from sync.engine import plan_only

    inputs, _result = plan_only(config, run_options(None, None))
    failed: dict[str, str] = {}
    for p in inputs.failures:
        failed.setdefault(p.source, str(p))
    out = []
    for src in _sources(config):
        what = src.path or src.url or src.type
        if src.name in failed:
            out.append(
                Finding(False, f"{src.key} ({src.name}): {failed.pop(src.name)}", _fix(src.type))
            )
        else:
            out.append(Finding(True, f"{src.key} ({src.name}): read {what}"))
    for message in failed.values():
        out.append(Finding(False, message, "see the message; run with -v for details"))
    return out


def _sources(config: Config) -> list[AddressBookConfig | CalendarConfig]:
    return [*config.addressbooks, *config.calendars]


def _fix(kind: str) -> str:
    if kind in ("carddav", "caldav"):
        return "check the URL, the user name and the password (try it in a browser)"
    if kind == "google":
        return "run `netweave auth google` again"
    return "check the path in the config: it must exist and be readable"


def last_sync(config: Config) -> list[Finding]:
    from sync.cli.running import local_time
    from sync.state import State

    path = config.state.resolved()
    if not path.exists():
        return [Finding(False, "no sync has run yet", "run `netweave sync`")]
    with State(path) as state:
        run = state.last_run()
    if not run:
        return [Finding(False, "no sync has finished yet", "run `netweave sync`")]
    ok = run.get("exit_code") == 0
    when = local_time(config, run.get("finished"))
    return [
        Finding(
            ok,
            f"last sync {when}: exit {run.get('exit_code')}",
            "see `netweave status` for what failed",
        )
    ]


def scheduled() -> list[Finding]:
    import subprocess

    from sync.schedule import installed

    found = [str(p) for p in installed()]
    if not found and shutil.which("crontab"):
        try:
            tab = subprocess.run(["crontab", "-l"], capture_output=True, text=True, timeout=10)
            if "netweave" in tab.stdout:
                found.append("crontab")
        except (OSError, subprocess.SubprocessError):
            pass
    if found:
        return [Finding(True, f"schedule: {', '.join(found)}")]
    return [Finding(False, "schedule: not scheduled", "run `netweave schedule --install`")]
