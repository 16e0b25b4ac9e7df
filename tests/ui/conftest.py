"""UI test setup: no undo stack full of commands is left for Python's cyclic garbage collector.

A QUndoStack without a QObject parent belongs to Python; when the cycle collector frees one
that still holds OpCommands, after it already freed some of their Python halves, PySide6 6.11
crashes inside ``QUndoStack::clear`` (the editor's own stack has the window as its parent and
is cleared when the window shuts down). Tests make such stacks freely, so before each test, and
once more at the end, every stack that has no parent is emptied while all it refers to is alive.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtGui import QUndoStack


def clear_orphan_undo_stacks() -> int:
    """Empty every live, parentless QUndoStack that still holds commands; how many."""
    cleared = 0
    for wrapper in shiboken6.getAllValidWrappers():
        if isinstance(wrapper, QUndoStack) and wrapper.parent() is None and wrapper.count():
            wrapper.clear()
            cleared += 1
    return cleared


@pytest.fixture(autouse=True, scope="session")
def _undo_stacks_cleared_at_the_end() -> Iterator[None]:
    yield
    clear_orphan_undo_stacks()


@pytest.fixture(autouse=True)
def _undo_stacks_of_earlier_tests_cleared() -> None:
    clear_orphan_undo_stacks()
