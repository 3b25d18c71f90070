"""The ``netweave`` command.

One error handler at the edge (:func:`main`) maps each error to a message that says what to do
next and an exit code: 0 done, 1 partial (a source failed or an item was skipped), 2 bad config
or usage. Tracebacks only with ``-v``. Data goes to stdout, messages and logs to stderr.
"""

from __future__ import annotations

import gc
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from sync import config as configmod
from sync.config import Config, ConfigError
from sync.model import PlannedEvent, Problem

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2

log = logging.getLogger("netweave")


@dataclass
class Ctx:
    config_path: Path | None
    verbose: int
    quiet: bool
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


def now_utc() -> datetime:
    """The run time. ``NETWEAVE_NOW`` (ISO 8601) fixes it, for reproducible runs and tests."""
    import os

    fixed = os.environ.get("NETWEAVE_NOW")
    if fixed:
        try:
            t = datetime.fromisoformat(fixed)
        except ValueError:
            raise click.UsageError(f"NETWEAVE_NOW: expected ISO 8601, got {fixed!r}") from None
        return t if t.tzinfo else t.replace(tzinfo=UTC)
    return datetime.now(UTC)


def _err(msg: str) -> None:
    click.echo(msg, err=True)


def _problems(ctx: Ctx, problems: Sequence[Problem], label: str = "warning") -> None:
    """Errors and warnings always reach stderr: ``-q`` quiets progress and summaries only
    (a scheduled run's failure must leave a trace)."""
    for p in problems:
        _err(f"{label}: {p}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Config file (else $NETWEAVE_CONFIG, else the platform config dir).",
)
@click.option("-v", "--verbose", count=True, help="Log more (and show tracebacks).")
@click.option("-q", "--quiet", is_flag=True, help="No progress or summaries (errors still show).")
@click.version_option(version=_version(), prog_name="netweave")
@click.pass_context
def cli(click_ctx: click.Context, config_path: Path | None, verbose: int, quiet: bool) -> None:
    """netweave: turn career networking into time on the calendar."""
    logging.basicConfig(
        level=logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    click_ctx.obj = Ctx(config_path, verbose, quiet)


def _window_options(f: Any) -> Any:
    f = click.option("--weeks", type=click.IntRange(1, 104), default=None, help="Weeks to plan.")(f)
    f = click.option(
        "--from",
        "start",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="First day planned (YYYY-MM-DD; default today).",
    )(f)
    return f


def _opts(start: datetime | None, weeks: int | None, **kw: Any) -> Any:
    from sync.engine import RunOptions

    return RunOptions(now=now_utc(), start=start.date() if start else None, weeks=weeks, **kw)


def _reading(ctx: Ctx, config: Config) -> Any:
    """A progress bar on stderr while sources are read (a terminal only; -q: none)."""
    if ctx.quiet or not sys.stderr.isatty():
        # No bar: what sync.view.progress does then, without importing it (and rich).
        from contextlib import nullcontext

        def tick(name: str) -> None:
            log.info("%s: %s", "reading", name)

        return nullcontext(tick)
    from sync.view import progress, source_count

    return progress(source_count(config), "reading", quiet=ctx.quiet)


# --------------------------------------------------------------------------- contacts


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@click.option("--introducers", is_flag=True, help="For each target: who can introduce you.")
@click.pass_obj
def contacts(ctx: Ctx, as_json: bool, introducers: bool) -> None:
    """Contacts with categories, tie strength and the focus flag."""
    from sync.engine import plan_only

    config = ctx.config()
    with _reading(ctx, config) as tick:
        inputs, result = plan_only(config, _opts(None, None, progress=tick))
    focus = _focus_ids(result)
    people = sorted(
        (_with_focus(c, c.id in focus) for c in inputs.contacts), key=lambda c: c.name.lower()
    )
    if introducers:
        _print_introducers(people, as_json, config)
    elif as_json:
        click.echo(json.dumps([c.to_json() for c in people], indent=2, ensure_ascii=False))
    else:
        for c in people:
            mark = "*" if c.focus else " "
            cats = ", ".join(c.categories)
            met = c.last_met.isoformat() if c.last_met else "never"
            org = f" ({c.organization})" if c.organization else ""
            click.echo(f"{mark} {c.name}{org}  [{cats}] {c.tie or ''}  last met: {met}")
        click.echo(f"{len(people)} contacts, {len(focus)} in focus (*)")
    _finish(ctx, inputs.failures, inputs.problems)


def _focus_ids(result: Any) -> set[str]:
    ids = getattr(result, "focus", None)
    if ids is not None:
        return set(ids)
    return set()


def _with_focus(c: Any, focus: bool) -> Any:
    from dataclasses import replace

    return replace(c, focus=focus) if focus != c.focus else c


def _print_introducers(people: Sequence[Any], as_json: bool, config: Config) -> None:
    from sync.introductions import rank_introducers

    targets = [c for c in people if "targets" in c.categories]
    out = []
    for t in targets:
        ranked = rank_introducers(t, people)
        out.append(
            {
                "target": t.name,
                "organization": t.organization,
                "introducers": [
                    {"name": c.name, "id": c.id, "score": round(score, 3), "why": why}
                    for c, score, why in ranked
                ],
            }
        )
    if as_json:
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    for item in out:
        click.echo(f"{item['target']} ({item['organization'] or 'organisation unknown'})")
        intro = item["introducers"]
        if not intro:
            click.echo("  nobody yet: look for alumni or colleagues there")
        for i in intro[:5]:
            click.echo(f"  {i['name']}: {i['why']}")


# --------------------------------------------------------------------------- plan


@cli.command()
@_window_options
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@click.option("--explain", is_flag=True, help="Per week: budget used, what was placed and why.")
@click.pass_obj
def plan(ctx: Ctx, start: datetime | None, weeks: int | None, as_json: bool, explain: bool) -> None:
    """The plan, written nowhere."""
    from sync.engine import plan_only

    config = ctx.config()
    with _reading(ctx, config) as tick:
        inputs, result = plan_only(config, _opts(start, weeks, progress=tick))
    events: list[PlannedEvent] = list(result.events)
    if as_json:
        click.echo(json.dumps([e.to_json() for e in events], indent=2, ensure_ascii=False))
    else:
        click.echo(render_plan(config, events, inputs.contacts))
    if explain:
        from sync.planner import explain as explain_text

        click.echo(explain_text(result))
    _finish(ctx, inputs.failures, inputs.problems)


def render_plan(config: Config, events: Sequence[PlannedEvent], contacts: Sequence[Any]) -> str:
    """A readable week-by-week view of the plan."""
    try:
        from sync.view import week_view

        return week_view(config, events, contacts)
    except ImportError:
        pass
    names = {c.id: c.name for c in contacts}
    lines: list[str] = []
    week = None
    for e in sorted(events, key=lambda e: (e.start, e.uid)):
        local = e.start.astimezone(config.tz)
        iso = local.isocalendar()
        if (iso.year, iso.week) != week:
            week = (iso.year, iso.week)
            lines.append(f"Week of {local.date().fromisocalendar(iso.year, iso.week, 1)}")
        who = ", ".join(names.get(c, c) for c in e.contacts)
        where = f" @ {e.location}" if e.location else ""
        goal = f"  [{e.goal}]" if e.goal else ""
        lines.append(
            f"  {local:%a %d %b %H:%M}-{e.end.astimezone(config.tz):%H:%M}  {e.kind:<10} "
            f"{e.title}{where}{' — ' + who if who and who not in e.title else ''}{goal}"
        )
    if not lines:
        lines.append("Nothing planned: no free window, no budget, or nobody due.")
    return "\n".join(lines)


# --------------------------------------------------------------------------- sync


@cli.command()
@_window_options
@click.option("--dry-run", is_flag=True, help="Print the changes it would make; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON summary.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the agenda .ics here (else [export].path).",
)
@click.option(
    "--wait",
    type=click.FloatRange(0, 3600),
    default=10.0,
    show_default=True,
    help="Seconds to wait for another running sync before giving up.",
)
@click.option(
    "--accept",
    "accept",
    multiple=True,
    metavar="NAME",
    help="Trust this source's read although it is empty or far smaller than last time "
    "(repeatable).",
)
@click.pass_obj
def sync(
    ctx: Ctx,
    start: datetime | None,
    weeks: int | None,
    dry_run: bool,
    as_json: bool,
    out: Path | None,
    wait: float,
    accept: tuple[str, ...],
) -> None:
    """The full run: read, tag, plan, write owned events, export."""
    from sync.engine import run_sync

    config = ctx.config()
    known = {ab.name for ab in config.addressbooks} | {c.name for c in config.calendars}
    for name in accept:
        if name not in known:
            raise click.UsageError(
                f"--accept {name}: no address book or calendar of that name "
                f"(names: {', '.join(sorted(known))})"
            )
    opts = _opts(
        start,
        weeks,
        dry_run=dry_run,
        export_path=out,
        lock_wait=wait,
        accept=frozenset(accept),
    )
    with _reading(ctx, config) as tick:
        opts.progress = tick
        report = run_sync(config, opts)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        for a in report.actions:
            click.echo(("would " if dry_run else "") + a.describe())
        if not ctx.quiet:  # -q: what changed, and errors; no summaries
            _print_summary(report, dry_run)
            click.echo("")
            click.echo(render_plan(config, report.plan, report.contacts))
    _problems(ctx, report.warnings)
    _problems(ctx, report.errors, "error")
    sys.exit(report.exit_code)


def _print_summary(report: Any, dry_run: bool) -> None:
    verb = "would write" if dry_run else "wrote"
    click.echo(
        f"{verb}: {report.inserted} inserted, {report.updated} updated, "
        f"{report.deleted} deleted, {report.unchanged} unchanged"
        + (f" ({len(report.actions)} changes planned)" if dry_run else "")
    )
    if not report.actions and not dry_run:
        click.echo("nothing changed" if report.exit_code == 0 else "nothing written")
    if report.http_requests:
        click.echo(f"HTTP requests: {report.http_requests}")
    if report.exported:
        click.echo(f"agenda: {report.exported}")


# --------------------------------------------------------------------------- export


@cli.command()
@_window_options
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Output .ics (else [export].path, else stdout).",
)
@click.pass_obj
def export(ctx: Ctx, start: datetime | None, weeks: int | None, out: Path | None) -> None:
    """The .ics agenda of the plan, with a prepared agenda for each meeting."""
    from sync.engine import export_plan, plan_only
    from sync.export import calendar_to_ical

    config = ctx.config()
    with _reading(ctx, config) as tick:
        inputs, result = plan_only(config, _opts(start, weeks, progress=tick))
    path = out or config.export.path
    if path is None:
        sys.stdout.buffer.write(
            calendar_to_ical(list(result.events), config.tz, config.export.calendar_name)
        )
    else:
        export_plan(config, list(result.events), path, None)
        if not ctx.quiet:
            _err(f"wrote {len(result.events)} events to {path}")
    _finish(ctx, inputs.failures, inputs.problems)


