"""Text helpers shared by every layer: a record's text on one line, a file name from a title.

Labels may hold line breaks (a variable's name wraps on the canvas) and runs of spaces; tables,
reports, captions and status messages show them on one line with single spaces.
"""

from __future__ import annotations


def one_line(text: str) -> str:
    """``text`` with every run of white space (line breaks included) made one space, trimmed."""
    return " ".join(text.split())


def file_stem(title: str) -> str:
    """A file name from the diagram's title ("Experience loop" -> "Experience loop")."""
    keep = "".join(c if c.isalnum() or c in " -_." else " " for c in title)
    return " ".join(keep.split()).strip(" .") or "diagram"


def plural(n: int, word: str) -> str:
    """'1 link', '27 links', '1,200 loops' (words that take an s)."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"
