"""Reading Vensim ``.mdl`` files (causal-loop diagrams and stock-and-flow models) as diagrams.

Variables come from the equations and the sketch (ghost copies merged into their variable, the
simulation's control variables and ``Time`` left out); several views are placed in rows
(:mod:`.views`).
Links: a stock-and-flow variable's links are what its equation uses (a stock's flows, + for an
inflow and - for an outflow; a stock's initial value makes no link), with the sign drawn on the
arrow where there is one; a causal-loop variable (``A FUNCTION OF``, or no equation) takes its
links from the sketch's arrows (a ``-`` before a stock's flow marks an outflow). This module
owns the reading order and the variables; the arrows' links and the loop markers are
:mod:`cld_editor.formats.vensim_arrows`. Signs still unknown can be inferred from the equations
with the optional ``sd`` extra (:mod:`cld_editor.formats.sd_polarity`).
"""

from __future__ import annotations

from collections.abc import Callable

from ..core.model import Diagram
from .conversion import ConversionReport, FormatError
from .importing import DiagramBuilder
from .sd_polarity import fill_unsigned
from .vensim_arrows import Placed, SketchMarks
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
    View,
    decode_mdl,
    half_size,
    parse_sketch,
    refuse_if_cut_off,
)
from .views import extent_of, view_shifts


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
    views: list[View] = []
    if sketch_at is not None:
        views, _version = parse_sketch(lines[sketch_at + 1 :], sketch_at + 2)
    refuse_if_cut_off(equation_text, lines, sketch_at, report)
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
        self.placed: list[dict[int, Placed]] = []  # per view: word id -> variable
        #: How far each view's drawing moves to its place on the one canvas.
        self.shifts = view_shifts(
            [extent_of([(w.x, w.y) for w in view.words.values()]) for view in views]
        )
        #: Where a variable drawn only as ghosts is shown (its first ghost).
        self._ghost_positions: dict[str, tuple[float, float]] = {}

    def build(self, title: str) -> Diagram:
        self._variables()
        self._equation_links()
        marks = SketchMarks(self.builder, self.report, self.equations)
        for view, placed in zip(self.views, self.placed, strict=True):
            marks.arrows(view, placed)
        known = {k for k in self.equations if k not in CONTROL_NAMES and self.builder.has(k)}
        for key, equation in self.equations.items():
            if equation.kind == "afo" and key in known:
                self._afo_links(key, equation, known)
        marks.loop_markers(self.views, self.shifts)
        fill_unsigned(self.builder, self.report, self.infer)
        return self.builder.build(title)

    # -- variables --------------------------------------------------------------------------
    def _variables(self) -> None:
        for view, (shift, shift_y) in zip(self.views, self.shifts, strict=True):
            words = [view.words[i] for i in view.order if view.words[i].kind == 10]
            placed: dict[int, Placed] = {}
            for word in words:
                key = normalise(word.text)
                if not key:
                    continue
                if key in CONTROL_NAMES:
                    self.report.count(
                        f"{display_name(word.text)} (a simulation setting, not a cause) drawn "
                        "on the sketch was left out",
                        "{n} drawings of simulation settings (not causes) on the sketch were "
                        "left out",
                        display_name(word.text),
                    )
                    continue
                x, y = word.x + shift, word.y + shift_y
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
                placed[word.id] = Placed(key, word.x, word.y)
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
                f"The model's {len(self.views)} views were placed on one canvas, in rows in "
                "their order.",
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
            if source in CONTROL_NAMES:
                continue
            if source not in known and not self.builder.has(source):
                self.report.count(
                    "a cause an equation lists but the model does not define was left out",
                    "{n} causes equations list but the model does not define were left out",
                    f"{display_name(arg.lstrip('-').strip())} → {self.builder.label_of(key)}",
                )
                continue
            if self.builder.has_link(source, key):
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
