"""Every input on the canvas reaches the active tool first: presses, moves, releases,
double-clicks, keys and the context menu. A tool that takes them all leaves nothing to the
default handling (no selection, no new variable, no key command)."""

from __future__ import annotations

from canvas_helpers import make_canvas
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent

from cld_editor.core.model import Diagram, Variable
from cld_editor.ui.canvas.tools import Tool


class Recorder(Tool):
    """Takes every event and records its kind."""

    name = "recorder"
    hint = "Recording"

    def __init__(self, canvas) -> None:
        super().__init__(canvas)
        self.seen: list[str] = []

    def mouse_press(self, event) -> None:
        self.seen.append("press")
        event.accept()

    def mouse_move(self, event) -> None:
        self.seen.append("move")
        event.accept()

    def mouse_release(self, event) -> None:
        self.seen.append("release")
        event.accept()

    def double_click(self, event) -> None:
        self.seen.append("double-click")
        event.accept()

    def key_press(self, event) -> None:
        self.seen.append(f"key {event.text()}")
        event.accept()

    def context_menu(self, event) -> None:
        self.seen.append("menu")
        event.accept()


def test_the_active_tool_receives_every_input_first(qtbot) -> None:
    c = make_canvas(qtbot, Diagram(variables=[Variable(id="a", label="A", x=0, y=0)]))
    messages: list[str] = []
    c.scene.status_message.connect(messages.append)
    tool = Recorder(c.scene)
    c.scene.add_tool(tool)
    c.scene.set_tool("recorder")
    assert c.scene.tool_name() == "recorder" and messages[-1] == "Recording"
    c.drag((0, 0), (80, 40), steps=2)
    c.double_click(200, 200)
    c.key(Qt.Key.Key_Delete)
    c.type("-")
    pos = c.at(0, 0)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, c.port.mapToGlobal(pos))
    c.view.contextMenuEvent(event)
    assert tool.seen[:4] == ["press", "move", "move", "release"]
    assert "double-click" in tool.seen and "menu" in tool.seen
    assert "key -" in tool.seen
    # Nothing reached the default handling: no move, no selection, no editor, no deletion.
    assert c.doc.variables["a"].x == 0 and "a" in c.doc.variables
    assert c.scene.selected_variable_ids() == [] and c.scene.label_editor() is None
    c.scene.set_tool("select")
    c.click(0, 0)
    assert c.scene.selected_variable_ids() == ["a"]
