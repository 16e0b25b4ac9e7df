"""The census as the CLI prints it: a stopped census says, before any breakdown, which loops it
counted and that its counts are lower bounds; domain classes are named in words."""

from __future__ import annotations

import json

import pytest

from cld_editor.analysis.census import count_loops
from cld_editor.cli.analyze import census_table
from tests.analysis.test_census import cancelled_after
from tests.analysis.test_loop_budget import complete_digraph


def test_a_complete_census_has_no_partial_note() -> None:
    diagram = complete_digraph(4)
    text = census_table(diagram, count_loops(diagram, time_limit=0))
    assert "Partial" not in text and "lower bound" not in text
    assert "by domain: no CX or EX member: 20, CX members only: 0" in text


def test_a_stopped_census_says_its_breakdown_is_not_representative() -> None:
    diagram = complete_digraph(9)
    cancelled = cancelled_after(3)
    census = count_loops(diagram, cancelled=cancelled, compiled=False)
    assert not census.complete
    text = census_table(diagram, census)
    lines = text.splitlines()
    note = " ".join(lines[2 : lines.index("")])
    assert note.startswith("Partial census: it stopped (cancelled) while searching from variable")
    assert "lower bound" in note and "not representative of the whole diagram" in note
    # The note comes before the table by length.
    assert text.index("Partial census") < text.index("Length")
    assert "(loops met before the census stopped, not the diagram's breakdown)" in text


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--max-length", "3"], "--max-length does not apply"),
        (["--max-loops", "5", "--max-length", "3"], "--max-loops and --max-length do not apply"),
    ],
)
def test_a_census_refuses_listing_limits_it_would_ignore(
    tmp_path, capsys, options: list[str], named: str
) -> None:
    from cld_editor.cli import main

    path = tmp_path / "k4.cld.json"
    ids = ["a", "b", "c", "d"]
    path.write_text(
        json.dumps(
            {
                "variables": [{"id": i, "label": i, "x": 0, "y": 0} for i in ids],
                "links": [{"source": s, "target": t} for s in ids for t in ids if s != t],
            }
        ),
        encoding="utf-8",
    )
    assert main(["analyze", str(path), "--census", *options]) == 2
    out, err = capsys.readouterr()
    assert out == "" and named in err and "--census, which counts every loop" in err
    assert len(err.strip().splitlines()) == 1
