"""The layers hold: the import-linter contracts in pyproject.toml (Qt only in ui/, cli > ui >
recovery > formats > layout | analysis > core, the ui and canvas sub-layers with no circle
between scene, items and tools) are checked here, so the README's test command catches a wrong
import the day it is written; .ci/run runs ``lint-imports`` as well.

import-linter runs in a child process: in this one it would reconfigure logging and leave
other tests (the crash guard's log file) without their handlers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept() -> None:
    code = (
        "import sys; from importlinter.cli import lint_imports;"
        "sys.exit(lint_imports(no_cache=True))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,  # the root package and pyproject.toml are found from the project folder
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
