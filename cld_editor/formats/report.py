"""Loop reports: a diagram, its loops and where to intervene, as HTML or Markdown (no Qt).

:func:`~.report_data.report_data` gives the rows (:mod:`.report_data`). :func:`report_html`
writes one self-contained page with the diagram as inline SVG and print styles;
:func:`report_markdown` refers to an SVG file written beside it. Every piece of user text is
escaped, so a label such as ``<img src=x>`` is shown as typed, and the HTML is well-formed XML
too (void elements closed, characters XML cannot hold left out), whatever the text. The SVG is
trusted: it comes from the exporter, which does the same for its own text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape as _escape
from urllib.parse import quote

from ..analysis.census import Census
from ..analysis.loops import LoopAnalysis
from ..core.model import Diagram
from ..core.text import one_line as _one_line
from ..core.text import plural
from .report_data import (
    CELL_CLASS,
    MAX_PATH_MEMBERS,
    MAX_TABLE_LOOPS,
    LoopRow,
    ReportData,
    VariableRow,
    crossing_sentence,
    extra_cell,
    extra_columns,
    independent_sentences,
    loop_path,
    ranked_caveat,
    report_data,
    shown_note,
)
from .xml_text import xml_safe

__all__ = [
    "MAX_PATH_MEMBERS",
    "MAX_TABLE_LOOPS",
    "ReportData",
    "md_escape",
    "report_data",
    "report_html",
    "report_markdown",
]


# -- HTML ------------------------------------------------------------------------------------
_STYLE = """
:root { --ink: #2b323b; --muted: #5f6b78; --rule: #d8dde3; --cx: #2f6cc4; --ex: #c56f17;
        --r: #c0392b; --b: #1f6fe0; --u: #a0700a; --band: #f5f7f9; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
       color: var(--ink); max-width: 1100px; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.8rem; margin: 0 0 .3rem; } h2 { font-size: 1.25rem; margin-top: 2rem; }
.meta { color: var(--muted); margin: 0 0 1rem; }
figure { margin: 1.5rem 0; text-align: center; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .6rem;
         border-bottom: 1px solid var(--rule); }
