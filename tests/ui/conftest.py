"""UI test setup: no undo stack full of commands is left for Python's cyclic garbage collector,
no modal dialog waits forever for a person who is not there, and no mouse button stays pressed
from one test into the next.

A QUndoStack without a QObject parent belongs to Python; when the cycle collector frees one
that still holds OpCommands, after it already freed some of their Python halves, PySide6 6.11
crashes inside ``QUndoStack::clear`` (the editor's own stack has the window as its parent and
is cleared when the window shuts down). Tests make such stacks freely, so before each test, and
once more at the end, every stack that has no parent is emptied while all it refers to is alive.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget


def clear_orphan_undo_stacks() -> int:
    """Empty every live, parentless QUndoStack that still holds commands; how many."""
    cleared = 0
    for wrapper in shiboken6.getAllValidWrappers():
        if isinstance(wrapper, QUndoStack) and wrapper.parent() is None and wrapper.count():
            wrapper.clear()
            cleared += 1
    return cleared


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Right after the test function returns (its locals gone, the collector not yet run):
    a canvas made by a test often dies with it before pytest-qt's teardown could clear its
    stack (the widget's weak reference is dead, so its before_close_func never runs), leaving a
    stack full of commands in a reference cycle. Found by collecting garbage after every test:
    test_canvas_loops.py then crashed in ~QUndoStack (QUndoStack::clear) every time; in a plain
    run the collector only sometimes runs in that window, hence the rare "Fatal Python error"."""
    try:
        return (yield)
    finally:
        clear_orphan_undo_stacks()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """And once more after the fixtures are torn down (windows, panels), before a test of
    another folder, which clears nothing, can run the collector."""
    try:
        return (yield)
    finally:
        clear_orphan_undo_stacks()


@pytest.fixture(autouse=True, scope="session")
def _undo_stacks_cleared_at_the_end() -> Iterator[None]:
    yield
    clear_orphan_undo_stacks()


@pytest.fixture(autouse=True)
def _undo_stacks_of_earlier_tests_cleared() -> None:
    clear_orphan_undo_stacks()


#: How long a modal dialog may wait for an answer in a test before it is closed and the test
#: fails. Tests that answer a dialog do it within milliseconds (a timer, or a patched exec).
DIALOG_PATIENCE_MS = 20_000


@pytest.fixture(autouse=True)
def _no_modal_dialog_waits_forever(monkeypatch) -> Iterator[None]:
    """A modal dialog nobody answers (say "Save changes?" when pytest-qt closes a modified
    window after the test) would hang the whole run with no word of which test it was (seen in
    a shuffled run). Each exec() gets a watchdog: after DIALOG_PATIENCE_MS the dialog is closed
    with no answer (its caller sees Cancel) and the test fails, naming the dialog."""
    stuck: list[str] = []

    def watched(real_exec):
        def exec_(self, *args, **kwargs):
            watchdog = QTimer()
            watchdog.setSingleShot(True)

            def give_up() -> None:
                stuck.append(f"{type(self).__name__} {self.windowTitle()!r}")
                self.done(0)

            watchdog.timeout.connect(give_up)
            watchdog.start(DIALOG_PATIENCE_MS)
            try:
                return real_exec(self, *args, **kwargs)
            finally:
                watchdog.stop()

        return exec_

    for cls in (QDialog, QMessageBox):
        monkeypatch.setattr(cls, "exec", watched(cls.exec))
    yield
    if stuck:
        pytest.fail(f"modal dialog(s) left waiting for an answer: {', '.join(stuck)}")


@pytest.fixture(autouse=True)
def _no_mouse_button_held_from_an_earlier_test() -> None:
    """Qt keeps which mouse buttons are down across windows: QTest.mouseDClick ends with the
    button still down, so the next test's mouse moves were drags and its hover never came
    (test_hovering_a_variables_edge_shows_the_link_ring failed after
    test_double_click_and_f2_rename_in_place in a shuffled run). Release them first."""
    if QApplication.instance() is None or QGuiApplication.mouseButtons() == Qt.MouseButton.NoButton:
        return
    spare = QWidget()
    spare.resize(20, 20)
    spare.show()
    buttons = Qt.MouseButton
    for button in (buttons.LeftButton, buttons.RightButton, buttons.MiddleButton):
        if QGuiApplication.mouseButtons() & button:
            QTest.mouseRelease(spare, button, Qt.KeyboardModifier.NoModifier, QPoint(5, 5))
    spare.close()
    spare.deleteLater()


@pytest.fixture(autouse=True)
def _no_modifier_key_held_from_an_earlier_test() -> None:
    """Qt also keeps which modifier keys are down: a test that pressed Alt (snapping off) and
    ended without its release left Alt held, and the next hover test saw the Alt-drag ring
    instead of the hover ring (found with a shuffled run, seed 24757). Release them first."""
    if QApplication.instance() is None:
        return
    held = QGuiApplication.keyboardModifiers()
    if held == Qt.KeyboardModifier.NoModifier:
        return
    spare = QWidget()
    spare.resize(20, 20)
    spare.show()
    mods, keys = Qt.KeyboardModifier, Qt.Key
    for modifier, key in (
        (mods.AltModifier, keys.Key_Alt),
        (mods.ControlModifier, keys.Key_Control),
        (mods.ShiftModifier, keys.Key_Shift),
        (mods.MetaModifier, keys.Key_Meta),
    ):
        if held & modifier:
            QTest.keyRelease(spare, key, mods.NoModifier)
    spare.close()
    spare.deleteLater()


@pytest.fixture
def arranging_window(qtbot, monkeypatch, tmp_path):
    """The editor window with temporary settings and scripted dialogs, whose Arrange waits for
    its layout as long as it takes (tests/ui/test_arrange_async.py covers the layouts that go
    on in the background)."""
    from window_helpers import Dialogs, open_window, use_temp_settings

    use_temp_settings(tmp_path / "settings")
    Dialogs().install(monkeypatch)
    window = open_window(qtbot)
    window.arrange.wait_ms = 60_000
    yield window
    window.shutdown()
