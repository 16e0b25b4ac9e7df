"""Every SVG and HTML the editor writes is well-formed XML, whatever the diagram's text holds:
checked by parsing the output with an XML parser (expat)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cld_editor.analysis.loops import find_loops
from cld_editor.core.model import Diagram, Link, LoopLabel, Variable
from cld_editor.formats.report import report_html
from cld_editor.ui.drawing import export
from cld_editor.ui.drawing.export import ExportOptions

#: Text a file or the editor lets through (markup, CDATA end, U+FFFE/U+FFFF, a line break, a
#: tab, emoji), and what only a program could build (control characters, a lone surrogate).
ALLOWED = "Staff <b>&amp; \"morale\" 'x' ]]> \ufffe\uffff\ttab\nline 😀 \u2028"
FORCED = "bell\x07 esc\x1b nul\x00 c1\x85 \ud800"


def hostile(text: str) -> Diagram:
    """A two-variable loop with ``text`` in every string the pictures and reports show, built
    without validation (as no file or edit could) so that even refused characters arrive."""
    variables = [
        Variable.model_construct(id="a", label="A " + text, domain="CX", x=0.0, y=0.0, notes=text),
        Variable.model_construct(id="b", label="B " + text, domain="EX", x=240.0, y=0.0, notes=""),
    ]
    links = [Link(id="l1", source="a", target="b"), Link(id="l2", source="b", target="a")]
    labels = [LoopLabel.model_construct(id="r", loop=["a", "b"], x=120.0, y=60.0, name=text)]
    base = Diagram()
    return base.model_copy(
        update={
            "title": "T " + text,
            "description": "D " + text + "\n\nsecond paragraph",
            "waterline": 30.0,
            "variables": variables,
            "links": links,
            "loop_labels": labels,
        }
    )


def parse(data: bytes | str) -> ET.Element:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return ET.fromstring(data)


@pytest.mark.parametrize("text", [ALLOWED, FORCED], ids=["allowed text", "forced text"])
def test_svg_export_is_well_formed_xml(qapp, text: str) -> None:
    diagram = hostile(text)
    analysis = find_loops(diagram)
    options = ExportOptions(title=True, legend=True, loop="R1")
    root = parse(export.picture_svg(export.make_picture(diagram, analysis, options)))
    shown = " ".join("".join(e.itertext()) for e in root.iter() if e.tag.endswith("text"))
    assert "Staff" in shown or "bell" in shown  # the text is there, only unholdable parts went


@pytest.mark.parametrize("text", [ALLOWED, FORCED], ids=["allowed text", "forced text"])
def test_html_report_is_well_formed_xml(qapp, text: str, tmp_path: Path) -> None:
    diagram = hostile(text)
    analysis = find_loops(diagram)
    svg = export.diagram_svg(diagram, analysis, ExportOptions(legend=True))
    root = parse(report_html(diagram, analysis, svg))
    assert root.tag == "html"
    body = "".join(root.find("body").itertext())
    assert ("<b>" in body) if text is ALLOWED else ("bell esc" in body)  # shown as typed
    # The files written by Export > Report: HTML, and Markdown's SVG beside it.
    [html] = export.write_report(diagram, analysis, tmp_path / "r.html")
    parse(html.read_bytes())
    for path in export.write_report(diagram, analysis, tmp_path / "r.md"):
        if path.suffix == ".svg":
            parse(path.read_bytes())
