"""Hypothesis strategies for diagrams and for Ops drawn against a live Document.

Shared by tests/core and tests/formats (whose conftest puts this folder on sys.path). Values
reach the edges the format allows: unicode and line breaks in labels, -0.0 and huge or tiny
coordinates, self-links, ids that differ only in case.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import event
from hypothesis import strategies as st

from cld_editor.core import ops
from cld_editor.core.document import Document
from cld_editor.core.model import (
    MAX_COORDINATE,
    MAX_CURVATURE,
    Diagram,
    Link,
    LoopLabel,
    Variable,
)

# Hypothesis' text() leaves out surrogates, which a file cannot carry (tested separately).
_ID_CHARS = st.characters(blacklist_categories=("Cc", "Cs"))
id_tails = st.text(_ID_CHARS, min_size=1, max_size=8)
# Text may hold line breaks and tabs but no other control character (core.model.Label).
_TEXT_CHARS = st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from("\n\t")
labels = st.text(_TEXT_CHARS, max_size=20)
notes = st.text(_TEXT_CHARS, max_size=40)
coordinates = st.one_of(
    st.floats(-MAX_COORDINATE, MAX_COORDINATE, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, -0.0, 1e-300, -5e-324, 0.1, 123.456, MAX_COORDINATE]),
)
curvatures = st.floats(-MAX_CURVATURE, MAX_CURVATURE, allow_nan=False)
domains = st.sampled_from([None, "CX", "EX"])
polarities = st.sampled_from(["+", "-", "?"])


@st.composite
def variables(draw: st.DrawFn, variable_id: str) -> Variable:
    return Variable(
        id=variable_id,
        label=draw(labels),
        domain=draw(domains),
        x=draw(coordinates),
        y=draw(coordinates),
        notes=draw(notes),
    )


@st.composite
def diagrams(draw: st.DrawFn, max_variables: int = 7, max_links: int = 14) -> Diagram:
    """A valid diagram; ids get a prefix per table so tables never collide by accident."""
    tails = draw(st.lists(id_tails, unique=True, max_size=max_variables))
    var_ids = [f"v{tail}" for tail in tails]
    records = [draw(variables(i)) for i in var_ids]
    links: list[Link] = []
    if var_ids:
        ends = st.sampled_from(var_ids)
        pairs = draw(st.lists(st.tuples(ends, ends), unique=True, max_size=max_links))
        link_tails = draw(st.lists(id_tails, unique=True, min_size=len(pairs), max_size=len(pairs)))
        for (source, target), tail in zip(pairs, link_tails, strict=True):
            links.append(
                Link(
                    id=f"l{tail}",
                    source=source,
                    target=target,
                    polarity=draw(polarities),
                    delay=draw(st.booleans()),
                    curvature=draw(st.one_of(st.just(0.2), curvatures)),
                )
            )
    loop_labels: list[LoopLabel] = []
    if var_ids:
        for tail in draw(st.lists(id_tails, unique=True, max_size=2)):
            loop_labels.append(
                LoopLabel(
                    id=f"m{tail}",
                    loop=draw(st.lists(st.sampled_from(var_ids), min_size=1, max_size=4)),
                    x=draw(coordinates),
                    y=draw(coordinates),
                    name=draw(st.one_of(st.none(), labels)),
                )
            )
    return Diagram(
        title=draw(labels),
        description=draw(notes),
        waterline=draw(st.one_of(st.none(), coordinates)),
        variables=records,
        links=links,
        loop_labels=loop_labels,
    )


def _some(data: st.DataObject, pool: list[str], max_size: int = 3) -> list[str]:
    if not pool:
        return []
    return data.draw(st.lists(st.sampled_from(pool), max_size=max_size))


def _one(data: st.DataObject, pool: list[str]) -> str:
    """An id from the pool, or now and then one that does not exist (the op must then fail)."""
    if not pool or data.draw(st.integers(0, 9)) == 0:
        return data.draw(st.sampled_from(["nope", "v", "l1"]))
    return data.draw(st.sampled_from(pool))


def _bad_or(data: st.DataObject, good: st.SearchStrategy[Any], bad: list[Any]) -> Any:
    """Mostly a valid value; sometimes one the model refuses."""
    if data.draw(st.integers(0, 7)) == 0:
        return data.draw(st.sampled_from(bad))
    return data.draw(good)


OP_KINDS = [
    "add_variable",
    "add_variables_at",
    "add_link",
    "delete",
    "remove_variables",
    "rename",
    "set_domain",
    "move",
    "notes",
    "set_polarity",
    "set_delay",
    "bend",
    "add_loop_label",
    "update_loop_labels",
    "remove_loop_labels",
    "properties",
    "repeated_update",
    "edit_then_delete",
    "add_then_delete",
    "delete_then_add_again",
    "batch",
]


def draw_op(data: st.DataObject, doc: Document, depth: int = 0) -> ops.Op:
    """An Op of a random kind with arguments drawn from the document's current records."""
    kinds = OP_KINDS if depth == 0 else OP_KINDS[:-1]
    kind = data.draw(st.sampled_from(kinds), label="op kind")
    event(f"op kind {kind}")
    var_ids, link_ids = list(doc.variables), list(doc.links)
    label_ids = list(doc.loop_labels)
    if kind == "add_variable":
        fresh = id_tails.map(lambda t: f"v{t}")
        new_id = data.draw(st.one_of(fresh, st.sampled_from(var_ids or ["x"])))
        return ops.add_variable(data.draw(variables(new_id)))
    if kind == "add_variables_at":
        tails = data.draw(st.lists(id_tails, unique=True, min_size=1, max_size=3))
        records = tuple(data.draw(variables(f"n{tail}")) for tail in tails)
        positions = tuple(sorted(data.draw(st.integers(0, len(var_ids) + 2)) for _ in records))
        return ops.AddRecords("variables", records, positions)
    if kind == "add_link":
        link = Link(
            id=data.draw(id_tails.map(lambda t: f"l{t}")),
            source=_one(data, var_ids),
            target=_one(data, var_ids),
            polarity=data.draw(polarities),
        )
        return ops.add_link(link)
    if kind == "delete":
        return ops.delete(_some(data, var_ids), _some(data, link_ids), _some(data, label_ids))
    if kind == "remove_variables":
        return ops.RemoveRecords("variables", tuple(_some(data, var_ids) or [_one(data, [])]))
    if kind == "rename":
        return ops.rename_variable(_one(data, var_ids), _bad_or(data, labels, [5, "x" * 1001]))
    if kind == "set_domain":
        return ops.set_domain(_some(data, var_ids), _bad_or(data, domains, ["cx", 1]))
    if kind == "move":
        bad = [(math.nan, 0.0), (0.0, math.inf), (2e9, 0.0)]
        positions = {
            i: _bad_or(data, st.tuples(coordinates, coordinates), bad) for i in _some(data, var_ids)
        }
        return ops.move_variables(positions)
    if kind == "notes":
        return ops.update_variables({_one(data, var_ids): {"notes": data.draw(notes)}}, "Notes")
    if kind == "set_polarity":
        return ops.set_polarity(_some(data, link_ids), _bad_or(data, polarities, ["x", None]))
    if kind == "set_delay":
        return ops.set_delay(_some(data, link_ids), data.draw(st.booleans()))
    if kind == "bend":
        return ops.bend_link(_one(data, link_ids), _bad_or(data, curvatures, [3.0, math.nan]))
    if kind == "add_loop_label":
        label = LoopLabel(
            id=data.draw(id_tails.map(lambda t: f"m{t}")),
            loop=data.draw(st.lists(st.sampled_from(var_ids or ["x"]), min_size=1, max_size=3)),
            x=data.draw(coordinates),
            y=data.draw(coordinates),
            name=data.draw(st.one_of(st.none(), labels)),
        )
        return ops.add_loop_label(label)
    if kind == "update_loop_labels":
        changes = {
            i: {"x": data.draw(coordinates), "name": data.draw(st.one_of(st.none(), labels))}
            for i in _some(data, label_ids) or [_one(data, label_ids)]
        }
        return ops.update_loop_labels(changes, "Move label")
    if kind == "remove_loop_labels":
        return ops.remove_loop_labels(_some(data, label_ids) or [_one(data, label_ids)])
    if kind == "properties":
        keys = data.draw(
            st.lists(st.sampled_from(["title", "description", "waterline"]), unique=True)
        )
        values = {
            "title": _bad_or(data, labels, [None, "t" * 1001]),
            "description": data.draw(notes),
            "waterline": _bad_or(
                data, st.one_of(st.none(), coordinates, st.integers(-5, 5)), [math.inf]
            ),
        }
        return ops.SetDiagramProperties({key: values[key] for key in keys})
    if kind == "repeated_update":
        target = _one(data, var_ids)
        return ops.UpdateRecords(
            "variables",
            (
                (target, {"x": data.draw(coordinates)}),
                (target, {"label": data.draw(labels), "x": data.draw(coordinates)}),
            ),
        )
    if kind == "edit_then_delete":
        doomed = _some(data, var_ids, 2) or [_one(data, var_ids)]
        touched = [i for i in link_ids if set(doomed) & {doc.links[i].source, doc.links[i].target}]
        return ops.Batch(
            (
                ops.move_variables({i: (1.0, 2.0) for i in doomed}),
                ops.set_polarity(touched, "-"),
                ops.delete(variable_ids=doomed),
            ),
            "Edit then delete",
        )
    if kind == "add_then_delete":
        new = data.draw(variables(data.draw(id_tails.map(lambda t: f"t{t}"))))
        end = _one(data, var_ids)
        return ops.Batch(
            (
                ops.add_variable(new),
                ops.add_link(Link(id=f"tl{new.id}", source=new.id, target=end)),
                ops.delete(variable_ids=[new.id]),
            ),
            "Add then delete",
        )
    if kind == "delete_then_add_again":
        old = doc.links.get(_one(data, link_ids))
        if old is None:
            return ops.delete(link_ids=["nope"])
        again = old.model_copy(update={"polarity": data.draw(polarities)})
        return ops.Batch((ops.delete(link_ids=[old.id]), ops.add_link(again)), "Redo link")
    steps = data.draw(st.integers(1, 3))
    return ops.Batch(tuple(draw_op(data, doc, depth + 1) for _ in range(steps)), "Several")
