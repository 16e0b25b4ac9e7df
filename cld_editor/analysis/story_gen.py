"""Story from loops: a story that builds a diagram up loop by loop, for a first presentation.

The first step shows the shortest loop; then come the labelled loops (the ones the author
named), then the loops of the shortest independent loop set (:mod:`.sils`, Oliva 2004), each
kept only when it adds a link no earlier step has, each step revealing only what its loop adds,
with a caption naming the loop, its type and its label ("R1 Virtuous cycle: reinforcing").
Since the independent set covers every link that lies on a loop, so does the story, however
many loops the diagram has (the set is found without enumerating them). Loops are named as
the loop analysis names them when it found them. A last step shows whatever is on no loop.
Qt-free; the result is a :class:`cld_editor.core.story.Story` to apply with ``replace_story``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..core.model import Diagram
from ..core.story import Story, StoryStep
from .loops import PREFIX, Budget, Loop, LoopPolarity, find_loops
from .sils import independent_loops as shortest_independent_loops
from .whatif_caption import loop_title

#: The loop search that names the loops and finds the labelled ones (the independent set
#: itself needs no search).
STORY_BUDGET = Budget(max_loops=20_000, time_limit=3.0)


@dataclass(frozen=True)
class StoryLoop:
    """A loop chosen for the story: its title ("R1 Virtuous cycle"), type, members and links."""

    title: str
    polarity: LoopPolarity
    variables: tuple[str, ...]
    links: tuple[str, ...]


def independent_loops(diagram: Diagram, loops: Sequence[Loop]) -> list[StoryLoop]:
    """The loops a story shows, in order: the shortest loop, the labelled loops, then the
    shortest independent loop set; each adds at least one link. ``loops`` (an analysis, maybe
    cut short) gives the names and the labelled loops."""
    named = {loop.key: loop for loop in loops}
    labelled_keys = {label.loop_key for label in diagram.loop_labels}
    ordered = sorted(loops, key=lambda loop: loop.length)  # stable: names stay in order
    independent = list(shortest_independent_loops(diagram))
    firsts = ordered[:1] or independent[:1]
    labelled = [loop for loop in ordered[1:] if loop.key in labelled_keys]
    chosen: list[StoryLoop] = []
    covered: set[str] = set()
    for loop in [*firsts, *labelled, *independent]:
        if covered.issuperset(loop.links):
            continue
        covered.update(loop.links)
        known = named.get(loop.key)
        if known is not None:
            title = loop_title(known, diagram)
        else:  # beyond what the analysis found: its type, not a number of another list
            title = f"A {loop.polarity} loop ({PREFIX[loop.polarity]})"
        chosen.append(StoryLoop(title, loop.polarity, loop.variables, loop.links))
    return chosen


#: How the last step starts when it shows what no loop of the story holds, and its caption
#: when the diagram has no loop at all.
REST_CAPTION = "The rest of the diagram"
NO_LOOPS_CAPTION = "No feedback loops: the whole diagram"


def loop_steps(story: Story) -> int:
    """How many steps of a story from :func:`story_from_loops` show a loop each (all but a
    last step with the rest of the diagram)."""
    steps = story.steps
    last = steps[-1].caption if steps else ""
    return len(steps) - (last.startswith(REST_CAPTION) or last == NO_LOOPS_CAPTION)


def story_from_loops(diagram: Diagram, loops: Sequence[Loop] | None = None) -> Story:
    """The generated story (see the module docstring). ``loops`` defaults to a bounded
    :func:`find_loops`; passing an analysis's loops skips the search."""
    if loops is None:
        loops = find_loops(diagram, STORY_BUDGET).loops
    chosen = independent_loops(diagram, loops)
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
            caption = f"{REST_CAPTION}: " + _what_is_left(diagram, set(rest))
        else:
            caption = NO_LOOPS_CAPTION
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
