"""Memory helpers for the few requests that build tens of thousands of short-lived objects."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block.

    Loading thousands of model instances triggers collections that walk every live object again
    and again: rendering the 5,000-booking studio feed spent about half its time there. Nothing
    the block makes needs the cycle collector to be freed (reference counting does it), and the
    collector runs as usual once the block ends. The switch is process-wide: with threaded
    workers, other requests run without it for that time too (harmless, for well under a second).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
