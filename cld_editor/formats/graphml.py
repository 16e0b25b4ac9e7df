"""GraphML export that yEd draws as the diagram and networkx reads as the same graph.

Nodes carry their label, domain, notes and centre (``cx``, ``cy``) as plain GraphML ``<data>``,
edges their polarity, delay and curvature, so networkx (``read_graphml``) and other GraphML
tools get the whole causal structure. For yEd each node also has a ``y:ShapeNode`` (geometry
with its top-left corner, the label) and each edge a ``y:ArcEdge`` or ``y:PolyLineEdge`` with
the sign as its label; loop labels become small labelled nodes of their own only in yEd's
drawing, never in the graph (they are written as a graph-level note instead).
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from ..core.model import Diagram
from .arcs import apex
from .conversion import ConversionReport
from .palette import DOMAIN_COLOURS, SIGN_COLOURS

SIGN_TEXT = {"+": "+", "-": "−", "?": "?"}
FILL = {d: c.fill for d, c in DOMAIN_COLOURS.items()}
KEYS = [
    ("node", "label", "string"),
    ("node", "domain", "string"),
    ("node", "notes", "string"),
    ("node", "cx", "double"),
    ("node", "cy", "double"),
    ("edge", "polarity", "string"),
    ("edge", "delay", "boolean"),
    ("edge", "curvature", "double"),
]


def node_size(label: str) -> tuple[float, float]:
    lines = label.split("\n") or [""]
    width = max(60.0, 8.0 * max(len(line) for line in lines) + 20)
    return width, 18.0 * len(lines) + 14


def write_graphml(diagram: Diagram, report: ConversionReport) -> bytes:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:y="http://www.yworks.com/xml/graphml">',
    ]
    for kind, name, kind_type in KEYS:
        out.append(f'  <key id="{name}" for="{kind}" attr.name="{name}" attr.type="{kind_type}"/>')
    out.append('  <key id="ng" for="node" yfiles.type="nodegraphics"/>')
    out.append('  <key id="eg" for="edge" yfiles.type="edgegraphics"/>')
    out.append(f'  <graph id={quoteattr(diagram.title)} edgedefault="directed">')
    where = {}
    for v in diagram.variables:
        width, height = node_size(v.label)
        where[v.id] = (v.x, v.y)
        out.append(f"    <node id={quoteattr(v.id)}>")
        out.append(f'      <data key="label">{escape(v.label)}</data>')
        if v.domain:
            out.append(f'      <data key="domain">{v.domain}</data>')
        if v.notes:
            out.append(f'      <data key="notes">{escape(v.notes)}</data>')
        out.append(f'      <data key="cx">{v.x!r}</data>')
        out.append(f'      <data key="cy">{v.y!r}</data>')
        out.append(
            '      <data key="ng"><y:ShapeNode>'
            f'<y:Geometry x="{v.x - width / 2:.2f}" y="{v.y - height / 2:.2f}" '
            f'width="{width:.1f}" height="{height:.1f}"/>'
            f'<y:Fill color="{FILL[v.domain]}" transparent="false"/>'
            '<y:BorderStyle hasColor="false" type="line" width="1.0"/>'
            f"<y:NodeLabel>{escape(v.label)}</y:NodeLabel>"
            '<y:Shape type="roundrectangle"/></y:ShapeNode></data>'
        )
        out.append("    </node>")
    for link in diagram.links:
        sign = SIGN_TEXT[link.polarity] + (" ||" if link.delay else "")
        out.append(
            f"    <edge id={quoteattr(link.id)} source={quoteattr(link.source)} "
            f"target={quoteattr(link.target)}>"
        )
        out.append(f'      <data key="polarity">{link.polarity}</data>')
        out.append(f'      <data key="delay">{"true" if link.delay else "false"}</data>')
        out.append(f'      <data key="curvature">{link.curvature!r}</data>')
        points = ""
        if abs(link.curvature) > 1e-3 and link.source != link.target:
            hx, hy = apex(where[link.source], where[link.target], link.curvature)
            points = (
                '<y:Path sx="0.0" sy="0.0" tx="0.0" ty="0.0">'
                f'<y:Point x="{hx:.2f}" y="{hy:.2f}"/></y:Path>'
            )
        colour = SIGN_COLOURS[link.polarity]
        out.append(
            '      <data key="eg"><y:QuadCurveEdge straightness="0.1">'
            f"{points}"
            '<y:LineStyle color="#555555" type="line" width="1.0"/>'
            '<y:Arrows source="none" target="standard"/>'
            f'<y:EdgeLabel textColor="{colour}" modelName="six_pos" modelPosition="thead">'
            f"{escape(sign)}</y:EdgeLabel></y:QuadCurveEdge></data>"
        )
        out.append("    </edge>")
    out.append("  </graph>")
    out.append("</graphml>")
    if diagram.loop_labels:
        report.note("Loop labels are left out (GraphML has no loop markers).")
    report.note("Bends are drawn by yEd as quadratic curves through each link's middle point.")
    return ("\n".join(out) + "\n").encode("utf-8")
