"""Reading XMILE models (``.xmile``, Stella's ``.stmx``, iThink's ``.itmx``) as diagrams.

Variables are the model's ``<aux>``, ``<stock>``, ``<flow>`` and ``<module>`` elements (notes
from ``<doc>``), placed where the ``<view>`` draws them (several views in rows; aliases
merged into their variable). Links: a variable with an equation is linked from what the equation
uses, a stock from its inflows (+) and outflows (-); a ``<connector>`` gives the sign
(``polarity``) and the bend (``angle``, the tangent at the start), and makes the link itself
where the model has no equation (a causal-loop diagram drawn in Stella). Text boxes that read
like loop markers ("R1", "B") become loop labels; cld-editor's own files carry the exact loop
and the CX/EX domain in attributes of its namespace.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from xml.etree.ElementTree import Element

from ..core.model import MAX_COORDINATE, Diagram
from .arcs import clamp_curvature, curvature_from_angle
from .conversion import ConversionReport, FormatError
from .importing import AUTO_LOOP_NAME, DiagramBuilder
from .sd_polarity import fill_unsigned
from .vensim_equations import references
from .views import extent_of, view_shifts
from .xml_safe import attribute, child, children, local, parse_xml

CLD_NS = "https://cld-editor.org/xmile"
KINDS = ("aux", "stock", "flow", "module")


def xmile_key(name: str) -> str:
    """XMILE matches names case-insensitively, with spaces, underscores and line breaks alike."""
    name = name.strip()
    if len(name) >= 2 and name[0] == '"' and name[-1] == '"':
        name = name[1:-1]
    return re.sub(r"(\\n|[\s_])+", " ", name).strip().lower()


def xmile_label(name: str) -> str:
    """A name as a label: ``\\n`` (XMILE's line break in a name) a line break, ``_`` a space."""
    lines = re.split(r"\s*\\n\s*", name)
    return "\n".join(re.sub(r"[_\s]+", " ", line).strip() for line in lines).strip()


def read_xmile(
    data: bytes,
    report: ConversionReport,
    title: str = "Untitled",
    infer: Callable[[], dict[tuple[str, str], str] | None] | None = None,
) -> Diagram:
    root = parse_xml(data)
    if local(root.tag) != "xmile":
        raise FormatError(f"not an XMILE file (the root element is <{local(root.tag)}>)", 1)
    models = children(root, "model")
    if not models:
        raise FormatError("no <model> in the file", 1)
    if len(models) > 1:
        report.note(f"Only the first of the file's {len(models)} models was read.")
    model = models[0]
    header = child(root, "header")
    name = child(header, "name") if header is not None else None
    if name is not None and (name.text or "").strip():
        title = name.text.strip()  # type: ignore[union-attr]
    builder = DiagramBuilder(report)
    variables = _variables(model, builder, report)
    # cld-editor marks what it writes with its own namespace; other tools draw smaller boxes.
    builder.drawn_elsewhere = not any(_ours(e, "id") for e in variables.values())
    shifts = _view_positions(model, builder, report, variables)
    has_equations = _equation_links(builder, variables)
    _connectors(model, builder, report, variables)
    _text_boxes(model, builder, report, shifts)
    fill_unsigned(builder, report, infer if has_equations else None)
    if has_equations:
        report.note(
            "Equations, units and simulation settings are not kept: cld-editor keeps the "
            "variables, the causal links and their signs."
        )
    ours = f"{{{CLD_NS}}}description"
    described = next((e for e in header if e.tag == ours), None) if header is not None else None
    diagram = builder.build(title, (described.text or "") if described is not None else "")
    waterline = _waterline(model)
    if waterline is not None:
        diagram = diagram.model_copy(update={"waterline": waterline})
    return diagram


def _waterline(model: Element) -> float | None:
    """The iceberg waterline cld-editor wrote on the first view (its y is the canvas's)."""
    views = _views(model)
    if not views or not _ours(views[0], "waterline"):
        return None
    y = _float(views[0].get(f"{{{CLD_NS}}}waterline")) - _moved(views[0])[1]
    if not math.isfinite(y) or abs(y) > MAX_COORDINATE:
        raise FormatError(f"the waterline is out of range ({y})")
    return y


def _variables(model: Element, builder: DiagramBuilder, report: ConversionReport) -> dict:
    """Every variable element by key; each is added to the builder without a position."""
    out: dict[str, Element] = {}
    container = child(model, "variables")
    if container is None:
        return out
    for element in container:
        kind = local(element.tag)
        if kind not in KINDS:
            continue  # groups, dependencies and other bookkeeping
        name = element.get("name")
        if not name:
            raise FormatError(f"a <{kind}> has no name")
        key = xmile_key(name)
        if key in out:
            continue
        doc = child(element, "doc")
        domain = attribute(element, "domain") if _ours(element, "domain") else None
        builder.add_variable(
            key,
            element.get(f"{{{CLD_NS}}}label") or xmile_label(name),
            notes=(doc.text or "").strip() if doc is not None else "",
            domain=domain if domain in ("CX", "EX") else None,
            preferred_id=element.get(f"{{{CLD_NS}}}id"),
        )
        out[key] = element
    return out


def _ours(element: Element, name: str) -> bool:
    return f"{{{CLD_NS}}}{name}" in element.attrib


def _views(model: Element) -> list[Element]:
    views = child(model, "views")
    if views is None:
        return []
    # Stella's interface pages are views too; only the model diagrams are read.
    return [v for v in children(views, "view") if v.get("type", "stock_flow") == "stock_flow"]


def _view_positions(
    model: Element, builder: DiagramBuilder, report: ConversionReport, variables: dict
) -> list[tuple[float, float]]:
    """Place the variables where the views draw them (several views in rows, see
    :mod:`.views`); returns how far each view's drawing moved."""
    views = _views(model)
    placed = [
        [e for e in view if e.get("x") is not None and e.get("y") is not None] for view in views
    ]
    shifts = view_shifts(
        [extent_of([(_float(e.get("x")), _float(e.get("y"))) for e in items]) for items in placed]
    )
    # A drawing cld-editor moved onto the page when it wrote the file goes back where it was.
    shifts = [
        (dx - mx, dy - my) for (dx, dy), (mx, my) in zip(shifts, map(_moved, views), strict=True)
    ]
    for items, (dx, dy) in zip(placed, shifts, strict=True):
        for element in items:
            kind = local(element.tag)
            name = element.get("name")
            if kind in KINDS and name and xmile_key(name) in variables:
                key = xmile_key(name)
                if builder.position(key) is None:
                    builder.set_position(
                        key, _float(element.get("x")) + dx, _float(element.get("y")) + dy
                    )
    if len(views) > 1:
        report.note(
            f"The model's {len(views)} views were placed on one canvas, in rows in their order.",
            drawing=True,
        )
    aliases = sum(1 for view in views for e in view if local(e.tag) == "alias")
    if aliases:
        report.note(f"{aliases:,} alias(es) (ghost copies) were merged into their variables.")
    return shifts


def _equation_links(builder: DiagramBuilder, variables: dict[str, Element]) -> bool:
    known = set(variables)
    found = False
    for key, element in variables.items():
        kind = local(element.tag)
        if kind == "stock":
            for tag, sign in (("inflow", "+"), ("outflow", "-")):
                for flow in children(element, tag):
                    source = xmile_key(flow.text or "")
                    if source in known:
                        builder.add_link(source, key, sign, curvature=0.0)
                        found = True
            continue
        eqn = child(element, "eqn")
        text = (eqn.text or "") if eqn is not None else ""
        if not text.strip():
            continue
        found = True
        for source in references(text, known):
            if source != key:
                builder.add_link(source, key, "?", curvature=0.0)
    return found


def _connectors(
    model: Element, builder: DiagramBuilder, report: ConversionReport, variables: dict
) -> None:
    for view in _views(model):
        aliases = {
            e.get("uid"): xmile_key(
                (child(e, "of").text or "") if child(e, "of") is not None else ""
            )
            for e in view
            if local(e.tag) == "alias"
        }
        where = {}
        for e in view:
            if local(e.tag) in KINDS and e.get("name") and e.get("x") is not None:
                where[xmile_key(e.get("name", ""))] = (_float(e.get("x")), _float(e.get("y")))
            elif local(e.tag) == "alias" and e.get("uid") and e.get("x") is not None:
                where["alias:" + e.get("uid", "")] = (_float(e.get("x")), _float(e.get("y")))
        for connector in children(view, "connector"):
            ends = []
            for tag in ("from", "to"):
                end = child(connector, tag)
                if end is None:
                    ends.append((None, None))
                    continue
                alias = child(end, "alias")
                if alias is not None:
                    uid = alias.get("uid")
                    ends.append((aliases.get(uid), where.get("alias:" + str(uid))))
                else:
                    key = xmile_key(end.text or "")
                    ends.append((key, where.get(key)))
            (source, p0), (target, p1) = ends
            if source not in variables or target not in variables:
                names = [
                    (child(connector, tag).text or "").strip() or "?"
                    if child(connector, tag) is not None
                    else "nothing"
                    for tag in ("from", "to")
                ]
                report.count(
                    "a connector to or from something that is not a variable was left out",
                    "{n} connectors to or from things that are not variables were left out",
                    f"{names[0].replace('_', ' ')} → {names[1].replace('_', ' ')}",
                )
                continue
            polarity = {"+": "+", "-": "-"}.get((connector.get("polarity") or "").strip(), "?")
            curvature = 0.0
            angle = connector.get("angle")
            if angle is not None and p0 is not None and p1 is not None:
                curvature = clamp_curvature(curvature_from_angle(p0, p1, _float(angle)))[0]
            delay = (attribute(connector, "delay") or "") == "true" and _ours(connector, "delay")
            pair = (source, target)
            if builder.has_link(source, target):
                link = builder.links_by_pair()[pair]
                if polarity != "?":
                    link["polarity"] = polarity
                link["curvature"] = round(curvature, 4) + 0.0
                link["delay"] = bool(link["delay"]) or delay
            elif _has_equation(variables[target]):
                report.count(
                    "a connector to a variable whose equation does not use its start made no link",
                    "{n} connectors to variables whose equations do not use their start made "
                    "no link",
                )
            else:
                builder.add_link(source, target, polarity, delay=delay, curvature=curvature)


def _has_equation(element: Element) -> bool:
    eqn = child(element, "eqn")
    return local(element.tag) == "stock" or (eqn is not None and bool((eqn.text or "").strip()))


def _text_boxes(
    model: Element,
    builder: DiagramBuilder,
    report: ConversionReport,
    shifts: list[tuple[float, float]],
) -> None:
    for view, (dx, dy) in zip(_views(model), shifts, strict=True):
        for box in view:
            if local(box.tag) not in ("text_box", "loop_indicator"):
                continue
            text = (box.text or "").strip()
            x, y = _float(box.get("x", "0")) + dx, _float(box.get("y", "0")) + dy
            loop = box.get(f"{{{CLD_NS}}}loop")
            name = box.get(f"{{{CLD_NS}}}name")
            if loop is not None:
                members = [xmile_key(m) for m in loop.split("\t") if m]
                builder.add_loop_marker(text, x, y, name=name or None, members=members)
            elif AUTO_LOOP_NAME.match(text) and text:
                builder.add_loop_marker(text, x, y)
            elif text:
                report.count(
                    "a text box was left out",
                    "{n} text boxes were left out",
                    repr(text[:30]),
                )


def _moved(view: Element) -> tuple[float, float]:
    """How far cld-editor moved a view's drawing onto the page when it wrote it (0, 0)."""
    parts = (view.get(f"{{{CLD_NS}}}moved") or "").split()
    if len(parts) != 2:
        return 0.0, 0.0
    dx, dy = _float(parts[0]), _float(parts[1])
    if not all(math.isfinite(v) and abs(v) <= MAX_COORDINATE for v in (dx, dy)):
        raise FormatError(f"the drawing's move is out of range ({dx}, {dy})")
    return dx, dy


def _float(text: str | None) -> float:
    try:
        return float(text or 0)
    except ValueError:
        raise FormatError(f"expected a number, found {text!r}") from None
