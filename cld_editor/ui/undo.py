"""The one QUndoCommand of the editor: it applies a core Op to the Document and keeps its inverse.

Every edit made in the GUI goes through :func:`push_op` (or ``DiagramScene.push``): the op is
applied once to find out whether it fits the document (an ``OpError`` means nothing changed and
nothing is pushed), then the command is pushed already applied, so QUndoStack's initial
``redo()`` call does not apply it a second time. Commands with the same ``merge_key`` merge
(arrow-key nudges) through ``UpdateRecords.merged_with``.
"""

from __future__ import annotations

import zlib

from PySide6.QtGui import QUndoCommand, QUndoStack

from cld_editor.core.document import Document, OpError
from cld_editor.core.ops import Op, UpdateRecords


class OpCommand(QUndoCommand):
    """Applies ``op`` on redo and its inverse on undo; ``text()`` is the op's name."""

    def __init__(
        self,
        document: Document,
        op: Op,
        merge_key: str | None = None,
        *,
        applied_inverse: Op | None = None,
    ) -> None:
        super().__init__(op.name)
        self.document = document
        self.op = op
        self.merge_key = merge_key
        # When push_op has applied the op already, the first redo (done by QUndoStack.push)
        # must not apply it again.
        self._inverse: Op | None = applied_inverse
        self._skip_first_redo = applied_inverse is not None

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self._inverse = self.document.apply(self.op)

    def undo(self) -> None:
        assert self._inverse is not None, "undo before redo"
        self.op = self.document.apply(self._inverse)

    def id(self) -> int:
        if self.merge_key is None:
            return -1
        # QUndoCommand ids are ints; a stable hash of the key keeps equal keys equal.
        return zlib.crc32(self.merge_key.encode()) & 0x3FFFFFFF

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, OpCommand) or other.merge_key != self.merge_key:
            return False
        if not (
            isinstance(self.op, UpdateRecords)
            and isinstance(other.op, UpdateRecords)
            and isinstance(self._inverse, UpdateRecords)
            and isinstance(other._inverse, UpdateRecords)
            and self.op.table == other.op.table
        ):
            return False
        self.op = self.op.merged_with(other.op)
        # Undoing the pair means undoing ``other`` then ``self``: the later inverse first, then
        # ours, so for a field both touched our (older) value wins.
        self._inverse = other._inverse.merged_with(self._inverse)
        return True


def push_op(stack: QUndoStack, document: Document, op: Op, merge_key: str | None = None) -> bool:
    """Apply ``op`` and push it as one undo step; False (and no change) if the op is refused."""
    try:
        inverse = document.apply(op)
    except OpError:
        return False
    stack.push(OpCommand(document, op, merge_key, applied_inverse=inverse))
    return True
