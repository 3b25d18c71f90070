"""The lifecycle's tables in the state database: activities and each change of their state,
the slots offered for a meeting, snoozed people, and the interaction log.

All writes go through :meth:`sync.state.State.transaction`, like the engine's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sync.lifecycle.states import Activity, Interaction, LifecycleError, check_change
from sync.model import PlannedEvent
from sync.state import State

_ACTIVITY_COLS = "uid, contact, name, kind, title, start, end, state, changed, place"
_INTERACTION_COLS = "id, contact, name, day, uid, topic, promised, offered, note"


def _activity(r: Sequence[object]) -> Activity:
    return Activity(
        str(r[0]),
        str(r[1]),
        str(r[2]),
        str(r[3]),
        str(r[4]),
        datetime.fromisoformat(str(r[5])),
        datetime.fromisoformat(str(r[6])),
        str(r[7]),
        datetime.fromisoformat(str(r[8])),
        str(r[9]),
    )


def _interaction(r: Sequence[object]) -> Interaction:
    return Interaction(
        int(str(r[0])),
        str(r[1]),
        str(r[2]),
        date.fromisoformat(str(r[3])),
        None if r[4] is None else str(r[4]),
        str(r[5]),
        str(r[6]),
        str(r[7]),
        str(r[8]),
    )


class Lifecycle:
    """The lifecycle tables of one open :class:`~sync.state.State`."""

    def __init__(self, state: State) -> None:
        self.state = state
        self.db = state.db

    # ------------------------------------------------------------------ activities
    def activities(self) -> list[Activity]:
        rows = self.db.execute(
            f"SELECT {_ACTIVITY_COLS} FROM activities ORDER BY start, uid"
        ).fetchall()
        return [_activity(r) for r in rows]

    def activity(self, uid: str) -> Activity | None:
        r = self.db.execute(
            f"SELECT {_ACTIVITY_COLS} FROM activities WHERE uid = ?", (uid,)
        ).fetchone()
        return None if r is None else _activity(r)

    def changes(self, uid: str) -> list[tuple[str, datetime, str]]:
        """(state, when, note) of every change of one activity, oldest first."""
        rows = self.db.execute(
            "SELECT state, changed, note FROM activity_changes WHERE uid = ? ORDER BY id", (uid,)
        ).fetchall()
        return [(str(s), datetime.fromisoformat(str(c)), str(n)) for s, c, n in rows]

    def hold(self, e: PlannedEvent, name: str, now: datetime) -> None:
        """Record a planned activity: new ones as held; known ones get the plan's times (a
        confirmed one only when they are the user's: it stays where it was confirmed)."""
        known = self.activity(e.uid)
        with self.state.transaction():
            if known is None:
                self.db.execute(
                    f"INSERT INTO activities ({_ACTIVITY_COLS})"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        e.uid,
                        e.contacts[0] if e.contacts else "",
                        name,
                        str(e.kind),
                        e.title,
                        e.start.isoformat(),
                        e.end.isoformat(),
                        "held",
                        now.isoformat(),
                        "",
                    ),
                )
                self._log_change(e.uid, "held", now, "planned")
            elif (known.state != "confirmed" or e.pinned) and (
                known.start,
                known.end,
                known.title,
            ) != (e.start, e.end, e.title):
                self.db.execute(
                    "UPDATE activities SET start = ?, end = ?, title = ? WHERE uid = ?",
                    (e.start.isoformat(), e.end.isoformat(), e.title, e.uid),
                )

    def set_state(
        self,
        uid: str,
        new: str,
        now: datetime,
        note: str = "",
        *,
        when: tuple[datetime, datetime] | None = None,
        place: str | None = None,
    ) -> Activity:
        """Change one activity's state (checked against the rules), with the date of change."""
        a = self.activity(uid)
        if a is None:
            raise LifecycleError(f"no activity {uid}")
        check_change(a.state, new)
        with self.state.transaction():
            self.db.execute(
                "UPDATE activities SET state = ?, changed = ? WHERE uid = ?",
                (new, now.isoformat(), uid),
            )
            if when is not None:
                self.db.execute(
                    "UPDATE activities SET start = ?, end = ? WHERE uid = ?",
                    (when[0].isoformat(), when[1].isoformat(), uid),
                )
            if place is not None:
                self.db.execute("UPDATE activities SET place = ? WHERE uid = ?", (place, uid))
            self._log_change(uid, new, now, note)
        out = self.activity(uid)
        assert out is not None
        return out

    def _log_change(self, uid: str, new: str, now: datetime, note: str) -> None:
        self.db.execute(
            "INSERT INTO activity_changes (uid, state, changed, note) VALUES (?, ?, ?, ?)",
            (uid, new, now.isoformat(), note),
        )

    # ------------------------------------------------------------------ slots offered
    def offer(self, uid: str, slots: Iterable[tuple[datetime, datetime]]) -> None:
        """Remember the slots offered for ``uid`` (replacing earlier offers still held)."""
        with self.state.transaction():
            self.db.execute("DELETE FROM slots WHERE uid = ? AND status = 'held'", (uid,))
            for s, e in slots:
                self.db.execute(
                    "INSERT OR REPLACE INTO slots (uid, start, end, status) VALUES (?, ?, ?, ?)",
                    (uid, s.isoformat(), e.isoformat(), "held"),
                )

    def slots(self, uid: str, status: str = "held") -> list[tuple[datetime, datetime]]:
        rows = self.db.execute(
            "SELECT start, end FROM slots WHERE uid = ? AND status = ? ORDER BY start",
            (uid, status),
        ).fetchall()
        return [(datetime.fromisoformat(s), datetime.fromisoformat(e)) for s, e in rows]

    def offered(self, uid: str) -> list[tuple[datetime, datetime]]:
        """Every time offered for ``uid`` (held, taken or released): what the message said."""
        rows = self.db.execute(
            "SELECT start, end FROM slots WHERE uid = ? ORDER BY start", (uid,)
        ).fetchall()
        return [(datetime.fromisoformat(s), datetime.fromisoformat(e)) for s, e in rows]

    def release(self, uid: str, keep: datetime | None) -> int:
        """Release every held slot of ``uid`` except the one starting at ``keep``."""
        held = self.slots(uid)
        with self.state.transaction():
            for s, _e in held:
                status = "taken" if keep is not None and s == keep else "released"
                self.db.execute(
                    "UPDATE slots SET status = ? WHERE uid = ? AND start = ?",
                    (status, uid, s.isoformat()),
                )
        return sum(1 for s, _ in held if keep is None or s != keep)

    # ------------------------------------------------------------------ snoozes
    def snooze(self, contact: str, name: str, until: date) -> None:
        with self.state.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO snoozes (contact, name, until) VALUES (?, ?, ?)",
                (contact, name, until.isoformat()),
            )

    def snoozes(self, today: date) -> list[tuple[str, str, date]]:
        """(contact id, name, the day it ends) of each snooze still running on ``today``."""
        rows = self.db.execute("SELECT contact, name, until FROM snoozes ORDER BY until, name")
        out = [(str(c), str(n), date.fromisoformat(str(u))) for c, n, u in rows.fetchall()]
        return [x for x in out if x[2] > today]

    def snoozed(self, today: date) -> dict[str, date]:
        """Contact id -> the day the snooze ends, for snoozes still running on ``today``."""
        rows = self.db.execute("SELECT contact, until FROM snoozes").fetchall()
        out = {str(c): date.fromisoformat(str(u)) for c, u in rows}
        return {c: u for c, u in out.items() if u > today}

    # ------------------------------------------------------------------ interactions
    def add_interaction(
        self,
        contact: str,
        name: str,
        day: date,
        now: datetime,
        *,
        uid: str | None = None,
        topic: str = "",
        promised: str = "",
        offered: str = "",
        note: str = "",
    ) -> Interaction:
        with self.state.transaction():
            cur = self.db.execute(
                "INSERT INTO interactions (contact, name, day, uid, topic, promised, offered,"
                " note, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    contact,
                    name,
                    day.isoformat(),
                    uid,
                    topic,
                    promised,
                    offered,
                    note,
                    now.isoformat(),
                ),
            )
        return Interaction(
            int(cur.lastrowid or 0), contact, name, day, uid, topic, promised, offered, note
        )

    def interactions(self, contact: str | None = None) -> list[Interaction]:
        if contact is None:
            rows = self.db.execute(
                f"SELECT {_INTERACTION_COLS} FROM interactions ORDER BY day, id"
            ).fetchall()
        else:
            rows = self.db.execute(
                f"SELECT {_INTERACTION_COLS} FROM interactions WHERE contact = ? ORDER BY day, id",
                (contact,),
            ).fetchall()
        return [_interaction(r) for r in rows]
