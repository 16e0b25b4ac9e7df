"""Building a :class:`Diagram` from what a reader found in another tool's file.

Readers speak in their format's terms (names, element ids, node numbers); :class:`DiagramBuilder`
turns them into our records: ids made from labels (unique across the diagram), one link per
pair of variables (a repeated arrow is merged and reported), curvatures limited to what the
model holds, positions computed for variables the file did not place (the team's automatic
layout when :mod:`cld_editor.layout` is there, a deterministic fallback otherwise), and loop
markers (an "R" or "B1" drawn on the canvas) matched to the loop they sit in. Every such change
goes into the :class:`~cld_editor.formats.conversion.ConversionReport`. The record limits are
the native loader's, checked as records are added, so a huge file is refused early.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..analysis.loops import Budget, find_loops
from ..core.model import (
    CONTROL_CHARACTERS,
    DEFAULT_CURVATURE,
    MAX_COORDINATE,
    MAX_LABEL_LENGTH,
    MAX_LINKS,
    MAX_LOOP_LABELS,
    MAX_TEXT_LENGTH,
    MAX_VARIABLES,
    Diagram,
    Link,
    LoopLabel,
    Variable,
    check_references,
)
from .arcs import clamp_curvature
from .conversion import ConversionReport, FormatError
from .placement import area, auto_layout, best_loop, canonical
from .spread import bend_clear, clear_markers, part_straight_pairs, spread_crowded

#: Loop markers are matched against at most this many loops, found within this time.
MARKER_BUDGET = Budget(max_loops=20_000, time_limit=2.0, max_members=2_000_000)
AUTO_LOOP_NAME = re.compile(r"^[RBU]\d*$")
NUMBERED_LOOP_NAME = re.compile(r"^[RBU]\d+$")
_SLUG = re.compile(r"[^0-9a-z]+")
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")  # what the model refuses in a text


@dataclass
class _Var:
    id: str
    label: str
    x: float | None
    y: float | None
    domain: str | None
    notes: str


@dataclass
class _Marker:
    text: str
    x: float
    y: float
    name: str | None
    members: list[str] | None
    clockwise: bool | None = None


class DiagramBuilder:
    """Collects variables, links and loop markers, then :meth:`build` makes the diagram."""

    def __init__(self, report: ConversionReport) -> None:
        self.report = report
        self._vars: dict[str, _Var] = {}  # by the reader's key
        self._ids: set[str] = set()
        self._links: dict[tuple[str, str], dict[str, object]] = {}
        self._markers: list[_Marker] = []
        #: Set by a reader whose file was drawn by another tool, with boxes smaller than
        #: cld-editor's: :meth:`build` then spreads the drawing until no two boxes overlap.
        self.drawn_elsewhere = False
        #: True once :meth:`build` laid out a file without positions, links bent as it chose.
        self.bent_by_layout = False
        self._all_laid_out = False

    # -- variables ------------------------------------------------------------------------
    def has(self, key: str) -> bool:
        return key in self._vars

    def id_of(self, key: str) -> str:
        return self._vars[key].id

    def label_of(self, key: str) -> str:
        return self._vars[key].label

    def add_variable(
        self,
        key: str,
        label: str,
        x: float | None = None,
        y: float | None = None,
        *,
        domain: str | None = None,
        notes: str = "",
        line: int | None = None,
        preferred_id: str | None = None,
    ) -> str:
        """Add (or return) the variable the reader calls ``key``; its id is made from
        ``preferred_id`` or the label."""
        if key in self._vars:
            return self._vars[key].id
        if len(self._vars) >= MAX_VARIABLES:
            raise FormatError(f"too many variables (more than {MAX_VARIABLES:,})", line)
        label = _clean_text(label, MAX_LABEL_LENGTH, "label", self.report)
        notes = _clean_text(notes, MAX_TEXT_LENGTH, "note", self.report, keep_lines=True)
        if x is not None and y is not None and not (_finite(x) and _finite(y)):
            raise FormatError(f"variable {label!r} has an invalid position", line)
        if preferred_id and preferred_id not in self._ids and _valid_id(preferred_id):
            new_id = preferred_id
            self._ids.add(new_id)
        else:
            new_id = self._unique_id(preferred_id or label or "variable")
        self._vars[key] = _Var(new_id, label, x, y, domain, notes)
        return new_id

    def set_position(self, key: str, x: float, y: float) -> None:
        var = self._vars[key]
        if _finite(x) and _finite(y):
            var.x, var.y = x, y

    def position(self, key: str) -> tuple[float, float] | None:
        var = self._vars[key]
        return None if var.x is None or var.y is None else (var.x, var.y)

    def _unique_id(self, text: str) -> str:
        base = _SLUG.sub("-", text.lower()).strip("-")[:60] or "v"
        candidate, n = base, 1
        while candidate in self._ids:
            n += 1
            candidate = f"{base}-{n}"
        self._ids.add(candidate)
        return candidate

    # -- links ----------------------------------------------------------------------------
    def add_link(
        self,
        source: str,
        target: str,
        polarity: str = "?",
        *,
        delay: bool = False,
        curvature: float | None = None,
        line: int | None = None,
    ) -> bool:
        """Add a link between two variables (by key); a second link between the same pair is
        merged into the first (its sign wins only where the first had none). Returns whether
        a new link was made."""
        pair = (source, target)
        if pair in self._links:
            first = self._links[pair]
            if first["polarity"] == "?" and polarity != "?":
                first["polarity"] = polarity
            elif polarity not in ("?", first["polarity"]):
                first["polarity"] = "?"
                self.report.count(
                    "a pair of arrows with opposite signs between the same variables became ?",
                    "{n} pairs of arrows with opposite signs between the same variables became ?",
                    f"{self.label_of(source)} → {self.label_of(target)}",
                )
            first["delay"] = bool(first["delay"]) or delay
            self.report.count(
                "a repeated arrow between the same two variables was merged",
                "{n} repeated arrows between the same two variables were merged",
            )
            return False
        if len(self._links) >= MAX_LINKS:
            raise FormatError(f"too many links (more than {MAX_LINKS:,})", line)
        if curvature is None:
            curvature = DEFAULT_CURVATURE if source != target else 0.0
        curvature, clamped = clamp_curvature(curvature)
        if clamped:
            self.report.count(
                "an arrow bent further than cld-editor draws was flattened a little",
                "{n} arrows bent further than cld-editor draws were flattened a little",
            )
        self._links[pair] = {
            "polarity": polarity,
            "delay": delay,
            "curvature": round(curvature, 4) + 0.0,
        }
        return True

    def has_link(self, source: str, target: str) -> bool:
        return (source, target) in self._links

    def links_by_pair(self) -> dict[tuple[str, str], dict[str, object]]:
        """The links so far by (source key, target key), their fields editable in place
        (a reader refines a link when a later part of the file says more about it)."""
        return self._links

    # -- loop markers ---------------------------------------------------------------------
    def add_loop_marker(
        self,
        text: str,
        x: float,
        y: float,
        *,
        name: str | None = None,
        members: list[str] | None = None,
        clockwise: bool | None = None,
    ) -> None:
        """A loop marker; ``clockwise`` is the turn its arrow shows, when the file says."""
        if len(self._markers) >= MAX_LOOP_LABELS:
            raise FormatError(f"too many loop labels (more than {MAX_LOOP_LABELS:,})")
        if _finite(x) and _finite(y):
            self._markers.append(_Marker(text.strip(), x, y, name, members, clockwise))
        elif members:  # placed at its loop's centre once the loop is known
            self._markers.append(
                _Marker(text.strip(), math.nan, math.nan, name, members, clockwise)
            )

    # -- the diagram ----------------------------------------------------------------------
    def build(self, title: str = "Untitled", description: str = "") -> Diagram:
        self._place_unplaced()
        # A drawing from another tool, even with a variable it left off placed below: spread
        # for cld-editor's boxes (one laid out here entirely needs none).
        if self.drawn_elsewhere and not self._all_laid_out:
            spread_crowded(self._vars, self._links, self._markers, self.report)
            part_straight_pairs(self._links)
            bend_clear(self._vars, self._links, self.report)
        variables = [
            Variable(
                id=v.id,
                label=v.label,
                domain=v.domain,  # type: ignore[arg-type]
                x=_coordinate(v.x),
                y=_coordinate(v.y),
                notes=v.notes,
            )
            for v in self._vars.values()
        ]
        taken = set(self._ids)
        links = []
        n = 0
        for (source, target), fields in self._links.items():
            n += 1
            while f"l{n}" in taken:
                n += 1
            links.append(
                Link(
                    id=f"l{n}",
                    source=self._vars[source].id,
                    target=self._vars[target].id,
                    **fields,  # type: ignore[arg-type]
                )
            )
        title = _clean_text(title, MAX_LABEL_LENGTH, "title", self.report).replace("\n", " ")
        description = _clean_text(description, MAX_TEXT_LENGTH, "note", self.report, True)
        diagram = Diagram.model_construct(
            title=title or "Untitled",
            description=description,
            waterline=None,
            variables=variables,
            links=links,
            loop_labels=[],
        )
        if self._markers:
            labels = self._match_markers(diagram, taken)
            diagram = diagram.model_copy(update={"loop_labels": labels})
            if self.drawn_elsewhere and not self._all_laid_out:
                diagram = clear_markers(diagram, self.report)
        # Every record was validated when it was made; what spans records is checked here.
        try:
            check_references(diagram.variables, diagram.links, diagram.loop_labels)
        except ValueError as exc:  # pragma: no cover - the builder keeps ids unique
            raise FormatError(str(exc).splitlines()[0]) from None
        return diagram

    def _place_unplaced(self) -> None:
        unplaced = [v for v in self._vars.values() if v.x is None or v.y is None]
        if not unplaced:
            return
        self.report.laid_out = True
        if len(unplaced) == len(self._vars):
            self._all_laid_out = True
            positions, bends = auto_layout(
                [v.id for v in unplaced],
                [(self._vars[s].id, self._vars[t].id) for s, t in self._links],
                {v.id: v.label for v in unplaced},
            )
            for v in unplaced:
                v.x, v.y = positions[v.id]
            # The file drew no links either: each takes the bend the layout chose for it.
            self.bent_by_layout = bool(bends)  # (none from the fallback's circle)
            for (s, t), fields in self._links.items():
                bend = bends.get((self._vars[s].id, self._vars[t].id))
                if bend is not None and s != t:
                    fields["curvature"] = bend
            self.report.note(
                "The file has no positions: the diagram was laid out automatically.", drawing=True
            )
            return
        placed = [v for v in self._vars.values() if v not in unplaced]
        left = min(v.x for v in placed)  # type: ignore[type-var]
        bottom = max(v.y for v in placed)  # type: ignore[type-var]
        columns = max(1, math.ceil(math.sqrt(len(unplaced))))
        for i, v in enumerate(unplaced):
            v.x = left + (i % columns) * 200.0  # type: ignore[operator]
            v.y = bottom + 150.0 + (i // columns) * 100.0
        self.report.count(
            "a variable that is not on the diagram was placed below it",
            "{n} variables that are not on the diagram were placed below it",
            unplaced[0].label if len(unplaced) == 1 else None,
        )

    def _match_markers(self, diagram: Diagram, taken: set[str]) -> list[LoopLabel]:
        analysis = find_loops(diagram, MARKER_BUDGET)
        positions = {v.id: (v.x, v.y) for v in diagram.variables}
        by_key = {loop.key: loop for loop in analysis.loops}
        used: set[tuple[str, ...]] = set()
        labels: list[LoopLabel] = []
        for marker in self._markers:
            loop = None
            if marker.members is not None:
                ids = [self._vars[k].id for k in marker.members if k in self._vars]
                loop = by_key.get(canonical(ids)) if len(ids) == len(marker.members) else None
            if loop is None:
                loop = best_loop(marker, analysis.loops, positions, used)
            if loop is None or loop.key in used:
                self.report.count(
                    "a loop marker that sits in no loop of the diagram was left out",
                    "{n} loop markers that sit in no loop of the diagram were left out",
                    marker.text or marker.name,
                )
                continue
            used.add(loop.key)
            points = [positions[v] for v in loop.variables]
            # cld-editor draws the turn the loop runs on the canvas (y down: area > 0).
            if (
                marker.clockwise is not None
                and len(points) >= 3
                and (area(points) >= 0) != marker.clockwise
            ):
                self.report.count(
                    "a loop marker turning against its loop's drawing now turns with it",
                    "{n} loop markers turning against their loops' drawings now turn with them",
                    marker.text or marker.name,
                )
            if not (_finite(marker.x) and _finite(marker.y)):
                points = [positions[v] for v in loop.variables]
                marker.x = sum(p[0] for p in points) / len(points)
                marker.y = sum(p[1] for p in points) / len(points)
            name = marker.name
            if name is None and marker.text and not AUTO_LOOP_NAME.match(marker.text):
                name = marker.text
            if name is not None:  # from the file: cleaned as a variable's label is
                name = _clean_text(name, MAX_LABEL_LENGTH, "loop name", self.report) or None
            # A named marker's number ("R1 Virtuous cycle") changes as silently otherwise.
            numbered = name is None or NUMBERED_LOOP_NAME.match(marker.text) is not None
            if numbered and marker.text and marker.text != loop.name:
                self.report.count(
                    "a loop marker is shown with cld-editor's own loop number",
                    "{n} loop markers are shown with cld-editor's loop numbers",
                    f"{marker.text} → {loop.name}",
                )
            n = len(labels) + 1
            while f"loop-{n}" in taken:
                n += 1
            taken.add(f"loop-{n}")
            labels.append(
                LoopLabel(
                    id=f"loop-{n}",
                    loop=list(loop.variables),
                    x=_coordinate(marker.x),
                    y=_coordinate(marker.y),
                    name=name,
                )
            )
        return labels


def _valid_id(text: str) -> bool:
    return 0 < len(text) <= 200 and not _CONTROL.search(text) and "\n" not in text


def _finite(value: float) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and abs(value) <= MAX_COORDINATE


def _coordinate(value: float | None) -> float:
    return round(float(value or 0.0), 2) + 0.0


def _clean_text(
    text: str, limit: int, what: str, report: ConversionReport, keep_lines: bool = False
) -> str:
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    if not keep_lines:
        text = text.strip()
    if len(text) > limit:
        report.count(
            f"a {what} longer than {limit:,} characters was cut",
            f"{{n}} {what}s longer than {limit:,} characters were cut",
        )
        text = text[:limit]
    return text
