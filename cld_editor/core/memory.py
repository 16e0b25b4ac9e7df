"""Pausing Python's cyclic garbage collector around work that allocates many lasting objects.

Reading a large diagram (any format) or building a large loop table makes hundreds of thousands
of objects that are never garbage; the cyclic GC would rescan them again and again. One helper,
shared by every reader.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC for the block (most of a large load's time on 3.11 otherwise).

    Re-enabling alone is not enough: the first allocation afterwards would run a young-generation
    collection over everything the block made (a fifth of the load time for a large file).
    Moving the survivors straight to the oldest generation with ``freeze``/``unfreeze`` costs
    nothing; they are still collected by full collections. Skipped if the program uses
    ``gc.freeze`` itself, since ``unfreeze`` would undo that.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()


def collect_due(thresholds: tuple[int, int, int] | None = None) -> int:
    """Collect the generations whose thresholds were passed, as the automatic collector would
    (the youngest, and older ones when their own counts are due), on the calling thread; the
    number of objects found unreachable. For a program that turned the automatic collector off
    to run it on one thread only (see ``ui/gc_thread.py``)."""
    first, second, third = thresholds or gc.get_threshold()
    young, middle, old = gc.get_count()
    if young < first:
        return 0
    generation = 0
    if middle >= second:
        generation = 2 if third and old >= third else 1
    return gc.collect(generation)
