"""The Loops panel in the window across documents: its filters belong to the diagram they were
chosen for (another diagram opened or made shows all its loops; edits and Revert keep them)."""

from __future__ import annotations

import pytest
from window_helpers import Dialogs, open_window, use_temp_settings, wait_for_analysis

from cld_editor.core import edits
from cld_editor.formats.native import save_diagram


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    use_temp_settings(tmp_path / "settings")
    Dialogs().install(monkeypatch)  # Revert and New are answered Discard
    w = open_window(qtbot)
    yield w
    w.shutdown()


def filters(panel) -> tuple[object, object, bool, bool]:
    return (
        panel.type_filter.currentData(),
        panel.domain_filter.currentData(),
        panel.through_selection.isChecked(),
        panel.sets.independent_set.isChecked(),
    )


ALL = (None, None, False, False)


def narrow(window, qtbot) -> None:
    """Balancing loops through the first variable only, as the user chose them."""
    panel = window.loops_panel
    panel.type_filter.setCurrentIndex(panel.type_filter.findData("balancing"))
    panel.domain_filter.setCurrentIndex(panel.domain_filter.findData(3))
    window.scene.select_ids([window.document.diagram.variables[0].id])
    panel.through_selection.setChecked(True)
    assert panel.proxy.rowCount() < len(panel.analysis.loops)
    assert " shown" in panel.summary.text()


def test_another_diagram_shows_all_its_loops(window, qtbot, tmp_path) -> None:
    panel = window.loops_panel
    first, second = tmp_path / "first.cld.json", tmp_path / "second.cld.json"
    save_diagram(window.document.diagram, first)
    save_diagram(window.document.diagram, second)
    assert window.files.open_path(first, ask=False)
    wait_for_analysis(qtbot, window)
    narrow(window, qtbot)
    chosen = filters(panel)
    # An edit of the same diagram keeps them.
    variable = window.document.diagram.variables[0]
    window.scene.push(edits.rename_variable(window.document, variable.id, "Renamed"))
    wait_for_analysis(qtbot, window)
    assert filters(panel) == chosen
    # Revert reads the same file again: kept.
    assert window.files.revert()
    wait_for_analysis(qtbot, window)
    assert filters(panel) == chosen
    # Another file: every loop shown.
    assert window.files.open_path(second, ask=False)
    wait_for_analysis(qtbot, window)
    assert filters(panel) == ALL
    assert panel.proxy.rowCount() == len(panel.analysis.loops) > 0
    assert " shown" not in panel.summary.text()
    # New, after the independent set was asked for: the listing again.
    panel.sets.independent_set.setChecked(True)
    narrow(window, qtbot)
    window.new_diagram()
    wait_for_analysis(qtbot, window)
    assert filters(panel) == ALL
