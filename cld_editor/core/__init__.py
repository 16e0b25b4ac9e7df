"""Qt-free core: the diagram model, the Document that changes it, Ops with inverses, history.

The names below are loaded on first use, so a command that only reads a diagram (``analyze``)
does not import the Document, its Ops and its history.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .document import Document, OpError
    from .history import History
    from .model import Diagram, Link, LoopLabel, Variable

__all__ = ["Diagram", "Document", "History", "Link", "LoopLabel", "OpError", "Variable"]

_HOME = {
    "Diagram": "model",
    "Link": "model",
    "LoopLabel": "model",
    "Variable": "model",
    "Document": "document",
    "OpError": "document",
    "History": "history",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value
