"""Loop analysis over the Qt-free core: find, classify and name the feedback loops of a diagram,
count them (census), pick an independent set. Names are imported on first use, so that
``cld_editor.analysis.budget`` alone stays cheap to import (the command line's ``--version``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .budget import Budget
    from .loops import Loop, LoopAnalysis, find_loops

__all__ = ["Budget", "Loop", "LoopAnalysis", "find_loops"]


def __getattr__(name: str) -> Any:
    if name == "Budget":
        from .budget import Budget

        return Budget
    if name in ("Loop", "LoopAnalysis", "find_loops"):
        from . import loops

        return getattr(loops, name)
    raise AttributeError(name)
