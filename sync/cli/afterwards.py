"""What happened to a meeting, as the user says it: ``done``, ``skip``, ``snooze`` and ``log``
(notes per meeting, a meeting held elsewhere, and the log exported as JSON or CSV), and the
lifecycle lines ``status`` and ``plan`` show."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

import click

from sync.cli.common import Ctx, cli, now_utc, problems, reading
from sync.config import Config
from sync.lifecycle import Activity, Lifecycle, is_awaiting
from sync.lifecycle.memory import follow_ups
from sync.lifecycle.names import Candidate, match_people
from sync.state import State


@contextmanager
def lifecycle(config: Config, *, must_exist: bool = True) -> Iterator[Lifecycle]:
    """The lifecycle tables of the state, under the sync lock (a running sync writes them)."""
    from sync.engine import Lock

    path = config.state.resolved()
    if must_exist and not path.exists():
        raise click.ClickException("no sync has run yet: run `netweave sync` first")
    with Lock(path.with_suffix(".lock"), 10.0), State(path) as state:
        yield Lifecycle(state)


def person(lc: Lifecycle, name: str, more: Sequence[Candidate] = ()) -> tuple[str, str]:
    """(contact id, name) of the one person ``name`` means among those with an activity or a
    note (and ``more``: the address book's), by :func:`~sync.lifecycle.names.match_people`."""
    known = [Candidate(a.contact, a.name) for a in lc.activities() if a.contact]
    known += [Candidate(i.contact, i.name) for i in lc.interactions()]
    found = match_people(name, [*more, *known])
    if len(found) > 1:
        shown = "\n".join(f"  {c.label()}" for c in found[:12])
        more_ = f"\n  ... and {len(found) - 12} more" if len(found) > 12 else ""
        raise click.UsageError(
            f"{name!r} matches {len(found)} people; give more of the name (or an email "
            f"address):\n{shown}{more_}"
        )
    if not found:
        where = "in the address book" if more else "with a planned meeting"
        raise click.UsageError(
            f"nobody called {name!r} {where}; `netweave log NAME DATE` records a meeting held "
            "elsewhere with anyone in the address book"
        )
    return found[0].contact, found[0].name


def address_book(ctx: Ctx, config: Config) -> list[Candidate]:
    """Everyone in the address books, as people a name may mean (a book that cannot be read
    is named on stderr; the others still count)."""
    from sync.cache import ReadCache
    from sync.engine.read import read_contacts

    path = config.state.resolved()
    cache = ReadCache.beside(path) if path.exists() else None
    with reading(ctx, config) as tick:
        people, failed = read_contacts(config, now_utc(), progress=tick, cache=cache)
    problems(ctx, failed, "error")
    return [Candidate(c.id, c.name, c.emails, c.organization or "") for c in people]


def of_person(lc: Lifecycle, contact: str) -> list[Activity]:
    return [a for a in lc.activities() if a.contact == contact and a.kind == "one-on-one"]


def _latest_past(lc: Lifecycle, contact: str, now: datetime) -> Activity | None:
    past = [
        a
        for a in of_person(lc, contact)
        if a.start <= now and a.state in ("held", "proposed", "confirmed", "done", "skipped")
    ]
    return max(past, key=lambda a: a.start) if past else None


def _when(a: Activity, config: Config) -> str:
    return f"{a.start.astimezone(config.tz):%a %d %b %H:%M}"


@cli.command()
@click.argument("name")
@click.option("--note", default="", help="What you discussed (the first line is the topic).")
@click.option("--promised", default="", help="What you promised them (a follow-up task).")
@click.option("--offered", default="", help="What they offered.")
@click.pass_obj
def done(ctx: Ctx, name: str, note: str, promised: str, offered: str) -> None:
    """The last meeting with NAME took place (counts as met), with your notes."""
    config = ctx.config()
    now = now_utc()
    with lifecycle(config) as lc:
        contact, who = person(lc, name)
        a = _latest_past(lc, contact, now)
        if a is None:
            raise click.UsageError(
                f"no past meeting with {who}; for one held elsewhere: netweave log {who!r} DATE"
            )
        lc.set_state(a.uid, "done", now, note)
        if note or promised or offered:
            lc.add_interaction(
                contact,
                who,
                a.start.astimezone(config.tz).date(),
                now,
                uid=a.uid,
                topic=note.splitlines()[0] if note else "",
                promised=promised,
                offered=offered,
                note=note,
            )
    click.echo(f"done: {a.title}, {_when(a, config)}")


@cli.command()
@click.argument("name")
@click.option("--reason", default="", help="Why it did not (or will not) take place.")
@click.pass_obj
def skip(ctx: Ctx, name: str, reason: str) -> None:
    """The meeting with NAME did not take place (or will not: the next sync removes it)."""
    config = ctx.config()
    now = now_utc()
    with lifecycle(config) as lc:
        contact, who = person(lc, name)
        mine = [a for a in of_person(lc, contact) if a.state in ("held", "proposed", "confirmed")]
        past = [a for a in mine if a.start <= now]
        future = [a for a in mine if a.start > now]
        if past:
            a = max(past, key=lambda a: a.start)
            lc.set_state(a.uid, "skipped", now, reason)
            click.echo(f"skipped: {a.title}, {_when(a, config)} (not counted as met)")
        elif future:
            a = min(future, key=lambda a: a.start)
            lc.set_state(a.uid, "cancelled", now, reason)
            for row in lc.state.all_owned():
                if row.nid == a.uid:
                    lc.state.add_tombstone(row.target, row.nid, now)
            click.echo(f"cancelled: {a.title}, {_when(a, config)} (the next sync removes it)")
        else:
            raise click.UsageError(f"no open meeting with {who}")


@cli.command()
@click.argument("name")
@click.argument("days", type=click.IntRange(1, 365))
@click.pass_obj
def snooze(ctx: Ctx, name: str, days: int) -> None:
    """Plan no meeting with NAME for DAYS days (planned again from the day it ends)."""
    config = ctx.config()
    now = now_utc()
    until = now.astimezone(config.tz).date() + timedelta(days=days)
    with lifecycle(config) as lc:
        contact, who = person(lc, name)
        lc.snooze(contact, who, until)
    click.echo(f"snoozed: {who} until {until.isoformat()}")


@cli.command("log")
@click.argument("name", required=False)
@click.argument("day", required=False, type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--note", default="", help="What you discussed (the first line is the topic).")
@click.option("--promised", default="", help="What you promised them (a follow-up task).")
@click.option("--offered", default="", help="What they offered.")
@click.option(
    "--export",
    "export_as",
    type=click.Choice(["json", "csv"]),
    default=None,
    help="Print the whole interaction log as JSON or CSV.",
)
@click.pass_obj
def log_(
    ctx: Ctx,
    name: str | None,
    day: datetime | None,
    note: str,
    promised: str,
    offered: str,
    export_as: str | None,
) -> None:
    """Record a meeting held elsewhere (NAME DATE), or show or export the interaction log."""
    config = ctx.config()
    now = now_utc()
    # Anyone in the address book may be met elsewhere: read it first (outside the lock).
    book = address_book(ctx, config) if name is not None and day is not None else []
    with lifecycle(config) as lc:
        if export_as is not None:
            click.echo(export_log(lc, export_as), nl=False)
            return
        if name is None:
            for i in lc.interactions():
                click.echo(f"{i.day.isoformat()}  {i.name}: {i.topic or i.note or '(no note)'}")
            return
        if day is None:
            raise click.UsageError("give the date of the meeting: netweave log NAME YYYY-MM-DD")
        contact, who = person(lc, name, book)
        lc.add_interaction(
            contact,
            who,
            day.date(),
            now,
            topic=note.splitlines()[0] if note else "",
            promised=promised,
            offered=offered,
            note=note,
        )
    click.echo(f"logged: {who}, {day.date().isoformat()} (counts as met)")


def export_log(lc: Lifecycle, fmt: str) -> str:
    rows = [i.to_json() for i in lc.interactions()]
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    buf = io.StringIO()
    fields = ["id", "date", "name", "contact", "uid", "topic", "promised", "offered", "note"]
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: r[k] for k in fields})
    return buf.getvalue()


