"""The commands that set netweave up: ``init`` (a first config), ``schedule`` (run it
unattended) and ``auth google``."""

from __future__ import annotations

import shutil
import sys
from dataclasses import replace
from pathlib import Path

import click

from sync import config as configmod
from sync.cli.common import Ctx, cli, err


@cli.command()
@click.option("--install", is_flag=True, help="Write the units (or crontab line, or task).")
@click.option("--every", default="1h", show_default=True, help="How often: 15m, 1h, 6h, 1d.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["systemd", "cron", "launchd", "schtasks"]),
    default=None,
    help="The scheduler (default: launchd on macOS, schtasks on Windows, else systemd).",
)
@click.option("--cron", "use_cron", is_flag=True, help="Same as --format cron.")
@click.pass_obj
def schedule(ctx: Ctx, install: bool, every: str, fmt: str | None, use_cron: bool) -> None:
    """Run the sync unattended: a systemd user timer, a launchd agent, a Windows task or a
    crontab line, for this config."""
    from sync.schedule import ScheduleError, default_format, destination, install_units, render

    config = ctx.config()
    chosen = "cron" if use_cron else fmt or default_format()
    try:
        units = render(config, every, fmt=chosen, exe=_exe())
    except ScheduleError as e:
        raise click.UsageError(str(e)) from None
    if install:
        for line in install_units(units):
            click.echo(line)
        return
    err(f"# for {destination(chosen)}; `netweave schedule --install` puts it there")
    for name, text in units.items():
        click.echo(f"# {name}")
        click.echo(text)


def _exe() -> str:
    return shutil.which("netweave") or f"{sys.executable} -m sync"


@cli.group()
def auth() -> None:
    """Authorise access to online accounts."""


@auth.command("google")
@click.option("--console", is_flag=True, help="No browser here: print the URL, paste the answer.")
@click.pass_obj
def auth_google(ctx: Ctx, console: bool) -> None:
    """OAuth for Google Contacts and Calendar (token file mode 0600)."""
    from sync.sources.google import authorize

    path = authorize(ctx.config(), console=console)
    click.echo(f"authorised; token saved to {path}")


def _hours_type() -> click.ParamType:
    from sync.init import Hours

    return Hours()


@cli.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Where to write the config (default: --config, else the platform config dir).",
)
@click.option("--timezone", default=None, help="IANA time zone, e.g. America/New_York.")
@click.option("--name", default=None, help="Your name.")
@click.option("--email", "emails", multiple=True, help="Your email address (repeatable).")
@click.option("--goal", "goals", multiple=True, help="A written goal (one or two).")
@click.option("--hours", type=_hours_type(), default=None, help="Hours a week (0.5 to 80).")
@click.option(
    "--window",
    "windows",
    multiple=True,
    help="NAME DAYS HH:MM-HH:MM [MINUTES], e.g. 'breakfast tue,thu 07:30-09:00 60'.",
)
@click.option(
    "--addressbook",
    "books",
    multiple=True,
    help="TYPE:PATH (vcard, vdir, csv:DIALECT:PATH, google, carddav:URL).",
)
@click.option(
    "--calendar",
    "cals",
    multiple=True,
    help="TYPE:PATH[:write][:shared] (ics, vdir, google, caldav:URL).",
)
@click.option("--dav-user", default="", help="User name for carddav:/caldav: sources.")
@click.option(
    "--dav-password-env", default="", help="Variable holding the CardDAV/CalDAV password."
)
@click.option(
    "--dav-password-command", default="", help="Command printing the CardDAV/CalDAV password."
)
@click.option("--export", "export_path", default=None, help="Where sync writes the .ics agenda.")
@click.option("--yes", is_flag=True, help="Ask nothing: flags and defaults only.")
@click.option("--force", is_flag=True, help="Replace an existing config file.")
@click.pass_obj
def init(
    ctx: Ctx,
    out: Path | None,
    timezone: str | None,
    name: str | None,
    emails: tuple[str, ...],
    goals: tuple[str, ...],
    hours: float | None,
    windows: tuple[str, ...],
    books: tuple[str, ...],
    cals: tuple[str, ...],
    dav_user: str,
    dav_password_env: str,
    dav_password_command: str,
    export_path: str | None,
    yes: bool,
    force: bool,
) -> None:
    """Write a first config from a few questions (or from flags with --yes)."""
    from sync import init as wizard
    from sync.cli import questions

    path = out or ctx.config_path or configmod.default_path()
    if path.exists() and not force:
        raise click.ClickException(
            f"{path} already exists; edit it, or pass --force to replace it "
            "(or --out FILE to write elsewhere)"
        )
    try:
        parsed_windows = [wizard.parse_window_flag(w) for w in windows]
        given = wizard.Answers(
            timezone=timezone or wizard.local_timezone(),
            name=name or "",
            emails=emails,
            goals=goals,
            hours_per_week=hours if hours is not None else 4.0,
            windows=tuple(w for w in parsed_windows if w is not None),
            addressbooks=tuple(wizard.parse_source(b, "addressbook") for b in books),
            calendars=tuple(wizard.parse_source(c, "calendar") for c in cals),
            export_path=export_path or "",
        )
    except wizard.AnswerError as e:
        raise click.UsageError(str(e)) from None
    if dav_user or dav_password_env or dav_password_command:
        given = wizard.with_login(given, dav_user, dav_password_env, dav_password_command)
    if yes:
        if not windows:
            given = replace(given, windows=wizard.default_windows())
    else:
        given = questions.ask(
            given,
            ask_goals=not goals,
            ask_hours=hours is None,
            ask_windows=not windows,
            ask_sources=not books and not cals,
        )
        given = questions.ask_login(given)
    text = wizard.render(given)
    wizard.validate(text, path)  # a ConfigError names the key: exit 2, nothing written
    _refuse_incomplete(given)
    if not yes:
        click.echo("\n" + text)
        if not click.confirm(f"Write this to {path}?", default=True):
            raise click.exceptions.Abort()
    _make_folder(path.parent, yes)
    for missing in wizard.missing_paths(given):
        err(f"note: {missing} does not exist yet")
    try:
        wizard.write_config(path, text, force=force)
    except FileExistsError:
        raise click.ClickException(f"{path} already exists; pass --force to replace it") from None
    err(f"wrote {path} (mode 0600)")
    hint = "" if path == configmod.default_path() else f" --config {path}"
    if any(s.type == "google" for s in (*given.addressbooks, *given.calendars)):
        err(f"next: netweave{hint} auth google")
    err(f"next: netweave{hint} plan")


def _refuse_incomplete(given: object) -> None:
    from sync import init as wizard

    assert isinstance(given, wizard.Answers)
    missing = wizard.missing_essentials(given)
    if missing:
        raise click.UsageError(
            "nothing written: a config plans nothing without "
            + ", ".join(missing)
            + ". Run `netweave init` again and give "
            + ("it" if len(missing) == 1 else "them")
        )
    lacking = wizard.needs_login(given)
    if lacking:
        raise click.UsageError(
            f"nothing written: {lacking[0].type}:{lacking[0].url} needs a user name and a "
            "password source: add --dav-user NAME and --dav-password-env VAR "
            "(or --dav-password-command CMD)"
        )


def _make_folder(folder: Path, yes: bool) -> None:
    """A missing folder for the config is created only when said (asked, or told with --yes)."""
    if folder.exists():
        return
    if not yes and not click.confirm(f"The folder {folder} does not exist. Create it?", True):
        raise click.exceptions.Abort()
    folder.mkdir(parents=True, exist_ok=True)
    err(f"created folder {folder}")
