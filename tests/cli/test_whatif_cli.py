"""``cld-editor whatif``: the table, exactly the documented JSON, variables by id or label, and
one ``error:`` line with exit 2 for an unknown variable (with close matches) or bad options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cld_editor import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "resources" / "examples" / "experience-loop.cld.json")


@pytest.fixture
def run(capsys):
    def run(*args: str) -> tuple[int, str, str]:
        status = cli.main(list(args))
        out, err = capsys.readouterr()
        return status, out, err

    return run


def test_whatif_is_a_command() -> None:
    assert "whatif" in cli.command_names(cli.build_parser())


def test_json_has_exactly_the_documented_shape(run) -> None:
    status, out, _ = run("whatif", EXAMPLE, "engagement", "down", "--steps", "8", "--json")
    assert status == 0
    data = json.loads(out)
    assert set(data) == {"start", "steps"}
    assert data["start"] == {"variable": "engagement", "direction": "down"}
    assert [s["step"] for s in data["steps"]] == list(range(1, 9))
    for step in data["steps"]:
        assert set(step) == {"step", "changes"}
        for change in step["changes"]:
            assert set(change) == {"variable", "direction"}
            assert change["direction"] in ("up", "down", "unknown")
    assert data["steps"][7]["changes"] == [
        {"variable": "engagement", "direction": "unknown"},
        {"variable": "turnover", "direction": "down"},
    ]


def test_steps_without_change_are_kept_until_the_last(run, tmp_path: Path) -> None:
    path = tmp_path / "chain.cld.json"
    path.write_text(
        json.dumps(
            {
                "format": "cld",
                "version": 1,
                "variables": [{"id": "a"}, {"id": "b"}],
                "links": [{"source": "a", "target": "b", "delay": True}],
            }
        )
    )
    status, out, _ = run("whatif", str(path), "a", "up", "--steps", "4", "--json")
    assert status == 0
    assert json.loads(out)["steps"] == [
        {"step": 1, "changes": []},
        {"step": 2, "changes": [{"variable": "b", "direction": "up"}]},
        {"step": 3, "changes": []},
        {"step": 4, "changes": []},
    ]
    status, out, _ = run("whatif", str(path), "a", "up", "--steps", "3")
    assert "(no change; a delayed change is on its way)" in out.splitlines()[4]
    assert out.splitlines()[-1].endswith("(no change)")


def test_the_default_is_twice_the_longest_loop(run) -> None:
    status, out, _ = run("whatif", EXAMPLE, "Employee engagement", "up", "--json")
    assert status == 0 and len(json.loads(out)["steps"]) == 16


def test_the_table_names_labels_and_directions(run) -> None:
    status, out, _ = run("whatif", EXAMPLE, "engagement", "down", "--steps", "8")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "What if Employee engagement falls? 8 steps"
    assert "   4  Revenue ▼, Customer demand ▼" in lines
    assert "   8  Employee engagement ?, Staff turnover ▼" in lines


def test_the_table_tells_the_story_the_editor_captions_tell(run, tmp_path: Path) -> None:
    """A balancing loop of 2 steps and a reinforcing one of 3 through A (A falls): under each
    step at which A changes again, the What If caption's sentence about it, the first return
    counted in steps, the later ones naming the change they bring back."""
    path = tmp_path / "two.cld.json"
    links = [("a", "b", "+"), ("b", "a", "-"), ("a", "c", "+"), ("c", "d", "+"), ("d", "a", "+")]
    path.write_text(
        json.dumps(
            {
                "format": "cld",
                "version": 1,
                "variables": [{"id": n, "label": n.upper()} for n in "abcd"],
                "links": [{"source": s, "target": t, "polarity": p} for s, t, p in links],
                "loop_labels": [{"id": "ll", "loop": ["a", "b"], "x": 0, "y": 0, "name": "Brake"}],
            }
        )
    )
    status, out, _ = run("whatif", str(path), "A", "down", "--steps", "5")
    assert status == 0
    assert out.splitlines()[3:] == [
        "   0  A ▼ (the start)",
        "   1  B ▼, C ▼",
        "   2  A ▲, D ▼",
        "      A rises after 2 steps: B1 Brake pushes back against the fall.",
        "   3  A ▼, B ▲, C ▲",
        "      A falls again after 3 steps: R1 reinforces the fall — a doom loop.",
        "   4  A ▼, B ▼, C ▼, D ▲",
        "      A falls again: B1 Brake pushes back against the rise of step 2.",
        "   5  A ▲, B ▼, C ▼, D ▼",
        "      A rises again: B1 Brake pushes back against the fall of step 3.",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("engagment", "down"), "no variable 'engagment' (close matches: Employee engagement"),
        (("zzz", "down"), "no variable 'zzz'"),
        (("engagement", "sideways"), "invalid choice"),
        (("engagement", "up", "--steps", "0"), "expected 1 or more"),
        (("engagement", "up", "--steps", "x"), "expected a whole number"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(run, args, message) -> None:
    status, out, err = run("whatif", EXAMPLE, *args)
    assert status == 2 and out == ""
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_a_bad_file_is_named(run, tmp_path: Path) -> None:
    status, _, err = run("whatif", str(tmp_path / "none.cld.json"), "a", "up")
    assert status == 2 and "none.cld.json: no such file" in err
