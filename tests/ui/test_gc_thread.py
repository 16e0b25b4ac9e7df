"""The cyclic garbage collector runs on the GUI thread only (ui/gc_thread.py)."""

from __future__ import annotations

import gc
import threading

from cld_editor.core.memory import collect_due
from cld_editor.ui.gc_thread import MainThreadCollector


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it


def test_installed_the_automatic_collector_is_off_and_the_timer_collects(qtbot) -> None:
    was = gc.isenabled()
    collector = MainThreadCollector(interval_ms=10).install()
    try:
        assert not gc.isenabled()
        collected_on: list[threading.Thread] = []
        gc.callbacks.append(
            lambda phase, info: (
                collected_on.append(threading.current_thread()) if phase == "start" else None
            )
        )
        try:
            # A worker allocating many cycles never collects them itself...
            def work() -> None:
                for _ in range(50_000):
                    _Node()

            worker = threading.Thread(target=work)
            worker.start()
            worker.join()
            assert worker not in collected_on
            # ...the GUI thread's timer does.
            qtbot.waitUntil(lambda: collector.collections > 0, timeout=5000)
            assert collected_on and set(collected_on) == {threading.main_thread()}
        finally:
            gc.callbacks.pop()
    finally:
        collector.uninstall()
    assert gc.isenabled() == was


def test_collect_due_follows_the_thresholds() -> None:
    gc.collect()
    assert collect_due((10_000_000, 10, 10)) == 0  # nothing is due below the threshold
    for _ in range(100):
        _Node()
    assert collect_due((1, 10, 10)) >= 100  # due: the young cycles are found
