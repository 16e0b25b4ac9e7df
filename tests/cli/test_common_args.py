"""Argument types shared by the commands: a bad number is refused with what was expected."""

from __future__ import annotations

import argparse

import pytest

from cld_editor.cli.common import _non_negative_int, _positive_int


@pytest.mark.parametrize(
    ("text", "message"),
    [("0", "expected 1 or more, got 0"), ("-1", "expected 1 or more, got -1"), ("x", "whole")],
)
def test_positive_int_says_one_or_more_for_every_number_below_one(text, message):
    with pytest.raises(argparse.ArgumentTypeError, match=message):
        _positive_int(text)


def test_positive_and_non_negative_accept_what_they_promise():
    assert _positive_int("1") == 1 and _positive_int("50") == 50
    assert _non_negative_int("0") == 0
    with pytest.raises(argparse.ArgumentTypeError, match="expected 0 or more, got -1"):
        _non_negative_int("-1")
