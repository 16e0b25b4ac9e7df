"""Text helpers shared by every layer that shows a record's text on one line.

Labels may hold line breaks (a variable's name wraps on the canvas) and runs of spaces; tables,
reports, captions and status messages show them on one line with single spaces.
"""

from __future__ import annotations


def one_line(text: str) -> str:
    """``text`` with every run of white space (line breaks included) made one space, trimmed."""
    return " ".join(text.split())
