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


def test_graphviz_draws_the_dot_file(diagram, tmp_path: Path) -> None:
    import shutil
    import subprocess

    neato = shutil.which("neato")
    if neato is None:
        pytest.skip("Graphviz is not installed")
    _, data = export_bytes(diagram, None, "dot")
    source = tmp_path / "d.dot"
    source.write_bytes(data)
    result = subprocess.run(
        [neato, "-n2", "-Tsvg", str(source)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('class="node"') == len(diagram.variables) + len(diagram.loop_labels)
    assert result.stdout.count('class="edge"') == len(diagram.links)
