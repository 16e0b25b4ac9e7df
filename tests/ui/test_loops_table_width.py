"""The Loops table's Members column takes the width the other columns leave, never more (no
sideways scroll to read it), and its tooltip gives the whole member chain."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication
from window_helpers import loops_panel_on

from cld_editor.core.model import Diagram, Link, LoopLabel, Variable
from cld_editor.ui.window.panels.loop_filters import MEMBERS_LEAST, loops_table
from cld_editor.ui.window.panels.loops_model import MEMBERS_COLUMN
from cld_editor.ui.window.panels.loops_panel import LoopsPanel

LABELS = (
    "Employee engagement",
    "Service quality",
    "Customer satisfaction",
    "Customer demand",
    "Workload",
)


def five_loop_ring() -> Diagram:
    """One balancing loop through five long-named variables, named by its loop label (a wide
    Loop column, as in the user's diagram)."""
    variables = [Variable(id=f"v{i}", label=text, x=i * 150, y=0) for i, text in enumerate(LABELS)]
    links = [
        Link(id=f"l{i}", source=f"v{i}", target=f"v{(i + 1) % 5}", polarity="-" if i == 3 else "+")
        for i in range(5)
    ]
    label = LoopLabel(id="n1", loop=[f"v{i}" for i in range(5)], x=0, y=50, name="Workload brake")
    return Diagram(title="Ring", variables=variables, links=links, loop_labels=[label])


@pytest.fixture
def panel(qtbot):
    for _document, _stack, panel in loops_panel_on(qtbot, five_loop_ring()):
        panel.show()
        yield panel


def shown_text(tooltip: str) -> str:
    """What Qt shows for a rich-text tooltip."""
    document = QTextDocument()
    document.setHtml(tooltip)
    return document.toPlainText()


def widths(panel: LoopsPanel) -> tuple[int, int, int]:
    """(the other columns together, the Members column, the view's width)."""
    QApplication.processEvents()
    table = panel.table
    header = table.horizontalHeader()
    others = sum(header.sectionSize(i) for i in range(header.count()) if i != MEMBERS_COLUMN)
    return others, header.sectionSize(MEMBERS_COLUMN), table.viewport().width()


@pytest.mark.parametrize("width", [900, 500, 700])
def test_members_fill_what_the_other_columns_leave(panel, width):
    panel.resize(width, 400)
    others, members, view = widths(panel)
    assert others + members == view
    assert panel.table.horizontalScrollBar().maximum() == 0


def test_narrowing_the_panel_narrows_the_members_column_again(panel):
    # Qt's own stretch kept the last column at its old width once the others filled the view.
    panel.resize(900, 400)
    _, wide, _ = widths(panel)
    panel.resize(560, 400)
    others, members, view = widths(panel)
    assert members < wide
    assert others + members == view


def test_a_view_too_narrow_for_the_other_columns_keeps_a_few_letters_of_members(panel, qtbot):
    table = loops_table(panel.proxy, 20)  # alone: the panel's filters keep it wider
    qtbot.addWidget(table)
    table.show()
    table.resize(260, 200)
    QApplication.processEvents()
    header = table.horizontalHeader()
    others = sum(header.sectionSize(i) for i in range(header.count()) if i != MEMBERS_COLUMN)
    assert others > table.viewport().width()
    least = MEMBERS_LEAST * table.fontMetrics().averageCharWidth()
    assert header.sectionSize(MEMBERS_COLUMN) == least
    table.resize(800, 200)  # and back to the width left when there is room
    QApplication.processEvents()
    assert others + header.sectionSize(MEMBERS_COLUMN) == table.viewport().width()


def test_the_cut_members_cell_elides_and_its_tooltip_gives_the_whole_chain(panel):
    panel.resize(560, 400)
    table = panel.table
    assert table.textElideMode() == Qt.TextElideMode.ElideRight
    index = table.model().index(0, MEMBERS_COLUMN)
    text = str(index.data())
    assert table.fontMetrics().horizontalAdvance(text) > widths(panel)[1]  # it is cut
    tooltip = shown_text(index.data(Qt.ItemDataRole.ToolTipRole))
    assert tooltip == text
    assert all(label in tooltip for label in LABELS)
