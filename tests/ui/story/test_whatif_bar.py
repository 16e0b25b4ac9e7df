"""The What If bar's choices: variables listed by name ignoring case, found by typing a word of
the name (the list narrows to the names containing it), text naming no variable put back, and
"rises" chosen when the bar first opens; the trial's diagram opened in the window tells the
story its captions promise at the steps where engagement changes again."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from window_helpers import window_showing

from cld_editor.core.model import Diagram, Link, Variable


def diagram() -> Diagram:
    labels = {"b": "beta", "a2": "Alpha", "g": "gamma  rays", "d": "Delta", "a1": "alpha"}
    return Diagram(
        variables=[
            Variable(id=i, label=t, x=100.0 * k, y=0.0) for k, (i, t) in enumerate(labels.items())
        ],
        links=[
            Link(id="l1", source="b", target="g", polarity="+"),
            Link(id="l2", source="g", target="b", polarity="-"),
        ],
    )


@pytest.fixture
def window(qtbot, monkeypatch, tmp_path):
    w = window_showing(qtbot, monkeypatch, tmp_path, diagram())
    yield w
    w.shutdown()


def listed(bar) -> list[tuple[str, str]]:
    combo = bar.variable
    return [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]


def test_variables_are_listed_by_name_ignoring_case(window) -> None:
    window.story.open_whatif()
    bar = window.story.bar
    assert listed(bar) == [
        ("Alpha", "a2"),  # names alike but for case: capitals first, as a sort would put them
        ("alpha", "a1"),
        ("beta", "b"),
        ("Delta", "d"),
        ("gamma rays", "g"),  # spacing as it reads on one line
    ]


def test_the_first_change_is_a_rise_and_the_selected_variable_is_shown(window) -> None:
    window.scene.select_ids(["g"])
    window.story.open_whatif()
    bar, controller = window.story.bar, window.story.controller
    assert bar.direction.currentData() == "up" and bar.direction.currentText().startswith("rises")
    assert bar.variable.currentData() == "g"
    assert (controller.run.start, controller.run.direction) == ("g", "up")
    assert bar.caption.text() == "Suppose gamma rays rises."


def test_typing_a_word_narrows_the_list_and_picks_the_variable(window, qtbot) -> None:
    window.story.open_whatif()
    bar, controller = window.story.bar, window.story.controller
    finder = bar.variable.completer()
    assert finder.filterMode() == Qt.MatchFlag.MatchContains
    finder.setCompletionPrefix("RAY")
    assert finder.completionCount() == 1 and finder.currentCompletion() == "gamma rays"
    finder.setCompletionPrefix("lph")
    assert finder.completionCount() == 2
    edit = bar.variable.lineEdit()
    edit.selectAll()
    qtbot.keyClicks(edit, "delta")  # a whole name, typed in any case, then Enter
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert bar.variable.currentData() == "d" and controller.run.start == "d"


def test_text_naming_no_variable_goes_back_to_the_variable_shown(window, qtbot) -> None:
    window.scene.select_ids(["b"])
    window.story.open_whatif()
    bar, controller = window.story.bar, window.story.controller
    edit = bar.variable.lineEdit()
    edit.selectAll()
    qtbot.keyClicks(edit, "nothing like it")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert bar.variable.currentText() == "beta" and bar.variable.currentData() == "b"
    assert controller.run.start == "b"


def test_a_renamed_variable_takes_its_new_place_in_the_list(window) -> None:
    from cld_editor.core.ops import rename_variable

    window.scene.select_ids(["g"])
    window.story.open_whatif()
    bar = window.story.bar
    window.scene.push(rename_variable("d", "zeta"))
    assert [text for text, _ in listed(bar)] == ["Alpha", "alpha", "beta", "gamma rays", "zeta"]
    assert bar.variable.currentData() == "g" and window.story.controller.run.start == "g"
