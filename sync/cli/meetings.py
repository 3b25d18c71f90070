"""From a held slot to an agreed meeting: ``outreach`` (the ready message proposing two or three
held times, or asking an introducer) and ``confirm`` (the slot becomes the meeting: busy, at
the agreed time and place; the other offered times are released)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime

import click

from sync.cli.afterwards import lifecycle, of_person, person
from sync.cli.common import Ctx, cli, err, finish, now_utc, reading, run_options
from sync.config import Config
from sync.lifecycle import Activity, Lifecycle
from sync.lifecycle.states import BY_USER
from sync.model import Busy, PlannedEvent


@cli.command()
@click.argument("name", required=False)
@click.option("--sent", is_flag=True, help="Mark these meetings as proposed (you sent them).")
@click.pass_obj
def outreach(ctx: Ctx, name: str | None, sent: bool) -> None:
    """The ready message for each held meeting (or NAME's): why you, why now, the ask. The
    times it offers are held in the calendar by the next sync until NAME chooses one."""
    from sync.engine import plan_only
    from sync.engine.lifecycle import messages

    config = ctx.config()
    now = now_utc()
    with reading(ctx, config) as tick:
        inputs, result = plan_only(config, run_options(None, None, progress=tick))
    events = {e.uid: e for e in result.events}
    with lifecycle(config) as lc:
        # Asked by name, a message already sent is shown again (to send it once more).
        open_ = ("held", "proposed") if name is not None else ("held",)
        settled = frozenset(a.uid for a in lc.activities() if a.state not in open_)
        found = messages(config, list(events.values()), inputs.contacts, inputs.busy, now, settled)
        if name is not None:
            contact, _who = person(lc, name)
            found = {u: m for u, m in found.items() if contact in events[u].contacts}
        offers = {
            uid: _offer(lc, config, events[uid], list(events.values()), inputs.busy)
            for uid in found
            if events[uid].kind == "one-on-one"
        }
        found = messages(
            config, [events[u] for u in found], inputs.contacts, inputs.busy, now, settled, offers
        )
        for uid, m in sorted(found.items(), key=lambda kv: (events[kv[0]].start, kv[0])):
            e = events[uid]
            click.echo(f"=== {e.title} (held {e.start.astimezone(config.tz):%a %d %b %H:%M})")
            click.echo(f"To: {m.to}\nSubject: {m.subject}\n\n{m.body}")
            if sent and lc.activity(uid) is not None:
                lc.set_state(uid, "proposed", now, "message sent")
    if not found and not ctx.quiet:
        err("no held meeting waits for a message (or nobody in it has an email address)")
    finish(ctx, inputs.failures, inputs.problems)


def _offer(
    lc: Lifecycle,
    config: Config,
    e: PlannedEvent,
    plan: Sequence[PlannedEvent],
    busy: Sequence[Busy],
) -> list[tuple[datetime, datetime]]:
    """The times offered for ``e``: those offered before while they still include its held
    time (a message says the same times again), else new ones, clear of busy time and of
    every other planned event and hold (each with its travel and buffers), recorded."""
    from sync.engine.lifecycle import offer_for

    before = lc.slots(e.uid)
    if before and (e.start, e.end) in before:
        return before
    slots = offer_for(config, e, plan, busy, lc.offered(e.uid))
    lc.offer(e.uid, slots)
    return slots


def _parse_when(
    value: str, a: Activity, offered: list[tuple[datetime, datetime]], config: Config
) -> tuple[datetime, datetime]:
    length = a.end - a.start
    if value.isdigit():
        n = int(value)
        if not 1 <= n <= len(offered):
            raise click.UsageError(
                f"choose one of the {len(offered)} offered times (1-{len(offered)})"
            )
        return offered[n - 1]
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"):
        try:
            start = datetime.strptime(value, fmt).replace(tzinfo=config.tz)
        except ValueError:
            continue
        return start, start + length
    raise click.UsageError(
        f"WHEN: expected 'YYYY-MM-DD HH:MM' or the number of an offered time, got {value!r}"
    )


@cli.command()
@click.argument("name")
@click.argument("when", required=False)
@click.option("--place", default=None, help="Where you meet (else the planned place).")
@click.option("--no-sync", is_flag=True, help="Record it only; the next sync writes it.")
@click.pass_obj
def confirm(ctx: Ctx, name: str, when: str | None, place: str | None, no_sync: bool) -> None:
    """NAME said yes: the held slot (or WHEN) becomes the meeting; other offers are released."""
    config = ctx.config()
    now = now_utc()
    with lifecycle(config) as lc:
        contact, who = person(lc, name)
        open_ = [
            a for a in of_person(lc, contact) if a.state in ("held", "proposed") and a.end > now
        ]
        if not open_:
            raise click.UsageError(f"no held meeting with {who} to confirm")
        a = min(open_, key=lambda a: a.start)
        offered = lc.slots(a.uid) or [(a.start, a.end)]
        start, end = _parse_when(when, a, offered, config) if when else (a.start, a.end)
        a = lc.set_state(a.uid, "confirmed", now, BY_USER, when=(start, end), place=place)
        released = lc.release(a.uid, start)
    click.echo(
        f"confirmed: {a.title}, {start.astimezone(config.tz):%a %d %b %H:%M}"
        + (f" at {place}" if place else "")
        + (f" ({released} other offered time(s) released)" if released else "")
    )
    if no_sync:
        return
    from sync.engine import run_sync

    report = run_sync(config, run_options(None, None))
    click.echo(
        f"synced: {report.inserted} inserted, {report.updated} updated, {report.deleted} deleted"
    )
    finish(ctx, report.errors, report.warnings)
    sys.exit(report.exit_code)
