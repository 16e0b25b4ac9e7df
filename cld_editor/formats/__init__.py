"""Reading and writing diagrams: the native ``.cld.json`` format (and, later, other tools')."""

from .native import LoadError, dumps_diagram, load_diagram, loads_diagram, save_diagram

__all__ = ["LoadError", "dumps_diagram", "load_diagram", "loads_diagram", "save_diagram"]
