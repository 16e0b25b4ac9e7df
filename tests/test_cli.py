"""The ``cld-editor`` command line: ``analyze`` output (table and JSON), its budget options,
``--version``/``--help``, the GUI dispatch, and the promise that any bad file or bad argument
ends in exit status 2 with one line ``error: ...`` on stderr and no traceback.

Most tests call :func:`cld_editor.cli.main` in-process (fast, with capsys); a few run
``python -m cld_editor`` as a subprocess, the way people and scripts really call it.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import textwrap
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from cld_editor import __version__
from cld_editor.analysis.budget import DEFAULT_MAX_LOOPS, DEFAULT_TIME_LIMIT, Budget
from cld_editor.cli import budget_from, build_parser, main
from cld_editor.logging_setup import ENV_DEBUG, ENV_LOG_DIR

#: Three variables with links both ways between every pair: the three two-variable loops and
#: the two three-variable ones, one per direction. Polarities chosen so every kind appears:
#:   a<>b: + and - -> balancing       b<>c: + (delayed) and + -> reinforcing
#:   a<>c: ? and + -> undetermined    a>b>c>a: all + -> reinforcing (delayed, via b>c)
#:   a>c>b>a: ?, +, - -> undetermined
TINY = {
    "format": "cld",
    "version": 1,
    "title": "Tiny",
    "variables": [
        {"id": "a", "label": "Alpha", "domain": "CX", "x": 0, "y": 0},
        {"id": "b", "label": "Beta", "domain": "EX", "x": 200, "y": 0},
        {"id": "c", "label": "Gamma", "x": 100, "y": 180},
    ],
    "links": [
        {"id": "ab", "source": "a", "target": "b", "polarity": "+"},
        {"id": "ba", "source": "b", "target": "a", "polarity": "-"},
        {"id": "bc", "source": "b", "target": "c", "polarity": "+", "delay": True},
        {"id": "cb", "source": "c", "target": "b", "polarity": "+"},
        {"id": "ac", "source": "a", "target": "c", "polarity": "?"},
        {"id": "ca", "source": "c", "target": "a", "polarity": "+"},
    ],
}

#: Named by length, then by document order of the members; each starts at its first member.
TINY_LOOPS = [
    {
        "name": "B1",
        "polarity": "balancing",
        "length": 2,
        "variables": ["a", "b"],
        "links": ["ab", "ba"],
        "delayed": False,
        "domains": ["CX", "EX"],
        "label": None,
    },
    {
        "name": "U1",
        "polarity": "undetermined",
        "length": 2,
        "variables": ["a", "c"],
        "links": ["ac", "ca"],
        "delayed": False,
        "domains": ["CX"],
        "label": None,
    },
    {
        "name": "R1",
        "polarity": "reinforcing",
        "length": 2,
        "variables": ["b", "c"],
        "links": ["bc", "cb"],
        "delayed": True,
        "domains": ["EX"],
        "label": None,
    },
    {
        "name": "R2",
        "polarity": "reinforcing",
        "length": 3,
        "variables": ["a", "b", "c"],
        "links": ["ab", "bc", "ca"],
        "delayed": True,
        "domains": ["CX", "EX"],
        "label": None,
    },
    {
        "name": "U2",
        "polarity": "undetermined",
        "length": 3,
        "variables": ["a", "c", "b"],
        "links": ["ac", "cb", "ba"],
        "delayed": False,
        "domains": ["CX", "EX"],
        "label": None,
    },
]

LOOP_KEYS = {"name", "label", "polarity", "length", "variables", "links", "delayed", "domains"}
SUMMARY_KEYS = {"loops", "reinforcing", "balancing", "undetermined", "complete", "max_length"}


def complete_graph(n: int) -> dict[str, object]:
    """Every variable linked to every other: sum over k of C(n, k) * (k - 1)! loops."""
    names = [f"v{i}" for i in range(n)]
    return {
        "format": "cld",
        "version": 1,
        "title": f"K{n}",
        "variables": [{"id": v, "x": 200 * i, "y": 0} for i, v in enumerate(names)],
        "links": [{"source": s, "target": t} for s in names for t in names if s != t],
    }


def signed_complete_file(folder: Path, n: int) -> Path:
    """``complete_graph(n)`` with every third link negative, as ``folder/kN.cld.json``."""
    path = folder / f"k{n}.cld.json"
    data = complete_graph(n)
    for k, link in enumerate(data["links"]):  # type: ignore[arg-type]
        link["polarity"] = "-" if k % 3 == 0 else "+"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.cld.json"
    path.write_text(json.dumps(TINY), encoding="utf-8")
    return path


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(["analyze", *argv, "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return json.loads(out)


def run_cli(*argv: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "cld_editor"]
    return subprocess.run(
        [*command, *argv], capture_output=True, text=True, timeout=120, encoding="utf-8"
    )


# -- analyze: JSON -----------------------------------------------------------------------------
def test_json_has_exactly_the_documented_shape(tiny: Path, capsys) -> None:
    data = run_json(capsys, str(tiny))
    assert {"title", "variables", "links", "loops", "summary"} <= set(data)
    assert data["title"] == "Tiny"
    assert (data["variables"], data["links"]) == (3, 6)
    assert all(set(loop) == LOOP_KEYS for loop in data["loops"])
    assert data["loops"] == TINY_LOOPS
    assert set(data["summary"]) == SUMMARY_KEYS
    assert data["summary"] == {
        "loops": 5,
        "reinforcing": 2,
        "balancing": 1,
        "undetermined": 2,
        "complete": True,
        "max_length": None,
    }


def test_json_of_a_diagram_without_loops(tmp_path: Path, capsys) -> None:
    path = tmp_path / "chain.cld.json"
    path.write_text(
        json.dumps(
            {
                "format": "cld",
                "version": 1,
                "variables": [{"id": "x"}, {"id": "y"}],
                "links": [{"source": "x", "target": "y"}],
            }
        ),
        encoding="utf-8",
    )
    data = run_json(capsys, str(path))
    assert data["title"] == "Untitled"
    assert data["loops"] == []
    assert data["summary"] == {
        "loops": 0,
        "reinforcing": 0,
        "balancing": 0,
        "undetermined": 0,
        "complete": True,
        "max_length": None,
    }


def test_max_loops_truncates_and_says_incomplete(tiny: Path, capsys) -> None:
    data = run_json(capsys, str(tiny), "--max-loops", "2")
    assert len(data["loops"]) == 2
    assert data["summary"]["loops"] == 2
    assert data["summary"]["complete"] is False
    # The shortest loops are kept: two of the three 2-link loops, not the 3-link ones.
    assert [loop["length"] for loop in data["loops"]] == [2, 2]
    assert data["complete_up_to_length"] == 1

    assert main(["analyze", str(tiny), "--max-loops", "2"]) == 0
    out = capsys.readouterr().out
    assert "at least 2 loops" in out


def test_max_loops_zero_means_no_limit(tiny: Path, capsys) -> None:
    data = run_json(capsys, str(tiny), "--max-loops", "0")
    assert data["summary"]["loops"] == 5 and data["summary"]["complete"] is True
    # 0 turns off the loop limit alone (one meaning of 0 everywhere, as in Preferences).
    budget = budget_from(build_parser().parse_args(["analyze", "f", "--max-loops", "0"]))
    assert budget.max_loops == 0 and budget.time_limit == DEFAULT_TIME_LIMIT
    default = budget_from(build_parser().parse_args(["analyze", "f"]))
    assert default.max_loops == DEFAULT_MAX_LOOPS and default.time_limit is not None


def test_max_loops_zero_goes_past_a_limit_that_would_stop_the_search(
    tmp_path: Path, capsys
) -> None:
    # K8 has 28 + 112 + 420 + 1,344 + 3,360 + 5,760 + 5,040 = 16,064 loops.
    path = tmp_path / "k8.cld.json"
    path.write_text(json.dumps(complete_graph(8)), encoding="utf-8")
    capped = run_json(capsys, str(path), "--max-loops", "10000")["summary"]
    assert (capped["loops"], capped["complete"]) == (10_000, False)
    unlimited = run_json(capsys, str(path), "--max-loops", "0")["summary"]
    assert (unlimited["loops"], unlimited["complete"]) == (16_064, True)


def test_max_length_keeps_only_short_loops_and_stays_complete(tiny: Path, capsys) -> None:
    data = run_json(capsys, str(tiny), "--max-length", "2")
    assert [loop["name"] for loop in data["loops"]] == ["B1", "U1", "R1"]
    assert data["summary"]["complete"] is True
    data = run_json(capsys, str(tiny), "--max-length", "1")
    assert data["loops"] == []


# -- analyze: table ----------------------------------------------------------------------------
def test_table_lists_every_loop_with_labels(tiny: Path, capsys) -> None:
    assert main(["analyze", str(tiny)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == "Tiny: 3 variables, 6 links"
    assert lines[1] == "5 loops: 2 reinforcing, 1 balancing, 2 undetermined"
    rows = {line.split()[0]: line for line in lines[2:] if line.strip()}
    assert set(rows) == {"Loop", "B1", "U1", "R1", "R2", "U2"}
    assert "Alpha -> Beta -> Alpha" in rows["B1"] and "balancing" in rows["B1"]
    assert "Alpha -> Beta -> Gamma -> Alpha" in rows["R2"]
    assert "yes" in rows["R1"] and "yes" not in rows["U2"]
    assert "CX+EX" in rows["R2"]


def test_table_of_the_shipped_example(capsys) -> None:
    example = Path(__file__).resolve().parent.parent / "resources/examples/experience-loop.cld.json"
    assert main(["analyze", str(example)]) == 0
    out = capsys.readouterr().out
    assert "3 loops: 2 reinforcing, 1 balancing" in out
    assert "Employee engagement -> Service quality" in out


def _named_loops(tmp_path: Path) -> Path:
    """TINY with a loop label naming the loop a -> c -> b (written from c, so it is matched by
    its key, not by where the list starts) and an unnamed label on another loop."""
    data = json.loads(json.dumps(TINY))
    data["loop_labels"] = [
        {"id": "lab1", "loop": ["c", "b", "a"], "x": 0, "y": 0, "name": " Virtuous\ncycle "},
        {"id": "lab2", "loop": ["a", "b"], "x": 10, "y": 0},
    ]
    path = tmp_path / "named.cld.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_json_gives_each_loop_the_name_of_its_loop_label(tmp_path: Path, capsys) -> None:
    data = run_json(capsys, str(_named_loops(tmp_path)))
    labels = {tuple(loop["variables"]): loop["label"] for loop in data["loops"]}
    assert labels[("a", "c", "b")] == "Virtuous cycle"
    assert labels[("a", "b")] is None
    assert all(set(loop) == LOOP_KEYS for loop in data["loops"])


def test_table_has_a_label_column_only_when_a_loop_is_named(tmp_path: Path, capsys) -> None:
    assert main(["analyze", str(_named_loops(tmp_path))]) == 0
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("Loop"))
    assert header.split()[:3] == ["Loop", "Label", "Type"]
    row = next(line for line in out.splitlines() if "Virtuous cycle" in line)
    assert row.split()[0] in {"R1", "R2", "B1", "U1", "U2"}
    plain = tmp_path / "plain.cld.json"
    plain.write_text(json.dumps(TINY), encoding="utf-8")
    assert main(["analyze", str(plain)]) == 0
    assert "Label" not in capsys.readouterr().out


def test_table_puts_a_multi_line_label_on_one_line(tmp_path: Path, capsys) -> None:
    diagram = {
        "format": "cld",
        "version": 1,
        "variables": [{"id": "x", "label": "Two\nlines"}, {"id": "y"}],
        "links": [{"source": "x", "target": "y"}, {"source": "y", "target": "x"}],
    }
    path = tmp_path / "wrapped.cld.json"
    path.write_text(json.dumps(diagram), encoding="utf-8")
    assert main(["analyze", str(path)]) == 0
    assert "Two lines -> y -> Two lines" in capsys.readouterr().out


# -- version, help, dispatch --------------------------------------------------------------------
def test_version(capsys) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"cld-editor {__version__}"


def test_help(capsys) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "analyze" in out and "gui" in out
    assert main(["analyze", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--max-loops" in out and "--max-length" in out and "--json" in out


@pytest.fixture
def fake_gui(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[str | None]]:
    """Stand in for cld_editor.ui.app so the dispatch is tested without opening a window; the
    log file the editor opens goes to a temporary folder and its handlers go afterwards."""
    calls: list[str | None] = []
    monkeypatch.setenv(ENV_LOG_DIR, str(tmp_path / "logs"))
    monkeypatch.delenv(ENV_DEBUG, raising=False)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    module = types.ModuleType("cld_editor.ui.app")

    def run(path: str | None) -> int:
        calls.append(path)
        return 0

    module.run = run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "cld_editor.ui.app", module)
    yield calls
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def test_no_command_or_a_file_opens_the_editor(fake_gui: list[str | None]) -> None:
    assert main([]) == 0
    assert main(["diagram.cld.json"]) == 0
    assert main(["gui"]) == 0
    assert main(["gui", "other.cld.json"]) == 0
    assert fake_gui == [None, "diagram.cld.json", None, "other.cld.json"]


def test_debug_before_the_command_or_a_file(fake_gui: list[str | None], tmp_path: Path) -> None:
    assert main(["--debug"]) == 0
    assert logging.getLogger().level == logging.DEBUG
    assert main(["--debug", "diagram.cld.json"]) == 0
    assert main(["--debug", "gui", "other.cld.json"]) == 0
    assert fake_gui == [None, "diagram.cld.json", "other.cld.json"]
    # The editor writes its log file (crash reports land there) in the per-user log folder.
    assert "cld-editor starting" in (tmp_path / "logs" / "cld-editor.log").read_text()


def test_debug_environment_variable(
    fake_gui: list[str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DEBUG, "1")
    assert main([]) == 0
    assert logging.getLogger().level == logging.DEBUG
    monkeypatch.setenv(ENV_DEBUG, "0")
    assert main([]) == 0
    assert logging.getLogger().level == logging.INFO


def test_a_mistyped_command_is_refused_not_opened(fake_gui: list[str | None], capsys) -> None:
    assert main(["analyse", "x.cld.json"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown command 'analyse'" in err and "analyze" in err
    assert fake_gui == []


# -- errors: one line, exit 2, no traceback ----------------------------------------------------
def _valid_with(**changes: object) -> bytes:
    body = {"format": "cld", "version": 1, "variables": [{"id": "a", "x": 0, "y": 0}]}
    body.update(changes)
    return json.dumps(body).encode()


BAD_FILES: dict[str, tuple[bytes | None, str]] = {
    # name: (content, or None for "do not create"; a fragment the message must contain)
    "missing": (None, "no such file"),
    "empty": (b"", "empty"),
    "blank": (b"  \n\t\n", "empty"),
    "binary junk": (bytes(range(256)) * 4, "UTF-8"),
    "latin-1 text": ('{"title": "caf\xe9"}'.encode("latin-1"), "UTF-8"),
    "truncated JSON": (_valid_with()[:-7], "JSON"),
    "not an object": (b"[1, 2, 3]", ""),
    "deep nesting": (b"[" * 200_000 + b"]" * 200_000, "nested"),
    "deep nesting in a value": (
        _valid_with()[:-1] + b', "notes": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_001,
        "nested",
    ),
    "gigantic integer": (
        _valid_with(variables=[{"id": "a", "x": 0, "y": 0}])[:-1]
        + b', "waterline": '
        + b"9" * 20_000
        + b"}",
        "",
    ),
    "gigantic float": (b'{"format": "cld", "version": 1, "waterline": 1e999}', ""),
    "NaN": (b'{"format": "cld", "version": 1, "waterline": NaN}', "NaN"),
    "Infinity": (b'{"format": "cld", "version": 1, "waterline": -Infinity}', "Infinity"),
    "wrong type": (_valid_with(variables=[{"id": "a", "x": "left", "y": 0}]), "variables[0]"),
    "wrong top-level type": (_valid_with(variables={"a": 1}), "variables"),
    "unknown key": (_valid_with(colour="red"), "colour"),
    "unknown variable key": (
        _valid_with(variables=[{"id": "a", "x": 0, "y": 0, "size": 3}]),
        "size",
    ),
    "newer version": (_valid_with(version=99), "newer"),
    "not a diagram": (b'{"hello": "world"}', "format"),
    "dangling link": (_valid_with(links=[{"source": "a", "target": "zz"}]), "zz"),
    "duplicate ids": (_valid_with(variables=[{"id": "a"}, {"id": "a"}]), "duplicate"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_one_line_and_exit_2(case: str, tmp_path: Path, capsys) -> None:
    content, fragment = BAD_FILES[case]
    path = tmp_path / "bad.cld.json"
    if content is not None:
        path.write_bytes(content)
    assert main(["analyze", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    # "error: FILE: what" or, where the problem has a line, "error: FILE:LINE: what".
    assert re.match(rf"error: {re.escape(str(path))}(:\d+)?: ", err) and err.endswith("\n")
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    assert fragment.lower() in err.lower()
    assert len(err) < 400, "the message should be a short line"


def test_directory_is_refused(tmp_path: Path, capsys) -> None:
    assert main(["analyze", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {tmp_path}: ") and err.count("\n") == 1
    assert "folder" in err or "directory" in err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_refused_not_read(capsys) -> None:
    assert main(["analyze", "/dev/zero"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: /dev/zero: ") and err.count("\n") == 1


BAD_ARGUMENTS: dict[str, tuple[list[str], str]] = {
    "unknown option": (["analyze", "{file}", "--bogus"], "--bogus"),
    "unknown top-level option": (["--bogus"], "--bogus"),
    "negative --max-loops": (["analyze", "{file}", "--max-loops", "-1"], "--max-loops"),
    "word for --max-loops": (["analyze", "{file}", "--max-loops", "many"], "--max-loops"),
    "negative --max-length": (["analyze", "{file}", "--max-length", "-1"], "--max-length"),
    "missing FILE": (["analyze"], "FILE"),
    "two files": (["analyze", "{file}", "{file}"], "unrecognized"),
}


@pytest.mark.parametrize("case", sorted(BAD_ARGUMENTS))
def test_bad_arguments_are_one_line_and_exit_2(case: str, tiny: Path, capsys) -> None:
    argv, fragment = BAD_ARGUMENTS[case]
    assert main([arg.format(file=tiny) for arg in argv]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert fragment in err


# -- as a subprocess ---------------------------------------------------------------------------
def test_subprocess_analyze_json(tiny: Path) -> None:
    result = run_cli("analyze", str(tiny), "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["loops"] == TINY_LOOPS


def test_subprocess_errors_have_no_traceback(tmp_path: Path) -> None:
    junk = tmp_path / "junk.cld.json"
    junk.write_bytes(b"\x00\xff" * 1000)
    for argv in (
        ["analyze", str(tmp_path / "missing.cld.json")],
        ["analyze", str(junk)],
        ["analyze", str(junk), "--max-loops", "-5"],
    ):
        result = run_cli(*argv)
        assert result.returncode == 2, argv
        assert result.stdout == ""
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, argv
        assert "Traceback" not in result.stderr


def test_subprocess_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"cld-editor {__version__}"


def test_subprocess_output_cut_short_by_the_reader_is_not_an_error(tmp_path: Path) -> None:
    # K7 has 1,854 loops: far more JSON than a pipe buffer, so the writer sees the pipe close.
    path = tmp_path / "k7.cld.json"
    path.write_text(json.dumps(complete_graph(7)), encoding="utf-8")
    with subprocess.Popen(
        [sys.executable, "-m", "cld_editor", "analyze", str(path), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(100)
        process.stdout.close()
        stderr = process.stderr.read().decode()
        returncode = process.wait(timeout=120)
    assert returncode == 0
    assert stderr == ""


def test_analyze_works_with_pyside6_unimportable(tiny: Path) -> None:
    """Run analyze in a Python where ``import PySide6`` fails: it must neither need nor load it."""
    code = textwrap.dedent(
        """
        import sys
        sys.modules["PySide6"] = None  # any import of PySide6 now raises ImportError
        from cld_editor.cli import main
        status = main(sys.argv[1:])
        loaded = sorted(m for m in sys.modules if m.startswith("PySide6") and sys.modules[m])
        assert not loaded, loaded
        sys.exit(status)
        """
    )
    for argv in (
        ["analyze", str(tiny)],
        ["analyze", str(tiny), "--json"],
        ["analyze", str(tiny) + ".missing"],
    ):
        result = run_cli(*argv, code=code)
        assert "Traceback" not in result.stderr, result.stderr
        assert result.returncode == (2 if argv[-1].endswith(".missing") else 0)
    plain = run_cli(
        "analyze",
        str(tiny),
        code=textwrap.dedent(
            """
        import sys
        from cld_editor.cli import main
        status = main(sys.argv[1:])
        print("PySide6 loaded" if any(m.startswith("PySide6") for m in sys.modules) else "")
        sys.exit(status)
        """
        ),
    )
    assert plain.returncode == 0 and "PySide6 loaded" not in plain.stdout


def test_a_console_without_unicode_still_gets_the_table_and_valid_json(tmp_path: Path) -> None:
    path = tmp_path / "café.cld.json"
    diagram = {
        **TINY,
        "title": "Café 😀",
        "variables": [{**v, "label": f"{v['label']} é😀"} for v in TINY["variables"]],
    }
    path.write_text(json.dumps(diagram), encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    for extra in ([], ["--json"]):
        done = subprocess.run(
            [sys.executable, "-m", "cld_editor", "analyze", str(path), *extra],
            capture_output=True,
            env=env,
            timeout=120,
        )
        assert done.returncode == 0 and done.stderr == b"", done.stderr.decode("utf-8", "replace")
        out = done.stdout.decode("ascii")
        if extra:
            assert json.loads(out)["title"] == "Café 😀"
        else:
            assert out.startswith("Caf? ?: 3 variables")


def test_control_characters_in_labels_do_not_reach_the_terminal(tmp_path: Path, capsys) -> None:
    path = tmp_path / "escape.cld.json"
    diagram = {
        **TINY,
        "variables": [
            {**v, "label": "\x1b[31mred\x1b[0m"} if i == 0 else v
            for i, v in enumerate(TINY["variables"])
        ],
    }
    path.write_text(json.dumps(diagram), encoding="utf-8")
    # Labels cannot hold control characters (docs/file-format.md): refused, and the message
    # names the character instead of printing it.
    assert main(["analyze", str(path)]) == 2
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out + captured.err
    assert 'variables[0] (id "a").label' in captured.err and "U+001B" in captured.err


def test_error_lines_stay_one_line(tmp_path: Path, capsys) -> None:
    odd = tmp_path / "two\nlines.cld.json"
    assert main(["analyze", str(odd)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "two\\nlines" in err
    assert main(["analyze", ""]) == 2
    assert capsys.readouterr().err == "error: : no file name given\n"
    newer = tmp_path / "newer.cld.json"
    newer.write_text('{"format": "cld", "version": ' + "9" * 4000 + "}", encoding="utf-8")
    assert main(["analyze", str(newer)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and len(err) < 300 and "newer cld-editor" in err


def test_no_limits_lifts_every_limit_and_explicit_ones_still_apply() -> None:
    budget = budget_from(build_parser().parse_args(["analyze", "f", "--no-limits"]))
    assert budget == Budget.no_limits()
    args = ["analyze", "f", "--no-limits", "--max-length", "4", "--time-limit", "2.5"]
    budget = budget_from(build_parser().parse_args(args))
    assert (budget.max_loops, budget.max_length, budget.time_limit) == (0, 4, 2.5)
    budget = budget_from(build_parser().parse_args(["analyze", "f", "--time-limit", "0"]))
    assert (budget.max_loops, budget.time_limit) == (DEFAULT_MAX_LOOPS, 0)
