"""What every ``netweave`` command shares: the command group and its global options, the run
context, the planning-window options, progress while sources are read, and messages on stderr.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

import click

from sync import config as configmod
from sync.config import Config
from sync.model import Problem

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2
#: How far --from may be from today, in years (the calendars' recurrences and time zones are
#: only meaningful near now; a typo like 9999 or 1900 is caught with a plain message).
FROM_YEARS = 5

log = logging.getLogger("netweave")


@dataclass
class Ctx:
    config_path: Path | None
    verbose: int
    quiet: bool
    color: bool = False
    _config: Config | None = None

    def config(self) -> Config:
        if self._config is None:
            self._config = configmod.load(self.config_path)
        return self._config


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("netweave")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


def _show_version(ctx: click.Context, value: bool) -> None:
    """``--version``: the installed version, looked up only when asked (reading the package
    metadata costs every command 0.05-0.1 s)."""
    if not value or ctx.resilient_parsing:
        return
    click.echo(f"netweave, version {_version()}")
    ctx.exit()


def now_utc() -> datetime:
    """The run time. ``NETWEAVE_NOW`` (ISO 8601) fixes it, for reproducible runs and tests."""
    fixed = os.environ.get("NETWEAVE_NOW")
    if fixed:
        try:
            t = datetime.fromisoformat(fixed)
        except ValueError:
            raise click.UsageError(f"NETWEAVE_NOW: expected ISO 8601, got {fixed!r}") from None
        return t if t.tzinfo else t.replace(tzinfo=UTC)
    return datetime.now(UTC)


def want_color(mode: str, stream: TextIO, env: dict[str, str] | None = None) -> bool:
    """``--color``: ``always`` and ``never`` say it; ``auto`` colours a terminal unless the
    ``NO_COLOR`` environment variable is set (and not empty), as no-color.org asks."""
    if mode == "always":
        return True
    if mode == "never":
        return False
    environ = os.environ if env is None else env
    if environ.get("NO_COLOR", ""):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def err(msg: str) -> None:
    click.echo(msg, err=True)


def problems(ctx: Ctx, found: Sequence[Problem], label: str = "warning") -> None:
    """Warnings are quietened by ``-q``; errors never are."""
    if ctx.quiet and label != "error":
        return
    for p in found:
        err(f"{label}: {p}")


def finish(ctx: Ctx, failures: Sequence[Problem], warnings: Sequence[Problem]) -> None:
    problems(ctx, warnings)
    problems(ctx, failures, "error")
    if failures or warnings:
        sys.exit(EXIT_PARTIAL)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Config file (else $NETWEAVE_CONFIG, else the platform config dir).",
)
@click.option("-v", "--verbose", count=True, help="Log more (and show tracebacks).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors (and data asked for, like --json).")
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour: auto (a terminal without NO_COLOR), always or never.",
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _show_version(ctx, value),
    help="Show the version and exit.",
)
@click.pass_context
def cli(
    click_ctx: click.Context, config_path: Path | None, verbose: int, quiet: bool, color: str
) -> None:
    """netweave: turn career networking into time on the calendar."""
    logging.basicConfig(
        level=logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    click_ctx.obj = Ctx(config_path, verbose, quiet, want_color(color, sys.stdout))


def _check_from(_ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
    """``--from`` near today only: one plain usage error for 9999-12-25 or 1900-01-01."""
    if value is None:
        return None
    today = now_utc().date()
    day: date = value.date()
    if abs(day.year - today.year) > FROM_YEARS:
        raise click.BadParameter(
            f"{day.isoformat()} is too far from today ({today.isoformat()}); give a date "
            f"within {FROM_YEARS} years of today, as YYYY-MM-DD",
            param_hint="'--from'",
        )
    return value


def window_options(f: Any) -> Any:
    f = click.option("--weeks", type=click.IntRange(1, 104), default=None, help="Weeks to plan.")(f)
    f = click.option(
        "--from",
        "start",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        callback=_check_from,
        help="First day planned (YYYY-MM-DD; default today).",
    )(f)
    return f


def run_options(start: datetime | None, weeks: int | None, **kw: Any) -> Any:
    from sync.engine import RunOptions

    return RunOptions(now=now_utc(), start=start.date() if start else None, weeks=weeks, **kw)


def reading(ctx: Ctx, config: Config) -> Any:
    """A progress bar on stderr while sources are read (a terminal only; -q: none)."""
    if ctx.quiet or not sys.stderr.isatty():
        # No bar: what sync.view.progress does then, without importing it (and rich).
        from contextlib import nullcontext

        def tick(name: str) -> None:
            log.info("%s: %s", "reading", name)

        return nullcontext(tick)
    from sync.view import progress, source_count

    return progress(source_count(config), "reading", quiet=ctx.quiet)


def render_plan(
    config: Config, events: Sequence[Any], contacts: Sequence[Any], *, color: bool = False
) -> str:
    """The readable week-by-week view of the plan (see :func:`sync.view.week_view`)."""
    from sync.view import week_view

    return week_view(config, events, contacts, color=color, width=terminal_width(color))


def terminal_width(color: bool) -> int | None:
    """``$COLUMNS`` when set, else the terminal's width on a terminal, else the view's default."""
    cols = os.environ.get("COLUMNS", "")
    if cols.isdigit() and int(cols) > 0:
        return int(cols)
    return None
