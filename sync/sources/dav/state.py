"""What netweave remembers of a DAV collection between runs.

Per collection, one JSON entry in ``sync_state`` (a ``MutableMapping[str, str]`` the engine
persists)::

    "dav:<collection url>" -> {"token": <sync-token or null>, "items": {href: [etag, text]}}

A damaged entry costs one full read, nothing else.
"""

from __future__ import annotations

import json
from collections.abc import MutableMapping
from dataclasses import dataclass, field


@dataclass
class CollectionState:
    """What we know of one collection: a sync token and href -> (etag, text)."""

    token: str | None = None
    items: dict[str, tuple[str, str]] = field(default_factory=dict)

    def dump(self) -> str:
        return json.dumps(
            {"token": self.token, "items": {h: [e, t] for h, (e, t) in self.items.items()}},
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def load(cls, raw: str | None) -> CollectionState:
        if not raw:
            return cls()
        try:
            d = json.loads(raw)
            items = {str(h): (str(v[0]), str(v[1])) for h, v in dict(d.get("items", {})).items()}
            token = d.get("token")
            return cls(token=str(token) if token else None, items=items)
        except (ValueError, TypeError, AttributeError, IndexError, KeyError):
            return cls()  # a damaged cache costs one full read, nothing else


def _state_key(url: str) -> str:
    return f"dav:{url}"


def load_state(store: MutableMapping[str, str], url: str) -> CollectionState:
    return CollectionState.load(store.get(_state_key(url)))


def save_state(store: MutableMapping[str, str], url: str, st: CollectionState) -> None:
    raw = st.dump()
    key = _state_key(url)
    if store.get(key) != raw:
        store[key] = raw
