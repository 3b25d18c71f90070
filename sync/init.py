"""`netweave init`: write a first config from answers (interactive) or flags (non-interactive).

The pure part is :func:`render` (answers -> TOML text) and :func:`validate` (the text through
the same parser ``netweave`` uses, so a written config always loads). The CLI asks the
questions (:mod:`sync.cli.questions`) or takes flags, shows problems with the answers by config
key, and writes the file (mode 0600: goals of a confidential job search are nobody else's
business) without ever overwriting an existing file unless ``--force``.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import time
from pathlib import Path

import click

from sync.config import (
    ADDRESSBOOK_TYPES,
    CALENDAR_TYPES,
    DAYS,
    DEFAULT_WINDOWS,
    Config,
    ConfigError,
    parse,
)

#: Default windows as "days HH:MM-HH:MM" (the syntax of --window and the prompts).
PATH_TYPES = {"vcard", "vdir", "csv", "ics"}
URL_TYPES = {"carddav", "caldav"}


@dataclass(frozen=True)
class WindowAnswer:
    name: str
    days: tuple[str, ...]
    start: time
    end: time
    duration_minutes: int


@dataclass(frozen=True)
class Source:
    type: str
    path: str = ""  # a file or folder (vcard, vdir, csv, ics)
    url: str = ""  # carddav, caldav
    username: str = ""
    password_env: str = ""
    password_command: str = ""
    dialect: str = ""  # csv
    write: bool = False  # calendars: netweave writes its events here
    shared: bool = False  # calendars: others (the employer) can see it


@dataclass(frozen=True)
class Answers:
    timezone: str
    name: str = ""
    emails: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    hours_per_week: float = 4.0
    windows: tuple[WindowAnswer, ...] = ()
    addressbooks: tuple[Source, ...] = ()
    calendars: tuple[Source, ...] = ()
    export_path: str = ""


class AnswerError(ValueError):
    """An answer that cannot be used; the message says what is expected."""


# --------------------------------------------------------------------------- parsing answers


def local_timezone() -> str:
    """The machine's IANA zone (``$TZ``, /etc/timezone, /etc/localtime), else America/New_York."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz and "/" in tz:
        return tz
    try:
        text = Path("/etc/timezone").read_text(encoding="utf-8").strip()
        if text:
            return text
    except OSError:
        pass
    try:
        target = os.readlink("/etc/localtime")
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    return "America/New_York"


def _days(text: str) -> tuple[str, ...]:
    """ "tue,wed,thu", "mon-fri", "tue thu" -> ("tue", "wed", "thu")."""
    out: list[str] = []
    for part in re.split(r"[,\s]+", text.strip().lower()):
        if not part:
            continue
        if "-" in part:
            a, _, b = part.partition("-")
            if a not in DAYS or b not in DAYS:
                raise AnswerError(f"unknown day in {part!r}: use {', '.join(DAYS)}")
            i, j = DAYS.index(a), DAYS.index(b)
            if j < i:
                raise AnswerError(f"{part!r}: the range runs backwards")
            out.extend(DAYS[i : j + 1])
        elif part[:3] in DAYS:
            out.append(part[:3])
        else:
            raise AnswerError(f"unknown day {part!r}: use {', '.join(DAYS)}")
    if not out:
        raise AnswerError("no days given")
    return tuple(d for d in DAYS if d in out)


def _clock(text: str) -> time:
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise AnswerError(f'expected a time like "07:30", got {text!r}')
    return time(int(m.group(1)), int(m.group(2)))


def parse_window(name: str, text: str, default_minutes: int | None = None) -> WindowAnswer | None:
    """``"tue,wed,thu 07:30-09:00 [60]"`` -> a window; ``"no"`` -> None (not allowed)."""
    t = text.strip()
    if t.lower() in ("no", "n", "none", "-", "off"):
        return None
    m = re.fullmatch(r"(.+?)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})(?:\s+(\d+)\s*(?:m|min)?)?", t)
    if not m:
        raise AnswerError(
            f"{name}: expected days and hours like 'tue,wed,thu 07:30-09:00' (or 'no'), got {t!r}"
        )
    days, start, end = _days(m.group(1)), _clock(m.group(2)), _clock(m.group(3))
    span = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    if span <= 0:
        raise AnswerError(f"{name}: the end ({end:%H:%M}) must be after the start ({start:%H:%M})")
    minutes = int(m.group(4)) if m.group(4) else min(default_minutes or 60, span)
    if not 5 <= minutes <= span:
        raise AnswerError(f"{name}: a meeting of {minutes} minutes does not fit in {span} minutes")
    return WindowAnswer(name, days, start, end, minutes)


