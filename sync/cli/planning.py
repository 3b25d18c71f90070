"""The commands that read and plan but write no calendar: ``contacts``, ``plan``, ``export``
and ``report``."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sync.cli.common import Ctx, cli, err, finish, reading, render_plan, run_options, window_options
from sync.config import Config
from sync.model import PlannedEvent

if TYPE_CHECKING:
    from sync.lifecycle import Activity


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@click.option("--introducers", is_flag=True, help="For each target: who can introduce you.")
@click.option(
    "--why", "why_name", metavar="NAME", help="Which rule or evidence gave each category."
)
@click.pass_obj
def contacts(ctx: Ctx, as_json: bool, introducers: bool, why_name: str | None) -> None:
    """Contacts with categories, tie strength and the focus flag."""
    from sync.cli import who
    from sync.cli.common import now_utc
    from sync.engine import plan_only

    config = ctx.config()
    with reading(ctx, config) as tick:
        inputs, result = plan_only(config, run_options(None, None, progress=tick))
    focus = set(getattr(result, "focus", None) or ())
    people = sorted(
        (_with_focus(c, c.id in focus) for c in inputs.contacts), key=lambda c: c.name.lower()
    )
    if why_name is not None:
        today = now_utc().astimezone(config.tz).date()
        click.echo(who.why(config, inputs.contacts, inputs.events, why_name, today))
    elif introducers:
        _print_introducers(people, as_json)
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
        for line in who.unsorted_lines(people):
            click.echo(line)
    finish(ctx, inputs.failures, inputs.problems)


def _with_focus(c: Any, focus: bool) -> Any:
    from dataclasses import replace

    return replace(c, focus=focus) if focus != c.focus else c


def _print_introducers(people: Sequence[Any], as_json: bool) -> None:
    from sync.cli import who
    from sync.introductions import rank_introducers

    out = []
    for t in (c for c in people if "targets" in c.categories):
        ranked = rank_introducers(t, people)
        out.append(
            {
                "target": t.name,
                "organization": t.organization,
                "introducers": [
                    {"name": c.name, "id": c.id, "score": round(score, 3), "why": why}
                    for c, score, why in ranked
                ],
                "not_asked": who.excluded_json(t, people),
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
        for e in item["not_asked"][:5]:
            click.echo(f"  not asked: {e['name']}: {e['why']}")
    for line in who.never_asked_lines(people):
        click.echo(line)


@cli.command()
@window_options
@click.option("--json", "as_json", is_flag=True, help="JSON output (with --explain: an object).")
@click.option("--explain", is_flag=True, help="Per week: budget used, what was placed and why.")
@click.pass_obj
def plan(ctx: Ctx, start: datetime | None, weeks: int | None, as_json: bool, explain: bool) -> None:
    """The plan, written nowhere."""
    from sync.engine import plan_only

    config = ctx.config()
    with reading(ctx, config) as tick:
        inputs, result = plan_only(config, run_options(start, weeks, progress=tick))
    events: list[PlannedEvent] = list(result.events)
    why = ""
    if explain:
        from sync.planner import explain as explain_text

        why = explain_text(result)
    if as_json:
        from sync.cli.afterwards import activity_records

        known = {a.uid: a for a in activity_records(config)}
        data: object = [_event_json(e, result, known.get(e.uid), config) for e in events]
        if explain:  # the explanation travels with the events, never silently dropped
            data = {"events": data, "explanation": why.splitlines()}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(render_plan(config, events, inputs.contacts, color=ctx.color), color=ctx.color)
        path = config.state.resolved()
        if path.exists():
            from sync.cli.afterwards import lifecycle_json, lifecycle_lines
            from sync.cli.common import now_utc

            now = now_utc()
            for line in lifecycle_lines(config, lifecycle_json(path, now, config.tz), now):
                click.echo(line)
        if explain:
            click.echo(why)
    finish(ctx, inputs.failures, inputs.problems)


def _event_json(
    e: PlannedEvent, result: Any, known: Activity | None, config: Config
) -> dict[str, object]:
    """An event for ``plan --json``: what it is, plus its agenda, why it was planned, the
    category it serves (the first of its people's), and what became of it: ``state`` (held,
    proposed, confirmed, done, skipped, cancelled; null when no sync has written it) and
    ``state_changed`` (the day of its last change, in the owner's zone)."""
    why = {p.uid: p.why for w in getattr(result, "weeks", ()) for p in w.placed}
    out = e.to_json()
    out["category"] = e.categories[0] if e.categories else ""
    out["why"] = why.get(e.uid) or _block_why(e)
    out["agenda"] = e.description
    out["state"] = known.state if known is not None else None
    out["state_changed"] = (
        known.changed.astimezone(config.tz).date().isoformat() if known is not None else None
    )
    return out


def _block_why(e: PlannedEvent) -> str:
    """Why a prep or follow-up block is there: the activity it belongs to."""
    for prefix, said in (("Prepare: ", "to prepare for"), ("Follow up: ", "to follow up on")):
        if e.title.startswith(prefix):
            return f"{said} {e.title.removeprefix(prefix)}"
    return ""


@cli.command()
@window_options
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
    with reading(ctx, config) as tick:
        inputs, result = plan_only(config, run_options(start, weeks, progress=tick))
    path = out or config.export.path
    if path is None:
        sys.stdout.buffer.write(
            calendar_to_ical(list(result.events), config.tz, config.export.calendar_name)
        )
    else:
        export_plan(config, list(result.events), path, None)
        if not ctx.quiet:
            err(f"wrote {len(result.events)} events to {path}")
    finish(ctx, inputs.failures, inputs.problems)


@cli.command()
@window_options
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
    from sync.cli.afterwards import activity_records
    from sync.engine import _start_weeks, plan_only
    from sync.export import write_atomic
    from sync.report import ReportInput, build_html, focus_people

    config: Config = ctx.config()
    opts = run_options(start, weeks)
    with reading(ctx, config) as tick:
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
            states=activity_records(config),
        )
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, page.encode("utf-8"))  # a new file is private (0600)
    if not ctx.quiet:
        err(f"wrote {out} (it names people in your network: keep it to yourself)")
    finish(ctx, inputs.failures, inputs.problems)
