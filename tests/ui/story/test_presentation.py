"""Presentation mode driven by key events: the keys a clicker sends step forward and back,
Home and End jump, Esc leaves; new parts fade in; a step's what-if pulse plays; F5 in the
window presents the story (or the loops' story when there is none)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from window_helpers import Dialogs, open_window, use_temp_settings

from cld_editor.analysis.story_gen import story_from_loops
from cld_editor.core.story import StoryPulse
from cld_editor.formats.native import load_diagram
from cld_editor.ui.story.presentation import PresentationWindow

EXAMPLE = (
    Path(__file__).resolve().parents[3] / "resources" / "examples" / "experience-loop.cld.json"
)


@pytest.fixture
def shown(qtbot):
    diagram = load_diagram(EXAMPLE)
    story = story_from_loops(diagram)
    window = PresentationWindow(diagram, story)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    window.go_to(0, animate=False)
    return window


@pytest.mark.parametrize(
    "key",
    [Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Space, Qt.Key.Key_PageDown, Qt.Key.Key_Return],
)
def test_each_clicker_key_goes_forward(shown, qtbot, key) -> None:
    qtbot.keyClick(shown, key)
    assert shown.index == 1


@pytest.mark.parametrize(
    "key", [Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace]
)
def test_each_back_key_goes_back(shown, qtbot, key) -> None:
    shown.go_to(2, animate=False)
    qtbot.keyClick(shown, key)
    assert shown.index == 1


def test_stepping_stops_at_the_ends_and_home_end_jump(shown, qtbot) -> None:
    qtbot.keyClick(shown, Qt.Key.Key_Left)
    assert shown.index == 0
    qtbot.keyClick(shown, Qt.Key.Key_End)
    assert shown.index == 2
    qtbot.keyClick(shown, Qt.Key.Key_PageDown)
    assert shown.index == 2
    qtbot.keyClick(shown, Qt.Key.Key_Home)
    assert shown.index == 0


def test_new_parts_fade_in(shown, qtbot) -> None:
    qtbot.keyClick(shown, Qt.Key.Key_Right)
    assert shown.fade < 1.0
    qtbot.waitUntil(lambda: shown.fade == 1.0, timeout=3000)


def test_escape_leaves(shown, qtbot) -> None:
    with qtbot.waitSignal(shown.closed, timeout=2000):
        qtbot.keyClick(shown, Qt.Key.Key_Escape)
    assert not shown.isVisible()


def test_the_slide_shows_the_step_and_its_caption(shown) -> None:
    image = shown.grab().toImage()

    # The first step shows only the turnover spiral: the virtuous cycle's variables are not
    # drawn yet, so the left of the diagram area is blank; at step 2 it is not.
    def ink(img) -> int:
        white = QColor("#ffffff").rgb()
        return sum(
            img.pixel(x, y) != white
            for x in range(0, img.width(), 8)
            for y in range(int(img.height() * 0.45), int(img.height() * 0.75), 8)
        )

    before = ink(image)
    shown.go_to(1, animate=False)
    assert ink(shown.grab().toImage()) > before + 20
    assert shown.slides.state(1).caption == "R2 Virtuous cycle: reinforcing"


def test_a_step_with_a_pulse_plays_it(qtbot) -> None:
    diagram = load_diagram(EXAMPLE)
    story = story_from_loops(diagram)
    steps = list(story.steps)
    steps[1] = steps[1].model_copy(
        update={"whatif": StoryPulse(variable="engagement", direction="down", steps=3)}
    )
    window = PresentationWindow(diagram, story.model_copy(update={"steps": steps}))
    qtbot.addWidget(window)
    window.show()
    window.go_to(1)
    assert window.run is not None and window.run.count == 3
    qtbot.waitUntil(lambda: window.pulse_time >= 3.0, timeout=8000)
    window.grab()  # paints badges and pulses without error
    window.go_to(0, animate=False)
    assert window.run is None


def test_f5_presents_the_loops_when_there_is_no_story(qtbot, tmp_path, monkeypatch) -> None:
    use_temp_settings(tmp_path / "settings")
    Dialogs().install(monkeypatch)
    window = open_window(qtbot)
    try:
        assert window.story.present_action.shortcut().toString() == "F5"
        window.story.present_action.trigger()
        shown = window.story.presentation
        assert shown is not None and len(shown.slides) == 3
        assert "presenting the loops" in window.statusBar().currentMessage()
        shown.close()
        assert window.story.presentation is None
        assert window.undo_stack.count() == 0  # presenting saves nothing
    finally:
        window.shutdown()


def test_presenting_fills_the_screen_even_where_full_screen_is_ignored(qtbot, monkeypatch) -> None:
    from PySide6.QtGui import QGuiApplication

    from cld_editor.ui.story import presentation

    # A display without a window manager ignores the full-screen request: the window must
    # still cover the screen rather than open at its minimum size.
    monkeypatch.setattr(PresentationWindow, "showFullScreen", PresentationWindow.show)
    diagram = load_diagram(EXAMPLE)
    window = presentation.present(diagram, story_from_loops(diagram), None)
    qtbot.addWidget(window)
    screen = QGuiApplication.primaryScreen().geometry()
    assert window.geometry().size() == screen.size()
    window.close()
