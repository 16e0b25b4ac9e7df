"""The export-only formats: DOT, Mermaid, draw.io and GraphML hold every variable and link with
its sign, and say what they leave out."""

from __future__ import annotations

from pathlib import Path

import defusedxml.ElementTree as ET
import pytest

from cld_editor.formats.registry import export_bytes, read_diagram

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "resources" / "examples" / "experience-loop.cld.json"
)


@pytest.fixture(scope="module")
def diagram():
    return read_diagram(EXAMPLE)[0]


def test_dot(diagram) -> None:
    report, data = export_bytes(diagram, None, "dot")
    text = data.decode()
    assert text.startswith("digraph ")
    for v in diagram.variables:
        assert f'"{v.id}" [label=' in text
    assert text.count(" -> ") == len(diagram.links)
    assert 'headlabel="−' in text or 'headlabel="+' in text
    if any(lk.delay for lk in diagram.links):
        assert "||" in text
    assert f'pos="{diagram.variables[0].x:.2f},{-diagram.variables[0].y:.2f}!"' in text
    assert any("neato" in line for line in report.lines())


def test_mermaid(diagram) -> None:
    report, data = export_bytes(diagram, None, "mermaid")
    lines = data.decode().splitlines()
    assert "flowchart LR" in lines
    edges = [lk for lk in lines if "-->|" in lk or "-.->|" in lk]
    assert len(edges) == len(diagram.links)
    assert sum("-.->" in e for e in edges) == sum(lk.delay for lk in diagram.links)
    assert any("positions" in line for line in report.lines())


def test_mermaid_escapes_quotes() -> None:
    from cld_editor.core.model import Diagram

    tricky = Diagram.model_validate(
        {"variables": [{"id": "a", "label": 'Say "hi" <b>', "x": 0, "y": 0}]}
    )
    _, data = export_bytes(tricky, None, "mermaid")
    assert 'v1["Say #quot;hi#quot; #lt;b#gt;"]' in data.decode()


def test_drawio(diagram) -> None:
    _, data = export_bytes(diagram, None, "drawio")
    root = ET.fromstring(data)
    cells = root.findall(".//mxCell")
    vertices = [c for c in cells if c.get("vertex") == "1"]
    edges = [c for c in cells if c.get("edge") == "1"]
    assert len(vertices) == len(diagram.variables) + len(diagram.loop_labels)
    assert len(edges) == len(diagram.links)
    first = vertices[0].find("mxGeometry")
    width = float(first.get("width"))
    assert float(first.get("x")) + width / 2 == pytest.approx(diagram.variables[0].x, abs=0.01)
    assert {e.get("value").split()[0] for e in edges} <= {"+", "−", "?"}


def test_graphml_has_yed_geometry(diagram) -> None:
    _, data = export_bytes(diagram, None, "graphml")
    root = ET.fromstring(data)
    y = "{http://www.yworks.com/xml/graphml}"
    geometry = root.findall(f".//{y}Geometry")
    assert len(geometry) == len(diagram.variables)
    assert len(root.findall(f".//{y}EdgeLabel")) == len(diagram.links)


_DOT_ID = r'"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_.]*|-?\d+(?:\.\d+)?'
_DOT_ATTRS = rf"\[\s*(?:(?:{_DOT_ID})\s*=\s*(?:{_DOT_ID})\s*,?\s*)*\]"


def test_the_dot_file_is_well_formed(diagram) -> None:
    """Every statement of the DOT file parses by Graphviz's grammar (quoted ids with escapes,
    attribute lists), with one node per variable and loop label and one edge per link: checked
    here, without Graphviz, which pip does not install."""
    import re

    _, data = export_bytes(diagram, None, "dot")
    lines = data.decode().splitlines()
    assert re.fullmatch(rf"digraph (?:{_DOT_ID}) \{{", lines[0]) and lines[-1] == "}"
    nodes = edges = 0
    for line in lines[1:-1]:
        line = line.strip()
        if re.fullmatch(rf"(?:graph|node|edge) {_DOT_ATTRS};", line):
            continue
        if re.fullmatch(rf"(?:{_DOT_ID}) -> (?:{_DOT_ID})\s*(?:{_DOT_ATTRS})?;", line):
            edges += 1
        elif re.fullmatch(rf"(?:{_DOT_ID})\s*(?:{_DOT_ATTRS})?;", line):
            nodes += 1
        else:
            raise AssertionError(f"not a DOT statement: {line}")
    assert nodes == len(diagram.variables) + len(diagram.loop_labels)
    assert edges == len(diagram.links)
