"""Loop labels after a layout (layout/loop_labels.py) each read as their own loop's: inside
their loop and outside the other labelled loops where there is room, apart from each other,
and, where loops share most of their variables, near the members their loop has to itself."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest

from cld_editor.core.model import Diagram, Link, LoopLabel, Variable
from cld_editor.layout import plan
from cld_editor.layout.boxes import diagram_sizes
from cld_editor.layout.label_place import inside
from cld_editor.layout.loop_labels import LABEL_GAP, LABEL_HALF, loop_label_spots, loop_outline

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


def _v(key: str, x: float, y: float) -> Variable:
    return Variable(id=key, label=key.upper(), x=x, y=y)


def nested() -> Diagram:
    """A square loop a-b-c-d with a small loop a-b-e inside it, both labelled."""
    return Diagram(
        variables=[
            _v("a", 0, 0),
            _v("b", 500, 0),
            _v("c", 500, 500),
            _v("d", 0, 500),
            _v("e", 250, 330),
        ],
        links=[
            Link(id=f"{s}{t}", source=s, target=t, curvature=0.0)
            for s, t in ["ab", "bc", "cd", "da", "be", "ea"]
        ],
        loop_labels=[
            LoopLabel(id="big", loop=["a", "b", "c", "d"], x=0, y=0, name="Big"),
            LoopLabel(id="small", loop=["a", "b", "e"], x=0, y=0, name="Small"),
        ],
    )


def test_a_loop_around_another_labels_itself_outside_the_inner_loop() -> None:
    diagram = nested()
    pos = {v.id: (v.x, v.y) for v in diagram.variables}
    bends = {link.id: 0.0 for link in diagram.links}
    spots = loop_label_spots(diagram, pos, diagram_sizes(diagram), bends)
    assert list(spots) == ["big", "small"]  # document order, whatever order they are placed in
    big = loop_outline(diagram, ["a", "b", "c", "d"], pos, bends)
    small = loop_outline(diagram, ["a", "b", "e"], pos, bends)
    assert inside(spots["small"], small)
    # The big loop's middle lies inside the small loop: a label there would name it.
    assert inside(spots["big"], big) and not inside(spots["big"], small)


def test_labels_keep_apart() -> None:
    diagram = nested()
    pos = {v.id: (v.x, v.y) for v in diagram.variables}
    spots = loop_label_spots(diagram, pos, diagram_sizes(diagram), {})
    assert math.dist(spots["big"], spots["small"]) >= 2 * LABEL_HALF + LABEL_GAP


@pytest.mark.parametrize("style", ["loops", "organic"])
def test_energy_model_labels_are_not_bunched(style: str) -> None:
    # energy_tech_cld's six labelled loops share most of their variables: their labels used
    # to sit side by side in the one region inside all of them.
    path = CORPUS / "vensim" / "energy_tech_cld.mdl"
    if not path.exists():
        pytest.skip("the shared corpus is not here")
    from cld_editor.formats.registry import read_diagram

    diagram, _ = read_diagram(path)
    labels = plan(diagram, style).labels
    assert len(labels) == 6
    closest = min(math.dist(labels[a], labels[b]) for a, b in itertools.combinations(labels, 2))
    assert closest >= 2 * LABEL_HALF + LABEL_GAP
