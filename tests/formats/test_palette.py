"""Every format that carries colours writes the editor's own (formats/palette.py): EX is
orange everywhere, never the green older exports used."""

from __future__ import annotations

import json

import pytest

from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.formats.conversion import ConversionReport
from cld_editor.formats.dot import write_dot
from cld_editor.formats.drawio import write_drawio
from cld_editor.formats.graphml import write_graphml
from cld_editor.formats.loopy import HUES, write_loopy
from cld_editor.formats.mermaid import write_mermaid
from cld_editor.formats.palette import DOMAIN_COLOURS


def diagram() -> Diagram:
    return Diagram(
        variables=[
            Variable(id="a", label="Service", domain="CX", x=0, y=0),
            Variable(id="b", label="Staff", domain="EX", x=200, y=0),
        ],
        links=[Link(id="l1", source="a", target="b"), Link(id="l2", source="b", target="a")],
    )


@pytest.mark.parametrize("write", [write_dot, write_drawio, write_graphml, write_mermaid])
def test_colour_formats_use_the_editors_domain_colours(write) -> None:
    report = ConversionReport("x")
    text = write(diagram(), report)
    text = (text.decode() if isinstance(text, bytes) else text).lower()
    assert "#2e8b57" not in text
    ex = DOMAIN_COLOURS["EX"]
    assert ex.badge in text or ex.fill in text or ex.border in text


def test_mermaid_classes_fill_and_stroke_as_the_canvas() -> None:
    text = write_mermaid(diagram(), ConversionReport("mermaid")).decode()
    ex = DOMAIN_COLOURS["EX"]
    assert f"classDef EX fill:{ex.fill},stroke:{ex.border}" in text


def test_loopy_writes_ex_in_loopys_orange() -> None:
    report = ConversionReport("loopy")
    data = write_loopy(diagram(), report)
    nodes = json.loads(data)[0]
    assert [node[5] for node in nodes] == [HUES["CX"], HUES["EX"]] == [4, 1]
    assert any("EX orange" in line for line in report.lines())


def test_the_canvas_draws_with_the_palette() -> None:
    pytest.importorskip("PySide6")
    from cld_editor.ui.drawing import render

    for domain, colours in DOMAIN_COLOURS.items():
        style = render.DOMAIN_STYLES[domain]
        assert style.fill.name() == colours.fill and style.badge.name() == colours.badge
