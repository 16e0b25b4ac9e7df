"""Cancelling a layout within a step: the long loops of every style call the progress callback
again (``layout.cancel.checkpoint``), so a callback that raises ends the layout at once, and the
work done between two calls stays small. Work is counted in Python function calls (a profile
hook), never in seconds."""

from __future__ import annotations

import sys

import pytest
from layout_strategies import random_pairs

from cld_editor.core.model import Diagram
from cld_editor.layout import STYLES, plan
from cld_editor.layout.cancel import checking, checkpoint


class Stop(Exception):
    pass


@pytest.fixture(scope="module")
def hairball() -> Diagram:
    return random_pairs(400, 2.0, 3)


def test_checkpoint_calls_the_check_only_while_checking():
    calls: list[int] = []
    checkpoint()  # nothing in force: nothing happens
    with checking(lambda: calls.append(1)):
        checkpoint()
        with checking(lambda: calls.append(2)):
            checkpoint()
        checkpoint()
    checkpoint()
    assert calls == [1, 2, 1]


@pytest.mark.parametrize("style", STYLES)
def test_every_step_calls_back_many_times(hairball, style):
    """Not only at the start of a step: the callback hears from inside each one, with the step
    under way."""
    steps: list[str] = []
    plan(hairball, style, progress=steps.append)
    placing = steps.count("placing variables")
    bending = steps.count("bending links clear of variables")
    assert placing >= 50 and bending >= 50, (placing, bending)
    # The steps come in order: the checks inside a step repeat its name.
    firsts = list(dict.fromkeys(steps))
    assert firsts == [
        "placing variables",
        "bending links clear of variables",
        "placing loop labels",
    ]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("when", [3, 40, 400])
def test_a_raising_callback_ends_the_layout(hairball, style, when):
    calls = [0]

    def progress(step: str) -> None:
        calls[0] += 1
        if calls[0] == when:
            raise Stop

    with pytest.raises(Stop):
        plan(hairball, style, progress=progress)
    assert calls[0] == when


@pytest.mark.parametrize("style", STYLES)
def test_little_work_between_two_calls(style):
    """Between two calls of the callback the layout makes at most LIMIT Python function calls
    (a few hundredths of a second of work at most; a whole step makes millions)."""
    diagram = random_pairs(250, 2.0, 5)
    since = [0]
    longest = [0]
    total = [0]

    def progress(step: str) -> None:
        longest[0] = max(longest[0], since[0])
        since[0] = 0

    def profile(frame, event, arg) -> None:
        if event == "call" or event == "c_call":
            since[0] += 1
            total[0] += 1

    sys.setprofile(profile)
    try:
        plan(diagram, style, progress=progress)
    finally:
        sys.setprofile(None)
    progress("")
    assert total[0] > 20 * LIMIT  # the layout itself is far longer than the bound
    assert longest[0] <= LIMIT, longest[0]


LIMIT = 40_000
