"""Where Show Waterline puts the line (core.edits.default_waterline): in the gap between the
variables' boxes as drawn that leaves the fewest CX variables below and EX variables above,
then the widest; clear of marks (signs, labels) inside that gap where it can be."""

from __future__ import annotations

from cld_editor.core import edits
from cld_editor.core.document import Document
from cld_editor.core.model import Diagram, Variable


def doc(*rows: tuple[str, float, str | None]) -> Document:
    return Document(
        Diagram(
            variables=[Variable(id=i, label=i, x=0, y=y, domain=domain) for i, y, domain in rows]
        )
    )


def test_centres_only_between_the_groups():
    d = doc(("a", -80, "CX"), ("b", 0, "EX"))
    assert edits.default_waterline(d) == -40.0


def test_boxes_as_drawn_keep_the_line_off_every_variable():
    # A tall CX box reaches down to -10: the middle of the centres (-40) would cut it.
    d = doc(("a", -80, "CX"), ("b", 0, "EX"))
    y = edits.default_waterline(d, {"a": (-150.0, -10.0), "b": (-20.0 + 25, 20.0)})
    assert -10 < y < 5


def test_mixed_rows_take_the_gap_with_the_fewest_on_the_wrong_side():
    # CX at -100 and one CX among the EX at 0; an unrelated box at -50 in the middle.
    d = doc(("c1", -100, "CX"), ("c2", -100, "CX"), ("c3", 0, "CX"), ("e1", 0, "EX"),
            ("e2", 100, "EX"), ("n", -50, None))  # fmt: skip
    spans = {"c1": (-115, -85), "c2": (-115, -85), "c3": (-15, 15), "e1": (-15, 15),
             "e2": (85, 115), "n": (-65, -35)}  # fmt: skip
    y = edits.default_waterline(d, spans)
    assert not any(top <= y <= bottom for top, bottom in spans.values())
    assert y == 50.0  # one on the wrong side at -25 or 50: the wider gap wins
    # The old rule, the middle of the means, fell on the row at 0.
    assert -15 <= (-200 / 3 + 50) / 2 <= 15


def test_marks_move_the_line_within_its_gap():
    d = doc(("a", -100, "CX"), ("b", 100, "EX"))
    spans = {"a": (-120.0, -80.0), "b": (80.0, 120.0)}
    assert edits.default_waterline(d, spans) == 0.0
    y = edits.default_waterline(d, spans, [(-12.0, 12.0)])
    assert abs(y) > 12 and -80 < y < 80
    # Marks covering the whole gap: the gap's middle all the same.
    assert edits.default_waterline(d, spans, [(-90.0, 90.0)]) == 0.0


def test_without_both_domains_the_gap_nearest_the_middle():
    d = doc(("a", -100, None), ("b", 0, None), ("c", 100, None))
    spans = {"a": (-115.0, -85.0), "b": (-15.0, 15.0), "c": (85.0, 115.0)}
    y = edits.default_waterline(d, spans)
    assert y in (-50.0, 50.0)
    assert edits.default_waterline(doc()) == 0.0
