"""The questions of ``netweave init`` on the terminal (click prompts), from the values the
flags already gave; the answers are checked by :mod:`sync.init` as they come.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from sync.config import ADDRESSBOOK_TYPES, CALENDAR_TYPES, DEFAULT_WINDOWS
from sync.init import (
    PATH_TYPES,
    URL_TYPES,
    AnswerError,
    Answers,
    Hours,
    Source,
    needs_login,
    parse_window,
    where,
    window_default,
    with_login,
)


def ask(
    given: Answers, *, ask_goals: bool, ask_hours: bool, ask_windows: bool, ask_sources: bool
) -> Answers:
    """The interactive wizard (click prompts on the terminal), starting from flag values."""
    echo = click.echo
    echo("netweave init: a few questions, then a config you can edit any time.")
    echo("Press Enter to take the [default].\n")

    def tz_ok(value: str) -> str:
        try:
            ZoneInfo(value.strip())
        except (ZoneInfoNotFoundError, ValueError):
            raise click.BadParameter(
                f"{value!r} is not an IANA time zone (like America/New_York, Europe/London)"
            ) from None
        return value.strip()

    timezone = click.prompt("Your time zone", default=given.timezone, value_proc=tz_ok)
    name = click.prompt("Your name (optional)", default=given.name, show_default=False)
    emails_text = click.prompt(
        "Your email addresses, comma-separated (to recognise you in invitations; optional)",
        default=", ".join(given.emails),
        show_default=False,
    )
    emails = tuple(x.strip() for x in emails_text.split(",") if x.strip())

    goals = list(given.goals)
    if ask_goals:
        echo("\nOne or two specific, written goals, e.g. 'Equity partner at a small litigation")
        echo("firm in New York'. Every planned meeting names the goal it serves.")
        first = click.prompt("Goal 1 (optional)", default="", show_default=False).strip()
        if first:
            goals.append(first)
            second = click.prompt("Goal 2 (optional)", default="", show_default=False).strip()
            if second:
                goals.append(second)

    hours = given.hours_per_week
    if ask_hours:
        hours = click.prompt(
            "\nHours a week for networking (travel and buffers included)",
            default=hours,
            type=Hours(),
        )

    windows = list(given.windows)
    if ask_windows:
        echo("\nWhen may meetings go? Answer days and hours like 'tue,wed,thu 07:30-09:00 60'")
        echo("(the last number: minutes per meeting), or 'no'.")
        for w in DEFAULT_WINDOWS:
            while True:
                text = click.prompt(f"  {w.name}", default=window_default(w.name))
                try:
                    got = parse_window(w.name, text, w.duration_minutes)
                except AnswerError as e:
                    echo(f"  {e}", err=True)
                    continue
                if got is not None:
                    windows.append(got)
                break

    books = list(given.addressbooks)
    cals = list(given.calendars)
    if ask_sources:
        echo("\nAddress books: vcard (a .vcf file), vdir (a folder of cards), csv (LinkedIn or")
        echo("alumni export), google, carddav. Empty answer: done.")
        books += _ask_sources("addressbook", ADDRESSBOOK_TYPES)
        echo("\nCalendars: ics (a file), vdir (a folder), google, caldav. Busy time is read from")
        echo("all of them; netweave writes its own events only to the ones you mark. Empty: done.")
        cals += _ask_sources("calendar", CALENDAR_TYPES)
    return replace(
        given,
        timezone=timezone,
        name=name.strip(),
        emails=emails,
        goals=tuple(goals),
        hours_per_week=float(hours),
        windows=tuple(windows),
        addressbooks=tuple(books),
        calendars=tuple(cals),
    )


def _ask_sources(kind: str, types: tuple[str, ...]) -> list[Source]:
    out: list[Source] = []
    while True:
        typ = (
            click.prompt(
                f"Add {'an' if kind == 'addressbook' else 'a'} {kind.replace('book', ' book')}"
                f" ({'/'.join(types)})",
                default="",
                show_default=False,
            )
            .strip()
            .lower()
        )
        if not typ:
            return out
        if typ not in types:
            click.echo(f"  expected one of {', '.join(types)}", err=True)
            continue
        src = Source(typ)
        if typ == "csv":
            dialect = click.prompt(
                "  CSV kind",
                type=click.Choice(["linkedin", "google", "outlook", "alumni", "custom"]),
                default="linkedin",
            )
            src = replace(src, dialect=dialect)
        if typ in PATH_TYPES:
            path = click.prompt("  Path (file or folder)").strip()
            src = replace(src, path=where(path))
            if not Path(os.path.expanduser(path)).exists():
                click.echo(f"  note: {path} does not exist (yet)", err=True)
        elif typ in URL_TYPES:
            url = click.prompt("  Server URL (https://...)").strip()
            user = click.prompt("  User name").strip()
            got = ask_password()
            src = replace(
                src,
                url=url,
                username=user,
                password_env=got.get("password_env", ""),
                password_command=got.get("password_command", ""),
            )
        if kind == "calendar":
            write = click.confirm("  Should netweave write its planned events here?", default=False)
            shared = False
            if write:
                shared = click.confirm(
                    "  Can others (your employer, an assistant) see this calendar?", default=False
                )
            src = replace(src, write=write, shared=shared)
        if typ == "google":
            click.echo("  after init, run: netweave auth google")
        out.append(src)


def ask_password() -> dict[str, str]:
    """Where the DAV password comes from: a command (e.g. a password manager) or a variable."""
    command = click.prompt(
        "  Command that prints the password, e.g. 'pass show dav' (Enter: an environment "
        "variable instead)",
        default="",
        show_default=False,
    ).strip()
    if command:
        return {"password_command": command}
    env = click.prompt(
        "  Environment variable holding the password (never stored in the config)",
        default="NETWEAVE_DAV_PASSWORD",
    ).strip()
    return {"password_env": env}


def ask_login(a: Answers) -> Answers:
    """Ask for the user name and password source of CardDAV/CalDAV sources given as flags."""
    if not needs_login(a):
        return a
    click.echo("\nCardDAV/CalDAV: the server needs a user name and a password.")
    user = click.prompt("  User name").strip()
    got = ask_password()
    return with_login(a, user, got.get("password_env", ""), got.get("password_command", ""))
