"""Link signs inferred from a stock-and-flow model's equations, with the optional ``sd`` extra.

pysimlin (``pip install 'cld-editor[sd]'``) reads ``.mdl``, ``.xmile`` and ``.stmx`` models and
reports each causal link with the polarity its static analysis finds in the equations. It is
imported only when a model with equations has links whose sign the diagram does not show; a sign
drawn on the diagram always wins over an inferred one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable

from .vensim_equations import normalise

Inferred = dict[tuple[str, str], str]


def available() -> bool:
    try:
        import simlin  # noqa: F401
    except ImportError:
        return False
    return True


def inferrer(data: bytes, suffix: str) -> Callable[[], Inferred | None]:
    """A function that infers the signs of the model in ``data`` when called (None when the
    extra is not installed or the model cannot be analysed)."""

    def infer() -> Inferred | None:
        return infer_polarities(data, suffix)

    return infer


def infer_polarities(data: bytes, suffix: str) -> Inferred | None:
    """Signs by normalised (source, target) name; None without pysimlin or when it fails."""
    try:
        import simlin
    except ImportError:
        return None
    handle, path = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        model = simlin.load(path)
        links = model.get_links()
    except Exception:
        return None
    finally:
        os.unlink(path)
    signs = {0: "+", 1: "-"}
    out: Inferred = {}
    for link in links:
        polarity = getattr(link.polarity, "value", link.polarity)
        sign = signs.get(polarity, "?")
        key = (normalise(link.from_var.replace("_", " ")), normalise(link.to_var.replace("_", " ")))
        out[key] = sign
    return out
