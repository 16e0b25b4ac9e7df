"""Shared by the format tests: write a diagram in a format, read it back, compare what the
format holds (variables by document order, links as a set, signs, delays, positions within
1 px, loop labels) and a hypothesis strategy for diagrams a user could draw."""

from __future__ import annotations

import math
from pathlib import Path

from hypothesis import strategies as st

from cld_editor.core.model import Diagram
from cld_editor.formats.registry import BY_NAME, read_diagram, write_diagram

#: What each readable format keeps: (translated positions, delay, domain, notes, "?" sign,
#: exact loop labels, loop labels at all).
HOLDS = {
    "vensim": dict(
        translated=True, delay=True, domain=False, notes=True, unknown=True, loops="marker"
    ),
    "xmile": dict(
        translated=False, delay=True, domain=True, notes=True, unknown=True, loops="exact"
    ),
    "kumu": dict(
        translated=False, delay=True, domain=True, notes=True, unknown=True, loops="exact"
    ),
    "kumu-csv": dict(
        translated=False, delay=True, domain=True, notes=True, unknown=True, loops=None
    ),
    "loopy": dict(
        translated=False, delay=False, domain=False, notes=False, unknown=False, loops="marker"
    ),
}

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


def round_trip(diagram: Diagram, fmt: str, folder: Path) -> tuple[Diagram, list[str], list[str]]:
    path = folder / f"out{BY_NAME[fmt].extensions[0]}"
    exported = write_diagram(diagram, path, fmt)
    back, imported = read_diagram(path)
    return back, exported.lines(), imported.lines()


def assert_same(original: Diagram, back: Diagram, fmt: str, loops: bool = True) -> None:
    holds = HOLDS[fmt]
    assert len(back.variables) == len(original.variables)
    flat = lambda text: " ".join(text.split())  # noqa: E731
    for a, b in zip(original.variables, back.variables, strict=True):
        if fmt in ("xmile", "kumu", "kumu-csv"):
            assert b.label == a.label
        else:  # one-line names (LOOPY, Vensim), made unique for Vensim
            assert flat(b.label) == flat(a.label) or fmt == "vensim"
        if holds["domain"]:
            assert b.domain == a.domain
        if holds["notes"]:
            assert flat(b.notes) == flat(a.notes)
    dx = dy = 0.0
    if holds["translated"] and original.variables:
        dx = back.variables[0].x - original.variables[0].x
        dy = back.variables[0].y - original.variables[0].y
    for a, b in zip(original.variables, back.variables, strict=True):
        assert abs(b.x - dx - a.x) <= 1.0 and abs(b.y - dy - a.y) <= 1.0, (a, b)
    index = {v.id: i for i, v in enumerate(original.variables)}
    index_back = {v.id: i for i, v in enumerate(back.variables)}

    def links(d: Diagram, idx: dict[str, int]) -> set[tuple]:
        out = set()
        for link in d.links:
            sign = link.polarity
            if not holds["unknown"] and sign == "?":
                sign = "+"
            out.add((idx[link.source], idx[link.target], sign, link.delay and holds["delay"]))
        return out

    assert links(back, index_back) == links(original, index)
    if loops and holds["loops"]:

        def labels(d: Diagram, idx: dict[str, int]) -> set[tuple]:
            return {(tuple(sorted(idx[m] for m in lab.loop)), lab.name) for lab in d.loop_labels}

        assert labels(back, index_back) == labels(original, index)


def curvature_close(original: Diagram, back: Diagram) -> float:
    """The largest difference in apex offset, in px, between matching links."""
    where = {v.id: (v.x, v.y) for v in original.variables}
    order = {v.id: i for i, v in enumerate(original.variables)}
    order_back = {v.id: i for i, v in enumerate(back.variables)}
    bent = {(order_back[lk.source], order_back[lk.target]): lk.curvature for lk in back.links}
    worst = 0.0
    for link in original.links:
        if link.source == link.target:
            continue
        chord = math.dist(where[link.source], where[link.target])
        other = bent[(order[link.source], order[link.target])]
        worst = max(worst, abs(other - link.curvature) * chord)
    return worst


_LABEL = st.text(
    st.characters(whitelist_categories=("L", "N", "Zs"), whitelist_characters="'&()-+/?,._\"\n"),
    min_size=1,
    max_size=20,
).map(lambda s: s.strip() or "x")


@st.composite
def user_diagrams(draw: st.DrawFn, max_variables: int = 8) -> Diagram:
    n = draw(st.integers(1, max_variables))
    variables = []
    for i in range(n):
        variables.append(
            {
                "id": f"v{i}",
                "label": draw(_LABEL),
                "domain": draw(st.sampled_from([None, "CX", "EX"])),
                "x": float(draw(st.integers(-3000, 3000))),
                "y": float(draw(st.integers(-3000, 3000))),
                "notes": draw(st.sampled_from(["", "a note", "two\nlines"])),
            }
        )
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n, unique=True
        )
    )
    links = [
        {
            "id": f"l{k}",
            "source": f"v{s}",
            "target": f"v{t}",
            "polarity": draw(st.sampled_from(["+", "-", "?"])),
            "delay": draw(st.booleans()),
            "curvature": 0.0 if s == t else round(draw(st.floats(-1.2, 1.2)), 3),
        }
        for k, (s, t) in enumerate(pairs)
    ]
    return Diagram.model_validate({"title": "Generated", "variables": variables, "links": links})
