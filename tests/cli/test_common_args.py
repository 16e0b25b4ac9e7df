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


def test_zero_turns_every_limit_off_on_the_command_line_too(tmp_path, capsys):
    """The README and the Budget: 0 always means "this limit off", --max-length too."""
    from cld_editor.cli import main
    from cld_editor.cli.common import add_budget_arguments, budget_from
    from tests.test_cli import complete_graph

    parser = argparse.ArgumentParser()
    add_budget_arguments(parser)
    budget = budget_from(parser.parse_args(["--max-length", "0", "--max-loops", "0"]))
    assert budget.max_length == 0 and budget.max_loops == 0
    import json

    path = tmp_path / "k4.cld.json"
    path.write_text(json.dumps(complete_graph(4)), encoding="utf-8")
    assert main(["analyze", str(path), "--max-length", "0", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["complete"] is True
    assert main(["analyze", str(path), "--max-length", "-1"]) == 2
    assert "expected 0 or more, got -1" in capsys.readouterr().err
