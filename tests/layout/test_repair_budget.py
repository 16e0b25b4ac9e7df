"""The link repair does bounded work: a link it could not repair is not tried again while
nothing near it moves, and the points it samples stay within its budget, so a big diagram whose
long links run through crowds everywhere (links between random pairs) costs seconds, not
minutes."""

from __future__ import annotations

import random

import pytest

from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.layout import link_checks, metrics
from cld_editor.layout import repair as repair_module
from cld_editor.layout.boxes import GAP, diagram_sizes, separate
from cld_editor.layout.cycles import adjacency
from cld_editor.layout.organic import lay_out_organic
from cld_editor.layout.pack import undirected


def _random_pairs(n: int, links: int, seed: int) -> Diagram:
    rng = random.Random(seed)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < links:
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            pairs.add((a, b))
    return Diagram(
        variables=[Variable(id=f"v{i}", label=f"Variable {i}", x=0, y=0) for i in range(n)],
        links=[Link(id=f"l{k}", source=f"v{a}", target=f"v{b}") for k, (a, b) in enumerate(pairs)],
    )


@pytest.fixture(scope="module")
def crowded():
    diagram = _random_pairs(220, 330, seed=5)
    ids = [v.id for v in diagram.variables]
    sizes = diagram_sizes(diagram)
    pos = lay_out_organic(ids, undirected(ids, adjacency(diagram, set(ids))), sizes, 0)
    return diagram, separate(pos, sizes, set(ids), GAP), sizes


def _sampling(monkeypatch) -> list[int]:
    """Counts every point the repair tests against the boxes."""
    sampled = [0]
    real = repair_module.blocking

    def counted(points, *args, **kwargs):
        sampled[0] += len(points)
        return real(points, *args, **kwargs)

    monkeypatch.setattr(repair_module, "blocking", counted)
    monkeypatch.setattr(link_checks, "blocking", counted)
    return sampled


def test_the_repair_stays_within_its_budget(crowded, monkeypatch):
    diagram, pos, sizes = crowded
    sampled = _sampling(monkeypatch)
    full = repair_module.repair(diagram, pos, sizes, {}, set(pos))
    unbounded = sampled[0]
    sampled[0] = 0
    small = repair_module.repair(diagram, pos, sizes, {}, set(pos), budget=unbounded / 20)
    assert sampled[0] < unbounded / 3
    # Still a layout: no two boxes overlap, and it repaired no more than the full repair.
    assert metrics.overlaps(small[0], sizes) == 0
    over = metrics.links_over_variables
    assert over(diagram, small[0], sizes, small[1]) >= over(diagram, full[0], sizes, full[1])


def test_a_big_crowded_diagram_stops_at_the_budget(crowded, monkeypatch):
    diagram, pos, sizes = crowded
    calls = []
    real = repair_module._Repair.run

    def run(self, rounds):
        real(self, rounds)
        calls.append((self.work, self.budget))

    monkeypatch.setattr(repair_module._Repair, "run", run)
    repair_module.repair(diagram, pos, sizes, {}, set(pos), budget=5_000.0)
    work, budget = calls[0]
    assert budget == 5_000.0
    # One step may overrun it (a spot whose links are bent anew), never by a whole repair.
    assert work < budget + 20_000


def test_organic_repairs_a_big_diagram_on_a_smaller_budget(crowded, monkeypatch):
    """Organic is not held to leave no link over a variable: above ORGANIC_FULL variables its
    finish gives the repair ORGANIC_WORK; every other style, and Organic below, the full WORK."""
    from cld_editor.layout.finish import finish

    diagram, pos, sizes = crowded
    budgets = []
    real = repair_module._Repair.run

    def run(self, rounds):
        budgets.append(self.budget)
        real(self, rounds)

    monkeypatch.setattr(repair_module._Repair, "run", run)
    monkeypatch.setattr(repair_module, "ORGANIC_FULL", len(pos) - 1)
    ids = list(pos)
    finish("organic", diagram, dict(pos), sizes, ids, [], {}, None)
    assert budgets[-1] == repair_module.ORGANIC_WORK < repair_module.WORK
    finish("loops", diagram, dict(pos), sizes, ids, [], {}, None)
    assert budgets[-1] == repair_module.WORK
    monkeypatch.setattr(repair_module, "ORGANIC_FULL", len(pos))
    finish("organic", diagram, dict(pos), sizes, ids, [], {}, None)
    assert budgets[-1] == repair_module.WORK


def test_a_whole_iceberg_whose_repair_runs_out_goes_on_the_ring(monkeypatch) -> None:
    """Iceberg (and Loops) leave no link over a variable it does not connect: where the
    finish's repair runs out of its budget before that (random pairs of 300 variables drew
    Iceberg with 87 links over variables), the diagram is drawn on the ring, as a hairball is,
    when that passes over fewer. Here the repair does nothing at all, and one link is left
    over a variable without the ring."""
    from cld_editor.layout.plan import plan

    diagram = _random_pairs(60, 120, seed=1)
    diagram = diagram.model_copy(
        update={
            "variables": [
                v.model_copy(update={"domain": "CX" if k % 2 else "EX"})
                for k, v in enumerate(diagram.variables)
            ]
        }
    )
    sizes = diagram_sizes(diagram)
    monkeypatch.setattr(repair_module._Repair, "run", lambda self, rounds: None)
    layout = plan(diagram, "iceberg", sizes=sizes)
    flat = {link.id: 0.0 for link in diagram.links}
    bends = flat | layout.curvatures
    assert metrics.links_over_variables(diagram, layout.positions, sizes, bends) == 0
    assert metrics.overlaps(layout.positions, sizes) == 0
    above = [layout.positions[v.id][1] for v in diagram.variables if v.domain == "CX"]
    below = [layout.positions[v.id][1] for v in diagram.variables if v.domain == "EX"]
    assert layout.waterline is not None and max(above) < layout.waterline < min(below)
