"""Story from loops: a story that builds a diagram up loop by loop, for a first presentation.

The first step shows the shortest loop; then come the labelled loops (the ones the author
named), then the other loops of an independent set chosen shortest first (a loop is kept only
when it adds a link no earlier loop has, as in a shortest independent loop set), each step
revealing only what its loop adds, with a caption naming the loop, its type and its label
("R1 Virtuous cycle: reinforcing"). Every link that lies on a loop lies on a loop of the set:
when the loop search was cut short, the shortest loop through each link left over (found by a
breadth-first search back from its target) is added. A last step shows whatever is on no loop.
Qt-free; the result is a :class:`cld_editor.core.story.Story` to apply with ``replace_story``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.model import Diagram, Link
from ..core.story import Story, StoryStep
from .loops import PREFIX, Budget, Loop, LoopPolarity, find_loops
from .whatif_caption import loop_title

#: The loop search behind a generated story; the BFS fallback covers what it leaves out.
STORY_BUDGET = Budget(max_loops=20_000, time_limit=3.0)


@dataclass(frozen=True)
class StoryLoop:
    """A loop chosen for the story: its title ("R1 Virtuous cycle"), type, members and links."""

    title: str
    polarity: LoopPolarity
    variables: tuple[str, ...]
    links: tuple[str, ...]


def independent_loops(
    diagram: Diagram, loops: Sequence[Loop], complete: bool = True
) -> list[StoryLoop]:
    """The loops a story shows, in order: the shortest loop, the labelled loops, then the
    others shortest first; each adds at least one link. Unless ``complete``, loops through
    the links no loop covers are found by breadth-first search and added at the end."""
    labelled_keys = {label.loop_key for label in diagram.loop_labels}
    ordered = sorted(loops, key=lambda loop: loop.length)  # stable: names stay in order
    firsts = ordered[:1]
    labelled = [loop for loop in ordered[1:] if loop.key in labelled_keys]
    rest = [loop for loop in ordered[1:] if loop.key not in labelled_keys]
    chosen: list[StoryLoop] = []
    covered: set[str] = set()
    for loop in [*firsts, *labelled, *rest]:
        if not covered.issuperset(loop.links):
            covered.update(loop.links)
            chosen.append(
                StoryLoop(loop_title(loop, diagram), loop.polarity, loop.variables, loop.links)
            )
    if not complete:
        chosen += _loops_through_uncovered_links(diagram, covered)
    return chosen


def _loops_through_uncovered_links(diagram: Diagram, covered: set[str]) -> list[StoryLoop]:
    """For each link on a cycle that ``covered`` lacks (document order), the shortest loop
    through it, if it adds a link; named by type only, since the search did not number it."""
    outgoing: dict[str, list[Link]] = {}
    for link in diagram.links:
        outgoing.setdefault(link.source, []).append(link)
    out: list[StoryLoop] = []
    for link in diagram.links:
        if link.id in covered:
            continue
        path = _shortest_path(outgoing, link.target, link.source)
        if path is None:
            continue
        links = [link, *path]
        covered.update(x.id for x in links)
        negatives = sum(x.polarity == "-" for x in links)
        polarity: LoopPolarity = (
            "undetermined"
            if any(x.polarity == "?" for x in links)
            else "balancing"
            if negatives % 2
            else "reinforcing"
        )
        title = f"A {polarity} loop ({PREFIX[polarity]})"
        out.append(
            StoryLoop(title, polarity, tuple(x.source for x in links), tuple(x.id for x in links))
        )
    return out


def _shortest_path(outgoing: dict[str, list[Link]], start: str, goal: str) -> list[Link] | None:
    """The links of a shortest path from ``start`` to ``goal`` (empty when they are equal)."""
    if start == goal:
        return []
    came: dict[str, Link] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        here = queue.popleft()
        for link in outgoing.get(here, ()):
            if link.target in seen:
                continue
            seen.add(link.target)
            came[link.target] = link
            if link.target == goal:
                path = []
                node = goal
                while node != start:
                    path.append(came[node])
                    node = came[node].source
                return path[::-1]
            queue.append(link.target)
    return None


def story_from_loops(diagram: Diagram, loops: Sequence[Loop] | None = None) -> Story:
    """The generated story (see the module docstring). ``loops`` defaults to a bounded
    :func:`find_loops`; passing a complete analysis skips the search."""
    complete = True
    if loops is None:
        analysis = find_loops(diagram, STORY_BUDGET)
        loops, complete = analysis.loops, analysis.complete
    chosen = independent_loops(diagram, loops, complete)
    shown: set[str] = set()
    steps: list[StoryStep] = []
    order = {v.id: i for i, v in enumerate(diagram.variables)}
    for loop in chosen:
        new_variables = sorted(
            (v for v in dict.fromkeys(loop.variables) if v not in shown), key=order.__getitem__
        )
        new_links = [link_id for link_id in loop.links if link_id not in shown]
        shown.update(new_variables, new_links)
        labels = _labels_now_complete(diagram, shown)
        shown.update(labels)
        steps.append(
            StoryStep(
                caption=f"{loop.title}: {loop.polarity}",
                reveal=[*new_variables, *new_links, *labels],
            )
        )
    rest = [
        record.id
        for table in (diagram.variables, diagram.links, diagram.loop_labels)
        for record in table
        if record.id not in shown
    ]
    if rest:
        if steps:
            caption = "The rest of the diagram: " + _what_is_left(diagram, set(rest))
        else:
            caption = "No feedback loops: the whole diagram"
        steps.append(StoryStep(caption=caption, reveal=rest))
    return Story(steps=steps)


def _labels_now_complete(diagram: Diagram, shown: set[str]) -> list[str]:
    """Loop labels not yet shown whose loop is now entirely visible (members and links)."""
    pairs = {(link.source, link.target): link.id for link in diagram.links}
    out = []
    for label in diagram.loop_labels:
        if label.id in shown:
            continue
        members = label.loop
        links = [
            pairs.get((a, b)) for a, b in zip(members, [*members[1:], members[0]], strict=True)
        ]
        if all(m in shown for m in members) and all(x is not None and x in shown for x in links):
            out.append(label.id)
    return out


def _what_is_left(diagram: Diagram, rest: set[str]) -> str:
    counts = [
        (sum(v.id in rest for v in diagram.variables), "variable"),
        (sum(link.id in rest for link in diagram.links), "link"),
        (sum(label.id in rest for label in diagram.loop_labels), "loop label"),
    ]
    parts = [f"{n:,} {noun}{'s' if n != 1 else ''}" for n, noun in counts if n]
    return ", ".join(parts) + " on no loop shown"
