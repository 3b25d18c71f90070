"""The agenda file: the plan rendered as one .ics file, rendered and written again only when
what it depends on changed or the file no longer holds what was written."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from sync.config import Config
from sync.engine.plan import view_for
from sync.errors import SourceError
from sync.model import PlannedEvent, content_hash
from sync.state import State


def export_plan(
    config: Config, events: Sequence[PlannedEvent], path: Path, state: State | None
) -> Path:
    """Write the agenda of ``events`` to ``path`` (the neutral view unless the export is private);
    :class:`SourceError` when the folder or the file cannot be written."""
    from sync.export import calendar_to_ical, write_atomic

    seqs: dict[str, int] = {}
    if state is not None:
        for row in state.all_owned():
            seqs[row.nid] = max(seqs.get(row.nid, 0), row.sequence)
    shown = [view_for(config, not config.export.private, e) for e in events]
    # The same plan renders byte-identical output: when the file still holds what the last run
    # wrote for the same inputs, neither rendering nor writing is needed.
    memo_key = f"export:{path.resolve()}"
    inputs_key = hashlib.sha256(
        json.dumps(
            [
                _version(),
                config.owner.timezone,
                config.export.calendar_name,
                sorted((e.uid, content_hash(e), seqs.get(e.uid, 0)) for e in shown),
            ]
        ).encode()
    ).hexdigest()
    if state is not None:
        memo = json.loads(state.get_meta(memo_key) or "{}")
        if memo.get("inputs") == inputs_key and memo.get("file") == _file_digest(path):
            return path
    data = calendar_to_ical(shown, config.tz, config.export.calendar_name, seqs)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise SourceError(
            "export",
            f"cannot create the folder for {path}: {e.strerror or e}; check [export].path or --out",
        ) from None
    write_atomic(path, data)
    if state is not None:
        digest = hashlib.sha256(data).hexdigest()
        state.set_meta(memo_key, json.dumps({"inputs": inputs_key, "file": digest}))
    return path


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _version() -> str:
    """What the rendering depends on besides its inputs: the export code and library versions
    (read without importing icalendar, which a no-change run need not load at all)."""
    from sync.cache import _lib_versions

    folder = Path(__file__).resolve().parent.parent / "export"
    code = b"".join(p.read_bytes() for p in sorted(folder.glob("*.py")))
    return hashlib.sha256(code + "\x00".join(_lib_versions()).encode()).hexdigest()
