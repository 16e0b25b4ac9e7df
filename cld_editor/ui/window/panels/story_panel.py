"""The Story panel: build the diagram's story by hand or from its loops, and present it.

A list of the steps (number, caption, how much each reveals, whether it plays a what-if
pulse, or would but its variable is deleted), a caption field for the chosen step, and
buttons: Add Step (reveals what is selected on the canvas and not yet shown, with the links
of selected variables, see :func:`~cld_editor.core.story_ops.add_step`), Remove, Move Up /
Down, Story from Loops (asking first when it would replace steps made by hand), What If for
the step (the pulse chosen in the What If bar) and Present. Every change is an Op from
:mod:`cld_editor.core.story_ops` pushed with ``push``, so it is one undo step; the list follows
the document's events, so undo and redo show at once. The hint line below says what the last
command did or why it did nothing; it speaks of the story as it was then, so it goes when the
story changes otherwise (undo, another edit) or another diagram is opened or made.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cld_editor.analysis.loops import LoopAnalysis
from cld_editor.analysis.story_gen import loop_steps, story_from_loops
from cld_editor.core import events as ev
from cld_editor.core import story_ops
from cld_editor.core.document import Document
from cld_editor.core.ops import Op
from cld_editor.core.story import Story, StoryPulse, StoryStep, new_at
from cld_editor.core.text import plural
from cld_editor.ui.window import message_box

Push = Callable[[Op], bool]
#: How many of the stories it made Story from Loops remembers (made, undone, made again...).
KEEP_GENERATED = 8


#: The end of a row whose what-if starts at a variable that is gone (it does not play).
LOST_PULSE = " · what if (its variable is deleted)"


def step_text(story: Story, index: int, document: Document, broken: set[str] | None = None) -> str:
    """A row of the list: "2. caption · reveals 3 · what if", counting only what the step
    shows that no earlier step showed, not the labels of broken loops (``broken``, else
    computed); a what-if whose variable is deleted says so (like a deleted variable the step
    showed, it is skipped and comes back when the delete is undone)."""
    step = story.steps[index]
    number = index + 1
    caption = " ".join(step.caption.split()) or "(no caption)"
    if broken is None:
        broken = story_ops.broken_labels(document)
    shown = sum(1 for i in new_at(story, index) if document.has_id(i) and i not in broken)
    extra = f" · reveals {shown}" if shown else ""
    pulse = ""
    if step.whatif is not None:
        pulse = " · what if" if step.whatif.variable in document.variables else LOST_PULSE
    return f"{number}. {caption}{extra}{pulse}"


def step_tooltip(step: StoryStep, document: Document) -> str:
    """The caption in full, and why a what-if does not play."""
    lines = [step.caption] if step.caption else []
    if step.whatif is not None and step.whatif.variable not in document.variables:
        lines.append(
            "The what-if of this step starts at a variable that was deleted, so it does not "
            "play: undo the delete, or Remove What If."
        )
    return "\n\n".join(lines)


class StoryPanel(QWidget):
    """The story of the diagram as an editable list of steps."""

    present_requested = Signal()
    #: The ids a chosen step reveals (the window selects them on the canvas).
    step_chosen = Signal(list)

    def __init__(
        self,
        document: Document,
        push: Push,
        selected_ids: Callable[[], list[str]],
        analysis: Callable[[], LoopAnalysis | None],
        pulse: Callable[[], StoryPulse | None],
    ) -> None:
        super().__init__()
        self.setObjectName("story_panel")
        self.document = document
        self._push = push
        self._selected_ids = selected_ids
        self._analysis = analysis
        self._pulse = pulse
        self._shown: Story | None = None
        #: The story the hint describes (Story from Loops' result); any other story clears it.
        self._hint_story: Story | None = None
        #: The last stories Story from Loops made: replacing one of them unchanged asks nothing.
        self._generated: list[Story] = []
        self.steps = _StepList()
        self.steps.setObjectName("story_steps")
        self.steps.currentRowChanged.connect(self._on_row_changed)
        self.caption = QLineEdit()
        self.caption.setObjectName("story_caption")
        self.caption.setPlaceholderText("Caption of the chosen step")
        self.caption.editingFinished.connect(self._commit_caption)
        self.add = self._button("Add Step", "add", self.add_step)
        self.add.setToolTip(
            "A step that reveals what is selected on the canvas, with the links between the"
            " selected variables and to what is shown (select links to choose them yourself)"
        )
        self.remove = self._button("Remove", "remove", self.remove_step)
        self.up = self._button("Move Up", "up", lambda: self.move_step(-1))
        self.down = self._button("Move Down", "down", lambda: self.move_step(1))
        self.from_loops = self._button("Story from Loops", "from_loops", self.story_from_loops)
        self.from_loops.setToolTip(
            "Replace the story with one that builds the diagram loop by loop (asks first when"
            " you made steps; Undo restores them)"
        )
        self.whatif = self._button("What If for Step", "whatif", self.toggle_pulse)
        self.present = self._button("Present (F5)", "present", self.present_requested.emit)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setObjectName("story_hint")

        # Three to a row: in a short dock the buttons stay in sight and the list shrinks.
        buttons = QGridLayout()
        for k, button in enumerate(
            (self.add, self.up, self.from_loops, self.remove, self.down, self.whatif)
        ):
            buttons.addWidget(button, k // 3, k % 3)
        caption_row = QHBoxLayout()
        caption_row.addWidget(QLabel("Caption"))
        caption_row.addWidget(self.caption, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.steps, 1)
        layout.addLayout(caption_row)
        layout.addLayout(buttons)
        layout.addWidget(self.present)
        layout.addWidget(self.hint)
        document.subscribe(self._on_document_event)
        self.refresh()

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(f"story_{name}")
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- commands ------------------------------------------------------------------------
    def current(self) -> int:
        return self.steps.currentRow()

    def add_step(self) -> bool:
        ids = self._selected_ids()
        if not ids:
            self.hint.setText("Select what the step should reveal, then Add Step.")
            return False
        at = self.current() + 1 if self.current() >= 0 else None
        op = story_ops.add_step(self.document, ids, at=at)
        if not op.story.steps[at if at is not None else -1].reveal:
            self.hint.setText("Everything selected is already shown by an earlier step.")
            return False
        done = self._push(op)
        if done:
            self.steps.setCurrentRow(at if at is not None else self.steps.count() - 1)
            self.caption.setFocus()
        return done

    def remove_step(self) -> bool:
        row = self.current()
        if row < 0:
            return False
        done = self._push(story_ops.remove_step(self.document, row))
        if done and self.steps.count():
            self.steps.setCurrentRow(min(row, self.steps.count() - 1))
        return done

    def move_step(self, by: int) -> bool:
        row = self.current()
        to = row + by
        if row < 0 or not 0 <= to < self.steps.count():
            return False
        done = self._push(story_ops.move_step(self.document, row, to))
        if done:
            self.steps.setCurrentRow(to)
        return done

    def story_from_loops(self) -> bool:
        analysis = self._analysis()
        # A cut-short analysis still names what it found; the independent set covers the rest.
        loops = analysis.loops if analysis is not None else None
        story = story_from_loops(self.document.diagram, loops)
        if not story.steps:
            self.hint.setText("The diagram is empty: there is nothing to tell.")
            return False
        if not self._may_replace(story):
            self.hint.setText("Story from Loops cancelled: the story is as it was.")
            return False
        done = self._push(story_ops.replace_story(story))
        if done:
            self.steps.setCurrentRow(0)
            loops = loop_steps(story)
            rest = len(story.steps) - loops
            if not loops:
                told = "1 step: the whole diagram (it has no feedback loop)"
            else:
                told = f"{plural(len(story.steps), 'step')}: one per loop" + (
                    ", then the rest of the diagram" if rest else ""
                )
            self.hint.setText(f"{told}. Undo restores the old story.")
            self._hint_story = self.document.story
            self._generated = [*self._generated[-(KEEP_GENERATED - 1) :], self.document.story]
        return done

    def _may_replace(self, story: Story) -> bool:
        """Whether the story may give way to ``story``: without asking when it is empty, the
        same, or one Story from Loops made and nobody changed since; else the user says."""
        current = self.document.story
        if not current.steps or current == story or current in self._generated:
            return True
        count = plural(len(current.steps), "step")
        answer = message_box.ask(
            self.window(),
            "Story from Loops",
            f"Replace the story's {count} with a story told loop by loop?\n\n"
            "Edit > Undo brings your steps back.",
            message_box.Button.Yes | message_box.Button.Cancel,
            message_box.Button.Cancel,
        )
        return answer == message_box.Button.Yes

    def toggle_pulse(self) -> bool:
        """Give the chosen step the What If bar's pulse, or take its pulse away."""
        row = self.current()
        if row < 0:
            return False
        if self.document.story.steps[row].whatif is not None:
            return self._push(story_ops.set_pulse(self.document, row, None))
        pulse = self._pulse()
        if pulse is None:
            self.hint.setText("Choose a change in What If mode first (Story > What If…).")
            return False
        return self._push(story_ops.set_pulse(self.document, row, pulse))

    def _commit_caption(self) -> None:
        row = self.current()
        if row < 0 or row >= len(self.document.story.steps):
            return
        text = self.caption.text()
        if text != self.document.story.steps[row].caption:
            self._push(story_ops.set_caption(self.document, row, text))

    # -- showing -------------------------------------------------------------------------
    def refresh(self) -> None:
        story = self.document.story
        if story == self._shown:
            self._on_row_changed(self.current(), emit=False)  # the diagram may have changed
            return
        self._shown = story
        if story is not self._hint_story:
            self._clear_hint()  # it spoke of the story before this change
        row = self.current()
        self.steps.blockSignals(True)
        self.steps.clear()
        broken = story_ops.broken_labels(self.document)
        for index, step in enumerate(story.steps):
            item = QListWidgetItem(step_text(story, index, self.document, broken))
            tip = step_tooltip(step, self.document)
            item.setToolTip(message_box.plain_tooltip(tip) if tip else "")
            self.steps.addItem(item)
        if story.steps:
            self.steps.setCurrentRow(max(0, min(row, len(story.steps) - 1)))
        self.steps.blockSignals(False)
        self._on_row_changed(self.current(), emit=False)

    def _on_row_changed(self, row: int, emit: bool = True) -> None:
        steps = self.document.story.steps
        valid = 0 <= row < len(steps)
        self.caption.setEnabled(valid)
        self.caption.setText(steps[row].caption if valid else "")
        for button in (self.remove, self.whatif):
            button.setEnabled(valid)
        self.up.setEnabled(valid and row > 0)
        self.down.setEnabled(valid and row < len(steps) - 1)
        self.whatif.setText("Remove What If" if valid and steps[row].whatif else "What If for Step")
        self.present.setEnabled(bool(steps) or bool(self.document.variables))
        if valid and emit:
            self.step_chosen.emit([i for i in steps[row].reveal if self.document.has_id(i)])

    def _clear_hint(self) -> None:
        self.hint.clear()
        self._hint_story = None

    def _on_document_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.DocumentReset):
            # Another diagram (Open, New, Revert): what was said was of the one before, and
            # its "Undo restores" no longer holds (the undo stack starts again).
            self._clear_hint()
            self.refresh()
        elif isinstance(event, ev.DiagramPropertiesChanged):
            self.refresh()
        elif self.steps.count():
            # A rename or a delete changes what the rows say (how much a step reveals).
            self._shown = None
            self.refresh()

    def detach(self) -> None:
        self.document.unsubscribe(self._on_document_event)

    def keyPressEvent(self, event) -> None:  # Delete removes the chosen step
        if event.key() == Qt.Key.Key_Delete and self.steps.hasFocus():
            self.remove_step()
            return
        super().keyPressEvent(event)


class _StepList(QListWidget):
    """The steps: asks for four rows, so that the panel's height for its width (which the
    dock's scroll area takes as the least it may have, the hint being word-wrapped) leaves
    the buttons in sight in a short dock; it grows with the dock. A long caption wraps, so the
    end of its row (how much it reveals, its what-if) is never out of sight to the right."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)

    def sizeHint(self) -> QSize:
        row = max(self.sizeHintForRow(0), self.fontMetrics().height() + 4)
        frame = 2 * self.frameWidth()
        return QSize(super().sizeHint().width(), 4 * row + frame)
