"""CardDAV address books and CalDAV calendars (Nextcloud, Fastmail, iCloud, Radicale...).

Thin adapters over one HTTP account each. Cards and events are parsed by the file parsers
(:mod:`sync.sources.vcard`, :mod:`sync.sources.ics`) and owned events are rendered by
:mod:`sync.export`. Incremental reads keep, per collection, a sync token and the members'
etags and texts in the engine's ``sync_state``; the entry is written once, after every change
of a read was fetched, so a read that fails half-way leaves the previous state intact.

The rooms:

* :mod:`~sync.sources.dav.http`: session, auth, retries, redirects, error messages.
* :mod:`~sync.sources.dav.multistatus`: WebDAV XML, PROPFIND, the 207 answer.
* :mod:`~sync.sources.dav.discovery`: principal, home set, the account's collections.
* :mod:`~sync.sources.dav.state`: the cached state of one collection.
* :mod:`~sync.sources.dav.members`: sync-collection, etag listings, multiget, refresh.
* :mod:`~sync.sources.dav.carddav`: the address book adapter.
* :mod:`~sync.sources.dav.caldav`: the calendar adapter.
"""

from sync.sources.dav.caldav import CalDavCalendar
from sync.sources.dav.carddav import CardDavAddressBook
from sync.sources.dav.discovery import Collection
from sync.sources.dav.http import DavHttp
from sync.sources.dav.members import etag_listing
from sync.sources.dav.multistatus import Multistatus, parse_multistatus
from sync.sources.dav.state import CollectionState

__all__ = [
    "CalDavCalendar",
    "CardDavAddressBook",
    "Collection",
    "CollectionState",
    "DavHttp",
    "Multistatus",
    "etag_listing",
    "parse_multistatus",
]
