"""A report on a diagram with no CX or EX tag leaves out what is about the two domains (the
section on the loops crossing them, the variables' Domain column): it could only say "none".
With one tag or more, both are there, in HTML and Markdown."""

from __future__ import annotations

import pytest

from cld_editor.analysis.loops import find_loops
from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.formats.report import report_html, report_markdown

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 2"></svg>'


def two_loops(domains: dict[str, str]) -> Diagram:
    """Two loops through "b": a -> b -> a and b -> c -> b."""
    ids = ["a", "b", "c"]
    return Diagram(
        title="Two loops",
        variables=[
            Variable(id=v, label=v.upper(), x=100.0 * i, y=0.0, domain=domains.get(v))
            for i, v in enumerate(ids)
        ],
        links=[
            Link(id=f"{s}{t}", source=s, target=t)
            for s, t in (("a", "b"), ("b", "a"), ("b", "c"), ("c", "b"))
        ],
    )


def reports(diagram: Diagram) -> tuple[str, str]:
    analysis = find_loops(diagram)
    return report_html(diagram, analysis, SVG), report_markdown(diagram, analysis, "d.svg")


def test_no_domain_section_or_column_without_a_tag() -> None:
    html, markdown = reports(two_loops({}))
    for text in (html, markdown):
        assert "crossing CX and EX" not in text and "No loop crosses" not in text
        assert "Domain" not in text
        assert "Where to intervene" in text  # the ranking itself stays
    assert "<th>Variable</th><th" in html and "| Variable | All loops" not in markdown
    assert "| Variable | Loops | Reinforcing |" in markdown
    assert "| B | 2 | 2 | 0 | 0 |" in markdown


@pytest.mark.parametrize(
    "domains", [{"a": "CX"}, {"a": "CX", "b": "EX"}], ids=["one tag", "crossing"]
)
def test_the_domain_section_and_column_with_tags(domains: dict[str, str]) -> None:
    html, markdown = reports(two_loops(domains))
    for text in (html, markdown):
        assert "Loops crossing CX and EX" in text
    assert "<th>Domain</th>" in html
    assert "| Variable | Domain | Loops |" in markdown
    assert "| A | CX | 1 |" in markdown
    crossing = "b" in domains  # a -> b -> a crosses
    assert ("No loop crosses" in markdown) != crossing
    assert ('<ul class="crossing">' in html) == crossing
