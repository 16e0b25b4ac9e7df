"""What a CX lead ran into building a story: a step of picked variables shows their arrows;
Story from Loops asks before it replaces steps made by hand; Export Story proposes a name of
its own; a step whose what-if variable is deleted says so and plays nothing; a broken loop's
label stays off the slides."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from window_helpers import Dialogs, example_window, step_texts

from cld_editor.core.story import Story, StoryPulse, StoryStep
from cld_editor.ui.window import story_actions
from cld_editor.ui.window.panels.story_panel import LOST_PULSE

Button = QMessageBox.StandardButton


@pytest.fixture
def dialogs(monkeypatch) -> Dialogs:
    return Dialogs().install(monkeypatch)


@pytest.fixture
def window(qtbot, monkeypatch, tmp_path, dialogs):
    yield from example_window(qtbot, monkeypatch, tmp_path, dialogs)


def test_a_step_of_picked_variables_shows_the_links_between_them(window, qtbot) -> None:
    panel = window.story.panel
    window.scene.select_ids(["engagement", "service", "satisfaction"])
    assert panel.add_step()
    assert window.document.story.steps[0].reveal == [
        "engagement",
        "service",
        "satisfaction",
        "l1",
        "l2",
    ]
    assert step_texts(panel) == ["1. (no caption) · reveals 5"]
    presentation = window.story.present()
    assert presentation is not None
    state = presentation.slides.state(0)
    assert {"l1", "l2"} <= state.visible and {"l1", "l2"} <= state.new
    presentation.close()
    # The next step, Customer loyalty, is joined to satisfaction by l3.
    window.scene.select_ids(["loyalty"])
    assert panel.add_step()
    assert window.document.story.steps[1].reveal == ["loyalty", "l3"]
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert not window.document.story.steps


def test_story_from_loops_asks_before_it_replaces_steps_made_by_hand(window, dialogs) -> None:
    panel = window.story.panel
    assert panel.story_from_loops()  # no story yet: nothing to ask
    generated = window.document.story
    assert panel.story_from_loops()  # the same generated story: nothing to ask
    assert dialogs.shown == []
    window.undo_stack.undo()
    window.undo_stack.undo()
    window.scene.select_ids(["engagement"])
    panel.add_step()
    window.scene.select_ids(["service"])
    panel.add_step()
    mine = window.document.story
    dialogs.answer = Button.Cancel
    assert not window.story.story_from_loops()  # from the menu, as from the button
    assert dialogs.shown == [
        (
            "question",
            "Story from Loops",
            "Replace the story's 2 steps with a story told loop by loop?\n\n"
            "Edit > Undo brings your steps back.",
        )
    ]
    assert window.document.story == mine
    assert "cancelled" in panel.hint.text()
    dialogs.answer = Button.Yes
    assert panel.story_from_loops()
    assert window.document.story == generated
    window.undo_stack.undo()
    assert window.document.story == mine


def test_a_generated_story_someone_edited_is_asked_about(window, dialogs) -> None:
    panel = window.story.panel
    assert panel.story_from_loops()
    panel.steps.setCurrentRow(0)
    panel.caption.setText("Our turnover problem")
    panel.caption.editingFinished.emit()
    dialogs.answer = Button.Cancel
    assert not panel.story_from_loops()
    assert "3 steps" in dialogs.shown[-1][2]
    window.undo_stack.undo()  # the caption: the generated story as it was made
    assert panel.story_from_loops()
    assert len(dialogs.shown) == 1


def test_export_story_proposes_a_name_of_its_own(window, tmp_path, monkeypatch) -> None:
    from cld_editor.formats.native import save_diagram

    diagram_file = tmp_path / "ex-cx.cld.json"
    save_diagram(window.document.diagram, diagram_file)
    assert window.files.open_path(diagram_file, ask=False)
    proposed: list[str] = []
    answers = iter(
        [
            (str(tmp_path / "ex-cx-story.pdf"), story_actions.EXPORT_FILTERS[0]),
            (str(tmp_path / "ex-cx-story.pdf"), story_actions.EXPORT_FILTERS[3]),
            (str(tmp_path / "plan.v2-story"), story_actions.EXPORT_FILTERS[2]),
        ]
    )

    def save_name(parent, title, start, filters):
        proposed.append(start)
        return next(answers)

    monkeypatch.setattr(story_actions.QFileDialog, "getSaveFileName", staticmethod(save_name))
    written = window.story.export_story()
    assert Path(proposed[0]) == tmp_path / "ex-cx-story.pdf"
    assert written == [tmp_path / "ex-cx-story.pdf"]
    pictures = window.story.export_story()  # PNG pictures: the name without .pdf, a folder
    assert pictures[0].parent == tmp_path / "ex-cx-story" and pictures[0].suffix == ".png"
    dotted = window.story.export_story()  # a folder whose name has a dot is still a folder
    assert dotted[0].parent == tmp_path / "plan.v2-story" and dotted[0].suffix == ".svg"
    # Never the name the diagram's own exports propose (ex-cx.pdf, ex-cx.html).
    assert [Path(p).name for p in proposed] == ["ex-cx-story.pdf"] * 3


def test_a_step_whose_what_if_variable_is_deleted_says_so_and_plays_nothing(window) -> None:
    panel = window.story.panel
    window.scene.push(
        story_actions_replace(
            Story(
                steps=[
                    StoryStep(caption="Staff", reveal=["engagement", "service", "l1"]),
                    StoryStep(
                        caption="Less engagement",
                        reveal=["satisfaction", "l2"],
                        whatif=StoryPulse(variable="engagement", direction="down"),
                    ),
                ]
            )
        )
    )
    assert step_texts(panel)[1].endswith("· what if")
    window.scene.select_ids(["engagement"])
    window.scene.delete_selection()
    assert step_texts(panel)[1] == f"2. Less engagement · reveals 2{LOST_PULSE}"
    assert "deleted" in panel.steps.item(1).toolTip()
    panel.steps.setCurrentRow(1)
    assert panel.whatif.text() == "Remove What If"  # it can be taken away
    presentation = window.story.present()
    presentation.go_to(1, animate=False)
    assert presentation.run is None and not presentation._pulse_timer.isActive()
    assert presentation.slides.pulse_badges(1) == {}
    assert presentation.slides.state(1).caption == "Less engagement"
    presentation.grab()  # paints without the variable
    presentation.close()
    window.undo_stack.undo()  # the delete: the pulse plays again
    assert step_texts(panel)[1].endswith("· what if")


def test_a_step_does_not_count_the_label_of_a_loop_an_edit_broke(window) -> None:
    panel = window.story.panel
    window.scene.select_ids(["workload", "burnout", "turnover"])
    assert panel.add_step()
    assert "turnover-spiral" in window.document.story.steps[0].reveal
    assert step_texts(panel) == ["1. (no caption) · reveals 7"]  # 3 variables, 3 links, the label
    window.scene.select_ids(["l12"])  # turnover -> workload
    window.scene.delete_selection()
    assert step_texts(panel) == ["1. (no caption) · reveals 5"]
    window.undo_stack.undo()
    assert step_texts(panel) == ["1. (no caption) · reveals 7"]


def test_a_long_caption_wraps_so_the_end_of_its_row_stays_in_sight(window, qtbot) -> None:
    window.resize(1280, 800)
    window.story.dock.raise_()
    caption = "Happy customers bring revenue; some of it funds training, later " * 2
    window.scene.push(
        story_actions_replace(
            Story(
                steps=[
                    StoryStep(
                        caption=caption,
                        reveal=["engagement"],
                        whatif=StoryPulse(variable="engagement", direction="up"),
                    )
                ]
            )
        )
    )
    steps = window.story.panel.steps
    qtbot.waitUntil(lambda: steps.viewport().width() > 0)
    rect = steps.visualItemRect(steps.item(0))
    assert rect.right() <= steps.viewport().width()
    assert rect.height() >= 2 * steps.fontMetrics().height()  # wrapped, not cut
    assert not steps.horizontalScrollBar().isVisible()


def story_actions_replace(story: Story):
    from cld_editor.core import story_ops

    return story_ops.replace_story(story, "Edit Story")
