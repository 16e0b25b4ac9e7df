"""Several views of an imported model on one canvas: in rows, in order, never overlapping."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from cld_editor.formats.views import VIEW_GAP, extent_of, view_shifts

_extents = st.lists(
    st.one_of(
        st.none(),
        st.tuples(
            st.floats(-500, 500), st.floats(-500, 500), st.floats(50, 3000), st.floats(50, 2000)
        ).map(lambda t: (t[0], t[1], t[0] + t[2], t[1] + t[3])),
    ),
    max_size=20,
)


def _placed(extents, shifts):
    return [
        (left + dx, top + dy, right + dx, bottom + dy)
        for extent, (dx, dy) in zip(extents, shifts, strict=True)
        if extent is not None
        for left, top, right, bottom in [extent]
    ]


@settings(max_examples=200, deadline=None)
@given(_extents)
def test_views_never_overlap_and_keep_their_order(extents) -> None:
    shifts = view_shifts(extents)
    assert len(shifts) == len(extents)
    boxes = _placed(extents, shifts)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart_x = a[2] + VIEW_GAP <= b[0] + 1e-6 or b[2] + VIEW_GAP <= a[0] + 1e-6
            apart_y = a[3] + VIEW_GAP <= b[1] + 1e-6 or b[3] + VIEW_GAP <= a[1] + 1e-6
            assert apart_x or apart_y
    # Reading order: each view starts right of the one before, or on a lower row.
    for a, b in itertools.pairwise(boxes):
        assert b[0] > a[0] or b[1] > a[1]


def test_one_view_stays_where_it_is_and_empty_views_take_no_room() -> None:
    assert view_shifts([(10.0, 20.0, 500.0, 400.0)]) == [(0.0, 0.0)]
    assert view_shifts([None, (10.0, 20.0, 500.0, 400.0), None]) == [(0.0, 0.0)] * 3
    assert view_shifts([]) == []
    assert extent_of([]) is None
    assert extent_of([(3.0, 4.0), (1.0, 9.0)]) == (1.0, 4.0, 3.0, 9.0)


def test_many_views_make_a_page_not_a_strip() -> None:
    """Fourteen views of 1,200 x 900 (a model like Covid's): rows about 1.6 times as wide as
    the whole is tall, the first view where it was."""
    extents = [(0.0, 0.0, 1200.0, 900.0)] * 14
    shifts = view_shifts(extents)
    boxes = _placed(extents, shifts)
    width = max(b[2] for b in boxes) - min(b[0] for b in boxes)
    height = max(b[3] for b in boxes) - min(b[1] for b in boxes)
    assert 1.0 < width / height < 2.6
    assert shifts[0] == (0.0, 0.0)
    assert len({b[1] for b in boxes}) >= 3  # in rows
