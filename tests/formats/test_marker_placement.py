"""Which loop a free-standing loop marker names (formats.placement.best_loop)."""

from __future__ import annotations

from dataclasses import dataclass

from cld_editor.analysis.loops import Loop
from cld_editor.formats.placement import best_loop


@dataclass
class Marker:
    text: str
    x: float
    y: float


def _loop(name: str, polarity: str, members: tuple[str, ...]) -> Loop:
    links = tuple(f"{a}-{b}" for a, b in zip(members, members[1:] + members[:1], strict=True))
    return Loop(name, polarity, members, links, False, ())


POSITIONS = {
    # A square of four around (300, 175) in the first view ...
    "a": (200.0, 100.0),
    "b": (400.0, 100.0),
    "c": (400.0, 250.0),
    "d": (200.0, 250.0),
    # ... and a loop of two in the second view, far below.
    "e": (100.0, 1100.0),
    "f": (300.0, 1100.0),
}
SQUARE = _loop("B1", "balancing", ("a", "b", "c", "d"))
PAIR = _loop("U1", "undetermined", ("e", "f"))
REINFORCING_PAIR = _loop("R1", "reinforcing", ("e", "f"))


def test_a_marker_names_the_loop_drawn_around_it_even_of_another_letter() -> None:
    # "R1" in the middle of a balancing loop: that loop, not a loop far away in another view
    # that an undetermined sign would let pass for R.
    assert best_loop(Marker("R1", 300, 175), [SQUARE, PAIR], POSITIONS, set()) is SQUARE


def test_a_marker_beside_a_loop_of_two_of_its_kind_names_it() -> None:
    # A loop of two surrounds nothing: beside it, of its kind, it beats one of another kind
    # that surrounds the marker.
    near_pair = Marker("R", 200, 1080)
    assert best_loop(near_pair, [SQUARE, REINFORCING_PAIR], POSITIONS, set()) is REINFORCING_PAIR
    # Far from every loop: the nearest of its kind.
    far = Marker("B", 900, 700)
    assert best_loop(far, [REINFORCING_PAIR, SQUARE], POSITIONS, set()) is SQUARE


def test_a_loop_already_labelled_is_skipped() -> None:
    assert best_loop(Marker("B1", 300, 175), [SQUARE, PAIR], POSITIONS, {SQUARE.key}) is PAIR


def test_an_undetermined_pair_beside_it_does_not_beat_the_loop_drawn_around_it() -> None:
    # A long loop of two (as a second view merged beside the first draws it) passes near the
    # square's middle: undetermined, it may pass for R only when drawn around the marker.
    positions = dict(POSITIONS, e=(200.0, 250.0), f=(750.0, 100.0))
    assert best_loop(Marker("R1", 300, 175), [SQUARE, PAIR], positions, set()) is SQUARE
    # A marker of no letter beside the pair and inside nothing names the pair.
    assert best_loop(Marker("", 700, 160), [SQUARE, PAIR], positions, set()) is PAIR


def test_a_marker_named_as_a_loop_beside_it_names_that_loop() -> None:
    # cld-editor writes a label as a marker named after its loop ("R2"), inside the loop as
    # drawn with curved links: that may be outside the polygon of its variables and inside a
    # bigger loop's. Its name, beside it, wins.
    positions = {"p": (0.0, 0.0), "q": (200.0, 0.0), "r": (100.0, 120.0), "s": (100.0, -400.0)}
    small = _loop("R2", "reinforcing", ("p", "q", "r"))
    big = _loop("R5", "reinforcing", ("p", "s", "q", "r"))
    marker = Marker("R2", 100.0, -30.0)  # above p-q: outside the triangle, inside the big loop
    assert best_loop(marker, [big, small], positions, set()) is small
