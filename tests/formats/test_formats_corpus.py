"""Every file of ../shared/corpus imports, with the loop counts its MANIFEST.md gives (skipped
when the corpus is not there). Totals depend only on the structure; with pysimlin installed the
unsigned links get inferred signs, so fewer loops are undetermined."""

from __future__ import annotations

import pytest
from roundtrip_helpers import CORPUS

from cld_editor.analysis.loops import find_loops
from cld_editor.formats import sd_polarity
from cld_editor.formats.registry import read_diagram

# file: (variables, links, loops, R, B, U) from MANIFEST.md
MANIFEST = {
    "vensim/SIR.mdl": (11, 17, 3, 1, 2, 0),
    "vensim/teacup.mdl": (4, 4, 1, 0, 1, 0),
    "vensim/energy_tech_cld.mdl": (15, 20, 10, 6, 4, 0),
    "vensim/Covid19US v8.mdl": (273, 391, 78, 3, 5, 70),
    "xmile/teacup.xmile": (4, 4, 1, 0, 1, 0),
    "xmile/teacup.stmx": (4, 4, 1, 0, 1, 0),
    "xmile/population.xmile": (5, 6, 2, 1, 1, 0),
    "xmile/GeneratedByAIThenEdited.stmx": (82, 109, 31, 2, 15, 14),
    "loopy/blank.loopy": (2, 2, 1, 0, 1, 0),
}
#: Covid's two SSTATS macro calls are one module instance each in the independent count
#: (inputs -> instance -> outputs); cld-editor links the inputs to the outputs directly, so
#: it has two variables fewer and more links, with the same loops.
MACRO_INSTANCES = {"vensim/Covid19US v8.mdl": 2}

#: Stella's connectors here carry signs (97 of them) that the independent count left as "?" on
#: some links where pysimlin's inference cannot tell; a drawn sign wins, so more loops are
#: classified here than there.
MORE_SIGNS_DRAWN = {"xmile/GeneratedByAIThenEdited.stmx"}

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not there")


@needs_corpus
@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_corpus_loop_counts(name: str) -> None:
    diagram, report = read_diagram(CORPUS / name)
    variables, links, loops, r, b, u = MANIFEST[name]
    analysis = find_loops(diagram)
    assert analysis.complete
    assert len(analysis.loops) == loops
    assert len(diagram.variables) == variables - MACRO_INSTANCES.get(name, 0)
    if name not in MACRO_INSTANCES:
        assert len(diagram.links) == links
    split = tuple(analysis.count(k) for k in ("reinforcing", "balancing", "undetermined"))
    if name in MORE_SIGNS_DRAWN:
        # Drawn signs the independent count did not use: fewer undetermined loops.
        assert split[2] <= u
    elif sd_polarity.available() or u == 0:
        assert split == (r, b, u)
    assert all(isinstance(line, str) and line for line in report.lines())


@needs_corpus
def test_corpus_files_all_import() -> None:
    files = [p for p in CORPUS.rglob("*") if p.is_file() and p.name != "MANIFEST.md"]
    assert files
    for path in files:
        diagram, _ = read_diagram(path)
        assert diagram.variables


@needs_corpus
def test_sir_details() -> None:
    diagram, report = read_diagram(CORPUS / "vensim/SIR.mdl")
    by_label = {v.label: v for v in diagram.variables}
    # Vensim's boxes are smaller than ours: the drawing is spread out about its middle, so
    # where things are relative to each other stays, and no two boxes overlap any more.
    contact, infectivity = by_label["Contact Rate c"], by_label["Infectivity i"]
    susceptible = by_label["Susceptible Population S"]
    assert contact.x < infectivity.x and contact.y > susceptible.y
    assert (contact.x - susceptible.x) / (infectivity.x - susceptible.x) == pytest.approx(
        (168 - 162) / (394 - 162)
    )
    from cld_editor.layout.boxes import estimated_size, overlapping_pairs, rects

    sizes = {v.id: estimated_size(v.label) for v in diagram.variables}
    assert overlapping_pairs(rects({v.id: (v.x, v.y) for v in diagram.variables}, sizes)) == []
    assert "infectious" in by_label["Infectious Population I"].notes
    names = sorted(label.name or "" for label in diagram.loop_labels)
    assert names == ["Contagion", "Depletion", "Recovery"]
    text = " ".join(report.lines())
    assert "ghost copies were merged" in text and "initial values" in text
    assert "spread out" in text


@needs_corpus
def test_covid_delay_marks_and_views() -> None:
    diagram, report = read_diagram(CORPUS / "vensim/Covid19US v8.mdl")
    assert sum(link.delay for link in diagram.links) > 0
    assert any("in rows in their order" in line for line in report.lines())
    # Its 14 views in rows: a page, not a strip 7 times as wide as it is tall.
    xs = [v.x for v in diagram.variables]
    ys = [v.y for v in diagram.variables]
    assert 0.5 < (max(xs) - min(xs)) / (max(ys) - min(ys)) < 3.0


@needs_corpus
def test_vensim10_outflow_minus_is_not_a_sign_of_the_arrow() -> None:
    diagram, _ = read_diagram(CORPUS / "vensim/contributors_vensim10.mdl")
    ids = {v.label: v.id for v in diagram.variables}
    signs = {(lk.source, lk.target): lk.polarity for lk in diagram.links}
    assert signs[(ids["Developer's Turnover"], ids["Core Developer"])] == "-"
    assert signs[(ids["Promotion Rate"], ids["Core Developer"])] == "+"
    assert "Explicit Knowledge Transfer (Documentation, Contributor's Guides)" in ids
