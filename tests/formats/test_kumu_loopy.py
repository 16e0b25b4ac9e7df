"""Kumu blueprints and spreadsheets, LOOPY files and links: reading what those tools write."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from cld_editor.formats.conversion import ConversionReport, FormatError
from cld_editor.formats.kumu import read_kumu_csv, read_kumu_json
from cld_editor.formats.loopy import loopy_link, read_loopy
from cld_editor.formats.registry import read_diagram


def test_kumu_blueprint_by_labels_with_mutual_and_loops() -> None:
    blueprint = {
        "elements": [{"label": "Trust", "description": "Between teams"}, {"label": "Sharing"}],
        "connections": [
            {"from": "Trust", "to": "Sharing", "type": "+"},
            {"from": "Sharing", "to": "Missing", "type": "-", "direction": "mutual"},
        ],
        "loops": [{"label": "R1"}],
    }
    report = ConversionReport("kumu")
    diagram = read_kumu_json(json.dumps(blueprint).encode(), report)
    assert [v.label for v in diagram.variables] == ["Trust", "Sharing", "Missing"]
    assert diagram.variables[0].notes == "Between teams"
    assert len(diagram.links) == 3  # the mutual connection goes both ways
    lines = " ".join(report.lines())
    assert "mutual" in lines and "not listed" in lines and "laid out" in lines
    assert report.laid_out


def test_kumu_csv_sheets_fan_out() -> None:
    elements = "Label,Description\nA,first\nB,\nC,\n"
    connections = "From,To,Type\nA,B|C,+\nC,A,-\n"
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("elements.csv", elements)
        out.writestr("connections.csv", connections)
    diagram = read_kumu_csv(archive.getvalue(), ConversionReport("kumu-csv"))
    names = {v.id: v.label for v in diagram.variables}
    assert {(names[lk.source], names[lk.target], lk.polarity) for lk in diagram.links} == {
        ("A", "B", "+"),
        ("A", "C", "+"),
        ("C", "A", "-"),
    }
    only_connections = read_kumu_csv(connections.encode(), ConversionReport("kumu-csv"))
    assert len(only_connections.variables) == 3


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"{", "not valid JSON"),
        (b"[1, 2]", "not a Kumu blueprint"),
        (b'{"elements": [1]}', r"elements\[0\] is not an object"),
        (b'{"elements": [{"label": "A"}], "connections": [{"from": "A"}]}', "no from or to"),
    ],
)
def test_kumu_bad_files(data: bytes, words: str) -> None:
    with pytest.raises(FormatError, match=words):
        read_kumu_json(data, ConversionReport("kumu"))


BLANK = (  # the corpus's blank.loopy: LOOPY's start model
    '[[[1,403,223,1,"something",4],[2,405,382,1,"something%20else",5]],'
    '[[2,1,94,-1,0],[1,2,89,1,0]],[[609,311,"need%20ideas"]],2]'
)


def test_loopy_file_and_link_give_the_same_diagram() -> None:
    from_file = read_loopy(BLANK.encode(), ConversionReport("loopy"))
    assert [v.label for v in from_file.variables] == ["something", "something else"]
    assert {lk.polarity for lk in from_file.links} == {"+", "-"}
    # As LOOPY makes its links: texts encoded twice, then only " and the last ] escaped.
    data = BLANK.replace("%20", "%2520").replace('"', "%22")
    link = "https://ncase.me/loopy/v1.1/?data=" + data[:-1] + "%5D"
    from_link = read_loopy(link, ConversionReport("loopy"))
    assert from_link.model_dump() == from_file.model_dump()


def test_loopy_link_round_trip(tmp_path: Path) -> None:
    diagram = read_loopy(BLANK.encode(), ConversionReport("loopy"))
    diagram = diagram.model_copy(
        update={
            "variables": [
                v.model_copy(update={"label": 'A "quoted" 50% label'}) for v in diagram.variables
            ]
        }
    )
    link = loopy_link(diagram, ConversionReport("loopy", "export"))
    assert link.startswith("https://ncase.me/loopy/v1.1/?data=") and '"' not in link
    back = read_loopy(link, ConversionReport("loopy"))
    assert [v.label for v in back.variables] == [v.label for v in diagram.variables]


def test_loopy_text_label_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "m.loopy"
    path.write_text(BLANK)
    _, report = read_diagram(path)
    assert any("text label" in line for line in report.lines())


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"nope", "not LOOPY data"),
        (b"[[[1,2]],[]]", "node 1"),
        (b'[[[1,0,0,1,"a",0]],[[1,5,0,1,0]]]', "edge 1"),
    ],
)
def test_loopy_bad_files(data: bytes, words: str) -> None:
    with pytest.raises(FormatError, match=words):
        read_loopy(data, ConversionReport("loopy"))


def test_a_pasted_loopy_link_converts(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from cld_editor.cli import main

    data = BLANK.replace("%20", "%2520").replace('"', "%22")
    link = "https://ncase.me/loopy/v1.1/?data=" + data[:-1] + "%5D"
    out = tmp_path / "from-link.cld.json"
    assert main(["convert", link, str(out)]) == 0
    diagram, _ = read_diagram(out)
    assert [v.label for v in diagram.variables] == ["something", "something else"]
    # What the import changed is told per line, naming the link short (it holds the model).
    lines = capsys.readouterr().err.splitlines()
    assert lines and all(line.startswith("the LOOPY link: ") for line in lines)
    assert all(len(line) < 200 for line in lines)


def test_kumu_export_with_nested_attributes() -> None:
    exported = {
        "elements": [
            {"_id": "e1", "attributes": {"label": "Trust", "description": "d"}},
            {"_id": "e2", "attributes": {"label": "Sharing"}},
        ],
        "connections": [{"_id": "c1", "from": "e1", "to": "e2", "attributes": {"type": "-"}}],
    }
    diagram = read_kumu_json(json.dumps(exported).encode(), ConversionReport("kumu"))
    assert [v.label for v in diagram.variables] == ["Trust", "Sharing"]
    assert diagram.variables[0].notes == "d"
    assert [(lk.source, lk.target, lk.polarity) for lk in diagram.links] == [("e1", "e2", "-")]


def test_loopy_keeps_domains_as_the_colours_cld_editor_writes(tmp_path: Path) -> None:
    from cld_editor.core.model import Diagram, Link, Variable
    from cld_editor.formats.registry import write_diagram

    diagram = Diagram(
        variables=[
            Variable(id="a", label="Service", domain="CX", x=0, y=0),
            Variable(id="b", label="Staff", domain="EX", x=200, y=0),
            Variable(id="c", label="Money", x=100, y=150),
        ],
        links=[Link(id="l1", source="a", target="b"), Link(id="l2", source="b", target="a")],
    )
    path = tmp_path / "d.loopy"
    write_diagram(diagram, path)
    back, report = read_diagram(path)
    assert [v.domain for v in back.variables] == ["CX", "EX", None]
    assert any("CX and EX domains" in line for line in report.lines())


def test_loopy_colours_of_a_loopy_user_are_not_read_as_domains() -> None:
    # Purple (5) is not a colour cld-editor writes: the colours are the user's own.
    data = json.dumps(
        [[[1, 0, 0, 0.5, "a", 4], [2, 100, 0, 0.5, "b", 5]], [[1, 2, 20, 1, 0]], [], 3]
    ).encode()
    report = ConversionReport("loopy")
    diagram = read_loopy(data, report)
    assert [v.domain for v in diagram.variables] == [None, None]
    assert any(
        "colours (hue) are not kept" in line and "only in a file with no other colour" in line
        for line in report.lines()
    )


def test_loopy_written_by_an_older_cld_editor_reads_green_as_ex() -> None:
    data = json.dumps(
        [[[1, 0, 0, 0.5, "a", 4], [2, 100, 0, 0.5, "b", 3], [3, 9, 9, 0.5, "c", 0]], [], [], 4]
    ).encode()
    report = ConversionReport("loopy")
    diagram = read_loopy(data, report)
    assert [v.domain for v in diagram.variables] == ["CX", "EX", None]
    assert any("Blue and green nodes" in line for line in report.lines())


def _loopy_ring(labels: list[list[object]]) -> str:
    """Three nodes in a reinforcing ring around (300, 300), with the given text labels."""
    nodes = [
        [1, 300, 150, 0.5, "Engaged%20staff", 1],
        [2, 450, 400, 0.5, "Service%20quality", 4],
        [3, 150, 400, 0.5, "Customer%20loyalty", 4],
    ]
    edges = [[1, 2, 25, 1, 0], [2, 3, 25, 1, 0], [3, 1, 25, 1, 0]]
    return json.dumps([nodes, edges, labels, 4])


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("R1", None),
        ("R1%20Virtuous%20cycle", "Virtuous cycle"),
        ("R%3A%20Virtuous%20cycle", "Virtuous cycle"),
        ("R2%20-%20Virtuous%20cycle", "Virtuous cycle"),
    ],
)
def test_loopy_loop_markers_keep_their_names(text: str, name: str | None) -> None:
    report = ConversionReport("loopy")
    diagram = read_loopy(_loopy_ring([[300, 320, text]]), report)
    assert len(diagram.loop_labels) == 1
    label = diagram.loop_labels[0]
    assert label.loop == ["engaged-staff", "service-quality", "customer-loyalty"]
    assert label.name == name
    assert not diagram.description


def test_loopy_free_text_is_kept_in_the_description() -> None:
    report = ConversionReport("loopy")
    labels = [[300, 320, "R1"], [700, 100, "Draft%20for%20the%20board"], [700, 150, "U-turn"]]
    diagram = read_loopy(_loopy_ring(labels), report)
    assert len(diagram.loop_labels) == 1
    assert diagram.description == "Text labels from LOOPY:\nDraft for the board\nU-turn"
    assert any(
        "2 text labels were kept in the diagram's description" in line for line in report.lines()
    )


@pytest.mark.parametrize("seed", range(6))
def test_a_kumu_map_laid_out_on_import_runs_no_link_over_a_variable(seed: int) -> None:
    """The import's layout bends its links clear of the boxes (a new user saw one imported
    link run through a box: the links had been given the usual bend after the layout)."""
    import random

    from cld_editor.layout import metrics
    from cld_editor.layout.boxes import diagram_sizes

    rng = random.Random(seed)
    n = 20
    names = [f"Variable number {k}" for k in range(n)]
    pairs = {(k, (k + 1) % n) for k in range(n)}
    while len(pairs) < 32:
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            pairs.add((a, b))
    data = {
        "elements": [{"_id": f"e{k}", "attributes": {"label": names[k]}} for k in range(n)],
        "connections": [
            {"_id": f"c{i}", "from": f"e{a}", "to": f"e{b}", "attributes": {}}
            for i, (a, b) in enumerate(sorted(pairs))
        ],
    }
    report = ConversionReport("kumu")
    diagram = read_kumu_json(json.dumps(data).encode(), report)
    assert report.laid_out
    assert not any("usual bend" in line for line in report.lines())
    positions = {v.id: (v.x, v.y) for v in diagram.variables}
    bends = {link.id: link.curvature for link in diagram.links}
    sizes = diagram_sizes(diagram)
    assert metrics.links_over_variables(diagram, positions, sizes, bends) == 0
    assert metrics.overlaps(positions, sizes) == 0


def test_kumu_signs_it_cannot_read_are_said() -> None:
    sheet = "From,To,Type\nA,B,+\nB,A,x\nB,C,influence\nC,A,\nC,B,?\n"
    report = ConversionReport("kumu-csv")
    diagram = read_kumu_csv(sheet.encode(), report)
    names = {v.id: v.label for v in diagram.variables}
    signs = {(names[lk.source], names[lk.target]): lk.polarity for lk in diagram.links}
    assert signs == {
        ("A", "B"): "+",
        ("B", "A"): "?",
        ("B", "C"): "?",
        ("C", "A"): "?",
        ("C", "B"): "?",
    }
    lines = report.lines()
    assert any(
        "2 connections whose signs cld-editor does not know were read as ?" in line
        and "'x'" in line
        for line in lines
    )
    assert any(
        "a connection without a sign (polarity or type + or -) was read as ?" in line
        for line in lines
    )
    assert not any("'?'" in line for line in lines)  # "?" is a sign: nothing to say


def test_a_named_loopy_marker_whose_number_changes_says_so() -> None:
    report = ConversionReport("loopy")
    diagram = read_loopy(_loopy_ring([[300, 320, "R3%20Virtuous%20cycle"]]), report)
    assert diagram.loop_labels[0].name == "Virtuous cycle"
    assert "a loop marker is shown with cld-editor's own loop number (R3 → R1)" in report.lines()
    same = ConversionReport("loopy")
    read_loopy(_loopy_ring([[300, 320, "R1%20Virtuous%20cycle"]]), same)
    assert not any("own loop number" in line for line in same.lines())


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("R1%20Good%01name", "Good name"),  # a control character, as in labels, becomes a space
        ("R%3A%20" + "x" * 1200, "x" * 1000),  # cut to a label's length, as labels are
        ("R1%20Caf%C2%9Fe", "Caf e"),  # C1 controls are refused by the model too
    ],
)
def test_loopy_loop_marker_names_are_cleaned_as_labels_are(text: str, name: str) -> None:
    report = ConversionReport("loopy")
    diagram = read_loopy(_loopy_ring([[300, 320, text]]), report)
    assert [label.name for label in diagram.loop_labels] == [name]


def test_loopy_node_labels_lose_c1_control_characters() -> None:
    data = _loopy_ring([]).replace("Engaged%20staff", "Engaged%C2%85staff")
    diagram = read_loopy(data, ConversionReport("loopy"))
    assert diagram.variables[0].label == "Engaged staff"


def test_a_kumu_map_laid_out_on_import_may_name_a_variable_like_a_link() -> None:
    # The layout names its links l0, l1, ...: a variable named so must not clash with them.
    elements = [{"label": "l0"}, {"label": "l1"}, {"label": "x"}]
    connections = [{"from": "l0", "to": "l1"}, {"from": "l1", "to": "x"}, {"from": "x", "to": "l0"}]
    raw = {"elements": elements, "connections": connections}
    report = ConversionReport("kumu")
    diagram = read_kumu_json(json.dumps(raw).encode(), report)
    assert sorted(v.id for v in diagram.variables) == ["l0", "l1", "x"]
    assert any("laid out automatically" in line for line in report.lines())


def test_a_kumu_sign_in_any_field_wins_over_a_question_mark() -> None:
    data = {
        "elements": [
            {"_id": "e1", "attributes": {"label": "A"}},
            {"_id": "e2", "attributes": {"label": "B"}},
        ],
        "connections": [
            {"_id": "c1", "from": "e1", "to": "e2", "attributes": {"polarity": "?", "type": "-"}},
            {"_id": "c2", "from": "e2", "to": "e1", "attributes": {"polarity": "unknown"}},
        ],
    }
    report = ConversionReport("kumu")
    diagram = read_kumu_json(json.dumps(data).encode(), report)
    assert sorted(link.polarity for link in diagram.links) == ["-", "?"]
    assert not any("does not know" in line for line in report.lines())


@pytest.mark.parametrize("curvature", [0.5, 0.1, 0.062, -0.1, 0.0])
def test_a_tiny_loopy_bulge_reads_back_as_written(curvature: float) -> None:
    """LOOPY writes a straight edge as arc 0.1; any other arc is a bulge, however small: a
    link between boxes one pixel apart keeps its (sub-pixel) bulge through a LOOPY file, and
    a bulge of exactly 0.1 px is written a hundredth more so as not to read back straight."""
    from cld_editor.core.model import Diagram, Link, Variable
    from cld_editor.formats.loopy import write_loopy

    diagram = Diagram(
        variables=[Variable(id="a", x=0.0, y=0.0), Variable(id="b", x=0.0, y=1.0)],
        links=[Link(id="l", source="a", target="b", curvature=curvature)],
    )
    data = write_loopy(diagram, ConversionReport("loopy", "export"))
    (link,) = read_loopy(data, ConversionReport("loopy")).links
    assert link.curvature == pytest.approx(curvature, abs=0.015)
