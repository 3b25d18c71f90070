"""The garbage collector paused while a reader builds many small objects that form no cycles
(vCards read, cache rows decoded): with its default thresholds the collector would walk them
hundreds of times (a quarter to a third of the reading time)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector off inside the block, and back as it was after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
