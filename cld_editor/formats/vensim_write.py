"""Writing a diagram as a Vensim ``.mdl`` causal-loop diagram that Vensim (PLE too) opens cleanly.

Each variable gets ``Name = A FUNCTION OF( causes )`` (its incoming links' sources) with its
notes as the comment, then the four control equations Vensim expects, then one sketch view in
the ``V300`` syntax: a word per variable at its centre, an arrow per link (polarity character
``+``/``-``/``?``, ``dtype`` 65 for a delay mark and 64 otherwise, a curved arrow through the
arc's middle point), and a loop marker (shape 4 clockwise, 5 counter-clockwise, text on the
next line) per loop label, with a custom name as a comment just under it. Vensim names are
unique ignoring case, spaces and underscores, and live on one line: the writer makes them so and
says where it had to.
"""

from __future__ import annotations

import re

from ..analysis.loops import Budget, find_loops
from ..core.model import Diagram
from .arcs import STRAIGHT, apex
from .conversion import ConversionReport
from .vensim_equations import normalise
from .vensim_sketch import half_size

VIEW_DEFAULTS = (
    "$192-192-192,0,Times New Roman|12||0-0-0|0-0-0|0-0-255|-1--1--1|-1--1--1|96,96,100,0"
)
POLARITY_CODE = {"+": 43, "-": 45, "?": 63}
MARGIN = 20
_PLAIN_NAME = re.compile(r"^[^\W\d_][\w $']*$")
CONTROL = """********************************************************
\t.Control
********************************************************~
\t\tSimulation Control Parameters
\t|

FINAL TIME  = 100
\t~\tMonth
\t~\tThe final time for the simulation.
\t|

INITIAL TIME  = 0
\t~\tMonth
\t~\tThe initial time for the simulation.
\t|

SAVEPER  =
        TIME STEP
\t~\tMonth [0,?]
\t~\tThe frequency with which output is stored.
\t|

TIME STEP  = 1
\t~\tMonth [0,?]
\t~\tThe time step for the simulation.
\t|
"""


def vensim_names(diagram: Diagram, report: ConversionReport) -> dict[str, str]:
    """A unique Vensim name per variable id, quoted where Vensim needs quotes."""
    taken = {"final time", "initial time", "saveper", "time step", "time"}
    names: dict[str, str] = {}
    for v in diagram.variables:
        base = " ".join(v.label.split()) or v.id
        if base != v.label:
            report.count(
                "a label's line breaks or extra spaces became single spaces",
                "{n} labels' line breaks or extra spaces became single spaces",
            )
        reserved = base
        # A quote inside a name could be written \" for Vensim, but other readers of .mdl
        # files (simlin) then drop the variable: it becomes an apostrophe, and is said.
        base = base.replace('"', "'").replace("|", "/").replace("~", "-").replace("\\", "/")
        if base != reserved:
            report.count(
                "a label's \" | ~ or \\ became ' / or - (Vensim names keep them for themselves)",
                "{n} labels' \" | ~ or \\ became ' / or - (Vensim names keep them for themselves)",
                reserved,
            )
        if not normalise(base):  # only underscores: Vensim reads them as spaces, no name
            base = f"variable {v.id}" if normalise(v.id) else "variable"
            report.count(
                f"a label without letters or digits was named {base!r}",
                "{n} labels without letters or digits were given names",
            )
        name, n = base, 1
        while normalise(name) in taken:
            n += 1
            name = f"{base} {n}"
        if n > 1:
            report.count(
                f"{base!r} was renamed {name!r} (Vensim names must differ, ignoring case)",
                "{n} variables were renamed to make Vensim names unique",
                f"{base} → {name}",
            )
        taken.add(normalise(name))
        names[v.id] = name if _PLAIN_NAME.match(name) else f'"{name}"'
    return names


