"""The Properties panel: edit what is selected (variables, links, a loop label) or the diagram.

The panel shows one group per kind of record in the selection: a variable's label, domain and
notes; a link's polarity and delay; a loop label's name, and which loop it names (its current name,
type and members, read-only, from the latest analysis); the diagram's title and description when
nothing is selected. Several selected variables or links share the fields that make sense for many
(domain, polarity, delay). Each field commits once, when the edit is finished (Enter or leaving the
field), as one Op pushed with the ``push`` callable, so one field edit is one undo step. Document
events refresh the fields (undo shows at once) without echoing back an edit. A variable name
another variable holds is refused, as on the canvas: ``said`` carries the reason for the status
bar, and after Enter the field keeps the name, selected, to be corrected (leaving the field puts
the variable's name back).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from cld_editor.analysis.loops import Loop
from cld_editor.core import edits, names
from cld_editor.core import events as ev
from cld_editor.core.document import Document
from cld_editor.core.ops import Op
from cld_editor.core.text import one_line, plural
from cld_editor.ui.canvas.label_editing import rename_op
from cld_editor.ui.window.panels.fields import (
    MIXED,
    FocusOutCommitter,
    LabelEdit,
    set_combo,
    set_line,
    set_text,
)
from cld_editor.ui.window.panels.loop_details import loop_facts
from cld_editor.ui.window.panels.loop_label_edits import rename_loop_label_op

Push = Callable[[Op], bool]
DOMAIN_CHOICES = (("Customer (CX)", "CX"), ("Employee (EX)", "EX"), ("None", None))
POLARITY_CHOICES = (("+  same direction", "+"), ("−  opposite direction", "-"), ("?  unknown", "?"))


def _one_value(values: Iterable[object]) -> tuple[bool, object]:
    """(True, value) when all values are equal, else (False, None)."""
    distinct = list(dict.fromkeys(values))
    return (True, distinct[0]) if len(distinct) == 1 else (False, None)


class PropertiesPanel(QWidget):
    """Fields for the selected records; every change is one undoable Op. ``said(str)``: a line
    for the status bar (why a name was refused)."""

    said = Signal(str)

    def __init__(self, document: Document, push: Push, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.push = push
        self.variable_ids: list[str] = []
        self.link_ids: list[str] = []
        self.label_ids: list[str] = []
        self._refreshing = False
        self._find_loop: Callable[[tuple[str, ...]], Loop | None] = lambda _key: None

        self.heading = QLabel()
        self.heading.setObjectName("properties_heading")
        self.heading.setWordWrap(True)

        # Variable group
        self.variable_label = LabelEdit()
        self.variable_label.setObjectName("variable_label")
        self.variable_label.setPlaceholderText("Variable name (Shift+Enter: new line)")
        self.variable_domain = QComboBox()
        self.variable_domain.setObjectName("variable_domain")
        for text, domain in DOMAIN_CHOICES:
            self.variable_domain.addItem(text, domain)
        self.variable_domain.setToolTip("Customer (C), employee (E) or neither (N)")
        self.variable_notes = QPlainTextEdit()
        self.variable_notes.setObjectName("variable_notes")
        self.variable_notes.setPlaceholderText("Notes: evidence, measures, owner…")
        self.variable_notes.setTabChangesFocus(True)
        self.variable_group = QGroupBox("Variable")
        form = QFormLayout(self.variable_group)
        form.addRow("Label", self.variable_label)
        form.addRow("Domain", self.variable_domain)
        form.addRow("Notes", self.variable_notes)

        # Link group
        self.link_ends = QLabel()
        self.link_ends.setTextFormat(Qt.TextFormat.PlainText)  # it quotes two labels
        self.link_ends.setWordWrap(True)
        self.link_polarity = QComboBox()
        self.link_polarity.setObjectName("link_polarity")
        for text, polarity in POLARITY_CHOICES:
            self.link_polarity.addItem(text, polarity)
        self.link_polarity.setToolTip("Polarity: keys +, - and ? on the canvas")
        self.link_delay = QCheckBox("Delayed")
        self.link_delay.setObjectName("link_delay")
        self.link_delay.setToolTip("The effect takes noticeable time (key D on the canvas)")
        self.link_group = QGroupBox("Link")
        form = QFormLayout(self.link_group)
        form.addRow(self.link_ends)
        form.addRow("Polarity", self.link_polarity)
        form.addRow("", self.link_delay)

        # Loop label group
        self.label_name = QLineEdit()
        self.label_name.setObjectName("loop_label_name")
        self.label_name.setPlaceholderText("The loop's own name (R1, B2…)")
        self.label_group = QGroupBox("Loop label")
        form = QFormLayout(self.label_group)
        form.addRow("Name", self.label_name)
        self.label_loop = QLabel()
        self.label_loop.setObjectName("loop_label_loop")
        self.label_loop.setWordWrap(True)
        self.label_members = QLabel()
        self.label_members.setObjectName("loop_label_members")
        self.label_members.setWordWrap(True)
        self.label_members.setTextFormat(Qt.TextFormat.PlainText)
        self.label_members.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Loop", self.label_loop)
        form.addRow("Members", self.label_members)

        # Diagram group
        self.diagram_title = QLineEdit()
        self.diagram_title.setObjectName("diagram_title")
        self.diagram_description = QPlainTextEdit()
        self.diagram_description.setObjectName("diagram_description")
        self.diagram_description.setTabChangesFocus(True)
        self.diagram_counts = QLabel()
        self.diagram_group = QGroupBox("Diagram")
        form = QFormLayout(self.diagram_group)
        form.addRow("Title", self.diagram_title)
        form.addRow("Description", self.diagram_description)
        form.addRow(self.diagram_counts)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(4, 4, 4, 4)
        for widget in (
            self.heading,
            self.variable_group,
            self.link_group,
            self.label_group,
            self.diagram_group,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        # Commit on finished edits only: one field edit is one undo step.
        # Enter finishes with the keyboard still in the field; leaving it, without.
        self.variable_label.editingFinished.connect(
            lambda: self._commit_variable_label(self.variable_label.hasFocus())
        )
        self.variable_domain.activated.connect(self._commit_domain)
        FocusOutCommitter(self.variable_notes, self._commit_notes)
        self.link_polarity.activated.connect(self._commit_polarity)
        self.link_delay.clicked.connect(self._commit_delay)
        self.label_name.editingFinished.connect(self._commit_label_name)
        self.diagram_title.editingFinished.connect(self._commit_title)
        FocusOutCommitter(self.diagram_description, self._commit_description)

        document.subscribe(self._on_document_event)
        self.refresh()

    def detach(self) -> None:
        """Stop listening to the document (the window is closing): a name left in the Label
        field is no longer committed (nor refused to a status bar that may be gone)."""
        self.document.unsubscribe(self._on_document_event)
        self.variable_ids = []

    # -- inputs --------------------------------------------------------------------------
    def set_selection(
        self,
        variable_ids: Iterable[str] = (),
        link_ids: Iterable[str] = (),
        label_ids: Iterable[str] = (),
    ) -> None:
        # Leaving a half-edited notes field by selecting something else still saves it.
        self.commit_pending()
        self.variable_ids = list(variable_ids)
        self.link_ids = list(link_ids)
        self.label_ids = list(label_ids)
        self.refresh()

    def set_loop_finder(self, find: Callable[[tuple[str, ...]], Loop | None]) -> None:
        """How to find the loop a label names (by its key) in the latest analysis."""
        self._find_loop = find
        self._refresh_label_loop()

    def loops_changed(self) -> None:
        """A new analysis: a selected loop label's loop may have a new name."""
        self._refresh_label_loop()

    def commit_pending(self) -> None:
        """Commit fields whose edits are not finished yet (before the selection changes)."""
        self._commit_variable_label()
        self._commit_notes()
        self._commit_label_name()
        self._commit_title()
        self._commit_description()

    def refresh(self) -> None:
        """Show the document's current values for the selection."""
        doc = self.document
        self.variable_ids = [i for i in self.variable_ids if i in doc.variables]
        self.link_ids = [i for i in self.link_ids if i in doc.links]
        self.label_ids = [i for i in self.label_ids if i in doc.loop_labels]
        self._refreshing = True
        try:
            self._refresh_variables()
            self._refresh_links()
            self._refresh_label()
            self._refresh_diagram()
        finally:
            self._refreshing = False

    # -- refreshing ----------------------------------------------------------------------
    def _refresh_variables(self) -> None:
        variables = [self.document.variables[i] for i in self.variable_ids]
        self.variable_group.setVisible(bool(variables))
        if not variables:
            return
        single = len(variables) == 1
        self.variable_group.setTitle("Variable" if single else f"{len(variables)} variables")
        set_line(self.variable_label, variables[0].label if single else "")
        self.variable_label.setEnabled(single)
        self.variable_notes.setEnabled(single)
        set_text(self.variable_notes, variables[0].notes if single else "")
        same, domain = _one_value(v.domain for v in variables)
        set_combo(self.variable_domain, domain if same else MIXED)

    def _refresh_links(self) -> None:
        links = [self.document.links[i] for i in self.link_ids]
        self.link_group.setVisible(bool(links))
        if not links:
            return
        if len(links) == 1:
            link = links[0]
            source = self.document.variables[link.source].label
            target = self.document.variables[link.target].label
            self.link_group.setTitle("Link")
            self.link_ends.setText(f"{one_line(source)} → {one_line(target)}")
        else:
            self.link_group.setTitle(f"{len(links)} links")
            self.link_ends.setText("")
        self.link_ends.setVisible(len(links) == 1)
        same, polarity = _one_value(link.polarity for link in links)
        set_combo(self.link_polarity, polarity if same else MIXED)
        same, delay = _one_value(link.delay for link in links)
        self.link_delay.setTristate(not same)
        self.link_delay.setCheckState(
            Qt.CheckState.PartiallyChecked
            if not same
            else Qt.CheckState.Checked
            if delay
            else Qt.CheckState.Unchecked
        )

    def _refresh_label(self) -> None:
        single = len(self.label_ids) == 1
        self.label_group.setVisible(single)
        if single:
            set_line(self.label_name, self.document.loop_labels[self.label_ids[0]].name or "")
        self._refresh_label_loop()

    def _refresh_label_loop(self) -> None:
        """Which loop the one selected label names: "R3 (reinforcing, 5 links, CX + EX)" and
        its members in the order the loop runs."""
        if len(self.label_ids) != 1 or self.label_ids[0] not in self.document.loop_labels:
            return
        key = self.document.loop_labels[self.label_ids[0]].loop_key
        loop = self._find_loop(key)
        if loop is None:
            self.label_loop.setText("Not among the loops listed now")
            members = list(key)
        else:
            self.label_loop.setText(f"{loop.name} ({loop_facts(loop)})")
            members = list(loop.variables)
        variables = self.document.variables
        names = [" ".join(variables[m].label.split()) if m in variables else m for m in members]
        self.label_members.setText(" → ".join([*names, names[0]]) if names else "")

    def _refresh_diagram(self) -> None:
        nothing = not (self.variable_ids or self.link_ids or self.label_ids)
        self.diagram_group.setVisible(nothing)
        self.heading.setVisible(nothing)
        self.heading.setText("Nothing selected: these are the diagram's properties.")
        if not nothing:
            return
        doc = self.document
        set_line(self.diagram_title, doc.title)
        set_text(self.diagram_description, doc.description)
        self.diagram_counts.setText(
            f"{plural(len(doc.variables), 'variable')}, {plural(len(doc.links), 'link')}, "
            f"{plural(len(doc.loop_labels), 'loop label')}"
        )

    # -- committing ----------------------------------------------------------------------
    def _push(self, op: Op | None) -> None:
        if op is not None and not self.push(op):
            self.refresh()  # refused (e.g. too long): show what the document still has

    def _commit_variable_label(self, again: bool = False) -> None:
        """Rename the one selected variable to what was typed; a taken name is refused, and
        ``again`` (Enter) keeps it in the field, selected, for another try."""
        if self._refreshing or len(self.variable_ids) != 1:
            return
        if not self.variable_label.isModified():
            return  # only what the user typed is committed, never a stale field
        self.variable_label.setModified(False)
        variable = self.document.variables.get(self.variable_ids[0])
        text = self.variable_label.text().strip()
        if variable is not None and not text:
            set_line(self.variable_label, variable.label)  # a label cannot be empty
        elif variable is not None and text != variable.label.strip():
            # (its name unchanged but trimmed is never refused, even if a file shares it)
            others = self.document.variables.values()
            if names.is_taken(others, text, own_id=variable.id):
                self.said.emit(names.taken_message(text))
                if again:
                    self.variable_label.selectAll()
                    self.variable_label.setModified(True)  # leaving the field decides again
                else:
                    set_line(self.variable_label, variable.label)
                return
        op = rename_op(self.document, self.variable_ids[0], text)
        if op is None and variable is not None:
            set_line(self.variable_label, variable.label)  # nothing to rename: show the name
        self._push(op)

    def _commit_domain(self) -> None:
        domain = self.variable_domain.currentData()
        if self._refreshing or domain == MIXED or not self.variable_ids:
            return
        self._push(edits.set_domain(self.document, self.variable_ids, domain))

    def _commit_notes(self) -> None:
        if self._refreshing or len(self.variable_ids) != 1:
            return
        if not self.variable_notes.document().isModified():
            return
        self.variable_notes.document().setModified(False)
        text = self.variable_notes.toPlainText()
        self._push(edits.set_notes(self.document, self.variable_ids[0], text))

    def _commit_polarity(self) -> None:
        polarity = self.link_polarity.currentData()
        if self._refreshing or polarity == MIXED or not self.link_ids:
            return
        self._push(edits.set_polarity(self.document, self.link_ids, polarity))

    def _commit_delay(self) -> None:
        if self._refreshing or not self.link_ids:
            return
        # A click on a mixed box delays them all; from then on it is a plain on/off box.
        delay = self.link_delay.checkState() != Qt.CheckState.Unchecked
        self.link_delay.setTristate(False)
        self._push(edits.set_delay(self.document, self.link_ids, delay))

    def _commit_label_name(self) -> None:
        if self._refreshing or len(self.label_ids) != 1:
            return
        if not self.label_name.isModified():
            return
        self.label_name.setModified(False)
        self._push(rename_loop_label_op(self.document, self.label_ids[0], self.label_name.text()))

    def _commit_title(self) -> None:
        if self._refreshing or not self.diagram_group.isVisibleTo(self):
            return
        if not self.diagram_title.isModified():
            return
        self.diagram_title.setModified(False)
        self._push(edits.set_title(self.document, self.diagram_title.text()))

    def _commit_description(self) -> None:
        if self._refreshing or not self.diagram_group.isVisibleTo(self):
            return
        if not self.diagram_description.document().isModified():
            return
        self.diagram_description.document().setModified(False)
        self._push(edits.set_description(self.document, self.diagram_description.toPlainText()))

    def _on_document_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.DocumentReset):
            # A new diagram: edits not yet committed belonged to the old one.
            self.variable_ids, self.link_ids, self.label_ids = [], [], []
        self.refresh()
