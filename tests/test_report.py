"""Loop reports without Qt: every loop and variable listed, CX/EX crossings called out, the
ranking by loops through each variable, user text escaped in HTML and Markdown."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cld_editor.analysis.budget import Budget
from cld_editor.analysis.loops import find_loops
from cld_editor.core.model import Diagram
from cld_editor.formats.native import load_diagram
from cld_editor.formats.report import (
    MAX_PATH_MEMBERS,
    md_escape,
    report_data,
    report_html,
    report_markdown,
)
from cld_editor.formats.report_data import independent_sentences

EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"
SVG = (
    '<?xml version="1.0"?>\n<svg width="10mm" height="5mm" viewBox="0 0 40 20"><text>x</text></svg>'
)
VOID = {"meta", "br", "link", "img", "input", "hr"}


@pytest.fixture(scope="module")
def loop_diagram() -> Diagram:
    return load_diagram(EXAMPLES / "experience-loop.cld.json")


class _Tags(HTMLParser):
    """Checks that every element is closed in order (a broken page would not print well)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parsed(html: str) -> _Tags:
    tags = _Tags()
    tags.feed(html)
    tags.close()
    return tags


def test_data_of_the_experience_loop(loop_diagram):
    data = report_data(loop_diagram, find_loops(loop_diagram))
    assert [row.name for row in data.loops] == ["R1", "R2", "B1"]
    r1 = data.loops[0]
    assert r1.kind == "Reinforcing" and r1.length == 3 and r1.delayed
    assert r1.path == "Workload → Stress and burnout → Staff turnover → Workload"
    assert r1.span == "EX only" and r1.label_name == "Turnover spiral"
    assert [row.name for row in data.crossing] == ["R2", "B1"]
    assert data.crossing[0].label_name == "Virtuous cycle"
    # Ranked by loops through them, most first, ties in document order.
    assert [(v.label, v.loops) for v in data.ranked[:2]] == [
        ("Employee engagement", 2),
        ("Service quality", 2),
    ]
    assert data.ranked[-1].label == "Staff turnover" and data.ranked[-1].loops == 1
    assert sum(v.reinforcing for v in data.ranked) == 3 + 6  # R1 and R2 members
    assert data.outside_loops == 0


def test_html_is_one_self_contained_page(loop_diagram):
    analysis = find_loops(loop_diagram)
    html = report_html(loop_diagram, analysis, SVG)
    tags = _parsed(html)
    assert tags.errors == [] and tags.stack == []
    assert html.startswith("<!DOCTYPE html>") and "@media print" in html
    assert '<svg role="img"' in html and 'viewBox="0 0 40 20"' in html
    assert "<?xml" not in html and 'width="10mm"' not in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    text = " ".join(" ".join(tags.text).split())
    for loop in analysis.loops:
        assert loop.name in text
    for variable in loop_diagram.variables:
        assert variable.label in text
    assert loop_diagram.title in text
    assert "Virtuous cycle" in text and "Workload squeeze" in text
    assert "2 loops of 3 cross between customer (CX) and employee (EX) experience" in text


def test_markdown_lists_every_loop_and_variable(loop_diagram):
    analysis = find_loops(loop_diagram)
    md = report_markdown(loop_diagram, analysis, "my report.svg")
    assert md.startswith(f"# {loop_diagram.title}\n")
    assert "](my%20report.svg)" in md
    for loop in analysis.loops:
        assert f"| **{loop.name}** |" in md
    for variable in loop_diagram.variables:
        assert f"| {variable.label} |" in md
    assert "- **R2** (Virtuous cycle), reinforcing:" in md
    # Table rows have the header's number of cells.
    for line in md.splitlines():
        if line.startswith("| **"):
            assert line.count(" | ") == 6


HOSTILE = Diagram.model_validate(
    {
        "title": "<script>alert(1)</script>",
        "description": "# not a heading\n- not a list\n\n<b>bold?</b> & more",
        "variables": [
            {"id": "a", "label": "<img src=x>", "domain": "CX", "x": 0, "y": 0},
            {"id": "b", "label": "a|b *c* [d](e)", "domain": "EX", "x": 200, "y": 0},
        ],
        "links": [{"source": "a", "target": "b"}, {"source": "b", "target": "a"}],
        "loop_labels": [{"id": "L", "loop": ["a", "b"], "x": 100, "y": 0, "name": "<i>x</i>"}],
    }
)


def test_html_escapes_user_text():
    html = report_html(HOSTILE, find_loops(HOSTILE), SVG)
    assert "<img src=x>" not in html and "&lt;img src=x&gt;" in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold?</b>" not in html and "&lt;i&gt;x&lt;/i&gt;" in html
    tags = _parsed(html)
    assert tags.errors == [] and tags.stack == []
    assert "<img src=x>" in " ".join(tags.text)  # shown literally


