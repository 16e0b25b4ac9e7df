"""What an exported picture shows: text without ligatures, so that PDF search and copy work;
loops found by name in any case or by their label's name."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cld_editor.analysis.loops import find_loops
from cld_editor.core.model import Diagram
from cld_editor.formats.native import load_diagram
from cld_editor.ui import export, render_overlays
from cld_editor.ui.export import ExportError, ExportOptions

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "resources" / "examples"


def _pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


@pytest.fixture
def loop_diagram(qapp) -> Diagram:
    return load_diagram(EXAMPLES / "experience-loop.cld.json")


# -- ligatures -------------------------------------------------------------------------------------
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_pdf_from_the_command_line_has_no_ligatures(tmp_path):
    out = tmp_path / "d.pdf"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    example = EXAMPLES / "experience-loop.cld.json"
    done = subprocess.run(
        [sys.executable, "-m", "cld_editor", "export", str(example), str(out), "--legend"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    text = _pdf_text(out)
    assert "Staff turnover" in text
    assert not [c for c in text if "\ufb00" <= c <= "\ufb06"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_title_and_loop_names_have_no_ligatures_in_any_export(loop_diagram, tmp_path):
    # Text drawn by the export's own fonts (title, loop labels, legend, waterline) sets the
    # features itself, so it is right in the editor's exports too.
    diagram = loop_diagram.model_copy(update={"title": "Staff office affairs"})
    labels = [b.model_copy(update={"name": "Baffling effect"}) for b in diagram.loop_labels]
    links = [k.model_copy(update={"polarity": "?"}) for k in diagram.links]
    diagram = diagram.model_copy(update={"loop_labels": labels[:1], "links": links})
    options = ExportOptions(title=True, legend=True)
    text = _pdf_text(export.export_image(diagram, tmp_path / "t.pdf", options))
    for words in ("Staff office affairs", "Baffling effect", "Unknown effect"):
        assert words in text


def test_export_fonts_turn_ligatures_off(qapp):
    font = render_overlays.plain_font(12, italic=True)
    for tag in render_overlays.LIGATURES:
        assert font.featureValue(font.Tag(tag)) == 0 and font.isFeatureSet(font.Tag(tag))


# -- finding a loop --------------------------------------------------------------------------------
def test_loops_are_found_in_any_case_or_by_their_label_name(loop_diagram):
    analysis = find_loops(loop_diagram)
    r1 = analysis.by_name("R1")
    assert export.find_loop(analysis, "r1") is r1
    assert export.find_loop(analysis, "Turnover spiral", loop_diagram) is r1
    assert export.find_loop(analysis, "  turnover   SPIRAL ", loop_diagram) is r1
    with pytest.raises(ExportError, match="no loop named 'Turnover spiral'"):
        export.find_loop(analysis, "Turnover spiral")  # names need the diagram
    twice = [b.model_copy(update={"name": "Same"}) for b in loop_diagram.loop_labels]
    doubled = loop_diagram.model_copy(update={"loop_labels": twice})
    with pytest.raises(ExportError, match="3 loops are called 'Same'"):
        export.find_loop(analysis, "Same", doubled)
    picture = export.make_picture(loop_diagram, analysis, ExportOptions(loop="virtuous cycle"))
    assert picture.highlighted_loop is analysis.by_name("R2")
