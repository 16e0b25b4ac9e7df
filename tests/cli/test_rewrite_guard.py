"""A command never writes over the other tool's model it reads: cld-editor keeps only its
variables, links and signs, so the model's equations would be lost. Native files may be
rewritten in place, and other files are written as asked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cld_editor.cli import main
from cld_editor.formats.registry import read_diagram, write_diagram

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "resources" / "examples" / "experience-loop.cld.json"
)


@pytest.fixture
def model(tmp_path: Path) -> Path:
    """A small Vensim model, written from the example."""
    path = tmp_path / "team.mdl"
    write_diagram(read_diagram(EXAMPLE)[0], path)
    return path


@pytest.mark.parametrize("command", [["layout"], ["convert"], ["layout", "--style", "layered"]])
def test_a_model_is_not_written_over(model: Path, command: list[str], capsys) -> None:
    before = model.read_bytes()
    assert main([command[0], str(model), str(model), *command[1:]]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {model}: ")
    assert "Vensim model" in err and str(model.with_name("team.cld.json")) in err
    assert model.read_bytes() == before


def test_nor_through_another_name(model: Path, tmp_path: Path, capsys) -> None:
    link = tmp_path / "same.mdl"
    os.symlink(model, link)
    before = model.read_bytes()
    assert main(["layout", str(model), str(link)]) == 2
    assert model.read_bytes() == before


def test_a_native_file_is_arranged_in_place(tmp_path: Path, capsys) -> None:
    path = tmp_path / "mine.cld.json"
    path.write_bytes(EXAMPLE.read_bytes())
    assert main(["layout", str(path), str(path), "--style", "layered"]) == 0
    assert read_diagram(path)[0].variables


def test_a_model_may_be_written_elsewhere_and_layout_takes_to(model: Path, tmp_path: Path) -> None:
    out = tmp_path / "arranged.txt"
    assert main(["layout", str(model), str(out), "--to", "cld"]) == 0
    assert read_diagram(out, "cld")[0].variables
    assert main(["layout", str(model), str(tmp_path / "team2.mdl")]) == 0
