"""The mailbox that carries worker threads' results to the GUI thread without Qt calls."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject

from cld_editor.ui.window.mailbox import Mailbox


def test_messages_arrive_in_order_on_the_gui_thread(qtbot) -> None:
    got: list[tuple[int, str]] = []
    threads: list[threading.Thread] = []

    def deliver(n: int, text: str) -> None:
        threads.append(threading.current_thread())
        got.append((n, text))

    box = Mailbox(deliver)

    def work(post) -> None:
        for n in range(50):
            post(n, f"m{n}")

    box.start(work, "test worker")
    qtbot.waitUntil(lambda: len(got) == 50, timeout=5000)
    assert got == [(n, f"m{n}") for n in range(50)]
    assert set(threads) == {threading.main_thread()}
    qtbot.waitUntil(lambda: not box.busy, timeout=5000)
    qtbot.waitUntil(lambda: not box.polling, timeout=5000)  # idle once all was delivered


def test_a_bound_method_is_held_weakly(qtbot) -> None:
    class Owner(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.got: list[int] = []
            self.box = Mailbox(self.take, self)

        def take(self, n: int) -> None:
            self.got.append(n)

    owner = Owner()
    box = owner.box
    release = threading.Event()

    def work(post) -> None:
        release.wait(5)
        post(1)

    box.start(work, "test worker")
    del owner
    gc.collect()
    assert not box.alive  # the owner went, and its mailbox's timers with it
    release.set()  # the worker posts into a mailbox nobody reads: no crash, no delivery
    qtbot.wait(50)
    box.deliver_now()  # by hand: the owner is gone, so nothing is delivered to it


def test_deleting_the_owner_while_workers_post_is_safe(qtbot) -> None:
    """Workers that keep posting while their owners are deleted on the GUI thread: with
    signals emitted from the workers this could crash in a later event loop turn."""
    delivered = 0

    def count(_n: int) -> None:
        nonlocal delivered
        delivered += 1

    for _round in range(30):
        owner = QObject()
        box = Mailbox(count, owner)
        stop = threading.Event()

        def work(post, stop=stop) -> None:
            n = 0
            while not stop.is_set() and n < 100_000:
                post(n)
                n += 1

        thread = box.start(work, "test worker")
        qtbot.wait(20)  # past one poll: some messages are delivered
        owner.deleteLater()
        qtbot.wait(1)
        stop.set()
        thread.join(5)
    qtbot.wait(50)
    assert delivered > 0  # messages got through before each owner went


def test_a_built_in_method_delivers_too(qtbot) -> None:
    got: list[tuple[int, int]] = []
    box = Mailbox(got.append)  # a built-in's bound method: no weak reference to it

    def work(post) -> None:
        post((1, 2))

    box.start(work, "test worker")
    qtbot.waitUntil(lambda: got == [(1, 2)], timeout=5000)
