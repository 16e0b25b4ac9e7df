"""``cld-editor layout IN OUT``: a file without positions comes out arranged; bad input is one
line and exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cld_editor.cli import main
from cld_editor.formats.native import load_diagram
from cld_editor.layout import metrics
from cld_editor.layout.boxes import diagram_sizes

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"

NO_POSITIONS = {
    "format": "cld",
    "version": 1,
    "variables": [
        {"id": "sales", "label": "Sales"},
        {"id": "staff", "label": "Sales staff", "domain": "EX"},
        {"id": "leads", "label": "Customer leads", "domain": "CX"},
        {"id": "price", "label": "Price"},
    ],
    "links": [
        {"source": "sales", "target": "staff"},
        {"source": "staff", "target": "leads"},
        {"source": "leads", "target": "sales"},
        {"source": "price", "target": "sales", "polarity": "-"},
    ],
    "loop_labels": [{"id": "R", "loop": ["sales", "staff", "leads"], "x": 0, "y": 0}],
}


@pytest.mark.parametrize("style", ["loops", "layered", "organic", "iceberg"])
def test_a_file_without_positions_comes_out_arranged(tmp_path: Path, style: str, capsys) -> None:
    source = tmp_path / "in.cld.json"
    source.write_text(json.dumps(NO_POSITIONS))
    out = tmp_path / "out.cld.json"
    assert main(["layout", str(source), str(out), "--style", style]) == 0
    assert f"4 variables arranged ({style.capitalize()})" in capsys.readouterr().err
    before, after = load_diagram(source), load_diagram(out)
    positions = {v.id: (v.x, v.y) for v in after.variables}
    assert positions != {v.id: (v.x, v.y) for v in before.variables}
    sizes = diagram_sizes(after)
    assert metrics.overlaps(positions, sizes) == 0
    assert metrics.links_over_variables(after, positions, sizes) == 0
    if style == "iceberg":
        assert after.waterline is not None
        assert positions["leads"][1] < after.waterline < positions["staff"][1]
    # The same command gives the same bytes.
    again = tmp_path / "again.cld.json"
    assert main(["layout", str(source), str(again), "--style", style]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_bad_input_is_one_line_and_status_2(tmp_path: Path, capsys) -> None:
    broken = tmp_path / "broken.cld.json"
    broken.write_text("{")
    assert main(["layout", str(broken), str(tmp_path / "out.cld.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {broken}") and err.count("\n") == 1
    assert main(["layout", str(broken), "x.cld.json", "--style", "spiral"]) == 2


@pytest.mark.skipif(not (CORPUS / "vensim" / "SIR.mdl").exists(), reason="no shared corpus")
def test_a_vensim_model_is_arranged(tmp_path: Path) -> None:
    out = tmp_path / "sir.cld.json"
    assert main(["layout", str(CORPUS / "vensim" / "SIR.mdl"), str(out)]) == 0
    diagram = load_diagram(out)
    positions = {v.id: (v.x, v.y) for v in diagram.variables}
    assert metrics.overlaps(positions, diagram_sizes(diagram)) == 0


def test_iceberg_without_domains_says_so_in_one_line(tmp_path: Path, capsys) -> None:
    plain = json.loads(json.dumps(NO_POSITIONS))
    for variable in plain["variables"]:
        variable.pop("domain", None)
    source = tmp_path / "plain.cld.json"
    source.write_text(json.dumps(plain))
    out = tmp_path / "out.cld.json"
    assert main(["layout", str(source), str(out), "--style", "iceberg"]) == 0
    notes = [line for line in capsys.readouterr().err.splitlines() if "no domains" in line]
    assert len(notes) == 1 and "Iceberg" in notes[0]
    # With domains, no such note.
    source.write_text(json.dumps(NO_POSITIONS))
    assert main(["layout", str(source), str(out), "--style", "iceberg"]) == 0
    assert "no domains" not in capsys.readouterr().err
