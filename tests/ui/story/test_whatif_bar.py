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


def test_rises_is_the_first_direction_and_the_default(window) -> None:
    window.story.open_whatif()
    bar = window.story.bar
    assert bar.direction.itemData(0) == "up" and bar.direction.itemText(0).startswith("rises")
    assert bar.direction.currentIndex() == 0


class ListWork:
    """What the bar does to its variable box: rows read back, inserted, removed."""

    def __init__(self, monkeypatch, combo) -> None:
        self.read = self.inserted = self.removed = 0
        for name in ("itemText", "itemData"):
            original = getattr(combo, name)
            monkeypatch.setattr(combo, name, self._counting(original))
        model = combo.model()
        model.rowsInserted.connect(lambda _p, first, last: self._add("inserted", last - first + 1))
        model.rowsRemoved.connect(lambda _p, first, last: self._add("removed", last - first + 1))
        model.modelReset.connect(lambda: self._add("removed", 10**6))

    def _add(self, what: str, rows: int) -> None:
        setattr(self, what, getattr(self, what) + rows)

    def _counting(self, original):
        def read(*args):
            self.read += 1
            return original(*args)

        return read


def test_edits_while_the_bar_shows_touch_only_the_rows_they_concern(window, monkeypatch) -> None:
    from cld_editor.core.ops import add_variable, delete, move_variables, rename_variable

    window.scene.select_ids(["g"])
    window.story.open_whatif()
    bar = window.story.bar
    work = ListWork(monkeypatch, bar.variable)
    # A move (or any edit that renames nothing) leaves the list alone: nothing read back.
    window.scene.push(move_variables({"b": (40.0, 70.0)}))
    window.scene.push(rename_variable("d", "Delta"))  # no change of name
    assert (work.read, work.inserted, work.removed) == (0, 0, 0)
    # A rename moves one row; an addition and a deletion add and take one each.
    window.scene.push(rename_variable("d", "zeta"))
    assert (work.inserted, work.removed) == (1, 1)
    window.scene.push(add_variable(Variable(id="n", label="Beta  2", x=0.0, y=90.0)))
    window.scene.push(delete(["a1"]))
    assert (work.inserted, work.removed) == (2, 2)
    assert listed(bar) == [
        ("Alpha", "a2"),
        ("beta", "b"),
        ("Beta 2", "n"),
        ("gamma rays", "g"),
        ("zeta", "d"),
    ]
    assert bar.variable.currentData() == "g" and window.story.controller.run.start == "g"
    # Undo puts everything back where a fresh listing puts it.
    for _ in range(3):
        window.undo_stack.undo()
    assert [text for text, _ in listed(bar)] == ["Alpha", "alpha", "beta", "Delta", "gamma rays"]
    bar.fill_variables()
    assert [text for text, _ in listed(bar)] == ["Alpha", "alpha", "beta", "Delta", "gamma rays"]
    assert bar.variable.currentData() == "g"