def test_markdown_escapes_user_text():
    md = report_markdown(HOSTILE, find_loops(HOSTILE), "d.svg")
    assert "<img src=x>" not in md and "\\<img src=x\\>" in md
    assert "a\\|b \\*c\\* \\[d\\](e)" in md
    assert "\\# not a heading" in md and "\\- not a list" in md
    assert "\\<b\\>bold?\\</b\\> \\& more" in md
    assert md_escape("line\nbreak") == "line break"


def test_a_diagram_without_loops():
    diagram = Diagram.model_validate(
        {
            "title": "Chain",
            "variables": [{"id": "a", "x": 0, "y": 0}, {"id": "b", "x": 9, "y": 0}],
            "links": [{"source": "a", "target": "b"}],
        }
    )
    analysis = find_loops(diagram)
    html = report_html(diagram, analysis, SVG)
    assert "The diagram has no feedback loop." in html
    # No variable is tagged CX or EX: no section on the loops crossing them.
    assert "No loop crosses" not in html and "crossing CX and EX" not in html
    assert "2 variables are in no loop." in html
    md = report_markdown(diagram, analysis, "d.svg")
    assert "No variable is part of a loop." in md


def test_a_long_loop_table_is_cut_with_a_note(loop_diagram):
    analysis = find_loops(loop_diagram)
    data = report_data(loop_diagram, analysis, max_loops=2)
    assert len(data.loops) == 2 and data.loops_total == 3
    html = report_html(loop_diagram, analysis, SVG, max_loops=2)
    assert "The first 2 of 3 loops are listed." in html
    assert "<td><strong>B1</strong></td>" not in html
    md = report_markdown(loop_diagram, analysis, "d.svg", max_loops=2)
    assert "The first 2 of 3 loops are listed." in md and "| **B1** |" not in md


