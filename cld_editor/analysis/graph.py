"""A diagram as the integer arrays the loop search kernel reads (:mod:`.kernel`).

Variables are numbered in document order. Links become rows in compressed form, each node's
links sorted by target, with their flags (1 negative, 2 undetermined, 4 delayed); the reverse
rows list, for every node, the links that arrive at it. ``link_of[e]`` is the diagram's index of
row link ``e``. Lists are plain Python lists: the kernel runs over them in CPython, and
:func:`as_arrays` turns them into numpy arrays for the compiled kernel, so a small diagram never
imports numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.model import Diagram

NEGATIVE, UNKNOWN, DELAYED = 1, 2, 4
DOMAIN_BITS = {"CX": 1, "EX": 2}


@dataclass(frozen=True)
class LoopGraph:
    """The search's view of one diagram (see the module docstring)."""

    ids: list[str]
    link_ids: list[str]  # in row order
    head: list[int]
    tgt: list[int]
    src: list[int]
    flags: list[int]
    dom: list[int]
    rhead: list[int]
    redge: list[int]
    rsrc: list[int]
    link_of: list[int]

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def m(self) -> int:
        return len(self.tgt)

    @classmethod
    def of(cls, diagram: Diagram) -> LoopGraph:
        ids = [v.id for v in diagram.variables]
        index = {variable_id: i for i, variable_id in enumerate(ids)}
        dom = [DOMAIN_BITS.get(v.domain or "", 0) for v in diagram.variables]
        rows = sorted(
            (index[link.source], index[link.target], k) for k, link in enumerate(diagram.links)
        )
        links = diagram.links
        return cls.from_rows(
            ids,
            dom,
            [(s, t, _flags_of(links[k]), links[k].id, k) for s, t, k in rows],
        )

    @classmethod
    def from_rows(
        cls, ids: list[str], dom: list[int], rows: list[tuple[int, int, int, str, int]]
    ) -> LoopGraph:
        """From (source, target, flags, link id, diagram index) rows sorted by source, target."""
        n = len(ids)
        head = [0] * (n + 1)
        for s, *_ in rows:
            head[s + 1] += 1
        for v in range(n):
            head[v + 1] += head[v]
        src = [r[0] for r in rows]
        tgt = [r[1] for r in rows]
        into = sorted(range(len(rows)), key=tgt.__getitem__)
        rhead = [0] * (n + 1)
        for t in tgt:
            rhead[t + 1] += 1
        for v in range(n):
            rhead[v + 1] += rhead[v]
        return cls(
            ids=ids,
            link_ids=[r[3] for r in rows],
            head=head,
            tgt=tgt,
            src=src,
            flags=[r[2] for r in rows],
            dom=dom,
            rhead=rhead,
            redge=into,
            rsrc=[src[e] for e in into],
            link_of=[r[4] for r in rows],
        )

    def arrays(self, numpy: bool) -> dict[str, Any]:
        """The kernel's graph arguments, as lists or (``numpy``) as int32/int8 arrays."""
        names = ("head", "tgt", "flags", "dom", "rhead", "redge", "rsrc")
        if not numpy:
            return {name: getattr(self, name) for name in names}
        import numpy as np

        return {
            name: np.asarray(getattr(self, name), dtype=np.int8 if name in _SMALL else np.int32)
            for name in names
        }


_SMALL = ("flags", "dom")


#: What the loops depend on: variables in order with their domains, and each link's ends,
#: sign and delay.
LinkSignature = tuple[tuple[str, str, str, str, bool], ...]
Signature = tuple[tuple[tuple[str, str | None], ...], LinkSignature]


def link_signature(links: Any) -> LinkSignature:
    """What the loop search reads of each link, in order."""
    return tuple((k.id, k.source, k.target, k.polarity, k.delay) for k in links)


def loop_signature(diagram: Diagram) -> Signature:
    """Everything the loop search reads; equal signatures give equal analyses."""
    return tuple((v.id, v.domain) for v in diagram.variables), link_signature(diagram.links)


def _flags_of(link: Any) -> int:
    return (
        (NEGATIVE if link.polarity == "-" else 0)
        | (UNKNOWN if link.polarity == "?" else 0)
        | (DELAYED if link.delay else 0)
    )


def strong_parts(graph: LoopGraph) -> list[int]:
    """The strongly connected part of each variable (Tarjan's algorithm, iteratively)."""
    n, head, tgt = graph.n, graph.head, graph.tgt
    index = [-1] * n
    low = [0] * n
    part = [-1] * n
    on_stack = [False] * n
    stack: list[int] = []
    counter = parts = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, head[root])]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, row = work[-1]
            if row < head[v + 1]:
                work[-1] = (v, row + 1)
                w = tgt[row]
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, head[w]))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    part[w] = parts
                    if w == v:
                        break
                parts += 1
    return part
