"""Qt-free core: the diagram model, the Document that changes it, Ops with inverses, history."""

from .document import Document, OpError
from .history import History
from .model import Diagram, Link, LoopLabel, Variable

__all__ = ["Diagram", "Document", "History", "Link", "LoopLabel", "OpError", "Variable"]
