"""Stopping a layout part-way through a step: the checkpoint its long inner loops call.

:func:`~cld_editor.layout.plan.plan` reports each step it starts to its ``progress`` callback,
which may raise to abandon the layout (the editor's Cancel does). A step can take seconds on a
big diagram, so the loops inside the steps (placing, improving, untangling, choosing, the
force-directed rounds, the layered sweeps, bending and repairing links) call
:func:`checkpoint` every so often, and while :func:`checking` is in force that calls the
callback again with the step under way, so a raise there ends the layout within a fraction of
a second of work. The callback lives in a context variable: each thread (the editor's worker)
has its own, and code run outside :func:`checking` (tests, the command line) pays one lookup
per checkpoint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_check: ContextVar[Callable[[], None] | None] = ContextVar("layout_check", default=None)


def checkpoint() -> None:
    """Call the check in force (it may raise to stop the layout); nothing outside one."""
    check = _check.get()
    if check is not None:
        check()


@contextmanager
def checking(check: Callable[[], None]) -> Iterator[None]:
    """Have :func:`checkpoint` call ``check`` while the block runs."""
    token = _check.set(check)
    try:
        yield
    finally:
        _check.reset(token)
