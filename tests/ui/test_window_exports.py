"""The window's export commands: File > Export Image…, File > Export Report… and Edit > Copy
Image take the open diagram, its loops, the selection and the highlighted loop."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from window_helpers import Dialogs, example_window, open_window, use_temp_settings

from cld_editor.core import ops
from cld_editor.core.model import Link
from cld_editor.core.model import stem_of_file_name as file_stem_of
from cld_editor.ui.window import export_actions
from cld_editor.ui.window.export_dialog import ExportImageDialog


@pytest.fixture
def window(qtbot, monkeypatch, tmp_path):
    yield from example_window(qtbot, monkeypatch, tmp_path)


def _menu_texts(window, title: str) -> list[str]:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == title)
    return [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()]


def test_export_commands_are_in_the_menus(window):
    assert {"&Export Image…", "Export &Report…"} <= set(_menu_texts(window, "&File"))
    assert "Copy &Image" in _menu_texts(window, "&Edit")
    assert window.actions.export_image.toolTip().endswith("(Ctrl+E)")


def test_export_image_writes_the_highlighted_loop_of_the_open_diagram(
    window, monkeypatch, tmp_path
):
    out = tmp_path / "picture.svg"
    seen: dict[str, object] = {}

    def exec_(dialog: ExportImageDialog) -> int:
        seen["loop"] = dialog.loop_combo.currentData()
        seen["loops"] = dialog.loop_combo.count() - 1  # less "None"
        dialog.path_edit.setText(str(out))
        assert dialog.export()
        return 1

    monkeypatch.setattr(ExportImageDialog, "exec", exec_)
    assert window.loops_panel.select_loop("B1")
    window.actions.export_image.trigger()
    assert seen == {"loop": "B1", "loops": len(window.loops_panel.analysis.loops)}
    svg = ET.parse(out).getroot()
    texts = " ".join(t.text or "" for t in svg.iter() if t.tag.endswith("text"))
    assert "Service quality" in texts
    assert window.statusBar().currentMessage() == f"Exported {out}"


def test_export_image_after_an_edit_uses_the_new_loops(window, monkeypatch, tmp_path):
    counts: list[int] = []

    def exec_(dialog: ExportImageDialog) -> int:
        counts.append(len(dialog.analysis.loops))
        return 0

    monkeypatch.setattr(ExportImageDialog, "exec", exec_)
    before = len(window.loops_panel.analysis.loops)
    # Pushed and exported at once, before the debounced analysis has run.
    window.scene.push(ops.add_link(Link(id="back", source="service", target="engagement")))
    window.actions.export_image.trigger()
    assert counts == [before + 1]


def test_export_image_suggests_a_name_beside_the_file(window, monkeypatch, tmp_path):
    window.files.path = tmp_path / "team.cld.json"
    paths: list[str] = []

    def exec_(dialog: ExportImageDialog) -> int:
        paths.append(dialog.path_edit.text())
        return 0

    monkeypatch.setattr(ExportImageDialog, "exec", exec_)
    window.actions.export_image.trigger()
    assert paths == [str(tmp_path / "team.png")]


def test_export_report_writes_html_with_every_loop(window, monkeypatch, tmp_path):
    out = tmp_path / "report.html"
    monkeypatch.setattr(
        export_actions.QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(out), "HTML report (*.html)")),
    )
    window.actions.export_report.trigger()
    assert window.statusBar().currentMessage() == f"Wrote the report {out}"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    for loop in window.loops_panel.analysis.loops:
        assert f"<tr><td><strong>{loop.name}</strong></td>" in text.replace(' class="crossing"', "")


def test_copy_image_copies_the_selection(window):
    window.scene.select_ids(["service", "satisfaction"])
    window.actions.copy_image.trigger()
    assert window.statusBar().currentMessage() == "Copied a picture of the selection"
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.hasImage()
    image = QGuiApplication.clipboard().image()
    assert not image.isNull()
    whole_width = image.width()
    window.scene.select_ids([])
    window.actions.copy_image.trigger()
    assert QGuiApplication.clipboard().image().width() > whole_width


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("loop.cld.json", "loop"),
        ("Loop.JSON", "Loop"),
        ("notes.txt", "notes"),
        (".cld.json", ".cld.json"),
    ],
)
def test_file_stem_of(name: str, stem: str) -> None:
    assert file_stem_of(Path(name)) == stem


def test_a_diagram_never_titled_is_exported_under_its_file_name(qtbot, monkeypatch, tmp_path):
    use_temp_settings(tmp_path / "settings")
    Dialogs().install(monkeypatch)
    window = open_window(qtbot, example=False)
    try:
        assert window.document.title == "Untitled"
        window.files._write(tmp_path / "exp.cld.json")
        window.files.path = tmp_path / "exp.cld.json"
        out = tmp_path / "report.html"
        monkeypatch.setattr(
            export_actions.QFileDialog,
            "getSaveFileName",
            staticmethod(lambda *a, **k: (str(out), "HTML report (*.html)")),
        )
        window.actions.export_report.trigger()
        text = out.read_text(encoding="utf-8")
        assert "<title>exp</title>" in text and "Untitled" not in text
        # The document itself keeps its (unset) title: only what is exported is named.
        assert window.document.title == "Untitled"
    finally:
        window.shutdown()
