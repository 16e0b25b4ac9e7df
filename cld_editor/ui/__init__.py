"""The desktop editor: the only package that imports PySide6.

Canvas (scene, view, items, tools, geometry, render, undo) and window (app, main window, panels,
file handling) live here; see ``/work/shared/architecture.md`` and the module docstrings.
Importing this package does not import Qt; its modules do.
"""
