"""vCard address books: a ``.vcf`` file holding many cards, or a vdir (one card per file, as
khard and vdirsyncer keep them).

Rooms: :mod:`.syntax` (lines, unfolding, property lines, escapes), :mod:`.parse` (the tolerant
reader: cards to contacts, with why it is hand-written rather than vobject), :mod:`.fast` (the
fast reader of plain cards in front of it), :mod:`.fields` (decoded values gathered into a
contact, for both), :mod:`.write` (tags written back into ``CATEGORIES``), :mod:`.files` (file
bytes, encodings, atomic rewrite) and :mod:`.book` (the file and vdir adapters).

It reads the three dialects found in the wild:

* vCard 2.1 from Outlook: ``ENCODING=QUOTED-PRINTABLE`` with soft line breaks, ``CHARSET=``
  Windows-1252 / UTF-8 / ISO-8859-1 (or raw 8-bit bytes in the ANSI code page), bare parameters
  (``TEL;WORK;VOICE:``), base64 photos with unindented continuation lines;
* vCard 3.0 from Apple and Google: ``item1.EMAIL`` groups with ``item1.X-ABLabel``,
  ``X-ABRELATEDNAMES`` with ``_$!<Mother>!$_`` labels, ``X-ABShowAs:COMPANY``, group cards
  (``X-ADDRESSBOOKSERVER-KIND:group`` with ``X-ADDRESSBOOKSERVER-MEMBER``) and Google's
  ``CATEGORIES:myContacts,Friends``;
* vCard 4.0 from Nextcloud: ``TEL;VALUE=uri:tel:+1-...``, ``RELATED;TYPE=spouse``, ``KIND``,
  ``UID:urn:uuid:...``, ``MEMBER`` on ``KIND:group`` cards.

Charset rule: a value that is valid UTF-8 is read as UTF-8. Otherwise its ``CHARSET`` parameter
decides; without one, a vCard 2.1 card is read in Windows-1252 (Outlook's ANSI code page) and a
3.0/4.0 card (UTF-8 by specification) is skipped with a Problem saying to re-save as UTF-8.

A malformed card (no ``END:VCARD``, a line that is not a property, undecodable bytes) is skipped
with one :class:`~sync.model.Problem` naming the file and line; every other card is read.

Writing tags changes only the ``CATEGORIES`` values that carry netweave's prefix
(``"netweave: clients"``); every other line is kept byte for byte (see :func:`set_categories`).
Netweave's own prefixed values are not read back as ``source_categories`` (no feedback loop):
they go to ``Contact.extra["netweave_tags"]``.
"""

from sync.sources.vcard.book import VcardDir, VcardFile
from sync.sources.vcard.parse import DEFAULT_PREFIX, parse_vcards, unique_ids
from sync.sources.vcard.write import set_categories

__all__ = [
    "DEFAULT_PREFIX",
    "VcardDir",
    "VcardFile",
    "parse_vcards",
    "set_categories",
    "unique_ids",
]
