"""The layers hold: the import-linter contracts in pyproject.toml (Qt only in ui/, cli > ui >
recovery > formats > layout | analysis > core, the ui and canvas sub-layers with no circle
between scene, items and tools) are checked here, so the README's test command catches a wrong
import the day it is written; .ci/run runs ``lint-imports`` as well."""

from __future__ import annotations

import os
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept(capsys) -> None:
    here = Path.cwd()
    os.chdir(ROOT)  # the root package is found from the project folder
    try:
        status = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    finally:
        os.chdir(here)
    report = capsys.readouterr().out
    assert status == 0, report
    assert "0 broken" in report
