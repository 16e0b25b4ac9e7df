"""Reading Vensim ``.mdl`` files (causal-loop diagrams and stock-and-flow models) as diagrams.

Variables come from the equations and the sketch (ghost copies merged into their variable, the
simulation's control variables and ``Time`` left out); several views are placed side by side.
Links: a stock-and-flow variable's links are what its equation uses (a stock's flows, + for an
inflow and - for an outflow; a stock's initial value makes no link), with the sign drawn on the
arrow where there is one; a causal-loop variable (``A FUNCTION OF``, or no equation) takes its
links from the sketch's arrows (a ``-`` before a stock's flow marks an outflow). Arrow signs are
character codes (``+``/``S`` and ``-``/``O``), ``dtype & 1`` is the delay mark, the handle point
gives the curvature. Loop markers (``R``, ``B2``) become loop labels of the loop they sit in,
with a comment just under one as the loop's name. Signs still unknown can be inferred from the
equations with the optional ``sd`` extra (:mod:`cld_editor.formats.sd_polarity`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ..core.model import Diagram
from .arcs import clamp_curvature, curvature_through
from .conversion import ConversionReport, FormatError
from .importing import DiagramBuilder
from .sd_polarity import fill_unsigned
from .vensim_equations import (
    CONTROL_NAMES,
    Equation,
    display_name,
    integ_arguments,
    macro_outputs,
    normalise,
    parse_equations,
    references,
    signed_terms,
    single_name,
)
from .vensim_sketch import (
    SKETCH_MARK,
    Arrow,
    View,
    Word,
    decode_mdl,
    half_size,
    parse_sketch,
    warn_if_cut_off,
)

POSITIVE = {43, 83, 115}  # + S s
NEGATIVE = {45, 79, 111, 48}  # - O o 0
VIEW_GAP = 150.0


@dataclass
class _Placed:
    """A sketch word after merging: which variable (key) it is and where it is drawn."""

    key: str
    x: float
    y: float


def read_vensim(
    data: bytes,
    report: ConversionReport,
    title: str = "Untitled",
    infer: Callable[[], dict[tuple[str, str], str] | None] | None = None,
) -> Diagram:
    """The diagram of a ``.mdl`` file. ``infer`` (when the model has equations) returns signs
    inferred from them by normalised (source, target) name, or None when it cannot."""
    text = decode_mdl(data)
    if "\x00" in text:
        raise FormatError(
            "not a text file (it holds NUL bytes)", text.count("\n", 0, text.index("\x00")) + 1
        )
    lines = text.split("\n")
    sketch_at = next((i for i, line in enumerate(lines) if line.startswith(SKETCH_MARK)), None)
    equation_text = "\n".join(lines[:sketch_at] if sketch_at is not None else lines)
    header = equation_text.lstrip()
    if header.startswith("{"):
        close = equation_text.find("}")
        equation_text = " " * (close + 1) + equation_text[close + 1 :]
    equations = parse_equations(equation_text)
    warn_if_cut_off(equation_text, lines, sketch_at, report)
    views: list[View] = []
    if sketch_at is not None:
        views, _version = parse_sketch(lines[sketch_at + 1 :], sketch_at + 2)
    if not equations and not any(v.words for v in views):
        raise FormatError("no equations and no sketch: not a Vensim model", 1)
    has_formulas = any(e.kind in ("formula", "integ") for e in equations)
    return _Reader(equations, views, report, infer if has_formulas else None).build(title)


class _Reader:
    def __init__(
        self,
        equations: list[Equation],
        views: list[View],
        report: ConversionReport,
        infer: Callable[[], dict[tuple[str, str], str] | None] | None,
    ) -> None:
        self.report = report
        self.infer = infer
        self.builder = DiagramBuilder(report)
        self.equations = {normalise(e.name): e for e in equations}
        self.views = views
        self.stocks: set[str] = {k for k, e in self.equations.items() if e.kind == "integ"}
        self.lookups = frozenset(k for k, e in self.equations.items() if e.kind == "lookup")
        # A macro call's extra outputs ("F(in : out1, out2)") are variables too.
        self.outputs: dict[str, list[str]] = {}
        for key, equation in self.equations.items():
            if equation.kind == "formula":
                equation.expression, outputs = macro_outputs(equation.expression)
                if outputs:
                    self.outputs[key] = outputs
        self.placed: list[dict[int, _Placed]] = []  # per view: word id -> variable
        #: Where a variable drawn only as ghosts is shown (its first ghost).
        self._ghost_positions: dict[str, tuple[float, float]] = {}

    def build(self, title: str) -> Diagram:
        self._variables()
        self._equation_links()
        for view, placed in zip(self.views, self.placed, strict=True):
            self._arrows(view, placed)
        known = {k for k in self.equations if k not in CONTROL_NAMES and self.builder.has(k)}
        for key, equation in self.equations.items():
            if equation.kind == "afo" and key in known:
                self._afo_links(key, equation, known)
        self._loop_markers()
        fill_unsigned(self.builder, self.report, self.infer)
        return self.builder.build(title)

    # -- variables --------------------------------------------------------------------------
    def _variables(self) -> None:
        offset_x = 0.0
        for view in self.views:
            words = [view.words[i] for i in view.order if view.words[i].kind == 10]
            drawn = [w for w in view.words.values() if w.kind in (10, 11, 12)]
            shift = 0.0
            if drawn and self.placed:
                shift = offset_x - min(w.x for w in drawn)
            if drawn:
                offset_x = max(w.x for w in drawn) + shift + VIEW_GAP
            placed: dict[int, _Placed] = {}
            for word in words:
                key = normalise(word.text)
                if not key:
                    continue
                if key in CONTROL_NAMES:
                    self.report.count(
                        f"{display_name(word.text)} (a simulation setting) was left out",
                        "{n} simulation settings shown on the sketch were left out",
                        display_name(word.text),
                    )
                    continue
                x, y = word.x + shift, word.y
                ghost = not word.bits & 1
                if ghost:
                    self.report.count(
                        "a ghost copy was merged into its variable",
                        "{n} ghost copies were merged into their variables",
                    )
                if not self.builder.has(key):
                    equation = self.equations.get(key)
                    notes = equation.comment if equation else ""
                    self.builder.add_variable(
                        key,
                        display_name(equation.name if equation else word.text),
                        None if ghost else x,
                        None if ghost else y,
                        notes=notes,
                        line=word.line,
                    )
                if ghost and self.builder.position(key) is None:
                    self._ghost_positions.setdefault(key, (x, y))
                elif not ghost and self.builder.position(key) is None:
                    self.builder.set_position(key, x, y)
                placed[word.id] = _Placed(key, word.x, word.y)
            self.placed.append(placed)
        for key, (x, y) in self._ghost_positions.items():
            if self.builder.position(key) is None:
                self.builder.set_position(key, x, y)
        # cld-editor writes each box's size from its name; any other size is another tool's.
        self.builder.drawn_elsewhere = any(
            (w.half_w, w.half_h) != half_size(w.text)
            for view in self.views
            for w in view.words.values()
            if w.kind == 10
        )
        if len(self.views) > 1:
            self.report.note(
                f"The model's {len(self.views)} views were placed side by side on one canvas.",
                drawing=True,
            )
        for key, equation in self.equations.items():
            if key in CONTROL_NAMES or self.builder.has(key):
                continue
            self.builder.add_variable(
                key, equation.name, notes=equation.comment, line=equation.line
            )
        for outputs in self.outputs.values():
            for output in outputs:
                out_key = normalise(output)
                if not self.builder.has(out_key) and out_key not in CONTROL_NAMES:
                    self.builder.add_variable(out_key, display_name(output))

    # -- links from equations -----------------------------------------------------------------
    def _equation_links(self) -> None:
        known = {k for k in self.equations if k not in CONTROL_NAMES and self.builder.has(k)}
        known.update(normalise(o) for outs in self.outputs.values() for o in outs)
        formulas = 0
        for key, equation in self.equations.items():
            if key not in known:
                continue
            if equation.kind == "afo":
                continue  # after the arrows (see build), so links keep the sketch's order
            if equation.kind == "integ":
                rate, _initial = integ_arguments(equation.expression)
                for sign, term in signed_terms(rate):
                    flow = single_name(term, known)
                    if flow is not None:
                        self.builder.add_link(flow, key, "+" if sign > 0 else "-", curvature=0.0)
                        continue
                    for source in references(term, known):
                        self.builder.add_link(source, key, "?", curvature=0.0)
                formulas += 1
                continue
            if equation.kind == "lookup":
                continue  # a table: what calls it is linked to the call's input
            uses = references(equation.expression, known, self.lookups)
            if equation.expression.strip():
                formulas += 1
            for target in [key, *map(normalise, self.outputs.get(key, []))]:
                for source in uses:
                    if self.builder.has(target):
                        self.builder.add_link(source, target, "?", curvature=0.0)
        if formulas:
            self.report.note(
                "Equations, units and simulation settings are not kept: cld-editor keeps "
                "the variables, the causal links and their signs."
            )

    def _afo_links(self, key: str, equation: Equation, known: set[str]) -> None:
        """Links a causal-loop equation lists: a stock's list holds its flows ("-" before an
        outflow), which the sketch draws as pipes, not arrows; any other variable drawn on the
        sketch takes its causes from the arrows (Vensim does not keep the two in step), and
        one that is not drawn from the list."""
        stock = self._is_stock_word(key)
        if not hasattr(self, "_drawn"):
            self._drawn = {where.key for placed in self.placed for where in placed.values()}
        drawn = key in self._drawn
        for arg in equation.afo_args:
            outflow = arg.startswith("-")
            source = normalise(arg.lstrip("-").strip())
            if source not in known or self.builder.has_link(source, key):
                continue
            if stock:
                self.builder.add_link(source, key, "-" if outflow else "+", curvature=0.0)
            elif not drawn:
                self.builder.add_link(source, key, "?", curvature=0.0)
            else:
                self.report.count(
                    "a cause listed in an equation but not drawn as an arrow was left out",
                    "{n} causes listed in equations but not drawn as arrows were left out",
                    f"{self.builder.label_of(source)} → {self.builder.label_of(key)}",
                )

    def _is_stock_word(self, key: str) -> bool:
        if not hasattr(self, "_stock_words"):
            self._stock_words = {
                where.key
                for view, placed in zip(self.views, self.placed, strict=True)
                for word_id, where in placed.items()
                if view.words[word_id].shape & 3 == 3
            }
        return key in self.stocks or key in self._stock_words

    # -- links from arrows ----------------------------------------------------------------
    def _arrows(self, view: View, placed: dict[int, _Placed]) -> None:
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
        self, arrow: Arrow, source: _Placed, target: _Placed, source_word: Word, target_word: Word
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
            what = (
                "an initial value"
                if equation.kind == "integ"
                else "an input its equation does not use"
            )
            self.report.count(
                f"an arrow showing {what} made no link",
                "{n} arrows showing initial values or inputs an equation does not use made no link",
                f"{self.builder.label_of(source.key)} → {self.builder.label_of(target.key)}",
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
        delay = bool(arrow.delay_type & 1)
        if self.builder.has_link(source.key, target.key):
            self._refine(source.key, target.key, polarity, delay, curvature)
        else:
            self.builder.add_link(
                source.key, target.key, polarity, delay=delay, curvature=curvature, line=arrow.line
            )

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

    def _flow_of_valve(self, view: View, placed: dict[int, _Placed], valve: Word) -> _Placed | None:
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

    # -- loop markers ---------------------------------------------------------------------
    def _loop_markers(self) -> None:
        offset_x = 0.0
        for index, view in enumerate(self.views):
            drawn = list(view.words.values())
            shift = 0.0
            if drawn and index:
                shift = offset_x - min(w.x for w in drawn)
            if drawn:
                offset_x = max(w.x for w in drawn) + shift + VIEW_GAP
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
                    word.text.strip(), word.x + shift, word.y, name=name, clockwise=word.shape == 4
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
