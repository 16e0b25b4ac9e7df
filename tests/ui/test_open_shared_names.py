"""A file whose variables share names opens (or imports) unchanged, and the status bar says once
which name is shared; a file without shared names says nothing about names."""

from __future__ import annotations

import json

import pytest
from window_helpers import example_window

from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.formats.native import save_diagram

SHARED = "2 variables share the name “Revenue”: rename one so loops read clearly"


@pytest.fixture
def window(qtbot, monkeypatch, tmp_path):
    yield from example_window(qtbot, monkeypatch, tmp_path)


def test_opening_a_diagram_with_a_shared_name_loads_it_unchanged_and_says_so(
    window, tmp_path, qtbot
):
    diagram = Diagram(
        variables=[
            Variable(id="a", label="Revenue", x=0, y=0),
            Variable(id="b", label="Cost", x=100, y=0),
            Variable(id="c", label="revenue ", x=200, y=0),
        ],
        links=[Link(id="l1", source="a", target="b"), Link(id="l2", source="b", target="c")],
    )
    path = tmp_path / "shared.cld.json"
    save_diagram(diagram, path)
    assert window.files.open_path(path, ask=False)
    assert [v.label for v in window.document.variables.values()] == ["Revenue", "Cost", "revenue "]
    qtbot.wait(50)  # the framing and the loop search that follow an opening leave it there
    assert window.statusBar().currentMessage() == SHARED
    assert not window.files.is_modified  # nothing was renamed

    # As the command line opens a file (``cld-editor shared.cld.json``).
    window.statusBar().clearMessage()
    window.files.load_diagram(diagram, path)
    assert window.statusBar().currentMessage() == SHARED
    # A diagram that is no file (a recovered copy, an import, New) says nothing here.
    window.statusBar().clearMessage()
    window.files.load_diagram(diagram, None)
    assert window.statusBar().currentMessage() == ""

    fine = tmp_path / "fine.cld.json"
    save_diagram(Diagram(variables=[Variable(id="a", label="Revenue", x=0, y=0)]), fine)
    window.statusBar().clearMessage()
    assert window.files.open_path(fine, ask=False)
    assert "share" not in window.statusBar().currentMessage()


def test_importing_another_tools_file_with_a_shared_name_says_so_with_the_import(
    window, tmp_path, qtbot
):
    kumu = tmp_path / "map.json"
    kumu.write_text(
        json.dumps(
            {
                "elements": [
                    {"_id": "e1", "attributes": {"label": "Revenue"}},
                    {"_id": "e2", "attributes": {"label": "REVENUE"}},
                ],
                "connections": [{"_id": "c1", "from": "e1", "to": "e2"}],
            }
        )
    )
    assert window.files.open_path(kumu, ask=False)
    assert [v.label for v in window.document.variables.values()] == ["Revenue", "REVENUE"]
    qtbot.wait(50)
    assert window.statusBar().currentMessage() == f"Imported map.json. {SHARED}"
