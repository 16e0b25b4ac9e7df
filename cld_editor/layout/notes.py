"""What Arrange tells beyond "Arranged the diagram (Loops)", in the status bar and from
``cld-editor layout``:
what a Tidy Up did ("Tidied: moved 2 variables, re-bent 1 link"), for the Iceberg style,
that there were no domains to separate (the words of ``cld-editor layout``) or where the
variables without a domain went, and for another style under a waterline shown, that no gap
parts CX from EX when the drawing could not be turned so that one does. Qt-free text from a
:class:`~cld_editor.layout.Layout`.
"""

from __future__ import annotations

from ..core.model import Diagram
from .plan import Layout
from .water import has_domains, wrong_sides


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def tidied_message(layout: Layout) -> str:
    """What a Tidy Up did, in words: "Tidied: moved 2 variables, re-bent 1 link"."""
    parts = []
    if layout.positions:
        parts.append(f"moved {_count(len(layout.positions), 'variable')}")
    if layout.curvatures:
        parts.append(f"re-bent {_count(len(layout.curvatures), 'link')}")
    if layout.labels:
        parts.append(f"moved {_count(len(layout.labels), 'loop label')}")
    return "Tidied: " + ", ".join(parts) if parts else "Already tidy"


def iceberg_notes(diagram: Diagram, layout: Layout) -> tuple[str, str]:
    """What an Iceberg arrangement of ``diagram`` should tell beyond "Arranged": a short line
    for the status bar and its details ("", "" when nothing): that there were no domains to
    separate (as ``cld-editor layout`` says), or where the variables without a domain went
    (each joins the band most of its neighbours are in; its domain stays none)."""
    if not has_domains(diagram):
        return (
            "no domains to separate (no variable is CX or EX)",
            "Iceberg had no domains to separate (no variable is CX or EX): every variable is "
            "above the waterline. Tag variables CX or EX (C, E) to split them.",
        )
    if layout.waterline is None:
        return "", ""
    untagged = [v for v in diagram.variables if v.domain is None and v.id in layout.positions]
    if not untagged:
        return "", ""
    below = [v.label for v in untagged if layout.positions[v.id][1] > layout.waterline]
    above = [v.label for v in untagged if layout.positions[v.id][1] <= layout.waterline]
    places = []
    if above:
        places.append(f"above the waterline: {_names(above)}")
    if below:
        places.append(f"below it: {_names(below)}")
    n = len(untagged)
    whose = "their" if n > 1 else "its"
    short = f"{_count(n, 'variable')} without a domain placed with {whose} neighbours"
    if n <= 3:  # few: say where in the line itself
        short += " (" + "; ".join(places) + ")"
    details = (
        f"Variables without a domain (neither CX nor EX) go to the band most of their "
        f"neighbours are in, and keep no domain; {'; '.join(places)}."
    )
    return short, details


def _names(labels: list[str], most: int = 4) -> str:
    shown = ", ".join(" ".join(label.split()) for label in labels[:most])
    return shown + (f" and {len(labels) - most} more" if len(labels) > most else "")


def waterline_notes(diagram: Diagram, layout: Layout) -> tuple[str, str]:
    """What an arrangement of ``diagram`` in a style other than Iceberg, under a waterline
    shown, should tell beyond "Arranged" ("", "" when nothing): that no gap between the rows
    of boxes parts the CX variables from the EX ones, and how many are on the wrong side of
    the line in the best gap (the layout was turned over where that helped)."""
    line = diagram.waterline if layout.waterline is None else layout.waterline
    if layout.style in ("iceberg", "tidy") or line is None or not has_domains(diagram):
        return "", ""
    wrong = wrong_sides(diagram, layout.positions, line)
    if not wrong:
        return "", ""
    tagged = sum(v.domain in ("CX", "EX") for v in diagram.variables)
    verb = "is" if wrong == 1 else "are"
    short = f"no gap parts CX from EX ({wrong} of {tagged} on the wrong side of the waterline)"
    details = (
        f"No gap between the rows of this drawing parts the CX variables from the EX ones: "
        f"with the waterline in the best gap, {wrong} of the {tagged} variables tagged CX or "
        f"EX {verb} on the wrong side. Arrange as Iceberg to put CX above the line and EX "
        "below it, or hide the waterline (View > Show Waterline)."
    )
    return short, details
