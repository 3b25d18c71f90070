"""What each configured account offers: the calendars and address books found beside a vdir
folder, on a CalDAV/CardDAV server (discovery from the principal), or in a Google account
(its calendar list; its contacts, with their labels), each with the config lines that would
use it (a DAV account's user and password source included, never a password)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sync.config import AddressBookConfig, CalendarConfig, Config


@dataclass(frozen=True)
class Offer:
    """One calendar or address book an account offers."""

    section: str  # "calendars" | "addressbooks"
    account: str  # the configured entry it was found through
    name: str
    lines: tuple[str, ...]  # TOML lines to paste into the config

    def toml(self) -> str:
        return "\n".join([f"[[{self.section}]]", *self.lines])


def _q(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _account(cfg: CalendarConfig | AddressBookConfig) -> tuple[str, ...]:
    """The lines that reach a DAV account as the configured entry does: the server, the user
    and where the password comes from (its variable or command, never the password)."""
    lines = [f"url = {_q(cfg.url or '')}"]
    if cfg.username:
        lines.append(f"username = {_q(cfg.username)}")
    if cfg.password.env:
        lines.append(f"password_env = {_q(cfg.password.env)}")
    if cfg.password.command:
        lines.append(f"password_command = {_q(cfg.password.command)}")
    return tuple(lines)


def _folders(path: Path, suffix: str) -> list[Path]:
    """``path``'s sibling folders (itself included) that hold ``suffix`` files or nothing."""
    parent = path.parent
    if not parent.is_dir():
        return []
    return sorted(
        d
        for d in parent.iterdir()
        if d.is_dir()
        and not d.name.startswith(".")
        and (any(d.glob(f"*{suffix}")) or not any(d.iterdir()))
    )


def _vdir(section: str, account: str, path: Path, suffix: str) -> list[Offer]:
    return [
        Offer(
            section,
            account,
            d.name,
            ('type = "vdir"', f"path = {_q(str(d))}", f"name = {_q(d.name)}"),
        )
        for d in _folders(path, suffix)
    ]


def calendar_offers(cfg: CalendarConfig, config: Config) -> list[Offer]:
    """The calendars the account behind ``cfg`` offers (network access for CalDAV and Google)."""
    if cfg.type == "vdir" and cfg.path is not None:
        return _vdir("calendars", cfg.name, cfg.path, ".ics")
    if cfg.type == "ics" and cfg.path is not None:
        return [
            Offer(
                "calendars",
                cfg.name,
                cfg.path.name,
                ('type = "ics"', f"path = {_q(str(cfg.path))}"),
            )
        ]
    if cfg.type == "caldav":
        from sync.sources.dav import CalDavCalendar
        from sync.sources.dav.discovery import calendar_home, list_collections

        cal = CalDavCalendar(cfg, config.tz, {})
        found = list_collections(cal.http, calendar_home(cal.http), "c:calendar", "VEVENT")
        return [
            Offer("calendars", cfg.name, c.name, (
                'type = "caldav"', *_account(cfg), f"collection = {_q(c.url)}",
                f"name = {_q(c.name)}",
            ))
            for c in found
        ]  # fmt: skip
    if cfg.type == "google":
        from sync.sources.google import GoogleCalendar

        gcal = GoogleCalendar(cfg, config.google, config.tz, {})
        return [
            Offer("calendars", cfg.name, str(c.get("summary") or c["id"]), (
                'type = "google"', f"calendar_id = {_q(str(c['id']))}",
                f"name = {_q(str(c.get('summary') or c['id']))}",
                f"# access: {c.get('accessRole')}",
            ))
            for c in gcal.list_calendars()
        ]  # fmt: skip
    return []


def addressbook_offers(cfg: AddressBookConfig, config: Config) -> list[Offer]:
    """The address books the account behind ``cfg`` offers."""
    if cfg.type == "vdir" and cfg.path is not None:
        return _vdir("addressbooks", cfg.name, cfg.path, ".vcf")
    if cfg.type in ("vcard", "csv") and cfg.path is not None:
        return [
            Offer(
                "addressbooks",
                cfg.name,
                cfg.path.name,
                (f"type = {_q(cfg.type)}", f"path = {_q(str(cfg.path))}"),
            )
        ]
    if cfg.type == "carddav":
        from sync.sources.dav import CardDavAddressBook
        from sync.sources.dav.discovery import list_collections, principal_home

        book = CardDavAddressBook(cfg, {})
        home = principal_home(book.http, "card:addressbook-home-set")
        return [
            Offer("addressbooks", cfg.name, c.name, (
                'type = "carddav"', *_account(cfg), f"collection = {_q(c.url)}",
                f"name = {_q(c.name)}",
            ))
            for c in list_collections(book.http, home, "card:addressbook", None)
        ]  # fmt: skip
    if cfg.type == "google":
        return [_google_contacts(cfg, config)]
    return []


def _google_contacts(cfg: AddressBookConfig, config: Config) -> Offer:
    """A Google account has one address book; its labels (contact groups) are listed with it
    (this asks Google, so a missing authorization or API shows here as in a sync)."""
    from sync.sources.google import GoogleContacts

    labels = sorted(GoogleContacts(cfg, config.google, {}).list_labels())
    shown = ", ".join(labels) if labels else "none"
    return Offer(
        "addressbooks",
        cfg.name,
        "Google Contacts",
        ('type = "google"', f"name = {_q(cfg.name)}", f"# labels: {shown}"),
    )
