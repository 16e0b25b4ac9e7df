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
