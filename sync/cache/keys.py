"""What a cache key is made of: the digest of the reading code and of the libraries it leans
on (an upgrade is a miss), the digest of a file's content, and the key of a list of parts."""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import re
import sys
from functools import lru_cache
from pathlib import Path

from sync.cache.store import FORMAT

#: The reading and tagging code, relative to the ``sync`` package: each name is a module
#: (``name.py``) or a package (a folder, standing for every ``.py`` file in it).
_CODE = (
    "model",
    "errors",
    "merge",
    "tagging",
    "tzmap",
    "introductions",
    "sources/base",
    "sources/ics",
    "sources/vcard",
    "sources/localwrite",
    "sources/csvbook",
)
_LIBS = (
    "icalendar",
    "recurring-ical-events",
    "x-wr-timezone",
    "python-dateutil",
    "tzdata",
    "holidays",
)


def _lib_versions() -> list[str]:
    """The installed versions of ``_LIBS``, from their ``*.dist-info`` folder names.

    Listing the folders on ``sys.path`` costs a millisecond; ``importlib.metadata`` costs tens
    (its import and one scan per name). A library not found is hashed as such.
    """
    wanted = {re.sub(r"[-_.]+", "_", lib).lower(): lib for lib in _LIBS}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if not name.endswith(".dist-info"):
                continue
            project, _, version = name[: -len(".dist-info")].partition("-")
            lib = wanted.get(re.sub(r"[-_.]+", "_", project).lower())
            if lib is not None and lib not in found:
                found[lib] = version
    return [f"{lib}={found.get(lib, '?')}" for lib in _LIBS]


def code_files(root: Path) -> list[Path]:
    """The files of ``_CODE`` under ``root`` (the ``sync`` package folder); a name that is
    neither a module nor a package is an error, so a moved module cannot silently drop out."""
    files: list[Path] = []
    for rel in _CODE:
        folder = root / rel
        if folder.is_dir():
            files.extend(sorted(folder.glob("*.py")))
        elif (module := folder.with_suffix(".py")).is_file():
            files.append(module)
        else:
            raise FileNotFoundError(f"read-cache code list names a missing module: {rel}")
    return files


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Hash of the reading/tagging code and the libraries it leans on: an upgrade is a miss."""
    h = hashlib.sha256(f"{FORMAT}\x00{sys.version}\x00{marshal.version}".encode())
    root = Path(__file__).resolve().parent.parent
    for f in code_files(root):
        h.update(f.relative_to(root).as_posix().encode() + b"\x00" + f.read_bytes())
    for lib in _lib_versions():
        h.update(lib.encode())
    return h.hexdigest()


def file_digest(path: Path) -> str:
    """SHA-256 of the file's content."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def make_key(*parts: object) -> str:
    """SHA-256 of ``parts`` as JSON (anything else as its text)."""
    return hashlib.sha256(json.dumps(parts, default=str).encode("utf-8")).hexdigest()
