"""Backends, one module per kind, all behind the protocols of :mod:`sync.sources.base`.

:func:`open_addressbook` and :func:`open_calendar` turn a config entry into a backend object.
Imports are lazy so that a user of local files never pays for the Google or DAV libraries.
"""

from __future__ import annotations

from collections.abc import MutableMapping

from sync.config import AddressBookConfig, CalendarConfig, Config
from sync.sources.base import AddressBook, Calendar


def open_addressbook(
    cfg: AddressBookConfig, config: Config, sync_state: MutableMapping[str, str]
) -> AddressBook:
    if cfg.type == "vcard":
        from sync.sources.vcard import VcardFile

        return VcardFile.from_config(cfg)
    if cfg.type == "vdir":
        from sync.sources.vcard import VcardDir

        return VcardDir.from_config(cfg)
    if cfg.type == "csv":
        from sync.sources.csvbook import CsvAddressBook

        return CsvAddressBook(cfg)
    if cfg.type == "carddav":
        from sync.sources.dav import CardDavAddressBook

        return CardDavAddressBook(cfg, sync_state)
    if cfg.type == "google":
        from sync.sources.google import GoogleContacts

        return GoogleContacts(cfg, config.google, sync_state)
    raise ValueError(f"unknown address book type {cfg.type!r}")  # config validated it


def open_calendar(
    cfg: CalendarConfig, config: Config, sync_state: MutableMapping[str, str]
) -> Calendar:
    """A reader, or a writable calendar when ``cfg.write`` is set."""
    tz = config.tz
    if cfg.type == "ics":
        assert cfg.path is not None
        if cfg.write:
            from sync.sources.localwrite import WritableIcsFileCalendar

            return WritableIcsFileCalendar(cfg.name, cfg.path, tz)
        from sync.sources.ics import IcsFileCalendar

        return IcsFileCalendar(cfg.name, cfg.path, tz)
    if cfg.type == "vdir":
        assert cfg.path is not None
        if cfg.write:
            from sync.sources.localwrite import WritableVdirCalendar

            return WritableVdirCalendar(cfg.name, cfg.path, tz)
        from sync.sources.ics import VdirCalendar

        return VdirCalendar(cfg.name, cfg.path, tz)
    if cfg.type == "caldav":
        from sync.sources.dav import CalDavCalendar

        return CalDavCalendar(cfg, tz, sync_state)
    if cfg.type == "google":
        from sync.sources.google import GoogleCalendar

        return GoogleCalendar(
            cfg, config.google, tz, sync_state, history_days=config.planner.history_days
        )
    raise ValueError(f"unknown calendar type {cfg.type!r}")  # config validated it
