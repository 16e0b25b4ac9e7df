"""The report's section on the loops crossing CX and EX: with a complete count of all loops
(Count all loops, ``--census``) it counts the crossing loops among all loops, not only among
those a limit let the listing hold; without one it says the figure is of the loops listed."""

from __future__ import annotations

import pytest

from cld_editor.analysis.budget import Budget
from cld_editor.analysis.census import count_loops
from cld_editor.analysis.loops import find_loops
from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.formats.report import report_html, report_markdown
from cld_editor.formats.report_data import crossing_sentence, report_data

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 2"></svg>'


def tagged_complete(n: int, domains: tuple[str | None, ...]) -> Diagram:
    """Every variable linked to every other, tagged in turn with ``domains``."""
    ids = [f"v{i}" for i in range(n)]
    return Diagram(
        variables=[
            Variable(id=v, label=f"V{i}", x=100.0 * i, y=0.0, domain=domains[i % len(domains)])
            for i, v in enumerate(ids)
        ],
        links=[
            Link(id=f"{s}-{t}", source=s, target=t, polarity="-" if (i + j) % 3 == 0 else "+")
            for i, s in enumerate(ids)
            for j, t in enumerate(ids)
            if s != t
        ],
    )


@pytest.fixture(scope="module")
def cut_short():
    diagram = tagged_complete(7, ("CX", "EX", None))
    analysis = find_loops(diagram, Budget(max_loops=40, time_limit=None))
    assert not analysis.complete
    census = count_loops(diagram, time_limit=0)
    assert census.complete and census.total > len(analysis.loops)
    return diagram, analysis, census


def test_a_complete_count_gives_the_crossing_loops_among_all_loops(cut_short) -> None:
    diagram, analysis, census = cut_short
    crossing = census.domains["cross-domain"]
    listed = sum(1 for loop in analysis.loops if {"CX", "EX"} <= set(loop.domains))
    assert crossing > listed > 0  # the listing holds only some of them
    data = report_data(diagram, analysis, census=census)
    assert (data.crossing_all, data.all_total) == (crossing, census.total)
    assert data.crossing_total == listed == len(data.crossing)
    text = crossing_sentence(data)
    assert text.startswith(
        f"{crossing:,} loops of {census.total:,} (all loops counted) cross between customer "
        "(CX) and employee (EX) experience: "
    )
    assert f"{listed:,} of them are among the {len(analysis.loops):,} loops listed" in text
    html = report_html(diagram, analysis, SVG, census=census)
    assert f"{crossing:,} loops of {census.total:,} (all loops counted)" in html
    md = report_markdown(diagram, analysis, "x.svg", census=census)
    assert f"{crossing:,} loops of {census.total:,} (all loops counted)" in md


def test_without_a_complete_count_the_figure_is_of_the_loops_listed(cut_short) -> None:
    diagram, analysis, census = cut_short
    listed = sum(1 for loop in analysis.loops if {"CX", "EX"} <= set(loop.domains))
    stopped = count_loops(diagram, cancelled=lambda: True)
    for unused in (None, stopped):
        data = report_data(diagram, analysis, census=unused)
        assert data.crossing_all is None and data.all_total is None
        text = crossing_sentence(data)
        assert text.startswith(f"{listed:,} loops of the {len(analysis.loops):,} loops listed")
        assert "all loops counted" not in text
    # A listing that holds every loop: of all of them, as before.
    whole = find_loops(diagram)
    data = report_data(diagram, whole, census=census)
    assert data.crossing_all is None  # the count adds nothing to a complete listing
    assert crossing_sentence(data).startswith(
        f"{census.domains['cross-domain']:,} loops of {census.total:,} cross"
    )


def test_only_some_crossing_rows_shown_says_so(cut_short) -> None:
    diagram, analysis, census = cut_short
    data = report_data(diagram, analysis, max_loops=3, census=census)
    assert len(data.crossing) == 3 < data.crossing_total
    assert crossing_sentence(data).endswith(
        f" The first 3 of the {data.crossing_total:,} listed are shown."
    )


def test_no_crossing_loop_in_a_complete_count() -> None:
    diagram = tagged_complete(6, ("CX", None))
    analysis = find_loops(diagram, Budget(max_loops=30, time_limit=None))
    census = count_loops(diagram, time_limit=0)
    data = report_data(diagram, analysis, census=census)
    assert crossing_sentence(data) == (
        "No loop crosses between customer (CX) and employee (EX) experience "
        f"(all {census.total:,} loops counted)."
    )
