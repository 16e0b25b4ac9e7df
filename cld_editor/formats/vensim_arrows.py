"""What a Vensim sketch draws besides the variables: the links of its arrows and its loop
markers, read into a :class:`~cld_editor.formats.importing.DiagramBuilder` for
:mod:`cld_editor.formats.vensim_read`.

An arrow's sign is a character code (``+``/``S`` and ``-``/``O``), ``dtype & 1`` is the delay
mark and the handle point gives the curvature; an arrow into a valve is the flow's; an arrow over
a link the equations already made refines it (its sign wins, its shape is kept), and one that
shows an input the target's equation does not use makes no link. Loop markers (``R``, ``B2``)
become loop labels of the loop they sit in, with a comment just under one as the loop's name;
other comments are left out and counted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .arcs import clamp_curvature, curvature_through
from .conversion import ConversionReport
from .importing import DiagramBuilder
from .vensim_equations import Equation
from .vensim_sketch import Arrow, View, Word

POSITIVE = {43, 83, 115}  # + S s
NEGATIVE = {45, 79, 111, 48}  # - O o 0


@dataclass
class Placed:
    """A sketch word after merging: which variable (key) it is and where it is drawn."""

    key: str
    x: float
    y: float


class SketchMarks:
    """Adds the links of a sketch's arrows and its loop markers to ``builder``."""

    def __init__(
        self, builder: DiagramBuilder, report: ConversionReport, equations: dict[str, Equation]
    ) -> None:
        self.builder = builder
        self.report = report
        self.equations = equations

    def arrows(self, view: View, placed: dict[int, Placed]) -> None:
        """The links the arrows of ``view`` draw (``placed``: its words' variables)."""
        for arrow in view.arrows:
            source_word = view.words.get(arrow.source)
            target_word = view.words.get(arrow.target)
            if source_word is None or target_word is None:
                self.report.count(
                    "an arrow to or from a missing object was left out",
                    "{n} arrows to or from missing objects were left out",
                    f"line {arrow.line}",
                )
                continue
            if source_word.kind == 11:
                continue  # a flow's pipe: the stock's equation (or list) says what it does
            source = placed.get(arrow.source)
            target = placed.get(arrow.target)
            if target_word.kind == 11:
                target = self._flow_of_valve(view, placed, target_word)
            if source is None or target is None:
                if source_word.kind == 10 and target_word.kind in (10, 11):
                    self.report.count(
                        "an arrow from or to a simulation setting was left out",
                        "{n} arrows from or to simulation settings were left out",
                    )
                continue
            self._arrow_link(arrow, source, target, source_word, target_word)

    def _arrow_link(
        self, arrow: Arrow, source: Placed, target: Placed, source_word: Word, target_word: Word
    ) -> None:
        polarity = "?"
        if arrow.polarity in POSITIVE:
            polarity = "+"
        elif arrow.polarity in NEGATIVE:
            polarity = "-"
        elif arrow.polarity not in (0, 63):
            self.report.count(
                f"an arrow marked {chr(arrow.polarity)!r} (not + or -) was read as ?",
                "{n} arrows marked with other characters than + or - were read as ?",
            )
        equation = self.equations.get(target.key)
        if (
            equation is not None
            and equation.kind in ("formula", "integ", "lookup")
            and not self.builder.has_link(source.key, target.key)
        ):
            which = f"{self.builder.label_of(source.key)} → {self.builder.label_of(target.key)}"
            source_equation = self.equations.get(source.key)
            if source_equation is not None and source_equation.kind == "lookup":
                self.report.count(
                    "an arrow from a lookup table made no link: the variable that applies it "
                    "is caused by the lookup's input",
                    "{n} arrows from lookup tables made no link: the variable that applies one "
                    "is caused by the lookup's input",
                    which,
                )
            elif equation.kind == "integ":
                self.report.count(
                    "an arrow to a stock from what sets its initial value made no link: "
                    "a starting value is not a cause",
                    "{n} arrows to stocks from what sets their initial values made no link: "
                    "a starting value is not a cause",
                    which,
                )
            else:
                self.report.count(
                    "an arrow to a variable whose equation does not use it made no link",
                    "{n} arrows to variables whose equations do not use them made no link",
                    which,
                )
            return
        curvature = 0.0
        if arrow.shape == 1 and arrow.points and arrow.points[0] != (0.0, 0.0):
            middle = arrow.points[len(arrow.points) // 2]
            curvature = curvature_through(
                (source_word.x, source_word.y), (target_word.x, target_word.y), middle
            )
            if len(arrow.points) > 1:
                self.report.count(
                    "an arrow with several bends was drawn as one arc",
                    "{n} arrows with several bends were drawn as one arc each",
                )
            curvature = self._same_bow(curvature, source, target, source_word, target_word)
        delay = bool(arrow.delay_type & 1)
        if self.builder.has_link(source.key, target.key):
            self._refine(source.key, target.key, polarity, delay, curvature)
        else:
            self.builder.add_link(
                source.key, target.key, polarity, delay=delay, curvature=curvature, line=arrow.line
            )

    def _same_bow(
        self, curvature: float, source: Placed, target: Placed, source_word: Word, target_word: Word
    ) -> float:
        """The curvature of a link whose arrow was drawn from or to a ghost copy: the link runs
        between the variables themselves, which may lie much farther apart than the arrow's
        ends. It keeps the arrow's bow in units (a long link nearly straight), not its ratio to
        the length (a short arrow's gentle curve would become a bow as wide as the whole
        diagram); where the link is no longer than the arrow, the curvature is kept."""
        start, end = self.builder.position(source.key), self.builder.position(target.key)
        if start is None or end is None:
            return curvature
        drawn = math.dist((source_word.x, source_word.y), (target_word.x, target_word.y))
        now = math.dist(start, end)
        if now <= drawn * (1 + 1e-9):  # (the same length, give or take rounding)
            return curvature
        return curvature * drawn / now

    def _refine(
        self, source: str, target: str, polarity: str, delay: bool, curvature: float
    ) -> None:
        """A drawn arrow over a link the equations made: its sign wins, its shape is kept."""
        link = self.builder.links_by_pair()[(source, target)]
        if polarity != "?":
            link["polarity"] = polarity
        link["delay"] = bool(link["delay"]) or delay
        if curvature:
            link["curvature"] = round(clamp_curvature(curvature)[0], 4) + 0.0

    def _flow_of_valve(self, view: View, placed: dict[int, Placed], valve: Word) -> Placed | None:
        """The flow variable a valve belongs to: the next object, or the nearest flow word."""
        after = placed.get(valve.id + 1)
        if after is not None and view.words[valve.id + 1].kind == 10:
            return after
        best, best_distance = None, 80.0
        for word_id, where in placed.items():
            word = view.words[word_id]
            distance = math.hypot(word.x - valve.x, word.y - valve.y)
            if word.shape & 32 and distance < best_distance:
                best, best_distance = where, distance
        return best

    def loop_markers(self, views: list[View], shifts: list[tuple[float, float]]) -> None:
        """The loop markers of every view (each moved by its ``shifts``) as loop labels."""
        for view, (shift, shift_y) in zip(views, shifts, strict=True):
            drawn = list(view.words.values())
            comments = [w for w in drawn if w.kind == 12 and w.shape not in (4, 5)]
            used: set[int] = set()
            for word in drawn:
                if word.kind != 12 or word.shape not in (4, 5):
                    continue
                name = None
                for comment in comments:
                    if (
                        comment.id not in used
                        and comment.bits & 4
                        and abs(comment.x - word.x) <= 40
                        and 0 < comment.y - word.y <= 45
                    ):
                        name = comment.text.strip() or None
                        used.add(comment.id)
                        break
                self.builder.add_loop_marker(
                    word.text.strip(),
                    word.x + shift,
                    word.y + shift_y,
                    name=name,
                    clockwise=word.shape == 4,
                )
            for comment in comments:
                if comment.id in used:
                    continue
                if comment.text.strip() == "48" and not comment.bits & 4:
                    continue  # a cloud at the end of a flow
                self.report.count(
                    "a comment (text on the canvas) was left out",
                    "{n} comments (text on the canvas) were left out",
                    _quote(comment.text),
                )


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= 30 else text[:27] + "...")