def parse_window_flag(text: str) -> WindowAnswer | None:
    """``--window "breakfast tue,wed,thu 07:30-09:00 60"`` (or ``"evening no"``)."""
    name, _, rest = text.strip().partition(" ")
    if not name or not rest:
        raise AnswerError(f"--window: expected 'NAME DAYS HH:MM-HH:MM [MINUTES]', got {text!r}")
    default = next((w.duration_minutes for w in DEFAULT_WINDOWS if w.name == name), None)
    return parse_window(name, rest, default)


def window_default(name: str) -> str:
    for w in DEFAULT_WINDOWS:
        if w.name == name:
            return f"{','.join(w.days)} {w.start:%H:%M}-{w.end:%H:%M} {w.duration_minutes}"
    return "no"


def where(value: str) -> str:
    """A path as the config should hold it: ~ kept, otherwise absolute (from here)."""
    v = value.strip()
    if v.startswith("~") or v.startswith("$") or os.path.isabs(v):
        return v
    return str(Path(v).resolve())


def parse_source(text: str, kind: str) -> Source:
    """``TYPE:PATH`` (``--addressbook``) or ``TYPE:PATH[:write][:shared]`` (``--calendar``).

    ``google`` needs no path; carddav/caldav take a URL (``caldav:https://host/dav/``).
    """
    types = ADDRESSBOOK_TYPES if kind == "addressbook" else CALENDAR_TYPES
    typ, _, rest = text.strip().partition(":")
    typ = typ.lower()
    if typ not in types:
        raise AnswerError(f"--{kind} {text!r}: the type must be one of {', '.join(types)}")
    write = shared = False
    if kind == "calendar":
        while True:
            low = rest.lower()
            if low.endswith(":write") or low == "write":
                write, rest = True, rest[: -len("write")].rstrip(":")
            elif low.endswith(":shared") or low == "shared":
                shared, rest = True, rest[: -len("shared")].rstrip(":")
            else:
                break
    dialect = ""
    if typ == "csv":
        dialect, sep, path = rest.partition(":")
        if not sep or dialect not in ("linkedin", "google", "outlook", "alumni", "custom"):
            raise AnswerError(
                f"--{kind} {text!r}: csv needs a dialect: csv:linkedin:PATH (or google, outlook)"
            )
        rest = path
    if typ == "google":
        return Source(typ, write=write, shared=shared)
    if not rest:
        what = "URL" if typ in URL_TYPES else "PATH"
        raise AnswerError(f"--{kind} {text!r}: expected {typ}:{what}")
    if typ in URL_TYPES:
        if not re.match(r"https?://", rest):
            raise AnswerError(f"--{kind} {text!r}: expected an http(s) URL after {typ}:")
        return Source(typ, url=rest, write=write, shared=shared)
    return Source(typ, path=where(rest), dialect=dialect, write=write, shared=shared)


# --------------------------------------------------------------------------- rendering


def _q(s: str) -> str:
    """A TOML basic string (JSON escapes are valid TOML)."""
    return json.dumps(s, ensure_ascii=False)


#: Words a goal id leaves out: it names the goal by its content words.
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "within",
    ]
)
SLUG_MAX = 32


def _slug(text: str, taken: set[str]) -> str:
    """A goal id of whole words: the goal's first content words, at most four and
    :data:`SLUG_MAX` characters ("Equity partner at a small firm": equity-partner-small-firm)."""
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOPWORDS]
    kept: list[str] = []
    for w in words[:4]:
        if kept and len("-".join([*kept, w])) > SLUG_MAX:
            break
        kept.append(w[:SLUG_MAX])
    base = "-".join(kept) or "goal"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def render(a: Answers) -> str:
    """The config text for these answers: short, commented, and in the config contract's shape."""
    out: list[str] = [
        "# netweave configuration, written by `netweave init`.",
        "# Every option is documented in config.example.toml. Relative paths are relative to",
        "# this file's folder. Secrets never go in here: use password_env or password_command.",
        "",
        "[owner]",
        f"timezone = {_q(a.timezone)}",
    ]
    if a.name:
        out.append(f"name = {_q(a.name)}")
    if a.emails:
        out.append(f"emails = [{', '.join(_q(x) for x in a.emails)}]")
    taken: set[str] = set()
    for g in a.goals:
        out += ["", "[[goals]]", f"id = {_q(_slug(g, taken))}", f"text = {_q(g)}"]
    for src in a.addressbooks:
        out += ["", "[[addressbooks]]", f"type = {_q(src.type)}"]
        out += _source_lines(src)
        if src.type == "google":
            out.append("# run `netweave auth google` once to authorise")
    for src in a.calendars:
        out += ["", "[[calendars]]", f"type = {_q(src.type)}"]
        out += _source_lines(src)
        out.append(f"write = {str(src.write).lower()}")
        if src.write:
            out.append(
                f"shared = {str(src.shared).lower()}"
                + ("  # others can see it: neutral titles" if src.shared else "")
            )
        if src.type == "google":
            out.append("# run `netweave auth google` once to authorise")
    out += ["", "[budget]", f"hours_per_week = {a.hours_per_week:g}"]
    out.append("# everything planned counts: meetings, travel, buffers, prep and follow-up")
    for w in a.windows:
        out += [
            "",
            "[[windows]]",
            f"name = {_q(w.name)}",
            f"days = [{', '.join(_q(d) for d in w.days)}]",
            f'start = "{w.start:%H:%M}"',
            f'end = "{w.end:%H:%M}"',
            f"duration_minutes = {w.duration_minutes}",
        ]
    if a.export_path:
        out += ["", "[export]", f"path = {_q(a.export_path)}"]
    return "\n".join(out) + "\n"


