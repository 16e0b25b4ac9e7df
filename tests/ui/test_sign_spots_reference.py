"""The fast placement of polarity signs (ui/drawing/sign_places.py with sign_rooms.py) puts
every sign exactly where the plain per-candidate scoring of before does
(tests/ui/sign_spots_reference.py): the same input, every call the whole-diagram layout of links
makes, on random diagrams with crossings and curved links, crowded and sparse."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sign_spots_reference import sign_spots as reference_sign_spots

from cld_editor.ui.drawing import link_layout
from cld_editor.ui.drawing.geometry import Box
from cld_editor.ui.drawing.sign_places import link_segments, sign_spots

Links = list[tuple[str, str, str, float]]


def random_diagram(
    n_variables: int, n_links: int, seed: int, spread: float
) -> tuple[dict[str, Box], Links]:
    """Boxes scattered over a square ``spread`` units a side per variable's share, links
    between random distinct pairs, a third straight and the rest bowed either way."""
    rng = random.Random(seed)
    side = spread * math.sqrt(n_variables)
    boxes = {
        f"v{i}": Box(
            rng.uniform(0, side), rng.uniform(0, side), rng.uniform(30, 70), rng.uniform(12, 20)
        )
        for i in range(n_variables)
    }
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < n_links:
        source, target = rng.randrange(n_variables), rng.randrange(n_variables)
        if source != target:
            pairs.add((source, target))
    links = [
        (f"l{k}", f"v{s}", f"v{t}", 0.0 if rng.random() < 0.33 else rng.uniform(-0.5, 0.5))
        for k, (s, t) in enumerate(sorted(pairs))
    ]
    return boxes, links


class _Compared:
    """Stands in for sign_spots in link_layout: gives the fast answer, and records each call
    whose reference answer differs (more than 1e-9 anywhere)."""

    def __init__(self) -> None:
        self.calls = self.searched = 0
        self.differ: list[tuple[dict, dict]] = []

    def __call__(self, target, arriving, others=(), segments=lambda key: None):
        fast = sign_spots(target, arriving, others, segments)
        slow = reference_sign_spots(target, arriving, others, segments)
        self.calls += 1
        self.searched += any(spot != arriving[i][1] for i, spot in slow.items())
        if fast.keys() != slow.keys() or any(math.dist(fast[i], slow[i]) > 1e-9 for i in slow):
            self.differ.append((fast, slow))
        return fast


def compare(monkeypatch: pytest.MonkeyPatch, boxes: dict[str, Box], links: Links) -> _Compared:
    compared = _Compared()
    with monkeypatch.context() as patch:
        patch.setattr(link_layout, "sign_spots", compared)
        link_layout.link_geometries(boxes, links)
    return compared


@pytest.mark.parametrize(
    ("n_variables", "n_links", "seed", "spread"),
    [(50, 150, 1, 90.0), (120, 400, 2, 110.0), (200, 700, 3, 130.0), (300, 1200, 4, 120.0)],
)
def test_fast_signs_match_the_reference_on_random_diagrams(
    monkeypatch: pytest.MonkeyPatch, n_variables: int, n_links: int, seed: int, spread: float
) -> None:
    compared = compare(monkeypatch, *random_diagram(n_variables, n_links, seed, spread))
    assert not compared.differ, compared.differ[:3]
    # The comparison means something only where signs had to move (crowded variables).
    assert compared.searched >= n_variables // 4


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_variables=st.integers(3, 25),
    density=st.floats(1.0, 4.0),
    seed=st.integers(0, 10**6),
    spread=st.floats(40.0, 160.0),
)
def test_fast_signs_match_the_reference_hypothesis(
    n_variables: int, density: float, seed: int, spread: float
) -> None:
    n_links = min(round(n_variables * density), n_variables * (n_variables - 1))
    boxes, links = random_diagram(n_variables, n_links, seed, spread)
    with pytest.MonkeyPatch.context() as patch:
        compared = compare(patch, boxes, links)
    assert not compared.differ, compared.differ[:3]


def test_fast_signs_match_the_reference_with_given_segments_and_lonely_links() -> None:
    """The corners of the interface: segments given by id and by index, none given, one link
    arriving with nothing else near, nothing arriving."""
    boxes, links = random_diagram(12, 40, 7, 60.0)
    drawn = link_layout.link_geometries(boxes, links)
    for variable_id, box in boxes.items():
        arriving = {i: (drawn[i], drawn[i].sign_pos) for i, _, t, _ in links if t == variable_id}
        others = [drawn[i] for i, s, t, _ in links if variable_id in (s, t) and t != variable_id]
        known = {i: link_segments(drawn[i]) for i in arriving}
        known |= {k: link_segments(g) for k, g in enumerate(others)}
        for lookup in (known.get, lambda key: None):
            assert sign_spots(box, arriving, others, lookup) == reference_sign_spots(
                box, arriving, others, lookup
            )
        for link_id, pair in list(arriving.items())[:1]:
            assert sign_spots(box, {link_id: pair}) == {link_id: pair[1]}
    assert sign_spots(boxes["v0"], {}, []) == {}
