"""Status messages about the selected items ("Delay mark on for the link", "Polarity of the
link: −", "Domain CX for the variable") go when the selection changes, so they never describe
another item; a message shown since (a save, a hint) is left alone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from window_helpers import window_showing

from cld_editor.core.model import Diagram, Link, Variable


def two_links() -> Diagram:
    variables = [
        Variable(id="a", label="Customer satisfaction", x=0, y=0),
        Variable(id="b", label="Revenue", x=300, y=0),
        Variable(id="c", label="Customer demand", x=150, y=250),
    ]
    links = [Link(id="ab", source="a", target="b"), Link(id="bc", source="b", target="c")]
    return Diagram(variables=variables, links=links)


@pytest.fixture
def window(qtbot, monkeypatch, tmp_path):
    window = window_showing(qtbot, monkeypatch, tmp_path / "settings", two_links())
    yield window
    window.shutdown()


def shown(window) -> str:
    return window.statusBar().currentMessage()


def press(window, key: Qt.Key) -> None:
    window.view.setFocus()
    QTest.keyClick(window.view, key)


def test_the_delay_message_goes_when_another_link_is_selected(window):
    window.scene.select_ids(["ab"])
    press(window, Qt.Key.Key_D)
    assert window.document.links["ab"].delay
    assert shown(window) == "Delay mark on for the link"
    window.scene.select_ids(["ab"])  # the same selection: still true, still shown
    assert shown(window) == "Delay mark on for the link"
    window.scene.select_ids(["bc"])
    assert shown(window) == ""


def test_polarity_and_domain_messages_go_with_their_selection(window):
    window.scene.select_ids(["ab"])
    press(window, Qt.Key.Key_Minus)
    assert shown(window) == "Polarity of the link: − (opposite direction)"
    window.scene.clearSelection()  # a click on empty canvas
    assert shown(window) == ""
    window.scene.select_ids(["a"])
    press(window, Qt.Key.Key_C)
    assert shown(window) == "Domain CX for the variable"
    window.scene.select_ids(["a", "b"])
    assert shown(window) == ""


def test_a_message_shown_since_is_left_alone(window):
    window.scene.select_ids(["ab"])
    press(window, Qt.Key.Key_D)
    window.statusBar().showMessage("Saved /tmp/x.cld.json", 6000)
    window.scene.select_ids(["bc"])
    assert shown(window) == "Saved /tmp/x.cld.json"


def test_other_canvas_messages_stay_for_their_time(window):
    window.scene.status_message.emit("Link cancelled")  # about a gesture, not the selection
    window.scene.select_ids(["bc"])
    assert shown(window) == "Link cancelled"
