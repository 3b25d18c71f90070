"""Where netweave's files live: the config file and the state database, each overridable by an
environment variable, else in the platform's config and state folders.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from pathlib import Path

import platformdirs

APP = "netweave"


def default_path() -> Path:
    env = os.environ.get("NETWEAVE_CONFIG")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def default_state_path() -> Path:
    env = os.environ.get("NETWEAVE_STATE")
    if env:
        return Path(env)
    return Path(platformdirs.user_state_dir(APP)) / "state.sqlite"


def state_path_for(config_path: Path | None) -> Path:
    """The default state file of one config, so that two configs never share (and count) each
    other's events.

    The config at the default location (or none) keeps ``state.sqlite``; any other config gets
    ``state-<file name>-<hash of its full path>.sqlite`` beside it. A state file shared before
    per-config files existed stays in use by a config that already relied on it: when the
    config's own file does not exist yet but ``state.sqlite`` does and records this config (or
    records none, as files made before this rule do), that file is kept.
    """
    env = os.environ.get("NETWEAVE_STATE")
    if env:
        return Path(env)
    shared = Path(platformdirs.user_state_dir(APP)) / "state.sqlite"
    if config_path is None:
        return shared
    full = config_path.expanduser().resolve()
    if full == default_path().expanduser().resolve():
        return shared
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", full.stem).strip("-")[:40] or "config"
    digest = hashlib.sha256(str(full).encode()).hexdigest()[:10]
    own = shared.with_name(f"state-{slug}-{digest}.sqlite")
    if not own.exists() and shared.exists() and _claims(shared, full):
        return shared
    return own


#: The file beside a state database that names the config it belongs to.
OWNER_SUFFIX = ".config-path"


def _claims(state: Path, config_path: Path) -> bool:
    """Whether the shared state file belongs to ``config_path`` (or to no config recorded)."""
    try:
        recorded = state.with_suffix(OWNER_SUFFIX).read_text(encoding="utf-8").strip()
    except OSError:
        return True  # made before configs were recorded: the config that used it keeps it
    return recorded == str(config_path)


def record_owner(state: Path, config_path: Path | None) -> None:
    """Note beside a state file which config it belongs to (the first one to write it)."""
    marker = state.with_suffix(OWNER_SUFFIX)
    if config_path is None or marker.exists():
        return
    text = str(config_path.expanduser().resolve()) + "\n"
    with contextlib.suppress(OSError):  # a note for later runs; the sync does not depend on it
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # private, as the state
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)


def example_path() -> Path:
    """The bundled example config (for docs and tests)."""
    return Path(__file__).resolve().parent.parent.parent / "config.example.toml"
