"""A cache of what was read from local files, so that an unchanged file is never parsed twice.

A scheduled sync mostly finds nothing changed. Parsing 20,000 events and 10,000 cards, then
merging and tagging, costs seconds each run; reading the cache costs a fraction of one.

Two layers, each one file per source in ``<state file>.cache/`` (folder 0700, files 0600,
written atomically; a damaged or foreign entry is a miss, never an error):

* per source (``.ics`` file, calendar vdir, ``.vcf`` file, card vdir): the reader's result
  (events or contacts, and the problems with their places), keyed by the SHA-256 of the content of
  every file read, the source's settings, the owner's zone, the reader's code and library
  versions, and for calendars the window widened to whole months (a run tomorrow still hits; the
  events are then cut to the exact window with the reader's own overlap rule);
* derived: the merged, history-applied and tagged contacts, keyed by the keys of every address
  book, the events that started before today (all the history sees), the config file, the
  tagging rules, the code and the day (``last_met`` counts from today).

Network sources (Google, DAV) have their own sync tokens and are never cached here; a run that
reads an address book from one of them does not use the derived layer.

Rooms: :mod:`.read_cache` (the policy: :class:`ReadCache`), :mod:`.keys` (what a key is made
of), :mod:`.store` (the on-disk entry format) and :mod:`.rows` (model objects as plain tuples).
Entries are written and read only by netweave, in a folder only its user can read.
"""

from sync.cache.keys import _lib_versions, code_digest
from sync.cache.read_cache import ReadCache, overlaps, widen
from sync.cache.rows import CONTACTS_CACHEABLE
from sync.cache.store import FORMAT, MAGIC, CachedContacts, contact_count

__all__ = [
    "CONTACTS_CACHEABLE",
    "FORMAT",
    "MAGIC",
    "CachedContacts",
    "ReadCache",
    "_lib_versions",
    "code_digest",
    "contact_count",
    "overlaps",
    "widen",
]
