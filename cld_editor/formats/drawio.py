"""draw.io (diagrams.net) export: an uncompressed ``.drawio`` file with the diagram as drawn.

Each variable is a text vertex at its place (draw.io's geometry is the top-left corner), CX/EX
coloured; each link a curved edge whose waypoint is the arc's middle, with the sign (and ``||``
for a delay) as its label near the arrowhead; loop labels are small round vertices with their
name. Notes become each vertex's tooltip.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from ..analysis.loops import Budget, find_loops
from ..core.model import Diagram
from .arcs import apex
from .conversion import ConversionReport
from .graphml import node_size
from .palette import DOMAIN_COLOURS, INK, SIGN_COLOURS

SIGN_TEXT = {"+": "+", "-": "−", "?": "?"}
FONT = {d: c.badge for d, c in DOMAIN_COLOURS.items() if d is not None} | {None: INK}


def write_drawio(diagram: Diagram, report: ConversionReport) -> bytes:
    cells = ['        <mxCell id="0"/>', '        <mxCell id="1" parent="0"/>']
    cell = {v.id: f"v{i + 1}" for i, v in enumerate(diagram.variables)}
    where = {v.id: (v.x, v.y) for v in diagram.variables}
    for v in diagram.variables:
        width, height = node_size(v.label)
        style = (
            "text;html=0;whiteSpace=wrap;align=center;verticalAlign=middle;"
            f"fontColor={FONT[v.domain]};"
        )
        tooltip = f" tooltip={quoteattr(v.notes)}" if v.notes else ""
        cells.append(
            f'        <mxCell id="{cell[v.id]}" value={quoteattr(v.label)} style="{style}" '
            f'vertex="1" parent="1"{tooltip}>'
            f'<mxGeometry x="{v.x - width / 2:.2f}" y="{v.y - height / 2:.2f}" '
            f'width="{width:.1f}" height="{height:.1f}" as="geometry"/></mxCell>'
        )
    for i, link in enumerate(diagram.links):
        sign = SIGN_TEXT[link.polarity] + (" ||" if link.delay else "")
        style = (
            "curved=1;endArrow=classic;html=0;strokeColor=#555555;"
            f"fontColor={SIGN_COLOURS[link.polarity]};labelBackgroundColor=none;"
        )
        points = ""
        if abs(link.curvature) > 1e-3 and link.source != link.target:
            hx, hy = apex(where[link.source], where[link.target], link.curvature)
            points = f'<Array as="points"><mxPoint x="{hx:.2f}" y="{hy:.2f}"/></Array>'
        cells.append(
            f'        <mxCell id="e{i + 1}" value={quoteattr(sign)} style="{style}" edge="1" '
            f'parent="1" source="{cell[link.source]}" target="{cell[link.target]}">'
            f'<mxGeometry x="0.8" relative="1" as="geometry">{points}</mxGeometry></mxCell>'
        )
    if diagram.loop_labels:
        names = {lk.key: lk.name for lk in find_loops(diagram, Budget(time_limit=5.0)).loops}
        for i, label in enumerate(diagram.loop_labels):
            text = label.name or names.get(label.loop_key, "loop")
            cells.append(
                f'        <mxCell id="loop{i + 1}" value={quoteattr(text)} '
                'style="ellipse;whiteSpace=wrap;fillColor=none;strokeColor=#888888;" '
                'vertex="1" parent="1">'
                f'<mxGeometry x="{label.x - 18:.2f}" y="{label.y - 18:.2f}" width="36" '
                'height="36" as="geometry"/></mxCell>'
            )
    body = "\n".join(cells)
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<mxfile host="cld-editor">\n'
        f'  <diagram id="cld" name={quoteattr(diagram.title)}>\n'
        '    <mxGraphModel grid="0" arrows="1" connect="1" page="0">\n'
        "      <root>\n"
        f"{body}\n"
        "      </root>\n"
        "    </mxGraphModel>\n"
        "  </diagram>\n"
        "</mxfile>\n"
    )
    if diagram.loop_labels:
        report.note("Loop labels are drawn as round shapes; draw.io does not know they are loops.")
    return text.encode("utf-8")
