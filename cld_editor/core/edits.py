"""Every edit the program offers, as a Qt-free function from (document, ids, value) to an Op.

This is the one home of "what does this command do to the diagram": the canvas tools, the
window's menus and panels, the clipboard and the command line only choose ids and values, call
one of these functions and push what it returns. A function returns ``None`` when the edit would
change nothing (an empty selection, a polarity the links already have, a rename to the same
name), so a caller never pushes an empty undo step. Each function keeps only the records that
actually change, names the Op as the user sees it ("Undo Set polarity") and rounds positions the
way a saved file keeps them. Typed or pasted text loses its control characters (but line
breaks and tabs), which the records refuse. A variable's name must be free (:mod:`.names`): naming
or renaming one after another variable changes nothing, and pasted copies get free names. The Op
classes live in :mod:`cld_editor.core.ops`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from . import names, ops
from .document import Document
from .model import DEFAULT_CURVATURE, Link, LoopLabel, Variable
from .model import remove_control_characters as _typed
from .ops import Batch, Op
from .text import one_line
from .waterline import Span, default_waterline

NEXT_POLARITY = {"+": "-", "-": "?", "?": "+"}
#: Where a position is rounded to (a saved file keeps hundredths of a unit).
POSITION_DIGITS = 2


def _batch(parts: Sequence[Op], name: str) -> Op | None:
    """None for no part, the part itself for one, else one step named ``name``."""
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Batch(tuple(parts), name)


def _point(x: float, y: float) -> tuple[float, float]:
    # "+ 0.0" turns a rounded -0.0 into 0.0, which reads better in a saved file.
    return (round(x, POSITION_DIGITS) + 0.0, round(y, POSITION_DIGITS) + 0.0)


def added_ids(op: Op | None, table: ops.Table = "variables") -> list[str]:
    """The ids of the records ``op`` adds to ``table`` (to select them once it is pushed)."""
    if isinstance(op, ops.AddRecords):
        return [record.id for record in op.records] if op.table == table else []
    if isinstance(op, Batch):
        return [i for part in op.ops for i in added_ids(part, table)]
    return []


# -- deleting --------------------------------------------------------------------------------


def delete(
    doc: Document,
    variable_ids: Iterable[str] = (),
    link_ids: Iterable[str] = (),
    label_ids: Iterable[str] = (),
) -> Op | None:
    """Delete a selection; links of deleted variables go with them (listing them as well would
    remove them twice)."""
    variables = [i for i in dict.fromkeys(variable_ids) if i in doc.variables]
    doomed = set(variables)
    links = [
        i
        for i in dict.fromkeys(link_ids)
        if i in doc.links
        and doc.links[i].source not in doomed
        and doc.links[i].target not in doomed
    ]
    labels = [i for i in dict.fromkeys(label_ids) if i in doc.loop_labels]
    if not (variables or links or labels):
        return None
    return ops.delete(variables, links, labels)


def cut(doc: Document, variable_ids: Iterable[str]) -> Op | None:
    """Delete variables (and all their links) as one step named "Cut"."""
    variables = [i for i in dict.fromkeys(variable_ids) if i in doc.variables]
    if not variables:
        return None
    return Batch(ops.delete(variable_ids=variables).ops, "Cut")


# -- variables -------------------------------------------------------------------------------


def add_variable(doc: Document, label: str, x: float, y: float) -> Op | None:
    """A new variable named ``label`` centred at (x, y); None for an empty name or one another
    variable holds (:func:`names.is_taken`)."""
    label = _typed(label)
    if not label or names.is_taken(doc.variables.values(), label):
        return None
    x, y = _point(x, y)
    return ops.add_variable(Variable(id=doc.new_id("v"), label=label, x=x, y=y))


def rename_variable(doc: Document, variable_id: str, label: str) -> Op | None:
    """Rename a variable; None for an empty name (a label cannot be empty), the same one (also
    without the white space a file left at its ends, which the editors trim), or a name another
    variable holds (its own name in another case is fine)."""
    record = doc.variables.get(variable_id)
    label = _typed(label)
    if record is None or not label or label in (record.label, record.label.strip()):
        return None
    if names.is_taken(doc.variables.values(), label, own_id=variable_id):
        return None
    return ops.rename_variable(variable_id, label)


def set_domain(doc: Document, variable_ids: Iterable[str], domain: str | None) -> Op | None:
    """Tag variables customer ("CX"), employee ("EX") or neither (None)."""
    ids = [
        i
        for i in dict.fromkeys(variable_ids)
        if i in doc.variables and doc.variables[i].domain != domain
    ]
    return ops.set_domain(ids, domain) if ids else None


def set_notes(doc: Document, variable_id: str, notes: str) -> Op | None:
    record = doc.variables.get(variable_id)
    notes = _typed(notes)
    if record is None or notes == record.notes:
        return None
    return ops.update_variables({variable_id: {"notes": notes}}, "Edit notes")


def move(
    doc: Document,
    variables: Mapping[str, tuple[float, float]] = {},
    labels: Mapping[str, tuple[float, float]] = {},
    name: str | None = None,
) -> Op | None:
    """Move variables and loop labels to new centres as one undo step: a finished drag
    ("Move", or "Move loop label" for labels alone), Align or Distribute (``name``).

    A place is compared with the record's after the rounding a file keeps: the float error of a
    drag that went nowhere (Qt adds the mouse's travel to the start and takes it away again) is
    no move; None when nothing moves."""
    moved: dict[str, tuple[float, float]] = {}
    for variable_id, (x, y) in variables.items():
        record = doc.variables.get(variable_id)
        if record is not None and _point(x, y) != _point(record.x, record.y):
            moved[variable_id] = _point(x, y)
    placed: dict[str, dict[str, float]] = {}
    for label_id, (x, y) in labels.items():
        label = doc.loop_labels.get(label_id)
        if label is not None and _point(x, y) != _point(label.x, label.y):
            px, py = _point(x, y)
            placed[label_id] = {"x": px, "y": py}
    parts: list[Op] = []
    if moved:
        positions = {i: {"x": x, "y": y} for i, (x, y) in moved.items()}
        parts.append(ops.update_variables(positions, name or "Move"))
    if placed:
        parts.append(ops.update_loop_labels(placed, name or "Move loop label"))
    return _batch(parts, name or "Move")


def nudge(doc: Document, variable_ids: Iterable[str], dx: float, dy: float) -> Op | None:
    """Move variables by (dx, dy) (arrow keys; consecutive nudges merge on the undo stack)."""
    ids = [i for i in dict.fromkeys(variable_ids) if i in doc.variables]
    if not ids or (dx, dy) == (0, 0):
        return None
    variables = doc.variables
    return ops.move_variables({i: (variables[i].x + dx, variables[i].y + dy) for i in ids})


# -- links -----------------------------------------------------------------------------------


def add_link(
    doc: Document, source: str, target: str, curvature: float = DEFAULT_CURVATURE
) -> Op | None:
    """A new "+" link; None when an end is missing or such a link exists already."""
    if source not in doc.variables or target not in doc.variables:
        return None
    if doc.link_between(source, target) is not None:
        return None
    link = Link(id=doc.new_id("l"), source=source, target=target, curvature=curvature)
    return ops.add_link(link)


def set_polarity(doc: Document, link_ids: Iterable[str], polarity: str) -> Op | None:
    ids = [
        i for i in dict.fromkeys(link_ids) if i in doc.links and doc.links[i].polarity != polarity
    ]
    return ops.set_polarity(ids, polarity) if ids else None


def cycle_polarity(doc: Document, link_id: str) -> Op | None:
    """+ -> - -> ? -> + (a click on a link's sign)."""
    link = doc.links.get(link_id)
    return None if link is None else set_polarity(doc, [link_id], NEXT_POLARITY[link.polarity])


def set_delay(doc: Document, link_ids: Iterable[str], delay: bool) -> Op | None:
    ids = [i for i in dict.fromkeys(link_ids) if i in doc.links and doc.links[i].delay != delay]
    return ops.set_delay(ids, delay) if ids else None


def toggle_delay(doc: Document, link_ids: Iterable[str]) -> Op | None:
    """Switch the delay of links; a mixed selection is switched all on, as most editors do
    with a mixed checkbox."""
    ids = [i for i in dict.fromkeys(link_ids) if i in doc.links]
    if not ids:
        return None
    return set_delay(doc, ids, not all(doc.links[i].delay for i in ids))


def bend(doc: Document, link_id: str, curvature: float) -> Op | None:
    link = doc.links.get(link_id)
    if link is None or link.curvature == curvature:
        return None
    return ops.bend_link(link_id, curvature)


def straighten(doc: Document, link_ids: Iterable[str]) -> Op | None:
    parts = [
        ops.bend_link(i, 0.0)
        for i in dict.fromkeys(link_ids)
        if i in doc.links and doc.links[i].curvature != 0
    ]
    return _batch(parts, "Straighten links")


# -- pasting ---------------------------------------------------------------------------------


def paste(
    doc: Document,
    variables: Sequence[Variable],
    links: Sequence[Link],
    offset: tuple[float, float] = (0.0, 0.0),
) -> Op | None:
    """Add copies of records under fresh ids, moved by ``offset``, as one "Paste" step; links
    whose ends are not among ``variables`` are left out. A copy whose name is taken (by a
    variable of ``doc`` or an earlier copy) gets a free one, "Revenue" -> "Revenue 2"
    (:class:`names.FreeNames`, in time linear in the copies). :func:`added_ids` names the
    new variables."""
    if not variables:
        return None
    dx, dy = offset
    free = names.FreeNames(names.name_keys(doc.variables.values()))
    fresh: dict[str, str] = {}
    new_variables = []
    for variable in variables:
        fresh[variable.id] = doc.new_id("v")
        label = free.give(variable.label)
        x, y = _point(variable.x + dx, variable.y + dy)
        new_variables.append(
            variable.model_copy(update={"id": fresh[variable.id], "label": label, "x": x, "y": y})
        )
    new_links = [
        link.model_copy(
            update={
                "id": doc.new_id("l"),
                "source": fresh[link.source],
                "target": fresh[link.target],
            }
        )
        for link in links
        if link.source in fresh and link.target in fresh
    ]
    parts: list[Op] = [ops.AddRecords("variables", tuple(new_variables), name="Paste")]
    if new_links:
        parts.append(ops.AddRecords("links", tuple(new_links), name="Paste"))
    return Batch(tuple(parts), "Paste")


# -- loop labels -----------------------------------------------------------------------------


def show_loop_label(
    doc: Document, members: Sequence[str], x: float, y: float, name: str | None = None
) -> Op | None:
    """A label for the loop through ``members`` (in the order it runs), centred at (x, y) and
    named ``name`` (None: the loop's own name such as R1), in one step."""
    if not members:
        return None
    name = one_line(_typed(name or "")) or None
    x, y = _point(x, y)
    label = LoopLabel(id=doc.new_id("loop"), loop=list(members), x=x, y=y, name=name)
    if name:
        return ops.AddRecords("loop_labels", (label,), name="Show named loop label")
    return ops.add_loop_label(label)


def rename_loop_label(doc: Document, label_id: str, name: str) -> Op | None:
    """Rename a label; an empty name goes back to the loop's own name (R1, B2, ...)."""
    label = doc.loop_labels.get(label_id)
    cleaned = one_line(_typed(name)) or None
    if label is None or cleaned == label.name:
        return None
    return ops.update_loop_labels({label_id: {"name": cleaned}}, "Rename loop label")


def remove_loop_labels(doc: Document, label_ids: Iterable[str]) -> Op | None:
    ids = [i for i in dict.fromkeys(label_ids) if i in doc.loop_labels]
    return ops.remove_loop_labels(ids) if ids else None


# -- the diagram -----------------------------------------------------------------------------


def show_waterline(
    doc: Document,
    show: bool,
    spans: Mapping[str, Span] | None = None,
    marks: Sequence[Span] = (),
) -> Op | None:
    """Show the waterline where :func:`waterline.default_waterline` says (``spans`` and ``marks`` as
    drawn), or hide it."""
    if show == (doc.waterline is not None):
        return None
    if show:
        y = default_waterline(doc, spans, marks)
        return ops.SetDiagramProperties({"waterline": y}, "Show waterline")
    return ops.SetDiagramProperties({"waterline": None}, "Hide waterline")


def move_waterline(doc: Document, y: float) -> Op | None:
    y = round(y, 1)
    if doc.waterline is None or y == doc.waterline:
        return None
    return ops.SetDiagramProperties({"waterline": y}, name="Move waterline")


def set_title(doc: Document, title: str) -> Op | None:
    """Rename the diagram; an empty title becomes "Untitled"."""
    title = _typed(title).strip() or "Untitled"
    if title == doc.title:
        return None
    return ops.SetDiagramProperties({"title": title}, "Rename diagram")


def set_description(doc: Document, text: str) -> Op | None:
    text = _typed(text)
    if text == doc.description:
        return None
    return ops.SetDiagramProperties({"description": text}, "Edit description")
