"""The Loops panel's filter boxes and its table, set up once: loop type (R, B, U), domains (the
loops crossing between customer and employee experience, or within one), and a table view
sized for any number of rows (fixed row heights, columns measured on the first rows only).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
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


def loops_table(model: QAbstractItemModel, row_height: int) -> QTableView:
    """The table of loops over ``model``, one row selected at a time, in analysis order until
    a column is clicked."""
    table = QTableView()
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
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setResizeContentsPrecision(50)
    header.setSectionResizeMode(MEMBERS_COLUMN, QHeaderView.ResizeMode.Stretch)
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    return table
