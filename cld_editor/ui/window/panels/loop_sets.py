"""The Loops panel's views of the loops beyond its listing: the "Independent set" check box with
its note, and "Count all loops" for a listing that a limit truncated.

Checked, "Independent set" shows the shortest independent loop set itself, not the rows of the
listing that belong to it: on a model whose listing stopped at a limit, most of the set lies
beyond the listing, and a short list that covers every link is what such a model needs. Loops
the listing holds keep its names; the others are named R*1, B*1, ... as
``cld-editor analyze FILE --sils`` names them.

:class:`LoopCounter` (:mod:`.loop_counter`) counts every loop of a diagram on a worker thread.
:class:`LoopSets` holds the check box, the count button (which reads "Stop counting" while a
count runs) and the lines they add to the panel: the census, and the independent set's size
against the cyclomatic number, saying how many of its loops the listing does not hold and why.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QPushButton, QWidget

from cld_editor.analysis.census import Census
from cld_editor.analysis.graph import Signature, loop_signature
from cld_editor.analysis.lookup import listed_names
from cld_editor.analysis.loops import Loop, LoopAnalysis
from cld_editor.core.document import Document
from cld_editor.core.model import Diagram
from cld_editor.ui.window.mailbox import Mailbox, Post
from cld_editor.ui.window.message_box import plain_tooltip
from cld_editor.ui.window.panels.loop_counter import LoopCounter, census_text
from cld_editor.ui.window.panels.loops_view import LoopsView
from cld_editor.ui.window.panels.wrapped_label import WrappedLabel

COUNT_TEXT = "Count all loops"
STOP_TEXT = "Stop counting"


def independent_set_note(
    size: int, cyclomatic: int, missing: list[Loop], analysis: LoopAnalysis | None
) -> str:
    """What the "Independent set" check box shows: the set's size and the cyclomatic number,
    and how many of its loops the listing does not hold (``missing``), why, and what they are
    called."""
    text = (
        f"Independent set: {size:,} loop{'s' if size != 1 else ''} "
        f"(cyclomatic number {cyclomatic:,})."
    )
    if not missing:
        return text
    n = len(missing)
    verb = "is" if n == 1 else "are"
    reach = analysis.complete_up_to if analysis is not None else None
    if reach and all(loop.length > reach for loop in missing):
        links = "link" if reach == 1 else "links"
        why = f"{n:,} {verb} longer than the listing reaches (all loops of up to {reach} {links})"
    else:
        stopped = (analysis.stopped_by if analysis is not None else None) or "its limit"
        why = f"{n:,} {verb} not in the listing (it stopped at the {stopped})"
    letters = sorted({loop.name.split("*")[0] for loop in missing}, key="RBU".index)
    names = ", ".join(f"{letter}*1" for letter in letters)
    return f"{text} {why}: shown as {names}, … as “cld-editor analyze FILE --sils” names them."


#: Diagrams with at least this many links find their independent set on a worker thread (a
#: 1,200-variable, 2,400-link model takes about 0.4 s); smaller ones at once.
SET_IN_BACKGROUND_FROM = 400


def independent_view(
    diagram: Diagram, analysis: LoopAnalysis, cancelled: Callable[[], bool] | None = None
) -> tuple[list[Loop], str]:
    """The independent set of ``diagram`` named as ``analysis`` names its loops, and the note
    the panel shows with it; ``cancelled`` stops the search (it raises
    :class:`~cld_editor.analysis.sils.SetStopped`)."""
    from cld_editor.analysis.sils import cyclomatic_number, independent_loops, named_as_listed

    chosen = list(independent_loops(diagram, cancelled=cancelled))
    names = listed_names(analysis.loops, frozenset(loop.key for loop in chosen))
    named, _beyond = named_as_listed(chosen, names)
    missing = [loop for loop in named if loop.key not in names]
    note = independent_set_note(len(chosen), cyclomatic_number(diagram), missing, analysis)
    return named, note


class SetFinder(QObject):
    """Finds the independent set on a worker thread, one at a time: a request made while one
    runs waits for it and replaces any request still waiting, and only the newest request's
    result is delivered (``found((loops, note))`` on the GUI thread); ``finding_changed(bool)``
    when a result starts or stops being on its way (Stop Analysis is offered meanwhile)."""

    found = Signal(object)
    finding_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._token = 0
        self._pending: tuple[int, Diagram, LoopAnalysis] | None = None
        self._thread: threading.Thread | None = None
        self._running_token: int | None = None  # the request the thread works on
        self._finding = False
        self._mail = Mailbox(self._on_done, self)  # from the worker: request number, result

    @property
    def busy(self) -> bool:
        return self._thread is not None or self._pending is not None

    @property
    def finding(self) -> bool:
        """A result is on its way: a request waits, or the thread works on the newest one (a
        thread whose result will be dropped is busy, not finding)."""
        return self._finding

    def _sync_finding(self) -> None:
        finding = self._pending is not None or (
            self._thread is not None and self._running_token == self._token
        )
        if finding != self._finding:
            self._finding = finding
            self.finding_changed.emit(finding)

    def request(self, diagram: Diagram, analysis: LoopAnalysis) -> None:
        self._token += 1
        self._pending = (self._token, diagram, analysis)
        if self._thread is None:
            self._start_next()
        self._sync_finding()

    def discard(self) -> None:
        """Drop the results of every request made so far."""
        self._token += 1
        self._pending = None
        self._sync_finding()

    def _start_next(self) -> None:
        if self._pending is None:
            return
        token, diagram, analysis = self._pending
        self._pending = None
        self._running_token = token

        def work(post: Post) -> None:
            try:
                # A request dropped or overtaken stops the search at its next look.
                result: object = independent_view(
                    diagram, analysis, cancelled=lambda: self._token != token
                )
            except Exception as exc:  # shown in the note, never a crash of the thread
                result = exc
            post(token, result)

        self._thread = self._mail.start(work, "cld-editor loop set")

    def _on_done(self, token: int, result: object) -> None:
        if self._thread is not None:
            self._thread.join(timeout=1.0)
        self._thread = None
        self._running_token = None
        self._start_next()
        self._sync_finding()
        if token == self._token:
            self.found.emit(result)


class LoopSets(QObject):
    """The Loops panel's "Independent set" check box and "Count all loops" button: what they
    show goes to ``view`` (the rows), :attr:`census_line` and :attr:`note`; ``changed`` asks
    the panel to refresh its summary; ``busy_changed(bool)`` when a count of all loops or a
    search for the independent set starts or ends (what Loops > Stop Analysis can stop)."""

    changed = Signal()
    loops_changed = Signal()  # what shown_loops() gives changed
    busy_changed = Signal(bool)

    def __init__(self, document: Document, view: LoopsView, parent: QWidget) -> None:
        super().__init__(parent)
        self.document = document
        self.view = view
        self.analysis: LoopAnalysis | None = None
        self.independent: list[Loop] | None = None  # the set as shown, when checked
        self.census_line = ""
        #: The last count of all loops, while the diagram's loops are the ones it counted.
        self.census: Census | None = None
        #: What the loops of the diagram counted ("Count all loops") depend on.
        self._counted_for: Signature | None = None
        #: An edit dropped a count in progress (said until a count starts or all is listed).
        self._count_dropped = False
        self.counter = LoopCounter(self)
        self.finder = SetFinder(self)
        self.finder.found.connect(self._on_set_found)
        self.independent_set = QCheckBox("Independent set")
        self.independent_set.setToolTip(
            plain_tooltip(
                "Show a small set of short loops that together\n"
                "pass through every link that is on a loop."
            )
        )
        self.note = WrappedLabel()
        self.note.setObjectName("independent_set_note")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.hide()
        self.count_button = QPushButton(COUNT_TEXT)
        self.count_button.setObjectName("count_all_loops")
        self.count_button.hide()
        self._set_button_text(False)
        self.independent_set.toggled.connect(self._on_independent_set_toggled)
        self.count_button.clicked.connect(self._on_count_clicked)
        self.counter.counted.connect(self._on_counted)
        self.counter.progressed.connect(self._on_count_progress)
        self.counter.running_changed.connect(self._set_button_text)
        self.counter.running_changed.connect(lambda _running: self._sync_busy())
        self.finder.finding_changed.connect(lambda _finding: self._sync_busy())

    def new_analysis(self, analysis: LoopAnalysis | None) -> None:
        """Before the view shows a new analysis (its rows are recomputed after). A count of all
        loops started or shown stays while the loops it counts are those of the diagram now
        (the loops found so far of a long search come again and again) and the listing is
        still not complete."""
        same = self._counted_for is not None and self._counted_for == loop_signature(
            self.document.diagram
        )
        if not same or analysis is None or analysis.complete:
            if self.counter.running and not same:
                self._count_dropped = True
            self.counter.discard()
            self.census_line = ""
            self.census = None
            self._counted_for = None
            if analysis is None or analysis.complete:
                self._count_dropped = False
            elif self._count_dropped:
                # Said, not silently undone (and said still when the search hands out more
                # loops): the count was of the diagram before the edit.
                self.census_line = "Count of all loops stopped: the diagram changed."
        self.analysis = analysis
        self.count_button.setVisible(analysis is not None and not analysis.complete)
        self._find_independent_set()

    def shown_loops(self) -> Sequence[Loop]:
        """The loops the panel lists: the analysis's, or the independent set when checked."""
        if self.independent is not None:
            return self.independent
        return self.analysis.loops if self.analysis is not None else []

    def counted(self, diagram: Diagram) -> Census | None:
        """The complete count of all loops of ``diagram``, when one was made for the loops it
        has (the reports use it), else None."""
        census = self.census
        if census is None or not census.complete or self._counted_for != loop_signature(diagram):
            return None
        return census

    def count_all_loops(self) -> None:
        """Count every loop of the diagram on a worker thread; the summary line shows it."""
        self.census = None
        self._count_dropped = False
        self.census_line = "Counting all loops…"
        self._counted_for = loop_signature(self.document.diagram)
        self.counter.start(self.document.diagram)
        self.changed.emit()

    def stop_counting(self) -> bool:
        """Stop a count in progress (its partial counts are shown); False when none runs."""
        if not self.counter.running:
            return False
        self.counter.stop()
        return True

    @property
    def busy(self) -> bool:
        """A count of all loops runs, or the independent set is being found on a worker."""
        return self.counter.running or self.finder.finding

    def stop_finding(self) -> bool:
        """Stop the search for the independent set: the box is unchecked and the listing
        shows (the search stops at its next look between breadth-first searches, its result
        dropped). False when none runs."""
        if not self.finder.finding:
            return False
        self.independent_set.setChecked(False)
        return True

    def _sync_busy(self) -> None:
        self.busy_changed.emit(self.busy)

    def detach(self) -> None:
        self.counter.discard()
        self.finder.discard()

    def _on_count_clicked(self) -> None:
        if self.counter.running:
            self.stop_counting()
        else:
            self.count_all_loops()

    def _set_button_text(self, running: bool) -> None:
        self.count_button.setText(STOP_TEXT if running else COUNT_TEXT)
        self.count_button.setToolTip(
            "Stop the count and show the loops counted so far"
            if running
            else "The listing stopped at a limit: count every loop without listing them"
        )

    def _find_independent_set(self) -> None:
        """Show the independent set, when checked: found at once on a small diagram, else on
        a worker thread (the listing shows meanwhile, with a note saying so)."""
        self.independent = None
        if not self.independent_set.isChecked() or self.analysis is None:
            self.finder.discard()
            self.note.hide()
            return
        diagram = self.document.diagram
        self.note.show()
        if len(diagram.links) < SET_IN_BACKGROUND_FROM:
            self.finder.discard()
            self.independent, text = independent_view(diagram, self.analysis)
            self.note.setText(text)
        else:
            self.note.setText("Finding the independent set…")
            self.finder.request(diagram, self.analysis)

    def _on_set_found(self, result: object) -> None:
        if isinstance(result, Exception):
            self.note.setText(f"The independent set could not be found: {result}")
            return
        self.independent, text = result  # type: ignore[misc]
        self.note.setText(text)
        self.loops_changed.emit()
        self.changed.emit()

    def _on_independent_set_toggled(self) -> None:
        self._find_independent_set()
        self.loops_changed.emit()
        self.changed.emit()

    def _on_count_progress(self, found: int) -> None:
        self.census_line = f"Counting all loops: {found:,} so far…"
        self.changed.emit()

    def _on_counted(self, census: Census) -> None:
        labels = {v.id: v.label for v in self.document.diagram.variables}
        self.census = census
        self.census_line = census_text(census, labels)
        self.count_button.setVisible(not census.complete)
        self.changed.emit()