# --------------------------------------------------------------------------- status


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@click.pass_obj
def status(ctx: Ctx, as_json: bool) -> None:
    """Last sync, counts, next planned events, sources that failed."""
    from sync.engine import last_plan
    from sync.state import State

    config = ctx.config()
    path = config.state.resolved()
    if not path.exists():
        if as_json:
            click.echo(json.dumps({"last_run": None, "owned": 0, "next": []}))
        else:
            click.echo(f"no sync has run yet (state: {path}). Run: netweave sync")
        return
    from sync.state import LAST_FAILURE_META

    with State(path) as state:
        run = state.last_run()
        failure = json.loads(state.get_meta(LAST_FAILURE_META) or "null")
        owned = state.all_owned()
        tombs = state.tombstones()
        now = now_utc()
        upcoming = [e for e in last_plan(state) if e.end > now][:10]
    data = {
        "state": str(path),
        "last_run": run,
        "owned": len(owned),
        "user_modified": sum(1 for r in owned if r.user_modified),
        "pending": sum(1 for r in owned if r.status != "done"),
        "tombstones": len(tombs),
        "next": [e.to_json() for e in upcoming],
        "last_failure": failure,
    }
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if run:
        s = run["summary"]
        assert isinstance(s, dict)
        click.echo(f"last sync: {run['finished']} (exit {run['exit_code']})")
        click.echo(
            f"  {s.get('inserted', 0)} inserted, {s.get('updated', 0)} updated, "
            f"{s.get('deleted', 0)} deleted, {s.get('unchanged', 0)} unchanged, "
            f"{s.get('skipped', 0)} skipped"
        )
        for err in s.get("errors", []):
            click.echo(f"  failed: {err['source']}: {err['message']}")
    else:
        click.echo("no completed sync yet")
    failure = data["last_failure"]
    if isinstance(failure, dict) and (not run or run.get("exit_code") == 0):
        click.echo(f"last failed sync: {failure.get('time')}")
        for line in failure.get("errors", []):
            click.echo(f"  {line}")
    click.echo(
        f"owned events: {data['owned']} ({data['user_modified']} moved or edited by you, "
        f"{data['pending']} pending), tombstones: {data['tombstones']}"
    )
    if upcoming:
        click.echo("next:")
        for e in upcoming:
            click.echo(f"  {e.start.astimezone(config.tz):%a %d %b %H:%M}  {e.title}")


