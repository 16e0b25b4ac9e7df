"""The Qt model behind the Loops panel: one row per loop.

:class:`LoopsTableModel` shows the loops of one :class:`LoopAnalysis` (name, type, length, delay,
domains, members); member labels and custom loop-label names are read live from the Document, so
a rename shows without a new analysis. Domains say, as ``analyze`` and ``report`` do, whether a
loop stays within CX or EX or crosses between them. The loops stay in the analysis's compact form
and each row's Loop is built when the row is drawn, so a new analysis costs the GUI thread
nothing per row; filters and sorting are :class:`~cld_editor.ui.window.panels.loops_view.LoopsView`.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QWidget

from cld_editor.analysis.loops import Loop
from cld_editor.core.document import Document
from cld_editor.ui.window.message_box import plain_tooltip

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Loop", "Type", "Length", "Delay", "Domains", "Members")
DOMAINS_COLUMN, MEMBERS_COLUMN = 4, 5
#: What the domains of a loop mean (the filter's and the Domains column's tooltip).
DOMAINS_TIP = (
    "CX + EX: the loop crosses between customer (CX) and employee (EX) experience. "
    "CX only: it has CX variables and no EX one; EX only: EX and no CX (variables without "
    "a domain may be on either). Untagged: no variable on it has a domain."
)
TYPE_NAMES = {
    "reinforcing": "Reinforcing",
    "balancing": "Balancing",
    "undetermined": "Undetermined",
}
LoopRole = Qt.ItemDataRole.UserRole + 1


def domains_text(domains: tuple[str, ...]) -> str:
    """A loop's domains as ``analyze`` and ``report`` say them: "CX + EX" for a loop that
    crosses between customer and employee experience, "CX only", "EX only", or "" untagged."""
    tagged = set(domains)
    if {"CX", "EX"} <= tagged:
        return "CX + EX"
    return f"{next(iter(tagged))} only" if len(tagged) == 1 else ""


class LoopsTableModel(QAbstractTableModel):
    """Rows are the loops of one analysis; member labels and custom names are read live."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.loops: Sequence[Loop] = []
        self._custom_names: dict[tuple[str, ...], str] = {}
        self._last: tuple[int, Loop] | None = None  # the row drawn last, built once per row

    def set_loops(self, loops: Sequence[Loop]) -> None:
        self.beginResetModel()
        self.loops = loops
        self._last = None
        self._read_custom_names()
        self.endResetModel()

    def labels_changed(self) -> None:
        """Variable labels or loop-label names changed: repaint names and members."""
        self._read_custom_names()
        if self.loops:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.loops) - 1, len(COLUMNS) - 1)
            )

    def _read_custom_names(self) -> None:
        self._custom_names = {
            lab.loop_key: lab.name for lab in self.document.loop_labels.values() if lab.name
        }

    def display_name(self, loop: Loop) -> str:
        custom = self._custom_names.get(loop.key)
        return f"{custom} ({loop.name})" if custom else loop.name

    def labels_of(self, variable_ids: Sequence[str]) -> list[str]:
        """The labels the Members column shows for these variables (an id where none)."""
        variables = self.document.variables
        return [" ".join(variables[m].label.split()) if m in variables else m for m in variable_ids]

    def member_labels(self, loop: Loop) -> tuple[str, ...]:
        """The loop's members as the Members column names them, in order (what it sorts by)."""
        return tuple(self.labels_of(loop.variables))

    def members_text(self, loop: Loop) -> str:
        names = self.labels_of(loop.variables)
        return " → ".join([*names, names[0]])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.loops)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.ToolTipRole
            and section == DOMAINS_COLUMN
        ):
            return DOMAINS_TIP
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = index.row()
        if self._last is not None and self._last[0] == row:
            loop = self._last[1]
        else:
            loop = self.loops[row]
            self._last = (row, loop)
        column = index.column()
        if role == LoopRole:
            return loop
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                self.display_name(loop),
                TYPE_NAMES[loop.polarity],
                loop.length,
                "delayed" if loop.delayed else "",
                domains_text(loop.domains),
                self.members_text(loop),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == MEMBERS_COLUMN:
            return plain_tooltip(self.members_text(loop))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
