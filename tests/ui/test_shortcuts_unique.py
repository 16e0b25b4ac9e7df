"""Every keyboard shortcut of the main window belongs to one action: Qt fires neither of two
actions that share a key sequence (an "ambiguous shortcut"), so a shared one is a dead key."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtGui import QAction, QKeySequence
from window_helpers import Dialogs, open_window, use_temp_settings


def test_no_two_actions_share_a_shortcut(qtbot, monkeypatch, tmp_path):
    use_temp_settings(tmp_path / "settings")
    Dialogs().install(monkeypatch)
    window = open_window(qtbot)
    try:
        owners: dict[str, set[str]] = defaultdict(set)
        for action in window.findChildren(QAction):
            for seq in action.shortcuts():
                if not seq.isEmpty():
                    text = seq.toString(QKeySequence.SequenceFormat.PortableText)
                    owners[text].add(action.text().replace("&", "").split("\t")[0])
        shared = {key: names for key, names in owners.items() if len(names) > 1}
        assert shared == {}
        assert "What If…" in owners["Ctrl+Shift+W"]
    finally:
        window.shutdown()