def test_report_module_does_not_import_qt():
    code = (
        "import sys, cld_editor.formats.report, cld_editor.cli;"
        "from cld_editor.cli.report import add_report_command;"
        "p = cld_editor.cli._Parser(prog='x');"
        "add_report_command(p.add_subparsers());"
        "sys.exit('PySide6' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_a_very_long_loop_is_shortened():
    n = MAX_PATH_MEMBERS + 10
    diagram = Diagram.model_validate(
        {
            "variables": [{"id": f"v{i}", "x": i, "y": 0} for i in range(n)],
            "links": [{"source": f"v{i}", "target": f"v{(i + 1) % n}"} for i in range(n)],
        }
    )
    [row] = report_data(diagram, find_loops(diagram)).loops
    assert row.length == n
    assert row.path.startswith("v0 → v1 → ") and row.path.endswith("→ … 10 more … → v0")
    assert f"v{MAX_PATH_MEMBERS - 1} →" in row.path and f"v{MAX_PATH_MEMBERS} " not in row.path


@pytest.mark.parametrize("arrays", [False, True])
def test_counts_over_the_whole_table_equal_counting_loop_by_loop(arrays: bool) -> None:
    """The ranking and the CX-EX crossings are counted over the loop table at once (a listing
    of millions of loops is never built loop by loop); the same as counting each loop, for
    list and array tables, and for an analysis of another revision (variables gone)."""
    import random

    from cld_editor.core.model import Link, Variable

    rng = random.Random(5)
    variables = [
        Variable(id=f"v{i}", label=f"V{i}", x=0.0, y=0.0, domain=("CX", "EX", None)[i % 3])
        for i in range(9)
    ]
    pairs = {(rng.randrange(9), rng.randrange(9)) for _ in range(40)}
    links = [
        Link(id=f"l{s}-{t}", source=f"v{s}", target=f"v{t}", polarity=rng.choice("+-?"))
        for s, t in sorted(pairs)
        if s != t
    ]
    diagram = Diagram(variables=variables, links=links)
    analysis = find_loops(diagram)
    if arrays:
        from dataclasses import replace

        from cld_editor.analysis.table import LoopList

        table = analysis.table.as_arrays()
        analysis = replace(analysis, loops=LoopList(table), table=table)
    data = report_data(diagram, analysis, max_loops=10_000)
    expected: dict[str, list[int]] = {}
    for loop in analysis.loops:
        for member in loop.variables:
            counts = expected.setdefault(f"V{member[1:]}", [0, 0, 0])
            counts[["reinforcing", "balancing", "undetermined"].index(loop.polarity)] += 1
    assert {v.label: [v.reinforcing, v.balancing, v.undetermined] for v in data.ranked} == (
        expected
    )
    both = [loop.name for loop in analysis.loops if loop.domains == ("CX", "EX")]
    assert [row.name for row in data.crossing] == both and data.crossing_total == len(both)
    assert len(both) > 0 and data.loops_total == len(analysis.loops)
    # Another revision: a variable gone; its loops are left out, the rest counted as before.
    fewer = diagram.model_copy(
        update={
            "variables": variables[1:],
            "links": [k for k in links if "v0" not in (k.source, k.target)],
        }
    )
    stale = report_data(fewer, analysis, max_loops=10_000)
    kept = [loop for loop in analysis.loops if "v0" not in loop.variables]
    assert stale.loops_total == len(kept)


PLAIN = Diagram.model_validate(
    {
        "title": "Plain",
        "variables": [
            {"id": "a", "label": "Prices", "x": 0, "y": 0},
            {"id": "b", "label": "Demand", "x": 200, "y": 0},
        ],
        "links": [
            {"source": "a", "target": "b", "polarity": "-"},
            {"source": "b", "target": "a"},
        ],
    }
)


def test_the_loop_table_leaves_out_columns_no_loop_fills(loop_diagram):
    plain = report_html(PLAIN, find_loops(PLAIN), SVG)
    head = plain[plain.index("<thead>") : plain.index("</thead>")]
    assert head.count("</th>") == 4
    assert "Delayed" not in head and "CX / EX" not in head and "Label" not in head
    md = report_markdown(PLAIN, find_loops(PLAIN), "x.svg")
    assert "| Loop | Type | Length | Variables in order |\n| --- | --- | ---: | --- |\n" in md
    assert "| **B1** | Balancing | 2 | Prices → Demand → Prices |" in md
    # The experience loop fills all three; its CX / EX cells never wrap.
    full = report_html(loop_diagram, find_loops(loop_diagram), SVG)
    head = full[full.index("<thead>") : full.index("</thead>")]
    assert head.count("</th>") == 7 and "<th>Label</th>" in head
    assert '<td class="span">CX + EX</td>' in full and "td.span { white-space: nowrap; }" in full
    # A diagram with domains but no label keeps CX / EX and drops Label.
    unlabelled = loop_diagram.model_copy(update={"loop_labels": []})
    html = report_html(unlabelled, find_loops(unlabelled), SVG)
    head = html[html.index("<thead>") : html.index("</thead>")]
    assert "CX / EX" in head and "Label" not in head


def _complete(n: int) -> Diagram:
    ids = [f"v{k}" for k in range(n)]
    return Diagram.model_validate(
        {
            "variables": [
                {"id": i, "label": i.upper(), "x": 100.0 * k, "y": 0} for k, i in enumerate(ids)
            ],
            "links": [{"source": a, "target": b} for a in ids for b in ids if a != b],
        }
    )


def test_the_report_lists_the_independent_loop_set(loop_diagram):
    from cld_editor.analysis.sils import cyclomatic_number, independent_loops

    analysis = find_loops(loop_diagram)
    data = report_data(loop_diagram, analysis)
    chosen = list(independent_loops(loop_diagram))
    assert (
        data.independent_total == len(chosen) == data.cyclomatic == cyclomatic_number(loop_diagram)
    )
    names = {loop.key: loop.name for loop in analysis.loops}
    assert [row.name for row in data.independent] == [names[loop.key] for loop in chosen]
    assert data.independent_beyond == 0
    html = report_html(loop_diagram, analysis, SVG)
    assert '<h2 id="independent-set">Independent loop set</h2>' in html
    assert f"{data.independent_total} loops, as many as the cyclomatic number" in html
    assert _parsed(html).errors == []
    md = report_markdown(loop_diagram, analysis, "x.svg")
    section = md[md.index("## Independent loop set") :]
    assert all(f"| **{row.name}** |" in section for row in data.independent)


def test_the_independent_set_names_loops_beyond_a_truncated_listing_as_its_own():
    diagram = _complete(6)
    analysis = find_loops(diagram, Budget(max_loops=16, time_limit=None))
    data = report_data(diagram, analysis)
    assert data.independent_total == data.cyclomatic == 30 - 6 + 1
    starred = [row.name for row in data.independent if "*" in row.name]
    assert starred and data.independent_beyond == len(starred)
    md = report_markdown(diagram, analysis, "x.svg")
    assert f"{len(starred)} of them are beyond the loops listed above" in md


def test_the_set_says_when_its_own_names_are_past_the_rows_shown():
    """A report shows the first rows of a long set: when the loops named by the set itself (R*1,
    ...) are all past them, it says so, and where to get the whole set."""
    diagram = _complete(6)
    analysis = find_loops(diagram, Budget(max_loops=16, time_limit=None))
    whole = report_data(diagram, analysis)
    first_starred = next(i for i, row in enumerate(whole.independent) if "*" in row.name)
    data = report_data(diagram, analysis, max_loops=first_starred)
    assert len(data.independent) == first_starred < data.independent_total
    told = " ".join(independent_sentences(data))
    assert f"None of them is among the first {first_starred:,} shown here" in told
    assert "`cld-editor analyze FILE --sils` lists the whole set" in told
    some = report_data(diagram, analysis, max_loops=first_starred + 1)
    if some.independent_beyond > 1:
        assert "Only 1 of them is among the first" in " ".join(independent_sentences(some))
    assert "shown here" not in " ".join(independent_sentences(whole))  # all of it is shown


def test_a_diagram_too_big_for_the_set_says_how_to_get_it(monkeypatch):
    from cld_editor.formats import report_data as module

    monkeypatch.setattr(module, "SILS_UP_TO_LINKS", 10)
    diagram = _complete(5)
    html = report_html(diagram, find_loops(diagram), SVG)
    assert (
        "The shortest independent loop set is not worked out for a diagram of more than 10" in html
    )
    assert "cld-editor analyze FILE --sils" in html
    plain = PLAIN  # two links: below the bound, and its set is its one loop
    assert report_data(plain, find_loops(plain)).independent_total == 1


def test_a_truncated_summary_starts_its_sentence_with_a_capital():
    diagram = _complete(5)
    analysis = find_loops(diagram, Budget(max_loops=10, time_limit=None))
    assert analysis.summary_text().startswith("at least")
    assert report_data(diagram, analysis).summary.startswith("At least 10 loops")
    assert "links. At least 10 loops" in report_markdown(diagram, analysis, "x.svg")


def test_variables_counted_over_a_truncated_listing_say_so():
    """Where the listing stopped at its limit, the loops through each variable are counted
    among the loops listed: the table says so (and points to the census), and the variables
    in none of them are not said to be in no loop."""
    diagram = _complete(5)
    whole = find_loops(diagram, Budget.no_limits())
    cut = find_loops(diagram, Budget(max_loops=10, time_limit=None))
    for analysis, truncated in ((whole, False), (cut, True)):
        md = report_markdown(diagram, analysis, "x.svg")
        html = report_html(diagram, analysis, SVG)
        for text in (md, html):
            assert ("Counted among the 10 loops listed (the shortest)" in text) is truncated
            assert ("--census" in text) is truncated
    data = report_data(diagram, cut)
    assert data.listed_only and not report_data(diagram, whole).listed_only
    assert all(row.loops <= whole.loops_through[_id_of(diagram, row.label)] for row in data.ranked)


def _id_of(diagram: Diagram, label: str) -> str:
    return next(v.id for v in diagram.variables if v.label == label)


def test_a_count_of_all_loops_completes_a_report_of_a_truncated_listing():
    """With a complete count of all loops (Count all loops, --census), a report of a listing
    that stopped short gives every loop's count and ranks variables by all loops through them;
    a count that stopped, or one of another diagram, is left out."""
    from cld_editor.analysis.census import count_loops

    base = _complete(6)
    diagram = base.model_copy(
        update={
            "variables": [*base.variables, base.variables[0].model_copy(update={"id": "z"})],
            "links": [*base.links, base.links[0].model_copy(update={"id": "to-z", "target": "z"})],
        }
    )
    analysis = find_loops(diagram, Budget(max_loops=30, time_limit=None))
    assert not analysis.complete
    census = count_loops(diagram, time_limit=0)
    assert census.complete and census.total > len(analysis.loops)
    data = report_data(diagram, analysis, census=census)
    assert data.counted_all
    assert data.summary.endswith(f"All loops counted: {census.summary_text()}")
    assert [v.all_loops for v in data.ranked] == sorted(
        (n for n in census.through_variables.values() if n), reverse=True
    )
    assert sum(v.loops for v in data.ranked) == sum(loop.length for loop in analysis.loops)
    html = report_html(diagram, analysis, SVG, census=census)
    assert '<th class="num">All loops</th><th class="num">Listed</th>' in html
    assert "1 variable is in no loop." in html  # not "in none of the loops listed"
    assert "counted without listing them" in html and "--census" not in html
    assert _parsed(html).errors == []
    md = report_markdown(diagram, analysis, "x.svg", census=census)
    assert "| Variable | All loops | Listed | Reinforcing |" in md  # no domain: no Domain
    assert f"| {census.through_variables['v0']:,} |" in md
    # Not used: a stopped count, a count of another diagram, or a listing already complete.
    stopped = count_loops(diagram, cancelled=lambda: True)
    other = count_loops(_complete(5), time_limit=0)
    for unused in (stopped, other):
        data = report_data(diagram, analysis, census=unused)
        assert not data.counted_all and all(v.all_loops is None for v in data.ranked)
    whole = find_loops(diagram)
    assert not report_data(diagram, whole, census=census).counted_all
    plain = report_html(diagram, analysis, SVG)
    assert "All loops" not in plain and "1 variable is in none of the loops listed." in plain
    assert "Count all loops in the editor, or <code>cld-editor report FILE OUT --census" in plain
