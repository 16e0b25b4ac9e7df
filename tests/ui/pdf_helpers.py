"""Text of a PDF, read with pypdf (a pure-Python dependency of the ``test`` extra), so the PDF
checks run on any machine the README's install commands set up, with no poppler."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader


def pdf_text(path: Path) -> str:
    """The text of every page, whitespace collapsed to single spaces."""
    reader = PdfReader(str(path))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
