"""Export Report after Loops > Count all loops: the report of a listing that stopped short gives
every loop's count and ranks the variables by all loops through them, while the diagram's loops
are still the ones counted."""

from __future__ import annotations

import pytest
from window_helpers import Dialogs, open_window, use_temp_settings, wait_for_analysis

from cld_editor.analysis.census import count_loops
from cld_editor.analysis.loops import Budget
from cld_editor.core import edits
from cld_editor.ui.undo import push_op
from tests.ui.test_loops_view import dense


@pytest.fixture
def dialogs(monkeypatch) -> Dialogs:
    return Dialogs().install(monkeypatch)


@pytest.fixture
def window(qtbot, dialogs, tmp_path):
    use_temp_settings(tmp_path / "settings")
    window = open_window(qtbot)
    yield window
    window.shutdown()


def test_a_report_after_count_all_loops_counts_them_all(window, dialogs, qtbot, tmp_path):
    diagram = dense(7)  # 1,172 loops
    window.runner.budget = Budget(max_loops=20)
    window.files.load_diagram(diagram, None)
    wait_for_analysis(qtbot, window)
    window.exports.background_from = len(diagram.links) + 1  # written at once
    sets = window.loops_panel.sets
    assert sets.counted(window.document.diagram) is None
    with qtbot.waitSignal(sets.counter.counted, timeout=20000):
        sets.count_button.click()
    census = sets.counted(window.document.diagram)
    assert census is not None and census.total == count_loops(diagram).total
    out = tmp_path / "report.html"
    dialogs.save_name = str(out)
    assert window.exports.report() == [out]
    html = out.read_text(encoding="utf-8")
    assert f"All loops counted: {census.summary_text()}" in html
    assert '<th class="num">All loops</th>' in html
    # An edit changes the loops: the count no longer goes into a report.
    document = window.document
    push_op(window.undo_stack, document, edits.cycle_polarity(document, diagram.links[0].id))
    wait_for_analysis(qtbot, window)
    assert sets.counted(window.document.diagram) is None
    out2 = tmp_path / "after-edit.html"
    dialogs.save_name = str(out2)
    assert window.exports.report() == [out2]
    assert "All loops counted" not in out2.read_text(encoding="utf-8")
