"""Writing a diagram as XMILE 1.0 (``.xmile``; Stella opens it as ``.stmx`` too).

Each variable is an ``<aux>`` with its notes in ``<doc>`` and, because a causal-loop diagram has
no equations, ``A FUNCTION OF``-like bookkeeping is not invented: the aux carries no ``<eqn>``
(Stella warns and opens it). The view places each aux at its centre, a ``<connector>`` per link
with ``polarity`` (none for ``?``) and ``angle`` (the tangent at its start), and a
``<text_box>`` per loop label. What XMILE has no words for (CX/EX domain, delay marks, our ids,
the exact loop of a label) goes into attributes of cld-editor's namespace, which other tools
ignore and :mod:`cld_editor.formats.xmile_read` reads back.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .. import __version__
from ..analysis.loops import Budget, find_loops
from ..core.model import Diagram
from .arcs import xmile_angle
from .conversion import ConversionReport
from .xmile_read import CLD_NS, xmile_key, xmile_label

XMILE_NS = "http://docs.oasis-open.org/xmile/ns/XMILE/v1.0"
ISEE_NS = "http://iseesystems.com/XMILE"


def xmile_names(diagram: Diagram, report: ConversionReport) -> dict[str, str]:
    taken: set[str] = {"time"}
    names: dict[str, str] = {}
    for v in diagram.variables:
        lines = [" ".join(line.split()) for line in v.label.split("\n")]
        base = "\\n".join(line for line in lines if line) or v.id
        if not xmile_key(base):  # only underscores: XMILE reads them as spaces, no name
            base = f"variable {v.id}" if xmile_key(v.id) else "variable"
        name, n = base, 1
        while xmile_key(name) in taken:
            n += 1
            name = f"{base} {n}"
        if n > 1:
            report.count(
                f"{base!r} was renamed {name!r} (XMILE names must differ)",
                "{n} variables were renamed to make XMILE names unique",
                f"{base} → {name}",
            )
        taken.add(xmile_key(name))
        names[v.id] = name
    return names


def write_xmile(diagram: Diagram, report: ConversionReport) -> bytes:
    names = xmile_names(diagram, report)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<xmile version="1.0" xmlns="{XMILE_NS}" xmlns:isee="{ISEE_NS}" xmlns:cld="{CLD_NS}">',
        "  <header>",
        '    <smile version="1.0"/>',
        f"    <name>{escape(diagram.title)}</name>",
        "    <vendor>cld-editor</vendor>",
        f'    <product version="{__version__}">cld-editor</product>',
        *(
            [f"    <cld:description>{escape(diagram.description)}</cld:description>"]
            if diagram.description
            else []
        ),
        "  </header>",
        "  <sim_specs><start>0</start><stop>100</stop><dt>1</dt></sim_specs>",
        "  <model>",
        "    <variables>",
    ]
    for v in diagram.variables:
        attrs = f"name={quoteattr(names[v.id])} cld:id={quoteattr(v.id)}"
        if xmile_label(names[v.id]) != v.label:
            # XMILE names read spaces and underscores alike: the exact label rides along.
            attrs += f" cld:label={quoteattr(v.label)}"
        if v.domain:
            attrs += f' cld:domain="{v.domain}"'
        doc = f"<doc>{escape(v.notes)}</doc>" if v.notes else ""
        out.append(f"      <aux {attrs}>{doc}</aux>")
    dx, dy = _page_shift(diagram, report)
    # The iceberg waterline rides on the view, in cld-editor's namespace (Stella ignores it).
    water = "" if diagram.waterline is None else f' cld:waterline="{_num(diagram.waterline + dy)}"'
    # How far the drawing was moved onto the page, so that cld-editor moves it back.
    moved = f' cld:moved="{dx:g} {dy:g}"' if dx or dy else ""
    out += ["    </variables>", "    <views>", f'      <view type="stock_flow"{water}{moved}>']
    where = {v.id: (v.x, v.y) for v in diagram.variables}
    for v in diagram.variables:
        out.append(
            f'        <aux x="{_num(v.x + dx)}" y="{_num(v.y + dy)}" '
            f"name={quoteattr(names[v.id])}/>"
        )
    for uid, link in enumerate(diagram.links, start=1):
        attrs = f'uid="{uid}"'
        if link.polarity != "?":
            attrs += f' polarity="{link.polarity}"'
        if link.source != link.target:
            angle = xmile_angle(where[link.source], where[link.target], link.curvature)
            attrs += f' angle="{angle:.4f}"'
        if link.delay:
            attrs += ' cld:delay="true"'
        out.append(
            f"        <connector {attrs}><from>{escape(names[link.source])}</from>"
            f"<to>{escape(names[link.target])}</to></connector>"
        )
    if diagram.loop_labels:
        loops = {loop.key: loop for loop in find_loops(diagram, Budget(time_limit=5.0)).loops}
        for label in diagram.loop_labels:
            loop = loops.get(label.loop_key)
            text = loop.name if loop else "R"
            members = "\t".join(names[m] for m in label.loop if m in names)
            extra = f" cld:name={quoteattr(label.name)}" if label.name else ""
            out.append(
                f'        <text_box x="{_num(label.x + dx)}" y="{_num(label.y + dy)}" '
                f"cld:loop={quoteattr(members)}{extra}>{escape(label.name or text)}</text_box>"
            )
        report.note("Loop labels were written as text boxes (XMILE has no standard loop marker).")
    out += ["      </view>", "    </views>", "  </model>", "</xmile>"]
    if any(link.delay for link in diagram.links):
        report.note(
            "Delay marks are kept in a cld-editor attribute; Stella and other tools do not "
            "show them."
        )
    if any(v.domain for v in diagram.variables):
        report.note("Domains (CX/EX) are kept in a cld-editor attribute other tools ignore.")
    unsigned = sum(1 for link in diagram.links if link.polarity == "?")
    if unsigned:
        report.note(f"{unsigned:,} link(s) of sign ? were written without a polarity.")
    return ("\n".join(out) + "\n").encode("utf-8")


#: Where a drawing that reaches left of or above the page's corner starts once moved.
MARGIN = 20


def _page_shift(diagram: Diagram, report: ConversionReport) -> tuple[float, float]:
    """How far to move a drawing that reaches left of or above (0, 0), where Stella's page
    starts, so that it starts MARGIN inside; (0, 0) for one that does not."""
    from ..layout.boxes import estimated_size

    sizes = {v.id: estimated_size(v.label) for v in diagram.variables}
    lefts = [v.x - sizes[v.id][0] / 2 for v in diagram.variables]
    tops = [v.y - sizes[v.id][1] / 2 for v in diagram.variables]
    lefts += [label.x - 15 for label in diagram.loop_labels]
    tops += [label.y - 15 for label in diagram.loop_labels]
    dx = float(round(MARGIN - min(lefts))) if lefts and min(lefts) < 0 else 0.0
    dy = float(round(MARGIN - min(tops))) if tops and min(tops) < 0 else 0.0
    if dx or dy:
        report.note(
            f"The drawing was moved by ({dx:g}, {dy:g}) pixels so it starts inside the page "
            "(its shape is unchanged; cld-editor moves it back when it reads the file)."
        )
    return dx, dy


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
