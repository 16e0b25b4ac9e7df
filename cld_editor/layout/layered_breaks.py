"""Which links the Layered style (:mod:`.layered`) reverses to break the cycles of a piece: a
depth-first search marks the links that close a cycle, Eades, Lin and Smyth's greedy feedback
arc set those running backwards in its sequence; and the other choices worth laying out.

A piece's drawing depends a great deal on the choice: on the 82-variable Stella model of the
shared corpus (one strongly connected part of 51 variables) depth-first searches from other
roots give finished drawings crossing from 19 to 43 links (covering from 12 to 45 million
square units), and the greedy set 81. No rule picks the good one, so a piece is laid out from
several (:func:`break_choices`: the search in document order and in reverse, the greedy set,
then searches from roots in seeded shuffled orders) and its drawing decides (:mod:`.layered`).
Same input, same choices.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from .cancel import checkpoint

Breaks = set[tuple[str, str]]


def back_links(order: Sequence[str], successors: Mapping[str, Sequence[str]]) -> Breaks:
    """The links a depth-first search, from roots in ``order`` and following each variable's
    links in the order given, finds closing a cycle (to a variable still on its path)."""
    state: dict[str, int] = {}
    back: Breaks = set()
    for root in order:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(successors.get(root, ())))]
        while stack:
            u, it = stack[-1]
            for v in it:
                if v not in state:
                    state[v] = 1
                    stack.append((v, iter(successors.get(v, ()))))
                    break
                if state[v] == 1:
                    back.add((u, v))
            else:
                state[u] = 2
                stack.pop()
    return back


def greedy_back_links(order: Sequence[str], successors: Mapping[str, Sequence[str]]) -> Breaks:
    """Eades, Lin and Smyth's feedback arc set: variables are taken off the ends of a sequence
    (sinks to the back, sources to the front, else the one with most links out over links in
    to the front, ties in document order); the links running backwards in it are reversed."""
    out_of = {v: set(successors.get(v, ())) for v in order}
    into: dict[str, set[str]] = {v: set() for v in order}
    for u in order:
        for v in out_of[u]:
            into[v].add(u)
    left, front, back = list(order), [], []
    while left:
        checkpoint()
        sinks = [v for v in left if not out_of[v]]
        sources = [v for v in left if not into[v]]
        if sinks:
            taken, back = sinks[0], [sinks[0], *back]
        elif sources:
            taken = sources[0]
            front.append(taken)
        else:
            taken = max(left, key=lambda v: len(out_of[v]) - len(into[v]))
            front.append(taken)
        left.remove(taken)
        for w in out_of[taken]:
            into[w].discard(taken)
        for w in into[taken]:
            out_of[w].discard(taken)
    rank = {v: i for i, v in enumerate(front + back)}
    return {(u, v) for u in order for v in successors.get(u, ()) if rank[v] < rank[u]}


def break_choices(
    piece: Sequence[str], successors: Mapping[str, Sequence[str]], count: int
) -> list[Breaks]:
    """Up to ``count`` different choices of links to reverse, the search in document order
    first (module doc). The shuffled searches are seeded: same input, same choices."""
    out: list[Breaks] = []

    def add(back: Breaks) -> None:
        if back not in out:
            out.append(back)

    add(back_links(piece, successors))
    add(back_links(piece[::-1], successors))
    add(greedy_back_links(piece, successors))
    rng = random.Random(0)
    # A few more tries than choices wanted: some searches find a choice already made.
    for _ in range(3 * count):
        if len(out) >= count:
            break
        checkpoint()
        roots = list(piece)
        rng.shuffle(roots)
        add(back_links(roots, successors))
    return out[:count]
