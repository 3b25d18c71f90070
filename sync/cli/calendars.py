"""The calendars themselves: ``calendars`` (what each configured account offers, with config
lines to paste) and ``remove`` (every event netweave created deleted, nothing else)."""

from __future__ import annotations

import click

from sync.cli.common import Ctx, cli, err, finish, now_utc
from sync.errors import SourceError
from sync.model import Problem


@cli.command()
@click.pass_obj
def calendars(ctx: Ctx) -> None:
    """The calendars and address books each configured account offers, as config lines."""
    from sync.sources.offered import addressbook_offers, calendar_offers

    config = ctx.config()
    failures: list[Problem] = []
    jobs = [(c.name, c.key, lambda c=c: calendar_offers(c, config)) for c in config.calendars]
    jobs += [
        (b.name, b.key, lambda b=b: addressbook_offers(b, config)) for b in config.addressbooks
    ]
    seen: set[str] = set()
    for name, key, find in jobs:
        try:
            offers = find()
        except SourceError as e:
            failures.append(Problem(name, e.message, key))
            continue
        for o in offers:
            text = o.toml()
            if text in seen:
                continue
            seen.add(text)
            click.echo(f"# {o.name} (found through {o.account})\n{text}\n")
    finish(ctx, failures, [])


@cli.command()
@click.option("--calendar", default=None, help="Only this calendar (its configured name).")
@click.option("--dry-run", is_flag=True, help="List what would be deleted; delete nothing.")
@click.pass_obj
def remove(ctx: Ctx, calendar: str | None, dry_run: bool) -> None:
    """Delete every event netweave created (by its marker), and nothing else."""
    from sync.engine.remove import remove_owned

    config = ctx.config()
    names = [c.name for c in config.calendars if c.write]
    if calendar is not None and calendar not in names:
        raise click.UsageError(
            f"no writable calendar named {calendar!r} (writable: {', '.join(names) or 'none'})"
        )
    if not config.state.resolved().exists() and not dry_run:
        err("note: no state yet; removing by marker alone")
    done = remove_owned(config, calendar, dry_run, now_utc())
    verb = "would delete" if dry_run else "deleted"
    for target, o in done.removed:
        click.echo(f"{verb} {target}: {o.title} {o.start.astimezone(config.tz):%a %Y-%m-%d %H:%M}")
    click.echo(f"{verb}: {len(done.removed)} events netweave created")
    if not dry_run and done.removed:
        err("a scheduled sync would write them again: `netweave schedule` shows how to stop it")
    finish(ctx, done.errors, [])
