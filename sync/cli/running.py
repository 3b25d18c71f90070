"""The commands about the calendar run: ``sync`` (read, plan, write, export) and ``status``
(what the last sync did and what comes next)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sync.cli.afterwards import lifecycle_json, lifecycle_lines
from sync.cli.common import (
    Ctx,
    cli,
    now_utc,
    problems,
    reading,
    render_plan,
    run_options,
    window_options,
)
from sync.config import Config

if TYPE_CHECKING:
    from sync.engine.plan import RunOptions
    from sync.engine.report import SyncReport


@cli.command()
@window_options
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
@click.option(
    "--scheduled",
    is_flag=True,
    help="Started by the schedule: the first failure after a success shows a desktop "
    "notification ([safety] notify).",
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
    scheduled: bool,
) -> None:
    """The full run: read, tag, plan, write owned events, export."""
    from sync.changes import changes_of, count, render_changes, summary
    from sync.view import names_by_id, with_known

    config = ctx.config()
    _check_accept(config, accept)
    opts = run_options(
        start,
        weeks,
        dry_run=dry_run,
        export_path=out,
        lock_wait=wait,
        accept=frozenset(accept),
    )
    report = _run_and_tell(ctx, config, opts, scheduled=scheduled)
    changes = changes_of(report.actions)
    would = count(changes)
    done = (
        would
        if dry_run
        else {
            "insert": report.inserted,
            "update": report.updated,
            "delete": report.deleted,
        }
    )
    if as_json:
        data = report.to_json()
        data.update({"inserted": done["insert"], "updated": done["update"]})
        data["deleted"] = done["delete"]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif not ctx.quiet:
        people = with_known(report.contacts, report.known_names)
        names = names_by_id(people)
        for line in render_changes(changes, config.tz, names, dry_run=dry_run):
            click.echo(line)
        targets = [c.name for c in config.calendars if c.write]
        if targets:
            click.echo(summary(done, report.unchanged, targets, dry_run=dry_run))
        else:
            click.echo(
                "no calendar has write = true: nothing is written to a calendar "
                "(mark one in the config to have the plan put there)"
            )
        if report.http_requests:
            click.echo(f"HTTP requests: {report.http_requests}")
        if report.exported:
            click.echo(f"agenda: {report.exported}")
        click.echo("")
        view = render_plan(config, report.plan, people, color=ctx.color)
        click.echo(view, color=ctx.color)
    problems(ctx, report.warnings)
    problems(ctx, report.errors, "error")
    sys.exit(report.exit_code)


def _run_and_tell(ctx: Ctx, config: Config, opts: RunOptions, *, scheduled: bool) -> SyncReport:
    """The run, and its outcome told to the desktop notifier (the first failure after a
    success, see :mod:`sync.cli.notify`); a dry run tells nothing."""
    from sync.cli.notify import after_run
    from sync.engine import LockBusy, run_sync

    try:
        with reading(ctx, config) as tick:
            opts.progress = tick
            report = run_sync(config, opts)
    except LockBusy:
        raise  # another run is at it: neither a success nor a failure of this one
    except Exception as e:
        if not opts.dry_run:
            after_run(config, scheduled=scheduled, failed=True, message=str(e), now=opts.now)
        raise
    if not opts.dry_run:
        first = next(iter(report.errors), None)
        after_run(
            config,
            scheduled=scheduled,
            failed=report.exit_code != 0,
            message=str(first) if first else "a source or an item failed",
            now=opts.now,
        )
    return report


def _check_accept(config: Config, accept: tuple[str, ...]) -> None:
    known = {ab.name for ab in config.addressbooks} | {c.name for c in config.calendars}
    for name in accept:
        if name not in known:
            raise click.UsageError(
                f"--accept {name}: no address book or calendar of that name "
                f"(names: {', '.join(sorted(known))})"
            )


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
        **lifecycle_json(path, now, config.tz),
    }
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if run:
        _print_run(config, run)
    else:
        click.echo("no completed sync yet")
    if isinstance(failure, dict) and (not run or run.get("exit_code") == 0):
        click.echo(f"last failed sync: {local_time(config, failure.get('time'))}")
        for line in failure.get("errors", []):
            click.echo(f"  {line}")
    click.echo(
        f"owned events: {data['owned']} ({data['user_modified']} moved or edited by you, "
        f"{data['pending']} pending), tombstones: {data['tombstones']}"
    )
    if upcoming:
        click.echo(f"next ({config.owner.timezone}):")
        for e in upcoming:
            click.echo(f"  {e.start.astimezone(config.tz):%a %d %b %H:%M}  {e.title}")
    for line in lifecycle_lines(config, data, now):
        click.echo(line)


def local_time(config: Config, stamp: Any) -> str:
    """An ISO 8601 time from the state as the owner reads it: their zone, to the minute."""
    try:
        t = datetime.fromisoformat(str(stamp))
    except ValueError:
        return str(stamp)
    if t.tzinfo is None:
        return f"{t:%a %d %b %Y %H:%M}"
    return f"{t.astimezone(config.tz):%a %d %b %Y %H:%M} ({config.owner.timezone})"


def _print_run(config: Config, run: dict[str, Any]) -> None:
    s = run["summary"]
    assert isinstance(s, dict)
    click.echo(f"last sync: {local_time(config, run['finished'])} (exit {run['exit_code']})")
    click.echo(
        f"  {s.get('inserted', 0)} inserted, {s.get('updated', 0)} updated, "
        f"{s.get('deleted', 0)} deleted, {s.get('unchanged', 0)} unchanged, "
        f"{s.get('skipped', 0)} skipped"
    )
    for failed in s.get("errors", []):
        click.echo(f"  failed: {failed['source']}: {failed['message']}")
