"""What Arrange did stays in the status bar when the mouse leaves the toolbar button clicked:
Qt's empty status tip on leaving cleared it at once (the first Arrange of a big model, run
from the button, showed no summary at all); a tip still shows over it while hovering."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF
from PySide6.QtGui import QEnterEvent, QStatusTipEvent
from PySide6.QtWidgets import QApplication


@pytest.fixture
def window(arranging_window):
    return arranging_window


def leave(widget) -> None:
    QApplication.sendEvent(widget, QEvent(QEvent.Type.Leave))


def enter(widget) -> None:
    QApplication.sendEvent(widget, QEnterEvent(QPointF(5, 5), QPointF(5, 5), QPointF(5, 5)))


def test_the_summary_stays_when_the_mouse_leaves_the_button(window) -> None:
    bar = window.statusBar()
    button = window.arrange.button
    enter(button)
    assert bar.currentMessage() == button.statusTip() != ""
    button.click()  # Arrange as Loops, the toolbar button's style
    assert bar.currentMessage() == "Arranged the diagram (Loops)"
    leave(button)
    assert bar.currentMessage() == "Arranged the diagram (Loops)"
    # Hovering another button shows its tip over the summary, which comes back after.
    save = window.actions.save
    QApplication.sendEvent(window, QStatusTipEvent(save.statusTip() or "Save the diagram"))
    assert bar.currentMessage() != "Arranged the diagram (Loops)"
    QApplication.sendEvent(window, QStatusTipEvent(""))
    assert bar.currentMessage() == "Arranged the diagram (Loops)"


def test_newer_news_or_a_clear_ends_the_summary(window) -> None:
    bar = window.statusBar()
    assert window.arrange.arrange("layered")
    assert bar.currentMessage().startswith("Arranged the diagram (Layered)")
    bar.showMessage("Saved somewhere", 5000)
    QApplication.sendEvent(window, QStatusTipEvent("Open a file"))
    QApplication.sendEvent(window, QStatusTipEvent(""))
    assert bar.currentMessage() == ""  # Qt's usual: the tip took the newer message's place
    assert window.arrange.news.news is None
    window.undo_stack.undo()
    window.undo_stack.redo()
    assert window.arrange.arrange("organic")
    bar.clearMessage()
    QApplication.sendEvent(window, QStatusTipEvent(""))
    assert bar.currentMessage() == ""


def test_the_summary_ends_with_its_time(window, qtbot) -> None:
    bar = window.statusBar()
    window.arrange.news.show("Arranged for a moment", 100)
    qtbot.waitUntil(lambda: bar.currentMessage() == "", timeout=2000)
    QApplication.sendEvent(window, QStatusTipEvent("A tip"))
    QApplication.sendEvent(window, QStatusTipEvent(""))
    assert bar.currentMessage() == ""
