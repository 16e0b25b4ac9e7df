"""cld-editor: a desktop editor for causal-loop diagrams (Qt GUI over a Qt-free core)."""

__version__ = "0.1.0"
