"""In the main window, Loops > Stop Analysis stops a running "Count all loops" as well as the
loop search, and the panel then shows the partial counts."""

from __future__ import annotations

import pytest
from window_helpers import open_window, use_temp_settings, wait_for_analysis

from cld_editor.analysis.loops import Budget
from tests.ui.test_loops_view import dense


@pytest.fixture
def window(qtbot, tmp_path):
    use_temp_settings(tmp_path / "settings")
    window = open_window(qtbot)
    yield window
    window.shutdown()


def test_stop_analysis_stops_a_running_count(window, qtbot) -> None:
    window.runner.budget = Budget(max_loops=20)
    window.files.load_diagram(dense(14), None)  # billions of loops
    wait_for_analysis(qtbot, window)
    sets = window.loops_panel.sets
    assert not sets.count_button.isHidden()
    sets.count_button.click()
    assert sets.counter.running
    with qtbot.waitSignal(sets.counter.counted, timeout=20000) as blocker:
        window.actions.stop_analysis.trigger()
    assert blocker.args[0].stopped_by == "cancelled"
    assert "Count stopped: at least" in window.loops_panel.summary.text()
    assert sets.count_button.text() == "Count all loops"
