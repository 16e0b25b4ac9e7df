"""What If mode in the window: stepping, playing, badges and pulses on an overlay that never
takes a click, the caption, keys on the canvas, and the rule that the document and the undo
stack are never touched (an edit meanwhile re-runs the change; a deleted start ends it)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from window_helpers import Dialogs, open_window, use_temp_settings

from cld_editor.core.ops import delete, rename_variable
from cld_editor.ui.story.whatif_mode import WhatIfOverlay, badges_at, pulses_at


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    use_temp_settings(tmp_path / "settings")
    Dialogs().install(monkeypatch)  # "Save changes?" after an edit: Discard
    w = open_window(qtbot)
    yield w
    w.shutdown()


def start(window, variable="engagement", direction="falls"):
    window.scene.select_ids([variable])
    window.story.open_whatif()
    bar = window.story.bar
    bar.direction.setCurrentIndex(bar.direction.findText(direction, Qt.MatchFlag.MatchStartsWith))
    bar.restart()
    return bar, window.story.controller


def overlays(window) -> list[WhatIfOverlay]:
    return [i for i in window.scene.items() if isinstance(i, WhatIfOverlay)]


def test_stepping_shows_badges_pulses_and_the_caption(window) -> None:
    revision, undo_count = window.document.revision, window.undo_stack.count()
    bar, c = start(window)
    assert bar.isVisible() and c.active and c.run.count == 16
    assert len(overlays(window)) == 1
    for _ in range(4):
        c.step_forward()
    assert c.step == 4 and bar.counter.text() == "step 4 of 16"
    assert bar.caption.text() == "Step 4: Revenue and Customer demand fall."
    badges = badges_at(c.run, 4)
    assert badges["revenue"] == ("down", True) and badges["engagement"] == ("down", False)
    c.seek(4.5)  # halfway to step 5: pulses on their way
    assert {link for link, _p, _d in pulses_at(c.run, 4.5)} == {"l5", "l8"}
    c.step_back()
    assert c.step == 4
    c.step_back()
    assert c.step == 3
    c.seek(8)
    assert bar.caption.text().startswith("Employee engagement is pulled both ways after 8 steps")
    assert "R2 Virtuous cycle brings the fall back" in bar.caption.text()
    window.story.bar.close_mode()
    assert overlays(window) == [] and not bar.isVisible()
    assert window.document.revision == revision and window.undo_stack.count() == undo_count


def test_play_moves_on_by_itself_and_pause_stops(window, qtbot) -> None:
    _bar, c = start(window)
    c.play()
    assert c.playing
    qtbot.waitUntil(lambda: c.time > 1.2, timeout=5000)
    c.pause()
    assert not c.playing
    frozen = c.time
    qtbot.wait(100)
    assert c.time == frozen


def test_the_overlay_never_takes_a_click(window) -> None:
    start(window)
    scene = window.scene
    pos = window.story.controller._overlay.mapToScene(0, 0)  # anywhere in its bounds
    centre = scene.variable_scene_pos("service")
    assert scene.variable_item_at(centre) is not None
    top = scene.itemAt(centre, window.view.transform())
    assert not isinstance(top, WhatIfOverlay)
    assert not overlays(window)[0].shape().contains(pos)


def test_keys_on_the_canvas_drive_the_mode(window, qtbot) -> None:
    bar, c = start(window)
    view = window.view
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert c.step == 2
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert c.step == 1
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert c.playing
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert not c.playing
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not c.active and not bar.isVisible() and overlays(window) == []


def test_an_edit_reruns_the_change_and_a_deleted_start_ends_the_mode(window) -> None:
    bar, c = start(window)
    c.seek(3)
    window.scene.push(rename_variable("loyalty", "Loyal customers"))
    assert c.active and c.step == 3
    assert "Loyal customers" in bar.caption.text()
    window.scene.push(delete(variable_ids=["engagement"]))
    assert not c.active and not bar.isVisible() and overlays(window) == []
    window.undo_stack.undo()
    assert "engagement" in window.document.variables


def test_opening_another_diagram_ends_the_mode(window) -> None:
    _bar, c = start(window)
    assert window.open_untitled_example()  # a DocumentReset: the scene is rebuilt
    assert not c.active
    start(window)  # and it starts again on the new scene
    assert len(overlays(window)) == 1


def test_opening_what_if_clears_a_loop_highlight(window, qtbot) -> None:
    from window_helpers import wait_for_analysis

    wait_for_analysis(qtbot, window)
    assert window.loops_panel.select_loop("R1")
    assert window.scene.highlighted_loop() is not None
    start(window)
    assert window.scene.highlighted_loop() is None
    assert not window.loops_panel.table.selectionModel().hasSelection()


def test_the_canvas_stays_put_while_captions_of_one_to_three_lines_come_and_go(
    window, qtbot
) -> None:
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    bar, c = start(window)
    qtbot.wait(10)
    tops: set[int] = set()
    lines: set[int] = set()
    metrics = bar.caption.fontMetrics()
    for step in range(c.run.count + 1):
        c.seek(step)
        qtbot.wait(1)
        text = bar.caption.text()
        width = bar.caption.width()
        rect = metrics.boundingRect(0, 0, width, 10_000, Qt.TextFlag.TextWordWrap, text)
        lines.add(round(rect.height() / metrics.lineSpacing()))
        tops.add(window.view.mapTo(window, window.view.rect().topLeft()).y())
    assert lines <= {1, 2, 3} and len(lines) > 1  # captions of several heights were shown
    assert len(tops) == 1  # and the canvas below never moved
