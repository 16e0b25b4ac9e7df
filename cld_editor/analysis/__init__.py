"""Loop analysis over the Qt-free core: find, classify and name the feedback loops of a diagram."""

from .loops import Budget, Loop, LoopAnalysis, find_loops

__all__ = ["Budget", "Loop", "LoopAnalysis", "find_loops"]
