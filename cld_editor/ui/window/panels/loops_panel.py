"""The Loops panel: every feedback loop of the diagram in a filterable table, plus loop labels.

A table model over the latest :class:`LoopAnalysis` (name, type, length, delay, domains, members),
a filter by loop type, by domains (the loops crossing CX and EX), by "passes through the selected
variables" (the Vensim Loops question) and by "in the shortest independent loop set" (with its size
against the cyclomatic number; the filters stay while the diagram is edited or reverted, and
another diagram shows all its loops: :meth:`LoopsPanel.reset_filters`), and a summary line; when a
limit truncated the listing, "Count all loops" counts them all on a worker thread, and "Stop
counting" (or Loops > Stop Analysis) ends the count with its partial counts. Selecting a row asks
the canvas to highlight that loop (``loop_selected``) and, when the user chose it, to bring it into
view (``loop_chosen``); "Show Loop Label" places a :class:`LoopLabel` where it hides nothing
(inside the loop when there is room), and labels can be renamed and removed, all through Ops pushed
with the ``push`` callable so they are undoable (the label edits themselves, shared with the
canvas's rename, are :mod:`.loop_label_edits`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cld_editor.analysis.lookup import rows_with_key
from cld_editor.analysis.loops import Loop, LoopAnalysis
from cld_editor.core import edits
from cld_editor.core import events as ev
from cld_editor.core.document import Document
from cld_editor.ui.window.panels import loop_filters
from cld_editor.ui.window.panels.loop_details import LoopDetails
from cld_editor.ui.window.panels.loop_label_edits import (
    Push,
    ask_loop_label_name,
    ask_name,
    label_for_loop,
    loop_in_diagram,
    show_loop_label_op,
)
from cld_editor.ui.window.panels.loop_sets import LoopSets
from cld_editor.ui.window.panels.loops_model import LoopRole, LoopsTableModel
from cld_editor.ui.window.panels.loops_view import LoopsView
from cld_editor.ui.window.panels.wrapped_label import WrappedLabel


class LoopsPanel(QWidget):
    """Table of loops with type and through-selection filters, summary line and label actions.

    Signals: ``loop_selected(Loop | None)`` when the highlighted row changes,
    ``loop_chosen(Loop)`` when the user picks a row (show it), ``focus_requested(Loop)`` when a
    row's menu asks for Focus on Loop, ``can_show_label(bool)`` when Show Loop Label turns on
    or off, ``said(str)`` with a line for the status bar (why a label was not placed),
    ``summary_changed()`` when the summary line changed (a new analysis, a count of all loops).
    """

    loop_selected = Signal(object)
    loop_chosen = Signal(object)
    can_show_label = Signal(bool)
    #: "Focus on Loop…" chosen in a row's menu, with that row's loop.
    focus_requested = Signal(object)
    said = Signal(str)
    summary_changed = Signal()

    def __init__(self, document: Document, push: Push, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.push = push
        self.analysis: LoopAnalysis | None = None
        self._selected_variables: list[str] = []
        self._current_key: tuple[str, ...] | None = None
        self._revealing = True  # whether a newly selected row asks to be shown (loop_chosen)

        self.model = LoopsTableModel(document, self)
        self.proxy = LoopsView(self)
        self.proxy.setSourceModel(self.model)
        self.sets = LoopSets(document, self.proxy, self)

        self.type_filter = loop_filters.type_filter()
        self.domain_filter = loop_filters.domain_filter()
        self.through_selection = QCheckBox("Through selection")
        self.through_selection.setToolTip(
            "Show only the loops that pass through every selected variable"
        )
        filters = QHBoxLayout()
        filters.addWidget(self.type_filter, 1)
        filters.addWidget(self.domain_filter, 1)
        filters.addWidget(self.through_selection)
        filters.addWidget(self.sets.independent_set)

        self.table = loop_filters.loops_table(self.proxy, self.fontMetrics().height() + 8)
        self.table.customContextMenuRequested.connect(self._show_context_menu)

        self.summary = WrappedLabel("Looking for loops…")
        self.summary.setObjectName("loops_summary")
        # The member chain of a long loop does not fit a table cell: spell it out here, in a
        # box of bounded height so the table keeps its rows.
        self.details = LoopDetails()
        self.show_label_button = QPushButton("Show Loop Label")
        self.show_label_button.setToolTip("Place a label naming the selected loop on the canvas")
        self.rename_label_button = QPushButton("Rename…")
        self.rename_label_button.setToolTip("Give the selected loop's label a name of its own")
        footer = QHBoxLayout()
        footer.addWidget(self.sets.count_button)
        footer.addStretch(1)
        footer.addWidget(self.show_label_button)
        footer.addWidget(self.rename_label_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.sets.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.summary)
        layout.addLayout(footer)

        # Esc anywhere in the panel (table, filters, buttons) clears the highlight, as it does
        # on the canvas.
        for child in self.findChildren(QWidget):
            child.installEventFilter(self)

        self.type_filter.currentIndexChanged.connect(self._on_type_filter_changed)
        self.domain_filter.currentIndexChanged.connect(self._on_domain_filter_changed)
        self.through_selection.toggled.connect(self._update_through_filter)
        self.sets.changed.connect(self._after_filter)
        self.sets.loops_changed.connect(self._on_shown_loops_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_row_selection_changed)
        # A click on the selected row shows its loop again (after the canvas was scrolled).
        self.table.clicked.connect(lambda _index: self._emit_chosen(self.selected_loop()))
        self.show_label_button.clicked.connect(self.show_label_for_selected)
        self.rename_label_button.clicked.connect(self.rename_label_of_selected)
        document.subscribe(self._on_document_event)
        self._update_buttons()

    def detach(self) -> None:
        """Stop listening to the document (the window is closing)."""
        self.document.unsubscribe(self._on_document_event)
        self.sets.detach()

    # -- inputs ------------------------------------------------------------------------
    def set_analysis(self, analysis: LoopAnalysis | None) -> None:
        """Show a new analysis, keeping the selected loop selected if it still exists."""
        keep = self._current_key
        self.analysis = analysis
        table_selection = self.table.selectionModel()
        table_selection.blockSignals(True)
        self.sets.new_analysis(analysis)
        self.model.set_loops(self.sets.shown_loops())
        table_selection.blockSignals(False)
        self._update_summary()
        self._reselect(keep)

    def _reselect(self, key: tuple[str, ...] | None) -> None:
        """Select the loop with ``key`` again if the table shows it, else none."""
        row = self._row_of_key(key) if key is not None else None
        if row is not None:
            self._select_proxy_row(row)
        else:
            self._set_current(None)

    def _on_shown_loops_changed(self) -> None:
        """The independent set was turned on or off: list what the sets say, keeping the
        selected loop selected when it is in both."""
        keep = self._current_key
        table_selection = self.table.selectionModel()
        table_selection.blockSignals(True)
        self.model.set_loops(self.sets.shown_loops())
        table_selection.blockSignals(False)
        self._reselect(keep)

    def reset_filters(self) -> None:
        """Show every loop: all types, all domains, not only through the selection, the
        listing rather than the independent set. For another diagram (Open, New, Import):
        its loops are not to be hidden behind the filters chosen for the one before."""
        for box in (self.through_selection, self.sets.independent_set):
            box.setChecked(False)
        for combo in (self.type_filter, self.domain_filter):
            combo.setCurrentIndex(0)

    def set_selected_variables(self, variable_ids: list[str]) -> None:
        self._selected_variables = list(variable_ids)
        if self.through_selection.isChecked():
            self._update_through_filter()

    def selected_loop(self) -> Loop | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        loop = self.proxy.data(rows[0], LoopRole)
        return loop if isinstance(loop, Loop) else None

    def visible_loops(self) -> list[Loop]:
        """The loops the table shows, in its order (after filters and sorting)."""
        return [
            self.proxy.data(self.proxy.index(r, 0), LoopRole) for r in range(self.proxy.rowCount())
        ]

    def select_loop(self, name: str) -> bool:
        """Select the row of the loop named ``name`` (R1, ...); False when it is not shown."""
        row = self._shown_row(lambda loop: loop.name == name)
        if row is None:
            return False
        self._select_proxy_row(row)
        return True

    def loop_of_key(self, key: tuple[str, ...]) -> Loop | None:
        """The loop with ``key`` (a loop label's) in the listing, shown or filtered out."""
        rows = rows_with_key(self.model.loops, key)
        return self.model.loops[rows[0]] if rows else None

    def select_loop_key(self, key: tuple[str, ...], reveal: bool = True) -> bool:
        """Select the row of the loop with ``key`` (a loop label's); False when the table does
        not show it. ``reveal``: ask the canvas to bring it into view (``loop_chosen``)."""
        row = self._row_of_key(key)
        if row is None:
            return False
        self._revealing = reveal
        try:
            self._select_proxy_row(row)
        finally:
            self._revealing = True
        return True

    def clear_selection(self) -> None:
        self.table.clearSelection()
        self._set_current(None)

    # -- label actions -------------------------------------------------------------------
    def show_label_for_selected(self) -> str | None:
        """Place a label for the selected loop (if it has none yet); returns the label id."""
        loop = self.selected_loop()
        if loop is None:
            return None
        existing = label_for_loop(self.document, loop)
        if existing is not None:
            return existing.id
        if not self._still_a_loop(loop):
            return None
        op = show_loop_label_op(self.document, loop)
        if op is None or not self.push(op):
            return None
        return edits.added_ids(op, "loop_labels")[0]

    def _still_a_loop(self, loop: Loop) -> bool:
        """False, and says so, when the row's loop is gone from the diagram (edited since the
        listing was found; the new listing is on its way)."""
        if loop_in_diagram(self.document, loop):
            return True
        self.said.emit(
            f"{loop.name} is no longer a loop of the diagram: the loops are being found again"
        )
        return False

    def rename_label_of_selected(self) -> bool:
        loop = self.selected_loop()
        if loop is None:
            return False
        label = label_for_loop(self.document, loop)
        if label is not None:
            return ask_loop_label_name(self, self.document, self.push, label.id, loop.name)
        # No label yet: ask first, so that Cancel leaves the diagram as it was; a name places
        # the label already named, in one undo step.
        if not self._still_a_loop(loop):
            return False
        name = ask_name(self, None, loop.name)
        if name is None:
            return False
        op = show_loop_label_op(self.document, loop, name or None)
        return op is not None and self.push(op)

    def remove_label_of_selected(self) -> bool:
        loop = self.selected_loop()
        label = label_for_loop(self.document, loop) if loop else None
        op = None if label is None else edits.remove_loop_labels(self.document, [label.id])
        return op is not None and self.push(op)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and not event.modifiers()
            and isinstance(watched, QWidget)
            and watched.window() is self.window()  # not a combo box's open list
        ):
            self.clear_selection()
            return True
        return super().eventFilter(watched, event)

    # -- internals -----------------------------------------------------------------------
    def _on_document_event(self, event: ev.Event) -> None:
        if isinstance(
            event,
            ev.VariablesChanged | ev.LoopLabelsAdded | ev.LoopLabelsRemoved | ev.LoopLabelsChanged,
        ):
            self.model.labels_changed()
            self._update_buttons()
            self._update_details(self.selected_loop())

    def _on_domain_filter_changed(self) -> None:
        self.proxy.set_domains(self.domain_filter.currentData())
        self._after_filter()

    def _on_type_filter_changed(self) -> None:
        self.proxy.set_polarity(self.type_filter.currentData())
        self._after_filter()

    def _update_through_filter(self) -> None:
        through = self._selected_variables if self.through_selection.isChecked() else None
        self.proxy.set_through(through)
        self._after_filter()

    def _after_filter(self) -> None:
        self._update_summary()
        if self.selected_loop() is None and self._current_key is not None:
            self._set_current(None)

    def _update_summary(self) -> None:
        if self.analysis is None:
            self.summary.setText("Looking for loops…")
        else:
            text = self.analysis.summary_text()
            shown, total = self.proxy.rowCount(), len(self.analysis.loops)
            if shown != total:
                text += f" — {shown:,} shown"
            if self.sets.census_line:
                text += "\n" + self.sets.census_line
            self.summary.setText(text)
        self.summary_changed.emit()

    def _row_of_key(self, key: tuple[str, ...]) -> int | None:
        """The table row of the loop with ``key``, if the filters show it (found in the compact
        table, without building a Loop per row)."""
        rows = rows_with_key(self.model.loops, key)
        index = self.proxy.mapFromSource(self.model.index(rows[0], 0)) if rows else None
        return index.row() if index is not None and index.isValid() else None

    def _shown_row(self, wanted: Callable[[Loop], bool]) -> int | None:
        """The table row of the first loop ``wanted`` accepts, if the filters show it. Searches
        the plain loop list: asking the proxy row by row is slow with 100,000 loops."""
        for source_row, loop in enumerate(self.model.loops):
            if wanted(loop):
                index = self.proxy.mapFromSource(self.model.index(source_row, 0))
                return index.row() if index.isValid() else None
        return None

    def _select_proxy_row(self, row: int) -> None:
        index = self.proxy.index(row, 0)
        self.table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        self._set_current(self.selected_loop())

    def _on_row_selection_changed(self) -> None:
        self._set_current(self.selected_loop())

    def _set_current(self, loop: Loop | None) -> None:
        before, self._current_key = self._current_key, loop.key if loop else None
        self._update_buttons()
        self._update_details(loop)
        self.loop_selected.emit(loop)
        if loop is not None and loop.key != before:
            if self._revealing:
                self._emit_chosen(loop)  # a new analysis selecting the same loop again is not
            # The details box may have grown: keep the selected row in sight once laid out.
            QTimer.singleShot(0, self, self._scroll_to_selected)

    def _emit_chosen(self, loop: Loop | None) -> None:
        if loop is not None:
            self.loop_chosen.emit(loop)

    def _scroll_to_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.table.scrollTo(rows[0])

    def _update_details(self, loop: Loop | None) -> None:
        if loop is None:
            self.details.show_loop(None)
            return
        self.details.show_loop(loop, self.model.display_name(loop), self.model.members_text(loop))

    def _update_buttons(self) -> None:
        loop = self.selected_loop()
        has_label = loop is not None and label_for_loop(self.document, loop) is not None
        can_show = loop is not None and not has_label
        if can_show != self.show_label_button.isEnabled():
            self.show_label_button.setEnabled(can_show)
            self.can_show_label.emit(can_show)
        self.rename_label_button.setEnabled(loop is not None)

    def _show_context_menu(self, pos) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self._select_proxy_row(index.row())
        loop = self.selected_loop()
        if loop is None:
            return
        has_label = label_for_loop(self.document, loop) is not None
        menu = QMenu(self)
        show = menu.addAction("Show Loop Label", self.show_label_for_selected)
        show.setEnabled(not has_label)
        menu.addAction("Rename label…", self.rename_label_of_selected)
        remove = menu.addAction("Remove label", self.remove_label_of_selected)
        remove.setEnabled(has_label)
        menu.addSeparator()
        menu.addAction("Focus on Loop…", lambda: self.focus_requested.emit(loop))
        menu.addAction("Clear highlight", self.clear_selection)
        menu.exec(self.table.viewport().mapToGlobal(pos))
