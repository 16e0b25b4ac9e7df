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
from typing import TYPE_CHECKING

from .vensim_equations import normalise

if TYPE_CHECKING:
    from .conversion import ConversionReport
    from .importing import DiagramBuilder

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


def fill_unsigned(
    builder: DiagramBuilder,
    report: ConversionReport,
    infer: Callable[[], Inferred | None] | None,
) -> None:
    """Give the builder's links without a sign the one inferred from the equations (when
    ``infer`` is given: the model has equations), and say how many signs stay unknown."""
    links = builder.links_by_pair()
    unsigned = [pair for pair, link in links.items() if link["polarity"] == "?"]
    if unsigned and infer is not None:
        inferred = infer()
        if inferred is None and available():
            report.note(
                "pysimlin could not read this model's equations, so no sign was inferred from them."
            )
        elif inferred is None:
            report.note(
                "Signs can be inferred from the equations with the sd extra: "
                "pip install 'cld-editor[sd]'."
            )
        else:
            filled = 0
            for pair in unsigned:
                if inferred.get(pair) in ("+", "-"):
                    links[pair]["polarity"] = inferred[pair]
                    filled += 1
            if filled:
                report.note(
                    f"{filled:,} link sign{'s' if filled != 1 else ''} not drawn on the "
                    f"diagram {'were' if filled != 1 else 'was'} inferred from the equations "
                    "(pysimlin)."
                )
            unsigned = [pair for pair in unsigned if links[pair]["polarity"] == "?"]
    if unsigned:
        n = len(unsigned)
        report.note(
            f"{n:,} link{'s' if n != 1 else ''} without a sign {'are' if n != 1 else 'is'} "
            "? (undetermined)."
        )
