"""The last pass of every layout style: find each link that, as drawn, passes over a variable it
does not connect, and repair it until none is left or a bounded number of rounds is spent.

A link is drawn as a circular arc from its source's centre towards its target's, aimed apart
from other links where arrowheads crowd one spot of the target (:mod:`.aims`, the drawing's
rule), so the check samples that arc and tests the samples against every other box, grown by a
small margin for the arrowheads and the line's width. A link found over a variable is repaired,
cheapest first:

1. bent again: every curvature within reach, in fine steps, nearest its present one first,
   keeping apart from a link back; the first that clears every box, and leaves every link
   arriving at the same target clear once the arrowheads there are spread again, is taken;
2. otherwise the variable in the way steps aside (when the layout may move it): the nearest
   spot on a spiral around it that keeps the gap to every box, lies on no link, stays in its
   iceberg band, and from which its own links can be bent clear of every box; failing that,
   the spot where the fewest of its links are blocked, if no more than where it stands;
3. as a last resort an end of the link (the one with fewer links) moves next to the other end,
   to a spot where all its links are clear.

A round that leaves no fewer links over a variable than the one before is the last; a link
that could not be repaired is tried again only once a variable has left or reached a spot near
it; and the work of one repair is bounded (``WORK``): on a diagram where long links cross
crowds everywhere, some links may be left over a variable rather than the repair run for
minutes.

Everything is visited in document order, so the same input gives the same output.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from ..core.model import Diagram, Link
from .aims import arrival_aims, drawn_points
from .boxes import GAP, Grid, Point, Rect, Size, rects
from .cancel import checkpoint
from .ink import Ink
from .link_checks import MARGIN, SPACING, BendRoom, aims_in_parts, rebend, spiral
from .links import CLEARANCE, blocking, link_curvatures
from .metrics import convex

ROUNDS = 6
#: Spots tried on the spiral around a variable that must step aside, and how many of those that
#: pass the quick checks may have their links bent (the costly check).
SPIRAL = 900
FULL_CHECKS = 40
#: The most work one repair may do, in points sampled along links (a spot tried on a spiral
#: counts SPOT_COST). Diagrams of a few hundred variables stay far below it; on 1,000 variables
#: with links between random pairs (crowds that every long link runs through) it ends the
#: repair after a few seconds, where it used to run for minutes (benchmarks/bench_layout.py,
#: "random" rows).
WORK = 1e7
#: Organic need not leave no link over a variable, so above ORGANIC_FULL variables its repair
#: stops at ORGANIC_WORK: on 1,000 random-pair variables the full budget took 3.3 of 6 s to
#: clear 64 of 4,463 links over a variable; 1,000 loop-rich ones need under a tenth of it. The
#: 271-variable Covid model keeps the full budget (14 links left over a variable at a tenth).
ORGANIC_FULL = 500
ORGANIC_WORK = 1e6
SPOT_COST = 20.0
#: After the rounds, a link found over a variable once the arrowheads are aimed again (a
#: variable that moved may have changed how the links into it are aimed) is bent again, up to
#: LAST_BENDS times, within the LAST_SHARE of the budget the rounds leave for that.
LAST_BENDS = 2
LAST_SHARE = 0.1
#: A link no repair could clear is tried again once a variable leaves or reaches a spot this
#: near the box around it.
NEAR = 300.0


def budget_for(style: str, movable: int) -> float:
    """The work allowed to the repair of a ``style`` layout moving ``movable`` variables."""
    return ORGANIC_WORK if style == "organic" and movable > ORGANIC_FULL else WORK


class _Repair:
    """The state of one repair: positions, bends, the box grid and the links' ink."""

    def __init__(
        self,
        diagram: Diagram,
        pos: dict[str, Point],
        sizes: Mapping[str, Size],
        curvatures: dict[str, float],
        movable: set[str],
        loops: Sequence[Sequence[str]],
        limits: Mapping[str, tuple[float, float]],
        editable: set[str] | None,
        budget: float = WORK,
        room: BendRoom | None = None,
    ) -> None:
        self.diagram, self.pos, self.sizes = diagram, pos, sizes
        self.room = room
        self.curvatures, self.movable, self.loops, self.limits = curvatures, movable, loops, limits
        self.links = [
            link
            for link in diagram.links
            if link.source != link.target and (editable is None or link.id in editable)
        ]
        self.all_links = {link.id: link for link in diagram.links if link.source != link.target}
        self.pair = {(link.source, link.target): link.id for link in diagram.links}
        self.links_of: dict[str, list[str]] = {}
        for link in self.all_links.values():
            self.links_of.setdefault(link.source, []).append(link.id)
            self.links_of.setdefault(link.target, []).append(link.id)
        self.editable = editable
        self.grid = Grid(rects(pos, sizes), cell=120.0)
        self.ink = Ink()
        self.aims: dict[str, Point] = {}
        #: Where variables left and arrived, in the order of their moves.
        self.moves: list[Point] = []
        #: Work done so far and the most allowed (``WORK``, module doc).
        self.work, self.budget = 0.0, budget
        #: What each link's ink was sampled from (its ends, bend and aim), by :meth:`redraw`.
        self.drawn: dict[str, tuple] = {}
        self.redraw()

    def redraw(self) -> None:
        """Aim every link as the drawing would and sample again each one whose ends, bend or
        aim changed since it was last sampled."""
        self.aims = aims_in_parts(
            self.all_links.values(), self.pos, self.grid.boxes, self.curvatures
        )
        for link in self.all_links.values():
            checkpoint()
            drawn = (
                self.pos[link.source],
                self.pos[link.target],
                self.curvatures.get(link.id, link.curvature),
                self.aims.get(link.id),
            )
            if self.drawn.get(link.id) != drawn:
                self.drawn[link.id] = drawn
                self.ink.set(link.id, self._points(link))

    def _points(self, link: Link, pos: Mapping[str, Point] | None = None) -> np.ndarray:
        pos = pos or self.pos
        c = self.curvatures.get(link.id, link.curvature)
        return drawn_points(pos[link.source], pos[link.target], c, self.aims.get(link.id), SPACING)

    def _partner(self, link: Link) -> float | None:
        back = self.pair.get((link.target, link.source))
        if back is None or back == link.id:
            return None
        return self.curvatures.get(back, self.all_links[back].curvature)

    def bend(self, link: Link) -> bool:
        arriving = [k for k in self.links_of.get(link.target, ()) if k in self.all_links]
        arriving = [self.all_links[k] for k in arriving]
        arriving = [k for k in arriving if k.target == link.target]
        aims: dict[str, Point] = {}

        def settles(c: float) -> bool:
            """Whether, with the arrowheads at the target spread again for bend ``c``, every
            link arriving there is still clear."""
            bends = {**self.curvatures, link.id: c}
            aims.clear()
            aims.update(arrival_aims(arriving, self.pos, self.grid.boxes, bends))
            for other in arriving:
                ends = (self.pos[other.source], self.pos[other.target])
                points = drawn_points(*ends, bends[other.id], aims.get(other.id), SPACING)
                if blocking(points, self.grid, (other.source, other.target), MARGIN):
                    return False
            return True

        if self.work >= self.budget:
            return False
        c, tried = rebend(
            link,
            self.pos,
            self.grid,
            self.curvatures[link.id],
            self._partner(link),
            self.aims.get(link.id),
            settles,
            self.room,
        )
        chord = math.dist(self.pos[link.source], self.pos[link.target])
        self.work += tried * (chord / SPACING + 1)
        if c is None:
            return False
        self.curvatures[link.id] = c
        for other in arriving:
            self.aims.pop(other.id, None)
            if other.id in aims:
                self.aims[other.id] = aims[other.id]
            self.drawn.pop(other.id, None)
            self.ink.set(other.id, self._points(other))
        return True

    def step_aside(self, key: str, near: Point | None = None) -> bool:
        """Move ``key`` to the nearest spot where it and its links are clear (see module doc),
        or, when no spot within reach is, to the one where the fewest of its own links pass
        over a variable, if that is no more than pass over one where it stands (the link it
        stood on is cleared, so the diagram gains). With ``near``, the spots are sought around
        that point instead, and only a spot where all its links are clear will do."""
        if self.work >= self.budget:
            return False
        w, h = self.sizes[key]
        own = set(self.links_of.get(key, ()))
        limit = self.limits.get(key)
        home = self.pos[key]
        self.grid.remove(key)
        before = self._blocked_from(key, home, {})
        # Its loops drawn convex should stay so: a spot that bends one is a second choice.
        shapely = [
            lp
            for lp in self.loops
            if len(lp) > 2 and key in lp and convex([self.pos[v] for v in lp])
        ]
        checks = 0
        # (blocked links, loops bent out of shape, spot, bends): the best second choice.
        fallback: tuple[int, int, Point, dict[str, float]] | None = None
        for x, y in spiral(near or home, max(12.0, (w + h) / 6), SPIRAL):
            if limit is not None and not limit[0] <= y <= limit[1]:
                continue
            self.work += SPOT_COST
            checkpoint()
            box = Rect(x, y, w / 2, h / 2)
            if self.grid.any_overlapping(box, GAP) or self.ink.crosses(box, CLEARANCE, own):
                continue
            blocked, bends = self._bends_from(key, (x, y))
            checks += 1
            bent = sum(
                not convex([(x, y) if v == key else self.pos[v] for v in lp]) for lp in shapely
            )
            if not blocked and not bent:
                self._move(key, (x, y), bends)
                return True
            second = (near is None or not blocked) and blocked <= before
            if second and (fallback is None or (blocked, bent) < fallback[:2]):
                fallback = (blocked, bent, (x, y), bends)
            if checks >= FULL_CHECKS or self.work >= self.budget:
                break
        if fallback is not None:
            self._move(key, fallback[2], fallback[3])
            return True
        self.grid.add(key, Rect(home[0], home[1], w / 2, h / 2))
        return False

    def move_end(self, link: Link) -> bool:
        """Move an end of ``link`` (the one with fewer links first) next to the other end,
        where all its links are clear: the last resort for a long link through a crowd."""
        ends = sorted(
            (v for v in (link.source, link.target) if v in self.movable),
            key=lambda v: (len(self.links_of.get(v, ())), v),
        )
        for v in ends:
            other = link.target if v == link.source else link.source
            if self.step_aside(v, near=self.pos[other]):
                return True
        return False

    def _blocked_from(self, key: str, spot: Point, bends: Mapping[str, float]) -> int:
        """How many links of ``key``, placed at ``spot`` and bent by ``bends`` (else as they
        are), pass over a variable they do not connect."""
        pos = {**self.pos, key: spot}
        count = 0
        for link_id in sorted(self.links_of.get(key, ())):
            link = self.all_links[link_id]
            c = bends.get(link_id, self.curvatures.get(link_id, link.curvature))
            points = drawn_points(pos[link.source], pos[link.target], c, self.aims.get(link_id))
            count += bool(blocking(points, self.grid, (link.source, link.target), MARGIN))
        return count

    def _bends_from(self, key: str, spot: Point) -> tuple[int, dict[str, float]]:
        """Bends for the links of ``key`` placed at ``spot``, and how many of its links still
        pass over a variable (0: all clear)."""
        pos = {**self.pos, key: spot}
        ids = set(self.links_of.get(key, ()))
        if self.editable is not None:
            ids &= self.editable
        spent = [0.0]
        bends = link_curvatures(
            self.diagram, pos, self.sizes, self.loops, link_ids=ids, grid=self.grid, work=spent
        )
        self.work += spent[0]
        return self._blocked_from(key, spot, bends), bends

    def _move(self, key: str, spot: Point, bends: Mapping[str, float]) -> None:
        spot = (round(spot[0], 2) + 0.0, round(spot[1], 2) + 0.0)
        self.moves += [self.pos[key], spot]
        self.pos[key] = spot
        w, h = self.sizes[key]
        self.grid.add(key, Rect(spot[0], spot[1], w / 2, h / 2))
        self.curvatures.update(bends)
        for link_id in self.links_of.get(key, ()):
            self.drawn.pop(link_id, None)
            self.ink.set(link_id, self._points(self.all_links[link_id]))

    def run(self, rounds: int) -> None:
        """Up to ``rounds`` rounds over the links found over a variable (:meth:`_rounds`),
        then, the arrowheads aimed once more, a last bend of each link found over one."""
        budget = self.budget
        self.budget = budget * (1 - LAST_SHARE)  # the rest is kept for the last bends
        self._rounds(rounds)
        self.budget = budget
        for _ in range(LAST_BENDS):
            self.redraw()
            found = self._over()
            if not found or self.work >= self.budget:
                return
            for link in self.links:
                if link.id in found:
                    self.bend(link)

    def _rounds(self, rounds: int) -> None:
        """Up to ``rounds`` rounds over the links found over a variable. A round that leaves
        no fewer of them than the one before is the last, and a link that could not be
        repaired is tried again only once a variable has moved near it (module doc)."""
        last = len(self.links) + 1
        failed: dict[str, tuple[np.ndarray, int]] = {}
        for k in range(rounds):
            if k:
                self.redraw()
            found = self._over()
            if not found or len(found) >= last:
                return
            last = len(found)
            changed = False
            for link in self.links:
                checkpoint()
                if link.id not in found or not self._worth_trying(failed.get(link.id)):
                    continue
                ends = (link.source, link.target)
                points = self.ink.points[link.id]
                if not blocking(points, self.grid, ends, MARGIN):
                    continue  # cleared by an earlier repair this round
                if self.bend(link):
                    changed = True
                    continue
                moved = False
                for key in sorted(blocking(points, self.grid, ends, MARGIN)):
                    if key in self.movable and self.step_aside(key):
                        moved = True
                if not moved:
                    moved = self.move_end(link)
                if not moved:
                    lo, hi = points.min(axis=0) - NEAR, points.max(axis=0) + NEAR
                    failed[link.id] = (np.concatenate((lo, hi)), len(self.moves))
                changed = changed or moved
            if not changed or self.work >= self.budget:
                return

    def _over(self) -> set[str]:
        """The links (that may be bent) passing over a variable they do not connect, as
        sampled in the ink (just redrawn: as :func:`.link_checks.links_over` finds them)."""
        out = set()
        for link in self.links:
            checkpoint()
            if blocking(self.ink.points[link.id], self.grid, (link.source, link.target), MARGIN):
                out.add(link.id)
        return out

    def _worth_trying(self, failure: tuple[np.ndarray, int] | None) -> bool:
        """Whether a link that failed (its reach, and how many moves had been made then) may
        be repaired now: a variable has left or reached a spot within its reach since."""
        if failure is None:
            return True
        reach, since = failure
        if since >= len(self.moves):
            return False
        spots = np.array(self.moves[since:])
        inside = (spots[:, 0] >= reach[0]) & (spots[:, 0] <= reach[2])
        inside &= (spots[:, 1] >= reach[1]) & (spots[:, 1] <= reach[3])
        return bool(inside.any())


