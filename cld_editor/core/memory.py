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
