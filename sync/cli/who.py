"""Who people are: ``netweave tag`` (the user's corrections) and what ``contacts`` shows about
tagging: ``--why NAME`` (the rule or evidence behind each category), the unsorted people, and
who is never asked for an introduction and why."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import click

from sync.cli.common import Ctx, cli
from sync.config import Config
from sync.model import CATEGORIES, Contact, Event


@cli.command()
@click.argument("name")
@click.argument("category", type=click.Choice(CATEGORIES))
@click.option("--not", "remove", is_flag=True, help="NAME is never CATEGORY.")
@click.option("--email", "emails", multiple=True, help="Also find NAME by this address.")
@click.pass_obj
def tag(ctx: Ctx, name: str, category: str, remove: bool, emails: tuple[str, ...]) -> None:
    """Correct a person's category (kept beside the config, across runs and sources)."""
    from sync.engine.contacts import save_correction

    path = save_correction(ctx.config(), name, category, remove, emails)
    said = f"never {category}" if remove else category
    click.echo(f"{name}: {said} (kept in {path})")


def why(
    config: Config, contacts: Sequence[Contact], events: Sequence[Event], name: str, today: date
) -> str:
    """The rule or evidence behind each category of the contacts ``name`` means (the way every
    command reads a name: :func:`~sync.lifecycle.names.match_people`)."""
    from sync.engine.contacts import setting_for
    from sync.lifecycle.names import Candidate, match_people
    from sync.who import judge, rules_for

    by_id = {c.id: c for c in contacts}
    found = match_people(
        name, (Candidate(c.id, c.name, c.emails, c.organization or "") for c in contacts)
    )
    hits = [by_id[f.contact] for f in found]
    if not hits:
        raise click.UsageError(f"no contact called {name!r}")
    setting = setting_for(config, today)
    judged = {j.contact.id: j for j in judge(contacts, rules_for(config), setting, events)}
    lines = []
    for c in hits:
        j = judged[c.id]
        org = f" ({c.organization})" if c.organization else ""
        lines.append(f"{c.name}{org}")
        for r in j.reasons:
            lines.append(f"  {r}")
        for r in j.dropped:
            kept_out = j.employer_tie or ("never_ask" if j.never_ask else "a strong tie")
            lines.append(f"  not {r.category}: {kept_out} (was {r})")
        for r in j.narrowed:
            lines.append(f"  not {r.category}: outside the world your goals name (was {r})")
        if j.employer_tie:
            lines.append(f"  tied to your employer: {j.employer_tie}: never a target or asked")
    return "\n".join(lines)


def unsorted_lines(people: Sequence[Contact]) -> list[str]:
    left = [c.name for c in people if c.categories[:1] == ("unsorted",)]
    if not left:
        return []
    return [
        f"{len(left)} unsorted (no rule knew them): {', '.join(left[:20])}"
        + (" ..." if len(left) > 20 else ""),
        '  sort them with: netweave tag "Name" CATEGORY',
    ]


def excluded_json(t: Contact, people: Sequence[Contact]) -> list[dict[str, Any]]:
    from sync.introductions import excluded_introducers

    return [{"name": c.name, "why": w} for c, w in excluded_introducers(t, people)]


def never_asked_lines(people: Sequence[Contact]) -> list[str]:
    """Everyone kept out of asks and plans, and why (shown under ``contacts --introducers``)."""
    from sync.who import kept_out

    kept = [(c.name, kept_out(c)) for c in people if kept_out(c) is not None]
    if not kept:
        return []
    out = [f"Never asked, targeted or planned ({len(kept)}):"]
    out += [f"  {n}: {w}" for n, w in kept]
    return out
