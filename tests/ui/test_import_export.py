"""Other tools' files in the editor: File > Open and drops import them as untitled, modified
documents with a summary; Export As… writes every format, showing the losses before writing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QUrl
from window_helpers import Button, Dialogs, open_window, use_temp_settings, wait_for_analysis

from cld_editor.formats.native import dumps_diagram
from cld_editor.formats.registry import read_diagram
from cld_editor.ui.window.drops import dropped_diagram

MDL = (
    "{UTF-8}\nSales = A FUNCTION OF(Staff)\n\t~\t\n\t~\tMoney.\n\t|\n"
    "Staff = A FUNCTION OF(Sales)\n\t~\t\n\t~\t\n\t|\n"
    "\\\\\\---/// Sketch information - do not modify anything except names\nV300  Do not put\n"
    "*View 1\n"
    "$192-192-192,0,Times New Roman|12||0-0-0|0-0-0|0-0-255|-1--1--1|-1--1--1|96,96,100,0\n"
    "10,1,Sales,100,100,30,12,8,3,0,0,-1,0,0,0\n10,2,Staff,300,100,30,12,8,3,0,0,-1,0,0,0\n"
    "10,3,Staff,300,300,30,12,8,2,0,3,-1,0,0,0\n"
    "1,4,1,2,1,0,43,0,0,64,0,-1--1--1,,1|(200,70)|\n1,5,3,1,1,0,45,0,0,65,0,-1--1--1,,1|(200,130)|\n"
    "///---\\\\\\\n"
)


@pytest.fixture
def dialogs(monkeypatch, tmp_path):
    use_temp_settings(tmp_path / "settings")
    return Dialogs().install(monkeypatch)


@pytest.fixture
def window(qtbot, dialogs):
    window = open_window(qtbot)
    yield window
    window.shutdown()


def test_open_vensim_file_imports_untitled_and_modified(window, dialogs, tmp_path, qtbot):
    model = tmp_path / "shop.mdl"
    model.write_text(MDL)
    assert window.files.open_path(model)
    diagram = window.document.diagram
    assert [v.label for v in diagram.variables] == ["Sales", "Staff"]
    assert {lk.polarity for lk in diagram.links} == {"+", "-"}
    assert window.files.path is None and window.files.is_modified
    box = window.interop.summary_box
    assert box is not None and box.isVisible()
    assert "Vensim" in box.text() and "ghost" in box.text()
    box.accept()
    wait_for_analysis(qtbot, window)
    assert len(window.loops_panel.analysis.loops) == 1
    assert str(model.resolve()) in window.files.recent_files()


def test_open_bad_file_keeps_the_diagram(window, dialogs, tmp_path):
    before = dumps_diagram(window.document.diagram)
    bad = tmp_path / "bad.mdl"
    bad.write_text("A = 1\n~\n~\n|\n\\\\\\---///\nV300\n*View 1\n10,1,A,abc,1,1,1,8,3\n")
    assert not window.files.open_path(bad)
    kind, _, text = dialogs.shown[-1]
    assert kind == "warning" and f"{bad}:8" in text and "expected a number" in text
    assert dumps_diagram(window.document.diagram) == before


def test_drops_take_every_readable_format(tmp_path):
    for name in ("a.mdl", "b.stmx", "c.xmile", "d.loopy", "e.kumu.json", "f.cld.json", "g.zip"):
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(tmp_path / name))])
        assert dropped_diagram(mime) == tmp_path / name
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "h.png"))])
    assert dropped_diagram(mime) is None


def test_export_as_shows_losses_then_writes(window, dialogs, tmp_path):
    out = tmp_path / "shared.loopy"
    dialogs.save_name = str(out)
    dialogs.answer = Button.Save
    assert window.interop.export_as()
    kind, title, text = dialogs.shown[-1]
    assert kind == "question" and "LOOPY" in title and "Loop labels" in text
    back, _ = read_diagram(out)
    assert len(back.variables) == len(window.document.diagram.variables)
    assert not window.files.is_modified  # exporting is not saving, and changes nothing


def test_export_as_cancelled_writes_nothing(window, dialogs, tmp_path):
    out = tmp_path / "shared.mdl"
    dialogs.save_name = str(out)
    dialogs.answer = Button.Cancel
    assert not window.interop.export_as()
    assert not out.exists()


def test_export_as_in_every_format(window, dialogs, tmp_path):
    dialogs.answer = Button.Save
    for ext in (
        ".mdl",
        ".xmile",
        ".kumu.json",
        ".zip",
        ".loopy",
        ".graphml",
        ".dot",
        ".mmd",
        ".drawio",
    ):
        out = tmp_path / f"diagram{ext}"
        dialogs.save_name = str(out)
        assert window.interop.export_as(), ext
        assert out.stat().st_size > 0


def test_file_menu_has_export_as(window):
    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    file_menu = next(m for m in menus if "File" in m.title())
    names = [a.objectName() for a in file_menu.actions()]
    assert "export_as" in names


def test_command_line_file_of_another_tool(tmp_path):
    """``cld-editor FILE`` takes any readable format; a broken one is one line with its line."""
    import subprocess
    import sys

    bad = tmp_path / "bad.mdl"
    bad.write_text("A = 1\n~\n~\n|\n\\\\\\---///\nV300\n*View 1\n10,1,A,abc,1,1,1,8,3\n")
    result = subprocess.run(
        [sys.executable, "-m", "cld_editor", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {bad}:8: expected a number, found 'abc'"


def test_show_imported_opens_untitled(window, tmp_path):
    model = tmp_path / "m.mdl"
    model.write_text(MDL)
    diagram, report = read_diagram(model)
    window.interop.show_imported(diagram, model, report)
    assert window.files.path is None and window.files.is_modified
    assert window.document.diagram.variables[0].label == "Sales"


def test_export_as_a_typed_extension_wins_over_the_chosen_filter(
    window, dialogs, monkeypatch, tmp_path
):
    """Typing ``map.mmd`` while the filter still says Vensim writes Mermaid, not map.mmd.mdl."""
    from cld_editor.ui.window import import_export_actions as interop

    dialogs.answer = Button.Save
    out = tmp_path / "map.mmd"
    vensim = next(f for f in interop.EXPORT_FORMATS if f.name == "vensim")
    monkeypatch.setattr(
        interop.QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(out), vensim.filter)),
    )
    assert window.interop.export_as()
    assert out.exists() and not (tmp_path / "map.mmd.mdl").exists()
    text = out.read_text(encoding="utf-8")
    assert "flowchart" in text and "Sketch information" not in text
    plain = tmp_path / "plain"
    monkeypatch.setattr(
        interop.QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(plain), vensim.filter)),
    )
    assert window.interop.export_as()  # no extension: the chosen filter's is added
    assert (tmp_path / "plain.mdl").exists()


def test_import_summary_names_the_format_with_its_article(window, dialogs, tmp_path):
    """ "read as an XMILE / Stella model", not "a XMILE"; "a Vensim model" stays."""
    from cld_editor.formats.registry import export_bytes

    model = tmp_path / "shared.xmile"
    _, data = export_bytes(window.document.diagram, model, "xmile")
    model.write_bytes(data)
    assert window.files.open_path(model)
    box = window.interop.summary_box
    assert "shared.xmile was read as an XMILE / Stella model." in box.text()
    box.accept()


def test_an_import_is_named_after_its_file_and_save_as_proposes_it_beside(
    window, dialogs, tmp_path, monkeypatch
):
    from cld_editor.ui.window import file_ops, import_export_actions

    model = tmp_path / "shop.mdl"
    model.write_text(MDL)
    assert window.files.open_path(model)
    window.interop.summary_box.accept()
    # The title bar, the save question and recovery name the import, not "Untitled".
    assert window.files.display_name() == "shop.cld.json (imported)"
    assert window.files.recovery_description() == (tmp_path / "shop.cld.json", "shop.cld.json")
    proposed: list[str] = []

    def save_name(parent, caption, start, *args, **kwargs):
        proposed.append(start)
        return "", ""

    monkeypatch.setattr(file_ops.QFileDialog, "getSaveFileName", staticmethod(save_name))
    assert not window.files.save()
    monkeypatch.setattr(
        import_export_actions.QFileDialog, "getSaveFileName", staticmethod(save_name)
    )
    assert not window.interop.export_as()
    assert proposed[0] == str(tmp_path / "shop.cld.json")
    assert proposed[1].startswith(str(tmp_path / "shop"))