# --------------------------------------------------------------------------- shown elsewhere


def lifecycle_json(path: Path, now: datetime, tz: tzinfo = UTC) -> dict[str, object]:
    """The activities, those awaiting the user's word, the follow-ups and the people snoozed
    (for ``status``)."""
    with State(path) as state:
        lc = Lifecycle(state)
        acts = lc.activities()
        log = lc.interactions()
        sleeping = lc.snoozes(now.astimezone(tz).date())
    return {
        "activities": [a.to_json() for a in acts],
        "awaiting": [a.to_json() for a in acts if is_awaiting(a, now)],
        "follow_ups": [f.text() for f in follow_ups(log)],
        "snoozed": [{"contact": c, "name": n, "until": u.isoformat()} for c, n, u in sleeping],
    }


def activity_records(config: Config) -> list[Activity]:
    """What the state knows of every planned activity (none before the first sync)."""
    path = config.state.resolved()
    if not path.exists():
        return []
    with State(path) as state:
        return Lifecycle(state).activities()


def lifecycle_lines(config: Config, data: dict[str, object], now: datetime) -> list[str]:
    """The lines ``status`` and ``plan`` print: counts by state, the gentle list, follow-ups."""
    acts = data["activities"]
    assert isinstance(acts, list)
    sleeping = data.get("snoozed") or []
    assert isinstance(sleeping, list)
    tail = [f"snoozed: {s['name']} until {s['until']}" for s in sleeping]
    if not acts:
        return tail
    counts: dict[str, int] = {}
    for a in acts:
        counts[a["state"]] = counts.get(a["state"], 0) + 1
    order = ("held", "proposed", "confirmed", "done", "skipped", "cancelled")
    lines = ["meetings: " + ", ".join(f"{counts[s]} {s}" for s in order if s in counts)]
    awaiting = data["awaiting"]
    assert isinstance(awaiting, list)
    if awaiting:
        lines.append("did these take place? (netweave done NAME / skip NAME)")
        for a in awaiting:
            when = datetime.fromisoformat(a["start"]).astimezone(config.tz)
            lines.append(f"  {when:%a %d %b %H:%M}  {a['title']}")
    upcoming = [
        a for a in acts if a["state"] == "confirmed" and datetime.fromisoformat(a["end"]) > now
    ]
    for a in upcoming:
        when = datetime.fromisoformat(a["start"]).astimezone(config.tz)
        lines.append(f"  confirmed: {when:%a %d %b %H:%M}  {a['title']}")
    fus = data["follow_ups"]
    assert isinstance(fus, list)
    if fus:
        lines.append("follow-ups (promised):")
        lines += [f"  {f}" for f in fus]
    return lines + tail
