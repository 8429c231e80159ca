"""How a serving process keeps its memory, once it has loaded everything.

What is loaded by then lives as long as the process: frozen, the garbage
collector's full collections need not walk through it each time. And a page of
a large workspace builds tens of thousands of objects (its figures, its rows):
with Python's default of a young collection every 700 new objects it would
walk them some hundred times in one request; every 50,000, a few times.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_OBJECTS = 50_000


def settle() -> None:
    """Freeze what is loaded and collect the young generation less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])


@contextmanager
def settled() -> Iterator[None]:
    """As the server runs (``settle``), for a benchmark; as before afterwards."""
    threshold = gc.get_threshold()
    settle()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