# --------------------------------------------------------------------------- schedule


@cli.command()
@click.option("--install", is_flag=True, help="Write the systemd user units (or crontab line).")
@click.option("--every", default="1h", show_default=True, help="How often: 15m, 1h, 6h, 1d.")
@click.option("--cron", "use_cron", is_flag=True, help="A crontab line instead of systemd.")
@click.pass_obj
def schedule(ctx: Ctx, install: bool, every: str, use_cron: bool) -> None:
    """Run the sync unattended: a systemd user timer or a crontab line for this config."""
    from sync.schedule import install_units, render

    config = ctx.config()
    units = render(config, every, cron=use_cron, exe=_exe())
    if install:
        for line in install_units(units):
            click.echo(line)
    else:
        for name, text in units.items():
            click.echo(f"# {name}")
            click.echo(text)


def _exe() -> str:
    import shutil

    return shutil.which("netweave") or f"{sys.executable} -m sync"


# --------------------------------------------------------------------------- auth


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


# --------------------------------------------------------------------------- report, serve, init


@cli.command()
@_window_options
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("netweave-report.html"),
    show_default=True,
    help="The HTML file to write.",
)
@click.pass_obj
def report(ctx: Ctx, start: datetime | None, weeks: int | None, out: Path) -> None:
    """A self-contained HTML report with charts (it names people: keep it private)."""
    from sync.engine import _start_weeks, plan_only
    from sync.export import write_atomic
    from sync.report import ReportInput, build_html, focus_people

    config = ctx.config()
    opts = _opts(start, weeks)
    with _reading(ctx, config) as tick:
        opts.progress = tick
        inputs, result = plan_only(config, opts)
    first, n = _start_weeks(config, opts)
    page = build_html(
        ReportInput(
            config=config,
            events=list(result.events),
            contacts=inputs.contacts,
            history=inputs.events,
            focus=focus_people(result, inputs.contacts),
            now=opts.now,
            start=first,
            weeks=n,
        )
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, page.encode("utf-8"))  # a new file is private (0600)
    if not ctx.quiet:
        _err(f"wrote {out} (it names people in your network: keep it to yourself)")
    _finish(ctx, inputs.failures, inputs.problems)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option(
    "--new-token", is_flag=True, help="Make a new secret URL (the old one stops working)."
)
@click.pass_obj
def serve(ctx: Ctx, host: str, port: int, new_token: bool) -> None:
    """A read-only calendar feed (webcal) of the last synced plan, for calendar apps."""
    from sync.serve import current_feed, feed_urls, is_loopback, make_server

    config = ctx.config()
    if not is_loopback(host):
        _err(
            f"warning: listening on {host}: anyone who can reach it and knows the URL can read "
            "your plan; prefer 127.0.0.1 behind an HTTPS proxy"
        )
    try:
        server = make_server(config, host, port, renew=new_token)
    except OSError as e:
        raise click.ClickException(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    webcal, _http_url = feed_urls(server)
    click.echo(webcal)
    if not ctx.quiet:
        feed = current_feed(config)
        _err(
            f"serving {feed.events} events; subscribe to the URL above in your calendar app "
            "(apps without webcal:// take the same URL with http://)."
        )
        _err("The URL is secret: anyone with it can read your plan. Ctrl-C stops.")
        if not config.state.resolved().exists():
            _err("no sync has run yet: the feed is empty until `netweave sync`")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:  # the way to stop it: not an error
        if not ctx.quiet:
            _err("stopped")
    finally:
        server.server_close()


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
@click.option("--hours", type=click.FloatRange(0.5, 80), default=None, help="Hours a week.")
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
    export_path: str | None,
    yes: bool,
    force: bool,
) -> None:
    """Write a first config from a few questions (or from flags with --yes)."""
    from sync import init as wizard

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
    if not yes:
        given = wizard.ask(
            given,
            ask_goals=not goals,
            ask_hours=hours is None,
            ask_windows=not windows,
            ask_sources=not books and not cals,
        )
    text = wizard.render(given)
    wizard.validate(text, path)  # a ConfigError names the key: exit 2, nothing written
    if not yes:
        click.echo("\n" + text)
        if not click.confirm(f"Write this to {path}?", default=True):
            raise click.exceptions.Abort()
    for missing in wizard.missing_paths(given):
        _err(f"note: {missing} does not exist yet")
    try:
        wizard.write_config(path, text, force=force)
    except FileExistsError:
        raise click.ClickException(f"{path} already exists; pass --force to replace it") from None
    _err(f"wrote {path} (mode 0600)")
    hint = "" if path == configmod.default_path() else f" --config {path}"
    if any(s.type == "google" for s in (*given.addressbooks, *given.calendars)):
        _err(f"next: netweave{hint} auth google")
    _err(f"next: netweave{hint} plan")


