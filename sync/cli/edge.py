"""The edge of the program: one place maps every error to a message that says what to do next
and an exit code (0 done, 1 partial, 2 bad config or usage). Tracebacks only with ``-v``."""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence

import click

from sync.cli.common import EXIT_PARTIAL, EXIT_USAGE, cli, err
from sync.config import ConfigError


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: one place maps every error to a message and an exit code."""
    from sync.engine import LockBusy
    from sync.sources.base import AuthError, SourceError

    verbose = any(a in ("-v", "-vv", "--verbose") for a in (argv or sys.argv[1:]))
    # A run builds tens of thousands of small objects that live until it ends; the default
    # collector thresholds make it scan them over and over (~15% of a no-change resync).
    gc.set_threshold(50_000, 20, 100)
    try:
        cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="netweave",
            standalone_mode=False,
        )
    except click.exceptions.Abort:
        err("aborted")
        sys.exit(EXIT_PARTIAL)
    except click.ClickException as e:
        e.show()
        sys.exit(EXIT_USAGE)
    except ConfigError as e:
        err(f"config error: {e}")
        sys.exit(EXIT_USAGE)
    except LockBusy as e:
        err(str(e))
        sys.exit(EXIT_PARTIAL)
    except AuthError as e:
        err(f"not authorised: {e}")
        sys.exit(EXIT_PARTIAL)
    except SourceError as e:
        err(f"error: {e}")
        sys.exit(EXIT_PARTIAL)
    except OSError as e:
        if verbose:
            raise
        err(f"error: {e.strerror or e}: {e.filename or ''}".rstrip(": "))
        sys.exit(EXIT_PARTIAL)
    except KeyboardInterrupt:
        err("interrupted")
        sys.exit(130)
    except Exception as e:  # the edge: no traceback reaches a user without -v
        if verbose:
            raise
        err(f"internal error: {type(e).__name__}: {e}. Run again with -v and report it.")
        sys.exit(EXIT_PARTIAL)
