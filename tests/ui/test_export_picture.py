"""What an exported picture shows: loops found by name in any case or by their label's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from cld_editor.analysis.loops import find_loops
from cld_editor.core.model import Diagram
from cld_editor.formats.native import load_diagram
from cld_editor.ui import export
from cld_editor.ui.export import ExportError, ExportOptions

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "resources" / "examples"


@pytest.fixture
def loop_diagram(qapp) -> Diagram:
    return load_diagram(EXAMPLES / "experience-loop.cld.json")


# -- finding a loop --------------------------------------------------------------------------------
def test_loops_are_found_in_any_case_or_by_their_label_name(loop_diagram):
    analysis = find_loops(loop_diagram)
    r1 = analysis.by_name("R1")
    assert export.find_loop(analysis, "r1") is r1
    assert export.find_loop(analysis, "Turnover spiral", loop_diagram) is r1
    assert export.find_loop(analysis, "  turnover   SPIRAL ", loop_diagram) is r1
    with pytest.raises(ExportError, match="no loop named 'Turnover spiral'"):
        export.find_loop(analysis, "Turnover spiral")  # names need the diagram
    twice = [b.model_copy(update={"name": "Same"}) for b in loop_diagram.loop_labels]
    doubled = loop_diagram.model_copy(update={"loop_labels": twice})
    with pytest.raises(ExportError, match="3 loops are called 'Same'"):
        export.find_loop(analysis, "Same", doubled)
    picture = export.make_picture(loop_diagram, analysis, ExportOptions(loop="virtuous cycle"))
    assert picture.highlighted_loop is analysis.by_name("R2")
