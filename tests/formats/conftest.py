"""The format tests draw diagrams with the strategies of tests/core (core_strategies.py)."""

import sys
from pathlib import Path

_CORE_TESTS = str(Path(__file__).resolve().parent.parent / "core")
if _CORE_TESTS not in sys.path:
    sys.path.insert(0, _CORE_TESTS)
