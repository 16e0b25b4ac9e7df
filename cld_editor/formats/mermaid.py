"""Mermaid flowchart export: a text diagram that GitHub, GitLab and many wikis draw.

``flowchart LR`` with one node per variable (``v1["Label"]``), one edge per link with its sign as
edge text (``-->|"+"|``), a dotted edge for a delayed link (``-.->|"− ||"|``) and CX/EX as
classes. Mermaid lays the chart out itself, so positions and bends are left out (said in the
report); loop labels are listed as ``%%`` comments.
"""

from __future__ import annotations

from ..analysis.loops import Budget, find_loops
from ..core.model import Diagram
from .conversion import ConversionReport
from .palette import DOMAIN_COLOURS, INK

SIGN_TEXT = {"+": "+", "-": "−", "?": "?"}


def _text(text: str) -> str:
    escaped = (
        text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    )
    return escaped.replace("\n", "<br>")


def write_mermaid(diagram: Diagram, report: ConversionReport) -> bytes:
    node = {v.id: f"v{i + 1}" for i, v in enumerate(diagram.variables)}
    lines = ["---", f"title: {_text(diagram.title)}", "---", "flowchart LR"]
    for v in diagram.variables:
        lines.append(f'    {node[v.id]}["{_text(v.label)}"]')
    for link in diagram.links:
        sign = SIGN_TEXT[link.polarity] + (" ||" if link.delay else "")
        arrow = "-.->" if link.delay else "-->"
        lines.append(f'    {node[link.source]} {arrow}|"{sign}"| {node[link.target]}')
    for domain in ("CX", "EX"):
        members = [node[v.id] for v in diagram.variables if v.domain == domain]
        if members:
            c = DOMAIN_COLOURS[domain]
            lines.append(f"    classDef {domain} fill:{c.fill},stroke:{c.border},color:{INK}")
            lines.append(f"    class {','.join(members)} {domain}")
    if diagram.loop_labels:
        loops = {lk.key: lk for lk in find_loops(diagram, Budget(time_limit=5.0)).loops}
        for label in diagram.loop_labels:
            loop = loops.get(label.loop_key)
            name = label.name or (loop.name if loop else "loop")
            path = " → ".join(_text(diagram_label(diagram, m)) for m in label.loop)
            lines.append(f"    %% loop {name}: {path}")
        report.note("Loop labels are listed as comments (Mermaid has no loop markers).")
    report.note("Mermaid lays the chart out itself: positions and bends are left out.")
    if any(v.notes for v in diagram.variables):
        report.note("Variables' notes are left out.")
    return ("\n".join(lines) + "\n").encode("utf-8")


def diagram_label(diagram: Diagram, variable_id: str) -> str:
    return next((v.label for v in diagram.variables if v.id == variable_id), variable_id)