# --------------------------------------------------------------------------- edge


def _finish(ctx: Ctx, failures: Sequence[Problem], problems: Sequence[Problem]) -> None:
    _problems(ctx, problems)
    _problems(ctx, failures, "error")
    if failures or problems:
        sys.exit(EXIT_PARTIAL)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: one place maps every error to a message and an exit code."""
    from sync.engine import LockBusy
    from sync.sources.base import AuthError, SourceError

    verbose = any(a in ("-v", "-vv", "--verbose") for a in (argv or sys.argv[1:]))
    # A run builds tens of thousands of small objects that live until it ends; the default
    # collector thresholds make it scan them over and over (~15% of a no-change resync).
    gc.set_threshold(50_000, 20, 100)
    try:
        cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except click.exceptions.Abort:
        _err("aborted")
        sys.exit(EXIT_PARTIAL)
    except click.ClickException as e:
        e.show()
        sys.exit(EXIT_USAGE)
    except ConfigError as e:
        _err(f"config error: {e}")
        sys.exit(EXIT_USAGE)
    except LockBusy as e:
        _err(str(e))
        sys.exit(EXIT_PARTIAL)
    except AuthError as e:
        _err(f"not authorised: {e}")
        sys.exit(EXIT_PARTIAL)
    except SourceError as e:
        _err(f"error: {e}")
        sys.exit(EXIT_PARTIAL)
    except OSError as e:
        if verbose:
            raise
        _err(f"error: {e.strerror or e}: {e.filename or ''}".rstrip(": "))
        sys.exit(EXIT_PARTIAL)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except Exception as e:  # the edge: no traceback reaches a user without -v
        if verbose:
            raise
        _err(f"internal error: {type(e).__name__}: {e}. Run again with -v and report it.")
        sys.exit(EXIT_PARTIAL)
