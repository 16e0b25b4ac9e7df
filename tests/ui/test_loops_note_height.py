"""The Loops panel's "Independent set" note shows all of its lines, whatever its length and the
panel's width, from the moment its text changes (a big diagram's note stood one line high:
"... 1,177 are longer than" and the rest hidden), and gives the room back when it gets short."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QLabel, QTextEdit, QVBoxLayout, QWidget

from cld_editor.analysis.loops import Budget, find_loops
from cld_editor.core.document import Document
from cld_editor.core.model import Diagram
from cld_editor.ui.undo import push_op
from cld_editor.ui.window.panels.loop_sets import SET_IN_BACKGROUND_FROM
from cld_editor.ui.window.panels.loops_panel import LoopsPanel
from cld_editor.ui.window.panels.wrapped_label import WrappedLabel
from tests.ui.test_loops_view import dense

LONG = (
    "Independent set: 8,682 loops (cyclomatic number 8,682). 1,177 are longer than the "
    "listing reaches (all loops of up to 9 links): shown as R*1, B*1, … as "
    "“cld-editor analyze FILE --sils” names them."
)


def shown_panel(qtbot, diagram: Diagram, budget: Budget, width: int = 420) -> LoopsPanel:
    document = Document(diagram)
    stack = QUndoStack()
    panel = LoopsPanel(document, lambda op: push_op(stack, document, op))
    panel._stack = stack  # keep it alive with the panel
    qtbot.addWidget(panel)
    panel.resize(width, 520)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_analysis(find_loops(diagram, budget))
    return panel


def whole(panel: LoopsPanel) -> bool:
    """The note is as tall as its text at its width, and the table starts below it."""
    note = panel.sets.note
    return (
        note.height() >= note.heightForWidth(note.width())
        and note.geometry().bottom() < panel.table.geometry().top()
    )


def one_line(label: QLabel) -> int:
    """The height of one line of text in ``label``'s font."""
    probe = QLabel("Short.")
    probe.setFont(label.font())
    probe.setWordWrap(True)
    return probe.heightForWidth(1000)


def test_the_whole_note_shows_the_moment_a_big_diagrams_set_is_found(qtbot) -> None:
    diagram = dense(21)
    assert len(diagram.links) >= SET_IN_BACKGROUND_FROM  # found on the worker thread
    panel = shown_panel(qtbot, diagram, Budget(max_loops=20))
    note = panel.sets.note
    seen: list[tuple[str, bool]] = []
    panel.sets.changed.connect(lambda: seen.append((note.text(), whole(panel))))
    panel.sets.independent_set.setChecked(True)
    assert note.text() == "Finding the independent set…"
    qtbot.waitUntil(lambda: panel.sets.independent is not None, timeout=20000)
    text, was_whole = seen[-1]
    assert "are longer than the listing reaches" in text
    assert note.heightForWidth(note.width()) >= 2 * one_line(note)  # it wraps at this width
    assert was_whole  # when the set arrived, not only after the panel's next layout pass


def test_the_note_is_whole_when_the_panel_is_at_its_smallest(qtbot) -> None:
    panel = shown_panel(qtbot, dense(6), Budget(max_loops=20))
    panel.sets.independent_set.setChecked(True)
    note = panel.sets.note
    assert "are longer than the listing reaches" in note.text()
    for width in (420, 340, 600):
        panel.resize(width, 60)  # as short as it goes: its minimum height holds
        qtbot.wait(20)
        assert panel.width() == max(width, panel.minimumSizeHint().width())
        assert note.heightForWidth(note.width()) >= 2 * one_line(note)
        assert whole(panel), width


def test_the_note_gives_its_room_back(qtbot) -> None:
    diagram = dense(6)
    panel = shown_panel(qtbot, diagram, Budget(max_loops=20), width=300)
    panel.sets.independent_set.setChecked(True)
    note = panel.sets.note
    QApplication.processEvents()
    tall = note.height()
    assert tall >= 3 * one_line(note) and whole(panel)
    panel.set_analysis(find_loops(diagram, Budget.no_limits()))  # nothing beyond the listing
    assert note.text() == "Independent set: 25 loops (cyclomatic number 25)."
    QApplication.processEvents()
    assert note.height() < tall and whole(panel)
    assert note.height() == note.heightForWidth(note.width())


def test_a_wrapped_label_follows_its_text_and_width(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    column = QVBoxLayout(host)
    label = WrappedLabel("Short.")
    below = QTextEdit()
    column.addWidget(label)
    column.addWidget(below, 1)
    host.resize(320, 300)
    host.show()
    qtbot.waitExposed(host)
    short = label.height()
    assert short == one_line(label)
    label.setText(LONG)
    # At once, not on the next layout pass: the text edit below moved down.
    assert label.height() == label.heightForWidth(label.width()) >= 3 * short
    assert label.geometry().bottom() < below.geometry().top()
    assert host.minimumSizeHint().height() >= label.height()
    host.resize(180, 300)  # narrower: more lines
    qtbot.waitUntil(lambda: label.width() < 180)
    QApplication.processEvents()
    assert label.height() == label.heightForWidth(label.width())
    assert label.geometry().bottom() < below.geometry().top()
    label.setText("Short.")
    assert label.height() == short


def test_the_summary_line_is_whole_when_the_panel_is_at_its_smallest(qtbot) -> None:
    """The line under the table wraps too: a stopped count of all loops takes four lines."""
    panel = shown_panel(qtbot, dense(6), Budget(max_loops=20))
    census = (
        "Count stopped at its time limit: at least 1,234,567 loops (600,000 reinforcing, "
        "634,567 balancing). These are every loop through the first 1,234 of 3,000 variables "
        "and some through 'Variable 1234': lower bounds, and not representative of the "
        "diagram by length or type."
    )
    panel.sets.census_line = census
    panel.sets.changed.emit()
    summary = panel.summary
    assert census in summary.text()
    panel.resize(420, 60)
    qtbot.wait(20)
    assert summary.heightForWidth(summary.width()) >= 4 * one_line(summary)
    assert summary.height() >= summary.heightForWidth(summary.width())
    assert summary.geometry().top() > panel.table.geometry().bottom()
