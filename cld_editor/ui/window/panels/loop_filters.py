"""The Loops panel's filter boxes and its table, set up once: loop type (R, B, U), domains (the
loops crossing between customer and employee experience, or within one), and a table view
sized for any number of rows (fixed row heights, columns measured on the first rows only) whose
Members column takes the width the other columns leave (:class:`LoopsTable`).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QTableView

from cld_editor.ui.window.panels.loops_model import DOMAINS_TIP, MEMBERS_COLUMN

TYPE_FILTERS = (
    ("All loops", None),
    ("Reinforcing (R)", "reinforcing"),
    ("Balancing (B)", "balancing"),
    ("Undetermined (U)", "undetermined"),
)
#: The domain filter's choices: the loops whose domains are DOMAINS_BY_MASK[mask]
#: (:mod:`cld_editor.analysis.table`).
DOMAIN_FILTERS = (
    ("All domains", None),
    ("CX + EX", 3),
    ("CX only", 1),
    ("EX only", 2),
    ("Untagged", 0),
)


def _combo(name: str, choices: tuple[tuple[str, object], ...], tip: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for text, data in choices:
        combo.addItem(text, data)
    combo.setToolTip(tip)
    # Narrow docks may squeeze the box to a few letters rather than widen the window.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)
    return combo


def type_filter() -> QComboBox:
    return _combo("loop_type_filter", TYPE_FILTERS, "Show loops of one type only")


def domain_filter() -> QComboBox:
    return _combo(
        "loop_domain_filter",
        DOMAIN_FILTERS,
        DOMAINS_TIP,
    )


#: The fewest letters' width the Members column keeps in a narrow view (then it scrolls).
MEMBERS_LEAST = 6


class LoopsTable(QTableView):
    """A table whose last column (Members, the longest text) takes the width the others leave,
    never more: the chain is elided in place (its tooltip and the details under the table give
    it whole) rather than pushed past the right edge behind a sideways scroll bar. Qt's own
    stretch keeps the last section at 100 pixels at least, and at its old width once the other
    columns fill the view, so the width is set here on every resize of the view or a column."""

    def __init__(self) -> None:
        super().__init__()
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setResizeContentsPrecision(50)
        header.sectionResized.connect(self._on_section_resized)

    def setModel(self, model: QAbstractItemModel | None) -> None:  # Qt override
        super().setModel(model)
        header = self.horizontalHeader()  # its sections exist once the model is set
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if header.count() > MEMBERS_COLUMN:
            header.setSectionResizeMode(MEMBERS_COLUMN, QHeaderView.ResizeMode.Fixed)
        self.fit_members()

    def viewportEvent(self, event: QEvent) -> bool:  # Qt override
        if event.type() == QEvent.Type.Resize:
            self.fit_members()
        return super().viewportEvent(event)

    def _on_section_resized(self, section: int, _old: int, _new: int) -> None:
        if section != MEMBERS_COLUMN:
            self.fit_members()

    def fit_members(self) -> None:
        """Give the Members column the width left of the view, or a few letters' width when
        the other columns (nearly) fill it."""
        header = self.horizontalHeader()
        if header.count() <= MEMBERS_COLUMN:
            return
        others = sum(header.sectionSize(i) for i in range(header.count()) if i != MEMBERS_COLUMN)
        least = max(
            header.minimumSectionSize(), MEMBERS_LEAST * self.fontMetrics().averageCharWidth()
        )
        width = max(self.viewport().width() - others, least)
        if header.sectionSize(MEMBERS_COLUMN) != width:
            header.resizeSection(MEMBERS_COLUMN, width)


def loops_table(model: QAbstractItemModel, row_height: int) -> LoopsTable:
    """The table of loops over ``model``, one row selected at a time, in analysis order until
    a column is clicked."""
    table = LoopsTable()
    table.setObjectName("loops_table")
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setSortingEnabled(True)
    table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # analysis order until clicked
    rows = table.verticalHeader()
    rows.hide()
    # Fixed row heights and sizing columns on the first rows only: with 100,000 loops,
    # measuring every row would stall the window for seconds on each new analysis.
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(row_height)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    return table
