"""Where netweave's files live: the config file and the state database, each overridable by an
environment variable, else in the platform's config and state folders.
"""

from __future__ import annotations

import os
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


def example_path() -> Path:
    """The bundled example config (for docs and tests)."""
    return Path(__file__).resolve().parent.parent.parent / "config.example.toml"