def _source_lines(src: Source) -> list[str]:
    lines: list[str] = []
    if src.dialect:
        lines.append(f"dialect = {_q(src.dialect)}")
    if src.path:
        lines.append(f"path = {_q(src.path)}")
    if src.url:
        lines.append(f"url = {_q(src.url)}")
    if src.username:
        lines.append(f"username = {_q(src.username)}")
    if src.password_env:
        lines.append(f"password_env = {_q(src.password_env)}")
    if src.password_command:
        lines.append(f"password_command = {_q(src.password_command)}")
    return lines


def validate(text: str, out: Path) -> Config:
    """Parse ``text`` as the config that will live at ``out``; raises :class:`ConfigError`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:  # pragma: no cover - render() writes valid TOML
        raise ConfigError("", f"not valid TOML: {e}") from None
    return parse(data, base=out.resolve().parent, path=out)


def missing_paths(a: Answers) -> list[str]:
    """Files and folders named in the answers that do not exist (yet): worth a warning."""
    out = []
    for src in (*a.addressbooks, *a.calendars):
        if src.path:
            p = Path(os.path.expandvars(os.path.expanduser(src.path)))
            if not p.exists() and not src.write:
                out.append(src.path)
    return out


def write_config(path: Path, text: str, *, force: bool) -> None:
    """Write atomically, mode 0600; never replace an existing file unless ``force``."""
    if path.exists() and not force:
        raise FileExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    try:
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # fails if someone created the file meanwhile: never overwrite
    except FileExistsError:
        raise
    except OSError:  # no hard links on this file system: an exclusive create instead
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        try:
            os.write(fd, text.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
    finally:
        os.unlink(tmp)


def default_windows() -> tuple[WindowAnswer, ...]:
    """The windows the wizard offers (what Enter to every window question gives)."""
    return tuple(
        WindowAnswer(w.name, tuple(w.days), w.start, w.end, w.duration_minutes)
        for w in DEFAULT_WINDOWS
    )


def missing_essentials(a: Answers) -> list[str]:
    """What a config needs before it can plan anything: a goal, an address book, a calendar."""
    out = []
    if not a.goals:
        out.append("a goal (--goal TEXT)")
    if not a.addressbooks:
        out.append("an address book (--addressbook TYPE:PATH)")
    if not a.calendars:
        out.append("a calendar (--calendar TYPE:PATH)")
    return out


def needs_login(a: Answers) -> list[Source]:
    """CardDAV/CalDAV sources without a user name or a way to get the password."""
    return [
        s
        for s in (*a.addressbooks, *a.calendars)
        if s.type in URL_TYPES and (not s.username or not (s.password_env or s.password_command))
    ]


def with_login(a: Answers, user: str, env: str, command: str) -> Answers:
    """The answers with every CardDAV/CalDAV source given this user and password source."""

    def fill(s: Source) -> Source:
        if s.type not in URL_TYPES:
            return s
        return replace(
            s,
            username=s.username or user,
            password_env=s.password_env or ("" if command else env),
            password_command=s.password_command or command,
        )

    return replace(
        a,
        addressbooks=tuple(fill(s) for s in a.addressbooks),
        calendars=tuple(fill(s) for s in a.calendars),
    )


class Hours(click.ParamType):
    """Hours a week, said plainly when the answer is not one."""

    name = "hours"
    low, high = 0.5, 80.0

    def convert(self, value: object, param: click.Parameter | None, ctx: object) -> float:
        if isinstance(value, float | int):
            number = float(value)
        else:
            try:
                number = float(str(value).strip().replace(",", "."))
            except ValueError:
                self.fail(
                    f"{value!r} is not a number of hours: give a number between "
                    f"{self.low:g} and {self.high:g}, like 4 or 2.5",
                    param,
                    None,
                )
        if not self.low <= number <= self.high:
            self.fail(
                f"{number:g} hours a week is out of range: give a number between "
                f"{self.low:g} and {self.high:g}",
                param,
                None,
            )
        return number


def describe_sources(sources: Sequence[Source]) -> str:
    return ", ".join(f"{s.type}:{s.path or s.url or ''}".rstrip(":") for s in sources) or "none"
