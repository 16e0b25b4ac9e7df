"""Labels and file names that look like HTML show as typed everywhere in the window: the
properties panel, the loops table's tooltips, Open Recent and the plain-text message boxes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt  # Qt.mightBeRichText lives in QtGui
from PySide6.QtGui import QTextDocument
from window_helpers import Dialogs, open_window, use_temp_settings, wait_for_analysis

from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.formats.native import save_diagram
from cld_editor.ui.window.message_box import plain_tooltip
from cld_editor.ui.window.panels.loops_model import MEMBERS_COLUMN, LoopRole

MARKUP = "<b>bold</b><img src=x> & <font size=7 color=red>big</font>"


def shown_text(tooltip: str) -> str:
    """What Qt shows for a tooltip: rich text rendered, plain text as it is."""
    if not GuiQt.mightBeRichText(tooltip):
        return tooltip
    document = QTextDocument()
    document.setHtml(tooltip)
    return document.toPlainText()


@pytest.fixture
def window(qtbot, monkeypatch, tmp_path):
    use_temp_settings(tmp_path / "settings")
    Dialogs().install(monkeypatch)
    window = open_window(qtbot, example=False)
    diagram = Diagram(
        variables=[
            Variable(id="a", label=MARKUP, x=0, y=0),
            Variable(id="b", label="Plain", x=200, y=0),
        ],
        links=[Link(id="ab", source="a", target="b"), Link(id="ba", source="b", target="a")],
    )
    path = tmp_path / "<i>odd & <b>bold.cld.json"
    save_diagram(diagram, path)
    assert window.files.open_path(path)
    wait_for_analysis(qtbot, window)
    yield window
    window.shutdown()


def test_the_link_ends_in_the_properties_panel(window):
    window.scene.select_ids(["ab"])
    label = window.properties_panel.link_ends
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == f"{MARKUP} → Plain"


def test_the_members_tooltip_of_the_loops_table(window):
    model = window.loops_panel.model
    tooltip = model.data(model.index(0, MEMBERS_COLUMN), Qt.ItemDataRole.ToolTipRole)
    loop = model.data(model.index(0, 0), LoopRole)
    assert shown_text(tooltip) == model.members_text(loop)
    assert MARKUP in shown_text(tooltip)


def test_open_recent_shows_the_path_as_typed(window):
    window._fill_recent_menu()
    [entry] = [a for a in window.actions.recent_menu.actions() if a.text().endswith(".cld.json")]
    assert shown_text(entry.toolTip()) == str(window.files.path.resolve())


@pytest.mark.parametrize("text", ["a <b>b</b> c", "x & y\nnext line", "plain"])
def test_plain_tooltip_round_trips(text):
    assert shown_text(plain_tooltip(text)) == text