def write_vensim(diagram: Diagram, report: ConversionReport) -> bytes:
    names = vensim_names(diagram, report)
    causes: dict[str, list[str]] = {v.id: [] for v in diagram.variables}
    for link in diagram.links:
        causes[link.target].append(names[link.source])
    lines = ["{UTF-8}"]
    for v in diagram.variables:
        args = ",".join(causes[v.id])
        lines.append(
            f"{names[v.id]}  = A FUNCTION OF( {args})"
            if args
            else f"{names[v.id]}  = A FUNCTION OF( )"
        )
        lines.append("\t~\t")
        lines.append("\t~\t" + _comment(v.notes, report))
        lines.append("\t|")
        lines.append("")
    lines.append(CONTROL)
    lines.extend(_sketch(diagram, names, report))
    if any(v.domain for v in diagram.variables):
        report.note("Domains (CX/EX) are left out: Vensim has no place for them.")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _comment(notes: str, report: ConversionReport) -> str:
    if not notes:
        return ""
    cleaned = notes.replace("|", "/").replace("~", "-")
    if cleaned != notes:
        report.count(
            "a note's | or ~ became / or - (Vensim reserves them)",
            "{n} notes' | or ~ became / or - (Vensim reserves them)",
        )
    return "\n\t\t".join(line.strip() for line in cleaned.strip().splitlines())


def _sketch(diagram: Diagram, names: dict[str, str], report: ConversionReport) -> list[str]:
    sizes = {v.id: half_size(names[v.id]) for v in diagram.variables}
    left = min((v.x - sizes[v.id][0] for v in diagram.variables), default=0.0)
    top = min((v.y - sizes[v.id][1] for v in diagram.variables), default=0.0)
    for label in diagram.loop_labels:
        left, top = min(left, label.x - 15), min(top, label.y - 15)
    dx, dy = round(MARGIN - left), round(MARGIN - top)
    if dx or dy:
        report.note(
            f"The drawing was moved by ({dx}, {dy}) pixels so it starts inside Vensim's page "
            "(its shape is unchanged)."
        )
    out = [
        "\\\\\\---/// Sketch information - do not modify anything except names",
        "V300  Do not put anything below this section - it will be ignored",
        "*View 1",
        VIEW_DEFAULTS,
    ]
    number: dict[str, int] = {}
    where: dict[str, tuple[int, int]] = {}
    for v in diagram.variables:
        number[v.id] = len(number) + 1
        x, y = round(v.x + dx), round(v.y + dy)
        where[v.id] = (x, y)
        w, h = sizes[v.id]
        out.append(f"10,{number[v.id]},{names[v.id]},{x},{y},{w},{h},8,3,0,0,-1,0,0,0")
    next_id = len(number) + 1
    for link in diagram.links:
        p0, p1 = where[link.source], where[link.target]
        curved = abs(link.curvature) >= STRAIGHT and link.source != link.target
        if curved:
            hx, hy = apex(p0, p1, link.curvature)
            handle = f"({round(hx)},{round(hy)})"
        else:
            handle = "(0,0)"
        out.append(
            f"1,{next_id},{number[link.source]},{number[link.target]},{1 if curved else 0},0,"
            f"{POLARITY_CODE[link.polarity]},0,0,{65 if link.delay else 64},0,-1--1--1,,1|{handle}|"
        )
        next_id += 1
    if diagram.loop_labels:
        names_by_key = {
            loop.key: loop for loop in find_loops(diagram, Budget(time_limit=5.0)).loops
        }
        positions = {v.id: (v.x, v.y) for v in diagram.variables}
        for label in diagram.loop_labels:
            loop = names_by_key.get(label.loop_key)
            text = loop.name if loop else "R"
            points = [positions[m] for m in label.loop if m in positions]
            shape = 4 if _clockwise(points) else 5
            x, y = round(label.x + dx), round(label.y + dy)
            out.append(f"12,{next_id},0,{x},{y},15,15,{shape},4,0,0,-1,0,0,0")
            out.append(text)
            next_id += 1
            if label.name:
                out.append(f"12,{next_id},0,{x},{y + 22},40,9,8,4,0,0,-1,0,0,0")
                out.append(" ".join(label.name.split()))
                next_id += 1
        if any(label.loop_key not in names_by_key for label in diagram.loop_labels):
            report.note("Labels of loops the diagram no longer has were written as R markers.")
    out.append("///---\\\\\\")
    out.append(":L<%^E!@")
    return out


def _clockwise(points: list[tuple[float, float]]) -> bool:
    area = sum(
        x0 * points[(i + 1) % len(points)][1] - points[(i + 1) % len(points)][0] * y0
        for i, (x0, y0) in enumerate(points)
    )
    return area >= 0
