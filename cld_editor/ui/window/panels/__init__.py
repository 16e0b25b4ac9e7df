"""Dock panels of the main window: thin Qt views over a Document and its LoopAnalysis.

Panels never change the diagram themselves except by pushing Ops through the ``push`` callable
they are given (the scene's undo stack), so every edit made in a panel is undoable.
"""
