"""Graphviz DOT export: variables as text nodes pinned where the diagram puts them.

Signs are edge labels at the arrowhead (``headlabel``), ``+`` blue and ``−`` red as the editor
draws them, a delay adds ``||`` beside the sign, and bent links keep their bend as a spline
control point only in spirit: Graphviz routes edges itself, so curvature is left out (said in
the report). Positions are in points (1/72 inch) with y flipped, as Graphviz's y axis goes up;
``neato -n2 -Tsvg`` draws the diagram where it is, ``dot`` lays it out anew. Loop labels are
small circle nodes with the loop's name (R1, B2) and a custom name beside it.
"""

from __future__ import annotations

from ..analysis.loops import Budget, find_loops
from ..core.model import Diagram
from .conversion import ConversionReport
from .palette import DOMAIN_COLOURS as PALETTE
from .palette import SIGN_COLOURS

COLOURS = SIGN_COLOURS
SIGN_TEXT = {"+": "+", "-": "−", "?": "?"}
DOMAIN_COLOURS = {d: c.badge for d, c in PALETTE.items() if d is not None}


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_dot(diagram: Diagram, report: ConversionReport) -> bytes:
    lines = [
        f"digraph {quoted(diagram.title)} {{",
        "  graph [splines=true, outputorder=edgesfirst];",
        '  node [shape=plaintext, fontname="Helvetica"];',
        '  edge [fontname="Helvetica", arrowsize=0.8];',
    ]
    for v in diagram.variables:
        attrs = [f"label={quoted(v.label)}", f'pos="{v.x:.2f},{-v.y:.2f}!"']
        if v.domain:
            attrs.append(f'fontcolor="{DOMAIN_COLOURS[v.domain]}"')
        if v.notes:
            attrs.append(f"tooltip={quoted(v.notes)}")
        lines.append(f"  {quoted(v.id)} [{', '.join(attrs)}];")
    for link in diagram.links:
        sign = SIGN_TEXT[link.polarity] + (" ||" if link.delay else "")
        colour = COLOURS[link.polarity]
        lines.append(
            f"  {quoted(link.source)} -> {quoted(link.target)} "
            f'[headlabel={quoted(sign)}, fontcolor="{colour}", labeldistance=1.6];'
        )
    if diagram.loop_labels:
        names = {lk.key: lk.name for lk in find_loops(diagram, Budget(time_limit=5.0)).loops}
        for label in diagram.loop_labels:
            auto = names.get(label.loop_key, "loop")
            extra = f", xlabel={quoted(label.name)}" if label.name else ""
            lines.append(
                f"  {quoted(label.id)} [shape=circle, margin=0.02, fontsize=10, "
                f'color="#888888", label={quoted(auto)}{extra}, '
                f'pos="{label.x:.2f},{-label.y:.2f}!"];'
            )
    lines.append("}")
    if any(abs(link.curvature) > 1e-3 for link in diagram.links):
        report.note("Link bends are left out: Graphviz routes edges itself.")
    report.note('Positions are pinned (pos="x,y!"): draw with neato -n2 to keep them.')
    return ("\n".join(lines) + "\n").encode("utf-8")
