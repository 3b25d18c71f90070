"""Temp files a killed write left in a calendar folder: found by their name and netweave's
marker, and removed by the next run (under the engine's lock: a running write's temp file
looks the same)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from sync.export import has_marker

#: The temp file of an atomic write into a vdir (tempfile.mkstemp: ``.<name>.<random>.tmp``).
TEMP_NAME = re.compile(r"^\..+\.ics\.[A-Za-z0-9_]+\.tmp$")


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Remove the temp files in ``folder`` named after one of netweave's files (``.nw-...``)
    or carrying its marker; the user's and other programs' are left alone. Returns the files
    removed."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    removed: list[Path] = []
    for name in sorted(names):
        if not TEMP_NAME.match(name):
            continue
        path = folder / name
        try:
            if name.startswith(".nw-") or has_marker(path.read_bytes()):
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed
