"""What one run did: counts, the actions taken, errors and warnings, the plan, its exit code and
the summary kept in the state."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sync.engine.health import Health
from sync.engine.reconcile import Action
from sync.model import Contact, PlannedEvent, Problem


@dataclass
class SyncReport:
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    plan: list[PlannedEvent] = field(default_factory=list)
    explain: str = ""
    exported: Path | None = None
    dry_run: bool = False
    contacts: list[Contact] = field(default_factory=list)
    http_requests: int = 0
    health: list[Health] = field(default_factory=list)  # the verdict on every source
    known_names: dict[str, str] = field(default_factory=dict)  # id -> name, from the state

    @property
    def exit_code(self) -> int:
        return 1 if (self.errors or self.skipped) else 0

    def to_json(self) -> dict[str, object]:
        return {
            "inserted": self.inserted,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "errors": [{"source": p.source, "message": _msg(p)} for p in self.errors],
            "dry_run": self.dry_run,
            "http_requests": self.http_requests,
            "exported": str(self.exported) if self.exported else None,
            "health": {v.seen.key: v.status for v in self.health},
        }


def _msg(p: Problem) -> str:
    return f"{p.place}: {p.message}" if p.place else p.message
