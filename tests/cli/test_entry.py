"""The program's entry point: main's exit status, then the leftovers hidden from the last
garbage collection (only there: tests call main, which must not freeze the test process)."""

from __future__ import annotations

import gc
import subprocess
import sys
import tomllib
from pathlib import Path

import cld_editor.cli as cli


def test_entry_returns_mains_status_and_freezes(monkeypatch) -> None:
    frozen = []
    monkeypatch.setattr(cli, "main", lambda: 3)
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    assert cli.entry() == 3
    assert frozen == [True]


def test_main_does_not_freeze(monkeypatch, capsys) -> None:
    monkeypatch.setattr(gc, "freeze", lambda: (_ for _ in ()).throw(AssertionError("froze")))
    assert cli.main(["--version"]) == 0


def test_the_console_script_and_python_m_use_the_entry() -> None:
    root = Path(__file__).resolve().parents[2]
    scripts = tomllib.loads((root / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["cld-editor"] == "cld_editor.cli:entry"
    done = subprocess.run(
        [sys.executable, "-m", "cld_editor", "analyze", "no-such-file.cld.json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "no-such-file.cld.json" in done.stderr


def test_a_command_that_ends_while_the_compiled_search_loads_says_it_waits(
    monkeypatch, capsys, tmp_path
) -> None:
    """The program waits for the compiled loop search to finish loading before it ends (the
    first time on a machine that is a compile of some seconds): stderr says so, and says
    nothing when nothing loads."""
    from cld_editor.analysis import engine
    from cld_editor.core.model import Diagram, Link, Variable
    from cld_editor.formats.native import save_diagram

    path = tmp_path / "ring.cld.json"
    save_diagram(
        Diagram(
            variables=[Variable(id="a", x=0, y=0), Variable(id="b", x=100, y=0)],
            links=[Link(id="ab", source="a", target="b"), Link(id="ba", source="b", target="a")],
        ),
        path,
    )
    monkeypatch.setattr(engine, "still_loading", lambda: False)
    monkeypatch.setattr(engine, "compiling_elsewhere", lambda: False)
    assert cli.main(["analyze", str(path)]) == 0
    assert "compiled loop search" not in capsys.readouterr().err
    monkeypatch.setattr(engine, "still_loading", lambda: True)
    assert cli.main(["analyze", str(path)]) == 0
    assert "letting the compiled loop search finish loading" in capsys.readouterr().err
    # The first compile on a machine runs in a child, which the program does not wait for.
    monkeypatch.setattr(engine, "still_loading", lambda: False)
    monkeypatch.setattr(engine, "compiling_elsewhere", lambda: True)
    assert cli.main(["analyze", str(path)]) == 0
    err = capsys.readouterr().err
    assert "is being compiled for later runs" in err and "finish loading" not in err
