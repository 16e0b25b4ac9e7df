"""LinkLayout: where every link of a diagram is drawn, kept up to date as boxes and links change.

It owns the variables' boxes, the links' ends and curvatures, the aims that part arrowheads
crowding one spot of a target's outline, and the resulting :class:`geometry.LinkGeometry` of each
link. The canvas feeds it changes one at a time (a box moved, a link bent) and asks
:meth:`LinkLayout.settle` which links must be redrawn; an export builds one for the whole
diagram with :func:`link_geometries`. Both therefore apply the same rule in the same order and
cannot disagree. Plain floats, no Qt: points are ``(x, y)`` in scene units.

Arrowhead spreading: links arriving at one variable from about the same direction would share
one arrowhead spot. Their tips when aimed at the target's centre are grouped (closer than
SPREAD_GAP); the links of a group are aimed SPREAD_GAP apart across the group's mean direction.
The rule lives in :mod:`cld_editor.layout.aims` (:func:`spread_aims`), where the automatic
layouts apply it too, so they check links exactly as they are drawn. A link moved together with
both its ends (a whole selection dragged) is translated instead of recomputed.

Signs: where several links touch one variable, the usual spot of a sign beside its arrowhead can
lie on a neighbour; :func:`sign_places.sign_spots` moves such signs clear, for every variable one
of whose links changed (a variable that moved together with all its links keeps its signs, moved).
A link that passes close by a variable without touching it (bent around it by Align or a rename)
counts too: links are indexed by the grid cells they run through, variables by the cells within
PASS_REACH of their box (:mod:`.link_grid`: as far as a sign may move back along its link), and
a variable is signed again when a link starts or stops passing by it, or changes there. The bend
handle of a link sits where the user last dragged it along its arc (view state, :mod:`.bend`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from cld_editor.layout.aims import spread_aims
from cld_editor.ui.drawing.geometry import Box, LinkGeometry, Point, link_geometry
from cld_editor.ui.drawing.link_grid import (
    Cell,
    box_cells,
    path_cells,
    same_shape,
    translated,
)
from cld_editor.ui.drawing.sign_places import link_segments, sign_spots

__all__ = ["LinkLayout", "Placed", "link_geometries", "translated"]

CENTRE: Point = (0.0, 0.0)  # a link aimed at its target's centre
#: A link as the layout knows it: source id, target id, curvature.
Ends = tuple[str, str, float]
#: What a link's geometry was computed from: source box, target box, curvature, aim.
_Anchor = tuple[Box, Box, float, Point]


@dataclass(frozen=True)
class Placed:
    """A link's new geometry; ``shift`` is set when it is the previous one moved by (dx, dy),
    so a drawing can move its cached paths instead of rebuilding them."""

    geometry: LinkGeometry
    shift: Point | None = None


class LinkLayout:
    """Boxes, links and their geometry; change with ``set_*``/``remove_*``, then ``settle``."""

    def __init__(self) -> None:
        self._boxes: dict[str, Box] = {}
        self._links: dict[str, Ends] = {}
        self._links_of: dict[str, set[str]] = {}  # variable -> links touching it
        self._arriving: dict[str, set[str]] = {}  # target -> links arriving (no self-links)
        self._aims: dict[str, Point] = {}  # links aimed off their target's centre
        self._geometry: dict[str, LinkGeometry] = {}
        self._centred: dict[str, LinkGeometry] = {}  # of aimed links: aimed at the centre
        self._anchor: dict[str, _Anchor] = {}
        self._usual_sign: dict[str, Point] = {}  # of links whose sign was moved: the usual spot
        self._handle_at: dict[str, float] = {}  # of links whose bend handle was dragged aside
        self._dirty: set[str] = set()
        self._dirty_targets: set[str] = set()
        self._dirty_signs: set[str] = set()  # variables whose arriving links' signs to redo
        self._later_signs: set[str] = set()  # passed-by variables left by a drag's settle
        # Where links run (the cells they cross) and variables reach (cells within PASS_REACH).
        self._link_cells: dict[str, frozenset[Cell]] = {}
        self._links_in: dict[Cell, set[str]] = {}
        self._box_cells: dict[str, frozenset[Cell]] = {}
        self._boxes_in: dict[Cell, set[str]] = {}
        self._passing: dict[str, tuple[str, ...]] = {}  # at a variable's last signing
        self._segments: dict[str, np.ndarray] = {}  # each link's sign_places.link_segments

    # -- reading -------------------------------------------------------------------------------
    def geometry(self, link_id: str) -> LinkGeometry:
        """The link's geometry as of the last :meth:`settle`."""
        return self._geometry[link_id]

    def links_of(self, variable_id: str) -> set[str]:
        return self._links_of.get(variable_id, set())

    def chord(self, link_id: str) -> tuple[Point, Point]:
        """The ends of the link's arc before clipping: its source's centre and the point it is
        aimed at in its target (what a bend is measured on, :mod:`.bend`)."""
        source_id, target_id, _ = self._links[link_id]
        source, target = self._boxes[source_id], self._boxes[target_id]
        ax, ay = self._aims.get(link_id, CENTRE)
        return (source.cx, source.cy), (target.cx + ax, target.cy + ay)

    # -- changing ------------------------------------------------------------------------------
    def set_box(self, variable_id: str, box: Box) -> None:
        if self._boxes.get(variable_id) == box:
            return
        self._boxes[variable_id] = box
        self._dirty.update(self._links_of.setdefault(variable_id, set()))
        self._index(self._box_cells, self._boxes_in, variable_id, box_cells(box))

    def set_handle_at(self, link_id: str, t: float) -> None:
        """Put the link's bend handle ``t`` of the way along its arc (view state: where the user
        dragged it; 0.5 is the apex)."""
        if link_id not in self._links or self._handle_at.get(link_id, 0.5) == t:
            return
        if t == 0.5:
            self._handle_at.pop(link_id, None)
        else:
            self._handle_at[link_id] = t
        self._anchor.pop(link_id, None)  # recomputed, not moved
        self._dirty.add(link_id)

    def remove_variable(self, variable_id: str) -> None:
        for link_id in list(self._links_of.pop(variable_id, ())):
            self.remove_link(link_id)
        self._boxes.pop(variable_id, None)
        self._arriving.pop(variable_id, None)
        self._index(self._box_cells, self._boxes_in, variable_id, frozenset())
        self._passing.pop(variable_id, None)

    def set_link(self, link_id: str, source: str, target: str, curvature: float) -> None:
        old = self._links.get(link_id)
        if old == (source, target, curvature):
            return
        if old is not None and old[:2] != (source, target):
            self.remove_link(link_id)
        self._links[link_id] = (source, target, curvature)
        self._links_of.setdefault(source, set()).add(link_id)
        self._links_of.setdefault(target, set()).add(link_id)
        if source != target:
            self._arriving.setdefault(target, set()).add(link_id)
        self._dirty.add(link_id)
        self._dirty_targets.add(target)

    def remove_link(self, link_id: str) -> None:
        ends = self._links.pop(link_id, None)
        if ends is None:
            return
        source, target, _ = ends
        for end in (source, target):
            self._links_of.get(end, set()).discard(link_id)
        self._arriving.get(target, set()).discard(link_id)
        for table in (
            self._aims,
            self._geometry,
            self._centred,
            self._anchor,
            self._usual_sign,
            self._handle_at,
        ):
            table.pop(link_id, None)
        self._dirty.discard(link_id)
        self._dirty_targets.add(target)
        self._dirty_signs.update((source, target))
        self._dirty_signs.update(self._passed(link_id, self._link_cells.get(link_id, frozenset())))
        self._index(self._link_cells, self._links_in, link_id, frozenset())
        self._segments.pop(link_id, None)

    def settle(self, passers_by: bool = True) -> dict[str, Placed]:
        """Recompute what the changes since the last call touched; returns the links whose
        geometry changed (a link moved with both its ends has a ``shift``). With
        ``passers_by`` False (a drag in progress), the signs of variables that a changed link
        only passes by are left for the next full settle, which then draws exactly what a
        fresh layout draws."""
        changed: dict[str, Placed] = {}
        dirty, self._dirty = self._dirty, set()
        targets, self._dirty_targets = self._dirty_targets, set()
        for link_id in dirty:
            self._place(link_id, changed)
            targets.add(self._links[link_id][1])
        for target_id in targets:
            self._respread(target_id, changed)
        self._resign_all(changed, passers_by)
        return changed

    # -- inside --------------------------------------------------------------------------------
    def _place(
        self, link_id: str, changed: dict[str, Placed], centred: LinkGeometry | None = None
    ) -> None:
        source_id, target_id, curvature = self._links[link_id]
        source, target = self._boxes[source_id], self._boxes[target_id]
        aim = self._aims.get(link_id, CENTRE)
        anchor = self._anchor.get(link_id)
        if anchor is not None and (anchor[2], anchor[3]) == (curvature, aim):
            old_source, old_target = anchor[0], anchor[1]
            dx, dy = source.cx - old_source.cx, source.cy - old_source.cy
            if (
                same_shape(source, old_source)
                and same_shape(target, old_target)
                and (target.cx - old_target.cx, target.cy - old_target.cy) == (dx, dy)
            ):
                # Both ends moved together: the arc just moves.
                if dx or dy:
                    geometry = translated(self._geometry[link_id], dx, dy)
                    self._geometry[link_id] = geometry
                    if link_id in self._centred:
                        self._centred[link_id] = translated(self._centred[link_id], dx, dy)
                    if link_id in self._usual_sign:
                        x, y = self._usual_sign[link_id]
                        self._usual_sign[link_id] = (x + dx, y + dy)
                    self._anchor[link_id] = (source, target, curvature, aim)
                    changed[link_id] = Placed(geometry, (dx, dy))
                return
        handle_at = self._handle_at.get(link_id, 0.5)
        if aim == CENTRE:
            geometry = link_geometry(source, target, curvature, CENTRE, handle_at)
            self._centred.pop(link_id, None)
        else:
            if centred is None:
                centred = link_geometry(source, target, curvature)
            self._centred[link_id] = centred
            geometry = link_geometry(source, target, curvature, aim, handle_at)
        self._geometry[link_id] = geometry
        self._usual_sign.pop(link_id, None)
        self._anchor[link_id] = (source, target, curvature, aim)
        changed[link_id] = Placed(geometry)

    def _respread(self, target_id: str, changed: dict[str, Placed]) -> None:
        """Give the links arriving at ``target_id`` the aims :func:`spread_aims` says."""
        arriving = self._arriving.get(target_id)
        target = self._boxes.get(target_id)
        if not arriving or target is None:
            return
        if len(arriving) < 2 and not any(link_id in self._aims for link_id in arriving):
            return
        centred: dict[str, LinkGeometry] = {
            link_id: self._centred.get(link_id) or self._geometry[link_id] for link_id in arriving
        }
        aims: dict[str, Point] = {}
        if len(arriving) >= 2:
            tips = {link_id: (g.tip, g.tip_angle) for link_id, g in centred.items()}
            aims = spread_aims(target, tips)
        for link_id in arriving:
            aim = aims.get(link_id)
            if aim != self._aims.get(link_id):
                if aim is None:
                    del self._aims[link_id]
                else:
                    self._aims[link_id] = aim
                self._place(link_id, changed, centred[link_id])

    def _resign_all(self, changed: dict[str, Placed], passers_by: bool = True) -> None:
        """Redo the signs at every variable a changed link touches, except one that moved
        together with all its links (its signs moved with them); the variables a changed link
        passes by too, or, without ``passers_by``, later (kept in ``_later_signs``)."""
        dirty, self._dirty_signs = self._dirty_signs, set()
        if passers_by:
            dirty |= self._later_signs
            self._later_signs = set()
        variables = set(dirty)
        passed: set[str] = set()  # by a link that moved with them
        passed_changed: set[str] = set()  # by a link that changed its shape near them
        for link_id in list(changed):
            variables.update(self._links[link_id][:2])
            # The variables it passed by and those it passes by now: signed again, unless it
            # moved with them (checked below).
            old = self._link_cells.get(link_id, frozenset())
            pieces = link_segments(changed[link_id].geometry)
            self._segments[link_id] = pieces
            new = path_cells(pieces)
            near = self._passed(link_id, old | new)
            (passed if changed[link_id].shift is not None else passed_changed).update(near)
            self._index(self._link_cells, self._links_in, link_id, new)
        if passers_by:
            variables |= passed
            dirty |= passed_changed
        else:  # a drag in progress: the ends of the changed links now, the rest when it pauses
            self._later_signs |= (passed | passed_changed) - variables
        variables |= dirty
        for variable_id in sorted(variables):
            links = self._links_of.get(variable_id, set())
            passing = self._passers_by(variable_id)
            shifts = {changed[i].shift if i in changed else None for i in links}
            # Everything that decides its signs moved by one shift: they moved with it.
            shifts |= {
                changed[i].shift if i in changed else None
                for i in {*passing, *self._passing.get(variable_id, ())}
            }
            if (
                variable_id not in dirty
                and len(shifts) == 1
                and None not in shifts
                and passing == self._passing.get(variable_id, ())
            ):
                continue  # a link removed or re-signed there changes its signs, moved or not
            if not passers_by and passing:
                # Clear of its own links now, of those passing by when the moving pauses.
                self._later_signs.add(variable_id)
                passing = ()
            self._resign(variable_id, changed, passing)

    @property
    def pending(self) -> bool:
        """Whether a settle without ``passers_by`` left signs to redo (:meth:`catch_up`)."""
        return bool(self._later_signs)

    def catch_up(self, seconds: float) -> dict[str, Placed]:
        """Redo, for about ``seconds``, the signs a settle without ``passers_by`` left (clear
        of the links passing by too); returns the links whose geometry changed. Once nothing
        is pending, the signs are what a full :meth:`settle` draws."""
        changed: dict[str, Placed] = {}
        deadline = time.perf_counter() + seconds
        for variable_id in sorted(self._later_signs):
            self._later_signs.discard(variable_id)
            if variable_id in self._boxes:
                self._resign(variable_id, changed, self._passers_by(variable_id))
            if time.perf_counter() >= deadline:
                break
        return changed

    def _index(
        self,
        cells_of: dict[str, frozenset[Cell]],
        keys_in: dict[Cell, set[str]],
        key: str,
        cells: frozenset[Cell],
    ) -> None:
        """File ``key`` (a link or a variable) under ``cells`` instead of where it was."""
        old = cells_of.get(key, frozenset())
        for cell in old - cells:
            keys = keys_in.get(cell)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del keys_in[cell]
        for cell in cells - old:
            keys_in.setdefault(cell, set()).add(key)
        if cells:
            cells_of[key] = cells
        else:
            cells_of.pop(key, None)

    def _passed(self, link_id: str, cells: frozenset[Cell]) -> set[str]:
        """The variables (other than its ends) sitting in ``cells``, near where the link runs."""
        ends = self._links.get(link_id, ("", "", 0.0))[:2]
        found: set[str] = set()
        for cell in cells:
            found.update(self._boxes_in.get(cell, ()))
        return found - set(ends)

    def _passers_by(self, variable_id: str) -> tuple[str, ...]:
        """The links (not touching it) indexed in the cells of the variable's box, by id:
        those that may pass within PASS_REACH of it (:func:`sign_places.sign_spots` looks
        closer)."""
        found: set[str] = set()
        for cell in self._box_cells.get(variable_id, ()):
            found.update(self._links_in.get(cell, ()))
        found -= self._links_of.get(variable_id, set())
        return tuple(sorted(found))

    def _resign(
        self, variable_id: str, changed: dict[str, Placed], passing: tuple[str, ...]
    ) -> None:
        """Give the links arriving at ``variable_id`` the signs :func:`sign_spots` says, clear
        of its other links and of the ``passing`` ones."""
        self._passing[variable_id] = passing
        arriving = self._arriving.get(variable_id)
        box = self._boxes.get(variable_id)
        if not arriving or box is None:
            return
        usual = {
            i: (self._geometry[i], self._usual_sign.get(i, self._geometry[i].sign_pos))
            for i in sorted(arriving)
        }
        ids = [
            i
            for i in sorted(self._links_of.get(variable_id, set()))
            if i not in arriving and i in self._geometry
        ]
        ids += [i for i in passing if i in self._geometry]
        others = [self._geometry[i] for i in ids]

        def segments(key: str | int) -> np.ndarray | None:
            return self._segments.get(key if isinstance(key, str) else ids[key])

        for link_id, spot in sign_spots(box, usual, others, segments).items():
            geometry, at = usual[link_id]
            if spot == geometry.sign_pos:
                continue
            geometry = replace(geometry, sign_pos=spot)
            self._geometry[link_id] = geometry
            if spot == at:
                self._usual_sign.pop(link_id, None)
            else:
                self._usual_sign[link_id] = at
            changed[link_id] = Placed(geometry)


def link_geometries(
    boxes: Mapping[str, Box], links: Iterable[tuple[str, str, str, float]]
) -> dict[str, LinkGeometry]:
    """Every link's geometry (id, source, target, curvature) for a whole diagram: the layout
    of exports, which the canvas keeps link by link through the same :class:`LinkLayout`."""
    layout = LinkLayout()
    for variable_id, box in boxes.items():
        layout.set_box(variable_id, box)
    ids = []
    for link_id, source, target, curvature in links:
        layout.set_link(link_id, source, target, curvature)
        ids.append(link_id)
    layout.settle()
    return {link_id: layout.geometry(link_id) for link_id in ids}
