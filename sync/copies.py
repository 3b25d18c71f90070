"""Changed copies of contacts, made without :func:`dataclasses.replace`'s work per field.

Merging and tagging make one changed copy of every contact of the address book; ``replace``
looks at each of a contact's seventeen fields and calls the frozen ``__init__``, which sets
each again. :class:`~sync.model.Contact` has no ``__post_init__`` and every field is an init
field, so a copy of its fields with the changes set is the same object ``replace`` makes.
"""

from __future__ import annotations

from dataclasses import fields

from sync.model import Contact

_FIELDS = frozenset(f.name for f in fields(Contact))


def changed(c: Contact, **changes: object) -> Contact:
    """``dataclasses.replace(c, **changes)`` for a contact (a TypeError for a name that is not
    one of its fields)."""
    if not _FIELDS.issuperset(changes):
        raise TypeError(f"Contact has no field {sorted(set(changes) - _FIELDS)[0]!r}")
    new = object.__new__(Contact)
    state = new.__dict__
    state.update(c.__dict__)
    state.update(changes)
    return new
