"""A plain-Python undo/redo history over a Document, for scripts, the command line and tests.

The GUI uses a QUndoStack instead (see ``cld_editor.ui.undo``); both push the same Ops, so what
is tested here is what the editor does.
"""

from __future__ import annotations

from .document import Document
from .ops import Op


class History:
    """Linear undo/redo: pushing after an undo drops the redo branch."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._undo: list[tuple[str, Op]] = []
        self._redo: list[tuple[str, Op]] = []
        self._clean_index: int | None = 0

    def push(self, op: Op) -> None:
        """Apply ``op``; on OpError nothing changes and the history is as before."""
        inverse = self.doc.apply(op)
        self._undo.append((op.name, inverse))
        if self._clean_index is not None and self._clean_index > len(self._undo) - 1:
            self._clean_index = None
        self._redo.clear()

    def undo(self) -> str:
        """Undo the last step; returns its name. IndexError when there is nothing to undo.

        The step leaves the undo list only once its inverse applied, so a failure (which
        would be a bug) keeps the history consistent with the document.
        """
        name, inverse = self._undo[-1]
        redo_op = self.doc.apply(inverse)
        self._undo.pop()
        self._redo.append((name, redo_op))
        return name

    def redo(self) -> str:
        """Redo the last undone step; returns its name. IndexError when there is none."""
        name, op = self._redo[-1]
        undo_op = self.doc.apply(op)
        self._redo.pop()
        self._undo.append((name, undo_op))
        return name

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_name(self) -> str | None:
        return self._undo[-1][0] if self._undo else None

    @property
    def redo_name(self) -> str | None:
        return self._redo[-1][0] if self._redo else None

    def set_clean(self) -> None:
        """Mark the current state as saved."""
        self._clean_index = len(self._undo)

    @property
    def is_clean(self) -> bool:
        return self._clean_index == len(self._undo)
