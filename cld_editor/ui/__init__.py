"""The desktop editor: the only package that imports PySide6.

``canvas/`` (the scene mirroring a Document, its items, the tools that own all input, the view),
``drawing/`` (geometry -> the layout of a picture -> paint onto any QPainter, shared by the canvas
and every export) and ``window/`` (main window, actions, panels, dialogs, file handling, autosave
and recovery). ``app.py`` starts Qt; ``undo.py`` is the one QUndoCommand that applies core Ops.
Importing this package does not import Qt; its modules do.
"""
