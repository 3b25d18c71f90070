"""Shared test set-up."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_vobject_zones() -> Iterator[None]:
    """vobject keeps every VTIMEZONE it parses in one process-wide map by TZID; a second client
    reading our files is a separate process, so each test starts with an empty map."""
    import vobject.icalendar as vical

    zones = vars(vical).get("__tzidMap")
    if isinstance(zones, dict):
        zones.clear()
    yield
