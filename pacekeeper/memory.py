"""Building many small objects at once, without the cyclic garbage collector
walking them again and again as they are made.

Python collects its youngest objects every 700 new ones: a computation that
makes tens of thousands of small values (the rows of a large workspace, the
figures worked out of them) is walked by it dozens of times while it runs,
for nothing when those values form no reference cycles. ``collection_deferred``
holds the collector off while such a computation runs; it collects as usual
afterwards. The collector is the process's: while any thread is inside, every
thread's collections wait, for those few milliseconds.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_inside = 0
_was_enabled = True


@contextmanager
def collection_deferred() -> Iterator[None]:
    global _inside, _was_enabled
    with _lock:
        if _inside == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0 and _was_enabled:
                gc.enable()
