"""The Story panel: Add Step from the canvas selection, captions, reorder, remove, Story from
Loops, a step's what-if pulse, and Export Story; every change one undo step."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from window_helpers import example_window, step_texts


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    yield from example_window(qtbot, monkeypatch, tmp_path)


def test_building_a_story_by_hand_is_undoable_step_by_step(window, qtbot) -> None:
    panel, stack = window.story.panel, window.undo_stack
    assert not panel.add_step()  # nothing selected
    window.scene.select_ids(["engagement", "service", "l1"])
    assert panel.add_step()
    assert window.document.story.steps[0].reveal == ["engagement", "service", "l1"]
    panel.caption.setText("Engaged staff serve better")
    panel.caption.editingFinished.emit()
    window.scene.select_ids(["engagement", "service", "satisfaction", "l1", "l2"])
    assert panel.add_step()
    assert window.document.story.steps[1].reveal == ["satisfaction", "l2"]
    assert step_texts(panel) == [
        "1. Engaged staff serve better · reveals 3",
        "2. (no caption) · reveals 2",
    ]
    assert panel.move_step(-1)
    assert [s.reveal[0] for s in window.document.story.steps] == ["satisfaction", "engagement"]
    assert panel.remove_step()
    assert stack.count() == 5
    assert [stack.text(i) for i in range(5)] == [
        "Add Step",
        "Edit Caption",
        "Add Step",
        "Move Step",
        "Remove Step",
    ]
    for _ in range(5):
        stack.undo()
    assert not window.document.story.steps and step_texts(panel) == []
    stack.redo()
    assert step_texts(panel) == ["1. (no caption) · reveals 3"]


def test_a_step_already_shown_is_not_added(window) -> None:
    panel = window.story.panel
    window.scene.select_ids(["engagement"])
    assert panel.add_step()
    assert not panel.add_step()
    assert "already shown" in panel.hint.text()


def test_story_from_loops_and_choosing_a_step_selects_what_it_reveals(window) -> None:
    panel = window.story.panel
    assert panel.story_from_loops()
    assert [s.split(" · ")[0] for s in step_texts(panel)] == [
        "1. R1 Turnover spiral: reinforcing",
        "2. R2 Virtuous cycle: reinforcing",
        "3. B1 Workload squeeze: balancing",
    ]
    assert panel.hint.text() == "3 steps: one per loop. Undo restores the old story."
    panel.steps.setCurrentRow(2)
    assert set(window.scene.selected_variable_ids()) == {"demand"}
    window.undo_stack.undo()
    assert step_texts(panel) == []


def test_a_step_takes_the_what_if_bar_s_pulse(window) -> None:
    panel = window.story.panel
    panel.story_from_loops()
    panel.steps.setCurrentRow(1)
    assert not panel.toggle_pulse()  # no What If chosen yet
    window.scene.select_ids(["engagement"])
    window.story.open_whatif()
    bar = window.story.bar
    bar.direction.setCurrentIndex(bar.direction.findData("down"))
    window.story.bar.restart()
    assert panel.toggle_pulse()
    pulse = window.document.story.steps[1].whatif
    assert (pulse.variable, pulse.direction) == ("engagement", "down")
    assert panel.whatif.text() == "Remove What If"
    assert step_texts(panel)[1].endswith("· what if")
    assert panel.toggle_pulse()
    assert window.document.story.steps[1].whatif is None


def test_export_story_writes_a_pdf_page_per_step(window, tmp_path) -> None:
    window.story.panel.story_from_loops()
    written = window.story.export_story(tmp_path / "story.pdf", kind=0)
    assert written == [tmp_path / "story.pdf"]
    assert len(PdfReader(written[0]).pages) == 3
    folder = window.story.export_story(tmp_path / "pictures", kind=3)
    assert [p.name for p in folder] == ["step-01.png", "step-02.png", "step-03.png"]


def test_a_step_inserted_before_another_takes_what_it_shows_from_that_step(window) -> None:
    panel = window.story.panel
    assert panel.story_from_loops()
    before = step_texts(panel)[1]
    revealed = window.document.story.steps[1].reveal
    panel.steps.setCurrentRow(0)
    window.scene.select_ids(["engagement"])
    assert "engagement" in revealed
    assert panel.add_step()
    rows = step_texts(panel)
    assert len(rows) == 4
    # It is step 2 now, with engagement and its links to what step 1 shows.
    inserted = window.document.story.steps[1].reveal
    assert inserted[0] == "engagement"
    count = lambda row: int(row.split("reveals ")[1].split(" ")[0])  # noqa: E731
    assert count(rows[1]) == len(inserted)
    assert rows[2].startswith(before.split(" · ")[0].replace("2.", "3.", 1))
    assert count(rows[2]) == len(set(revealed) - set(inserted)) < count(before)


def test_story_from_loops_in_the_menu_brings_the_story_panel_forward(window, qtbot) -> None:
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.properties_dock.raise_()  # tabbed with the Story panel, which is hidden behind it
    qtbot.wait(10)
    assert window.story.panel.visibleRegion().isEmpty()
    window.story.from_loops_action.trigger()
    qtbot.wait(10)
    panel = window.story.panel
    assert not panel.visibleRegion().isEmpty()
    assert panel.steps.count() == len(window.document.story.steps) > 0
    assert window.statusBar().currentMessage() == panel.hint.text() != ""
    # In a window of 1280 x 800 the panel's buttons are in sight without scrolling.
    scroll = window.story.dock.widget()
    assert panel.height() <= scroll.viewport().height()
    assert (
        scroll.viewport()
        .rect()
        .contains(panel.present.geometry().translated(panel.pos()).bottomRight())
    )


def test_story_from_loops_counts_its_steps_as_they_are(window, qtbot) -> None:
    """A loose variable makes a last step with the rest; a diagram without loops one step."""
    from cld_editor.core.model import Variable
    from cld_editor.core.ops import add_variable

    panel = window.story.panel
    window.scene.push(add_variable(Variable(id="lone", label="Lone", x=900, y=900)))
    assert panel.story_from_loops()
    assert panel.hint.text() == (
        "4 steps: one per loop, then the rest of the diagram. Undo restores the old story."
    )
    for link_id in list(window.document.links):
        window.scene.select_ids([link_id])
        window.scene.delete_selection()
    # Straight away, before the analysis of the edit arrives: its own search, not stale loops.
    assert panel.story_from_loops()
    assert panel.hint.text() == (
        "1 step: the whole diagram (it has no feedback loop). Undo restores the old story."
    )


def test_the_hint_belongs_to_the_document_it_was_said_of(window, tmp_path) -> None:
    """Story from Loops says "Undo restores the old story": opening another diagram (whose
    undo stack starts empty) or making a new one takes that away, as does undoing it."""
    from cld_editor.core.model import Diagram, Variable
    from cld_editor.formats.native import save_diagram

    panel = window.story.panel
    assert panel.story_from_loops()
    assert "Undo restores the old story" in panel.hint.text()
    window.undo_stack.undo()
    assert panel.hint.text() == ""  # the old story is back: nothing to restore
    assert panel.story_from_loops()
    other = tmp_path / "other.cld.json"
    save_diagram(Diagram(variables=[Variable(id="a", label="A", x=0, y=0)]), other)
    assert window.files.open_path(other, ask=False)
    assert window.document.story.steps == [] and panel.steps.count() == 0
    assert panel.hint.text() == ""
    assert panel.story_from_loops()
    assert panel.hint.text().startswith("1 step: the whole diagram")
    window.new_diagram()  # (the Dialogs discard the story just made)
    assert panel.hint.text() == ""