def repair(
    diagram: Diagram,
    positions: Mapping[str, Point],
    sizes: Mapping[str, Size],
    curvatures: Mapping[str, float],
    movable: set[str],
    loops: Sequence[Sequence[str]] = (),
    limits: Mapping[str, tuple[float, float]] | None = None,
    only: set[str] | None = None,
    rounds: int = ROUNDS,
    budget: float = WORK,
    links: set[str] | None = None,
    room: BendRoom | None = None,
) -> tuple[dict[str, Point], dict[str, float]]:
    """Positions and curvatures with no link over a variable it does not connect, where bends
    and moving ``movable`` variables can get there within ``budget`` (see the module doc).
    ``curvatures`` are the layout's new bends; with ``only`` set, only links touching ``only``
    may be bent, and with ``links`` set, only those; with ``room``, a link is bent again only
    within it (:class:`.link_checks.BendRoom`)."""
    pos = dict(positions)
    bends = {link.id: link.curvature for link in diagram.links} | dict(curvatures)
    editable = (
        None
        if only is None
        else {link.id for link in diagram.links if link.source in only or link.target in only}
    )
    if links is not None:
        editable = set(links) if editable is None else editable & links
    state = _Repair(
        diagram, pos, sizes, bends, movable, loops, limits or {}, editable, budget, room
    )
    state.run(rounds)
    drawn = {link.id: link.curvature for link in diagram.links}
    changed = {k: c for k, c in state.curvatures.items() if k in curvatures or c != drawn[k]}
    if editable is not None:
        changed = {k: c for k, c in changed.items() if k in editable}
    return state.pos, changed