th { background: var(--band); } td.num, th.num { text-align: right; }
td.span { white-space: nowrap; }
tr.crossing td { background: #fbf6ee; }
.kind-reinforcing { color: var(--r); font-weight: 600; }
.kind-balancing { color: var(--b); font-weight: 600; }
.kind-undetermined { color: var(--u); font-weight: 600; }
.cx { color: var(--cx); font-weight: 600; } .ex { color: var(--ex); font-weight: 600; }
.note { color: var(--muted); font-style: italic; }
ul.crossing li { margin: .3rem 0; }
@page { margin: 14mm; }
@media print {
  body { font-size: 10pt; max-width: none; margin: 0; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  figure { break-inside: avoid; page-break-inside: avoid; }
  figure svg { max-height: 24cm; }
  thead { display: table-header-group; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  th, tr.crossing td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def escape(text: str) -> str:
    """Text for HTML that is also well-formed XML: markup escaped, and nothing XML cannot
    hold (a U+FFFF in a label would make the whole page unreadable to an XML parser)."""
    return _escape(xml_safe(text))


def _html_domain(domain: str | None) -> str:
    return f' <span class="{domain.lower()}">{domain}</span>' if domain else ""


def _inline_svg(svg: str, title: str) -> str:
    """The exporter's SVG made fit for an HTML page: no XML declaration, no fixed size (the
    viewBox keeps the proportions; CSS sets the width), labelled for screen readers."""
    svg = re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", svg)

    def fix(match: re.Match[str]) -> str:
        tag = re.sub(r'\s(width|height)="[^"]*"', "", match.group(0))
        return tag.replace("<svg", f'<svg role="img" aria-label="{escape(title)}"', 1)

    return re.sub(r"<svg\b[^>]*>", fix, svg, count=1)


def _html_loop_table(rows: Sequence[LoopRow]) -> list[str]:
    """A loop table (none for no rows): name, type, length, members, and the optional columns
    some row fills; the loops crossing CX and EX tinted."""
    if not rows:
        return []
    e = escape
    extra = extra_columns(rows)
    heads = "".join(f"<th{CELL_CLASS.get(key, '')}>{head}</th>" for key, head in extra)
    out = [
        '<table><thead><tr><th>Loop</th><th>Type</th><th class="num">Length</th>'
        f"<th>Variables in order</th>{heads}</tr></thead><tbody>"
    ]
    for row in rows:
        css = ' class="crossing"' if row.crosses else ""
        kind = row.kind.lower()
        cells = "".join(
            f"<td{CELL_CLASS.get(key, '')}>{e(extra_cell(row, key))}</td>" for key, _ in extra
        )
        out.append(
            f"<tr{css}><td><strong>{e(row.name)}</strong></td>"
            f'<td class="kind-{kind}">{e(row.kind)}</td>'
            f'<td class="num">{row.length}</td><td>{e(row.path)}</td>{cells}</tr>'
        )
    out.append("</tbody></table>")
    return out


def report_html(
    diagram: Diagram,
    analysis: LoopAnalysis,
    svg: str,
    max_loops: int = MAX_TABLE_LOOPS,
    census: Census | None = None,
) -> str:
    """One self-contained HTML page: the diagram inline, the loops, the ranking. ``census``:
    see :func:`report_data`."""
    data = report_data(diagram, analysis, max_loops, census)
    e = escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8" />',
        '<meta name="viewport" content="width=device-width, initial-scale=1" />',
        '<meta name="generator" content="cld-editor" />',
        f"<title>{e(data.title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(data.title)}</h1>",
        f'<p class="meta">{e(data.counts)}. {e(data.summary)}.</p>',
    ]
    for paragraph in re.split(r"\n\s*\n", data.description):
        if paragraph.strip():
            lines = [e(line.strip()) for line in paragraph.strip().splitlines()]
            out.append(f"<p>{'<br />'.join(lines)}</p>")
    out.append(f'<figure class="diagram">{_inline_svg(svg, data.title)}</figure>')

    out.append('<h2 id="loops">Loops</h2>')
    if not data.loops:
        out.append('<p class="note">The diagram has no feedback loop.</p>')
    else:
        out += _html_loop_table(data.loops)
        note = shown_note(len(data.loops), data.loops_total, "loops")
        if note:
            out.append(f'<p class="note">{e(note)}</p>')
    if data.independent or data.independent_skipped:
        out.append('<h2 id="independent-set">Independent loop set</h2>')
        out += [f"<p>{e(text)}</p>" for text in independent_sentences(data)]
        out += _html_loop_table(data.independent)
        note = shown_note(len(data.independent), data.independent_total, "loops of the set")
        if note:
            out.append(f'<p class="note">{e(note)}</p>')

    if data.has_domains:
        out.append('<h2 id="experience-loops">Loops crossing CX and EX</h2>')
        out.append(f"<p>{e(crossing_sentence(data))}</p>")
    if data.crossing:  # none without domains
        out.append('<ul class="crossing">')
        for row in data.crossing:
            steps = [
                f"{e(label)}{_html_domain(domain)}"
                for label, domain in zip(row.members, row.member_domains, strict=True)
            ]
            path = loop_path(steps)
            name = f" ({e(row.label_name)})" if row.label_name else ""
            kind = row.kind.lower()
            out.append(
                f'<li><strong>{e(row.name)}</strong>{name}, <span class="kind-{kind}">'
                f"{e(kind)}</span>: {path}</li>"
            )
        out.append("</ul>")

    out.append('<h2 id="variables">Where to intervene: variables by loops through them</h2>')
    if not data.ranked:
        out.append('<p class="note">No variable is part of a loop.</p>')
    else:
        heads = "".join(f'<th class="num">{e(head)}</th>' for head in _count_heads(data))
        domain_head = "<th>Domain</th>" if data.has_domains else ""
        out.append(f"<table><thead><tr><th>Variable</th>{domain_head}{heads}</tr></thead><tbody>")
        for v in data.ranked:
            domain = f'<span class="{v.domain.lower()}">{v.domain}</span>' if v.domain else ""
            domain_cell = f"<td>{domain}</td>" if data.has_domains else ""
            cells = "".join(f'<td class="num">{n:,}</td>' for n in _counts(v))
            out.append(f"<tr><td>{e(v.label)}</td>{domain_cell}{cells}</tr>")
        out.append("</tbody></table>")
        before, command, after = ranked_caveat(data)
        if before:
            code = f"<code>{e(command)}</code>" if command else ""
            out.append(f'<p class="note">{e(before)}{code}{e(after)}</p>')
    if data.outside_loops:
        out.append(
            f'<p class="note">{e(plural(data.outside_loops, "variable"))} '
            f"{'is' if data.outside_loops == 1 else 'are'} {_none_of(data)}.</p>"
        )
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


# -- Markdown --------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&$])")


def md_escape(text: str) -> str:
    """Text shown literally by CommonMark and GitHub inside a line: punctuation that could
    start markup there (emphasis, code, links, HTML, entities, table cells, maths) is
    backslash-escaped; line breaks become spaces. Parentheses and "!" are harmless once the
    brackets are escaped; what matters only at the start of a line is _md_paragraph's job.
    Characters XML cannot hold go too: Markdown renderers pass them into HTML."""
    return _MD_SPECIAL.sub(r"\\\1", _one_line(xml_safe(text)))


def _md_paragraph(text: str) -> str:
    # A description line must not become a heading, list, quote, rule or setext underline.
    lines = []
    for line in text.strip().splitlines():
        line = md_escape(line)
        line = re.sub(r"^(\d+)([.)])", r"\1\\\2", line)
        line = re.sub(r"^([-=+#])", r"\\\1", line)
        lines.append(line)
    return "  \n".join(lines)


def _md_loop_table(rows: Sequence[LoopRow]) -> list[str]:
    """A loop table in Markdown (none for no rows), then a blank line."""
    if not rows:
        return []
    m = md_escape
    extra = extra_columns(rows)
    out = [
        "| Loop | Type | Length | Variables in order |"
        + "".join(f" {head} |" for _key, head in extra),
        "| --- | --- | ---: | --- |" + " --- |" * len(extra),
    ]
    for row in rows:
        cells = "".join(f" {m(extra_cell(row, key))} |" for key, _head in extra)
        out.append(f"| **{m(row.name)}** | {row.kind} | {row.length} | {m(row.path)} |{cells}")
    return [*out, ""]


def report_markdown(
    diagram: Diagram,
    analysis: LoopAnalysis,
    image: str,
    max_loops: int = MAX_TABLE_LOOPS,
    census: Census | None = None,
) -> str:
    """The report in Markdown; ``image`` is the file name of the diagram's SVG, beside it.
    ``census``: see :func:`report_data`."""
    data = report_data(diagram, analysis, max_loops, census)
    m = md_escape
    out = [f"# {m(data.title)}", "", f"{m(data.counts)}. {m(data.summary)}.", ""]
    for paragraph in re.split(r"\n\s*\n", data.description):
        if paragraph.strip():
            out += [_md_paragraph(paragraph), ""]
    out += [f"![{m(data.title)}]({quote(image)})", ""]

    out += ["## Loops", ""]
    if not data.loops:
        out += ["The diagram has no feedback loop.", ""]
    else:
        out += _md_loop_table(data.loops)
        note = shown_note(len(data.loops), data.loops_total, "loops")
        if note:
            out += [f"*{m(note)}*", ""]
    if data.independent or data.independent_skipped:
        out += ["## Independent loop set", ""]
        for text in independent_sentences(data):
            out += [m(text), ""]
        out += _md_loop_table(data.independent)
        note = shown_note(len(data.independent), data.independent_total, "loops of the set")
        if note:
            out += [f"*{m(note)}*", ""]

    if data.has_domains:
        out += ["## Loops crossing CX and EX", "", m(crossing_sentence(data)), ""]
    for row in data.crossing:  # none without domains
        steps = [
            f"{m(label)} ({domain})" if domain else m(label)
            for label, domain in zip(row.members, row.member_domains, strict=True)
        ]
        path = loop_path(steps)
        name = f" ({m(row.label_name)})" if row.label_name else ""
        out.append(f"- **{m(row.name)}**{name}, {row.kind.lower()}: {path}")
    if data.crossing:
        out.append("")

    out += ["## Where to intervene: variables by loops through them", ""]
    if not data.ranked:
        out += ["No variable is part of a loop.", ""]
    else:
        heads = _count_heads(data)
        domain_head, domain_rule = ("Domain | ", "--- | ") if data.has_domains else ("", "")
        out += [
            f"| Variable | {domain_head}" + " | ".join(heads) + " |",
            f"| --- | {domain_rule}" + " | ".join("---:" for _ in heads) + " |",
        ]
        for v in data.ranked:
            cells = " | ".join(f"{n:,}" for n in _counts(v))
            domain = f"{v.domain or ''} | " if data.has_domains else ""
            out.append(f"| {m(v.label)} | {domain}{cells} |")
        out.append("")
        before, command, after = ranked_caveat(data)
        if before:
            code = f"`{command}`" if command else ""
            out += [f"{m(before)}{code}{m(after)}", ""]
    if data.outside_loops:
        verb = "is" if data.outside_loops == 1 else "are"
        out += [f"{plural(data.outside_loops, 'variable')} {verb} {_none_of(data)}.", ""]
    return "\n".join(out)


def _none_of(data: ReportData) -> str:
    """Where the variables outside the counted loops are: in no loop, or (the listing stopped
    short, and all loops were not counted) in none of the loops listed."""
    if data.listed_only and not data.counted_all:
        return "in none of the loops listed"
    return "in no loop"


def _count_heads(data: ReportData) -> list[str]:
    """The number columns of the table of variables (with a count of all loops, its column
    first and the others said to be of the loops listed)."""
    if data.counted_all:
        return ["All loops", "Listed", "Reinforcing", "Balancing", "Undetermined"]
    return ["Loops", "Reinforcing", "Balancing", "Undetermined"]


def _counts(v: VariableRow) -> list[int]:
    counts = [v.loops, v.reinforcing, v.balancing, v.undetermined]
    return counts if v.all_loops is None else [v.all_loops, *counts]
