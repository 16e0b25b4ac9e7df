"""Loop reports: a diagram, its loops and where to intervene, as HTML or Markdown (no Qt).

:func:`report_data` turns a Diagram and its LoopAnalysis into plain rows: the loop table (name,
type, length, members in order, delayed, CX/EX span, the custom name of its loop label), the
variables ranked by how many loops pass through them, and the loops that cross between CX and
EX (the experience loops the diagram exists to show). :func:`report_html` writes one
self-contained page with the diagram as inline SVG and print styles; :func:`report_markdown`
refers to an SVG file written beside it. Every piece of user text is escaped, so a label such as
``<img src=x>`` is shown as typed, and the HTML is well-formed XML too (void elements closed,
characters XML cannot hold left out), whatever the text. The SVG is trusted: it comes from the
exporter, which does the same for its own text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape as _escape
from urllib.parse import quote

from ..analysis.loops import Loop, LoopAnalysis
from ..analysis.table import DOMAINS_BY_MASK
from ..core.model import Diagram, canonical_loop
from ..core.text import one_line as _one_line
from ..core.text import plural
from .xml_text import xml_safe

#: Loops listed at most; the summary and the ranking still count every loop. A report is read
#: by people, and large diagrams have tens of thousands of loops.
MAX_TABLE_LOOPS = 200
#: Members shown of a longer loop: the first ones, then how many are left out.
MAX_PATH_MEMBERS = 24
ARROW = "\u2192"
#: The class code's domain part (code // 6) of a loop with CX and EX members.
_BOTH_DOMAINS = DOMAINS_BY_MASK.index(("CX", "EX"))
KIND = {"reinforcing": "Reinforcing", "balancing": "Balancing", "undetermined": "Undetermined"}


@dataclass(frozen=True)
class LoopRow:
    name: str
    kind: str
    length: int
    members: tuple[str, ...]  # labels in the order the loop runs
    member_domains: tuple[str | None, ...]
    delayed: bool
    span: str  # "CX + EX", "CX only", "EX only" or "none"
    label_name: str  # the custom name of its loop label ("Virtuous cycle"), or ""

    @property
    def crosses(self) -> bool:
        return self.span == "CX + EX"

    @property
    def path(self) -> str:
        """ "A → B → C → A": the loop closes on its first member."""
        return loop_path(list(self.members))


def loop_path(steps: list[str]) -> str:
    """The steps of a loop joined by arrows and closed on the first one; a very long loop
    shows its first MAX_PATH_MEMBERS steps and says how many more there are."""
    if len(steps) > MAX_PATH_MEMBERS:
        left_out = len(steps) - MAX_PATH_MEMBERS
        steps = [*steps[:MAX_PATH_MEMBERS], f"… {left_out:,} more …"]
    return f" {ARROW} ".join([*steps, steps[0]])


@dataclass(frozen=True)
class VariableRow:
    label: str
    domain: str | None
    loops: int
    reinforcing: int
    balancing: int
    undetermined: int


@dataclass(frozen=True)
class ReportData:
    title: str
    description: str
    counts: str  # "9 variables, 11 links"
    summary: str  # "3 loops: 2 reinforcing, 1 balancing"
    loops: list[LoopRow]
    loops_total: int
    ranked: list[VariableRow]  # variables in at least one loop, most loops first
    outside_loops: int  # variables in no loop
    crossing: list[LoopRow]
    crossing_total: int


#: Columns of the loop table shown only when some loop has something in them.
_EXTRA_COLUMNS = (("delayed", "Delayed"), ("span", "CX / EX"), ("label", "Label"))
_CELL_CLASS = {"span": ' class="span"'}


def _extra_columns(loops: Sequence[LoopRow]) -> list[tuple[str, str]]:
    """The optional columns worth showing: no column of blanks (or of "none")."""
    return [(key, head) for key, head in _EXTRA_COLUMNS if any(_extra_cell(r, key) for r in loops)]


def _extra_cell(row: LoopRow, key: str) -> str:
    if key == "delayed":
        return "yes" if row.delayed else ""
    if key == "span":
        return "" if row.span == "none" else row.span
    return row.label_name


def _span(domains: tuple[str, ...]) -> str:
    if "CX" in domains and "EX" in domains:
        return "CX + EX"
    return f"{domains[0]} only" if domains else "none"


def report_data(
    diagram: Diagram, analysis: LoopAnalysis, max_loops: int = MAX_TABLE_LOOPS
) -> ReportData:
    variables = {v.id: v for v in diagram.variables}
    label_names = {
        canonical_loop(label.loop): label.name for label in diagram.loop_labels if label.name
    }

    def row(loop: Loop) -> LoopRow:
        return LoopRow(
            name=loop.name,
            kind=KIND[loop.polarity],
            length=loop.length,
            members=tuple(_one_line(variables[m].label) or m for m in loop.variables),
            member_domains=tuple(variables[m].domain for m in loop.variables),
            delayed=loop.delayed,
            span=_span(loop.domains),
            label_name=_one_line(label_names.get(loop.key, "")),
        )

    table = analysis.table
    kinds: dict[str, list[int]] = {v.id: [0, 0, 0] for v in diagram.variables}
    if table is not None and set(table.graph.ids) <= variables.keys():
        # The usual case: counted over the whole table at once (millions of loops are never
        # built one by one), and only the rows shown are built.
        loops: Sequence[Loop] = analysis.loops
        for variable_id, counts in zip(table.graph.ids, table.through_by_kind(), strict=True):
            kinds[variable_id] = list(counts)
        import numpy as np

        crossing = np.flatnonzero(np.asarray(table.codes, dtype=np.int8) // 6 == _BOTH_DOMAINS)
        crossing_rows = [loops[i] for i in crossing[:max_loops].tolist()]
        crossing_total = len(crossing)
    else:
        # An analysis of another revision (a GUI race) must not break the report: its loops
        # through variables that are gone are left out.
        loops = [loop for loop in analysis.loops if all(m in variables for m in loop.variables)]
        column = {"reinforcing": 0, "balancing": 1, "undetermined": 2}
        for loop in loops:
            for member in loop.variables:
                kinds[member][column[loop.polarity]] += 1
        every_crossing = [loop for loop in loops if _span(loop.domains) == "CX + EX"]
        crossing_rows, crossing_total = every_crossing[:max_loops], len(every_crossing)
    order = {v.id: i for i, v in enumerate(diagram.variables)}
    through = {v.id: sum(kinds[v.id]) for v in diagram.variables}
    ranked_ids = sorted((i for i in through if through[i]), key=lambda i: (-through[i], order[i]))
    ranked = [
        VariableRow(_one_line(variables[i].label) or i, variables[i].domain, through[i], *kinds[i])
        for i in ranked_ids
    ]
    return ReportData(
        title=_one_line(diagram.title) or "Untitled",
        description=diagram.description.strip(),
        counts=f"{plural(len(diagram.variables), 'variable')}, "
        f"{plural(len(diagram.links), 'link')}",
        summary=analysis.summary_text(),
        loops=[row(loop) for loop in loops[:max_loops]],
        loops_total=len(loops),
        ranked=ranked,
        outside_loops=len(diagram.variables) - len(ranked),
        crossing=[row(loop) for loop in crossing_rows],
        crossing_total=crossing_total,
    )


def _crossing_sentence(data: ReportData) -> str:
    if not data.crossing_total:
        return "No loop crosses between customer (CX) and employee (EX) experience."
    return (
        f"{plural(data.crossing_total, 'loop')} of {data.loops_total:,} "
        f"{'crosses' if data.crossing_total == 1 else 'cross'} between customer (CX) and "
        "employee (EX) experience: these are the experience loops, where what happens to "
        "employees comes back through customers, or the other way round."
    )


def _shown_note(shown: int, total: int, what: str) -> str:
    return f"The first {shown:,} of {total:,} {what} are listed." if shown < total else ""


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


def report_html(
    diagram: Diagram, analysis: LoopAnalysis, svg: str, max_loops: int = MAX_TABLE_LOOPS
) -> str:
    """One self-contained HTML page: the diagram inline, the loops, the ranking."""
    data = report_data(diagram, analysis, max_loops)
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
        extra = _extra_columns(data.loops)
        heads = "".join(f"<th{_CELL_CLASS.get(key, '')}>{head}</th>" for key, head in extra)
        out.append(
            '<table><thead><tr><th>Loop</th><th>Type</th><th class="num">Length</th>'
            f"<th>Variables in order</th>{heads}</tr></thead><tbody>"
        )
        for row in data.loops:
            css = ' class="crossing"' if row.crosses else ""
            kind = row.kind.lower()
            cells = "".join(
                f"<td{_CELL_CLASS.get(key, '')}>{e(_extra_cell(row, key))}</td>"
                for key, _head in extra
            )
            out.append(
                f"<tr{css}><td><strong>{e(row.name)}</strong></td>"
                f'<td class="kind-{kind}">{e(row.kind)}</td>'
                f'<td class="num">{row.length}</td><td>{e(row.path)}</td>{cells}</tr>'
            )
        out.append("</tbody></table>")
        note = _shown_note(len(data.loops), data.loops_total, "loops")
        if note:
            out.append(f'<p class="note">{e(note)}</p>')

    out.append('<h2 id="experience-loops">Loops crossing CX and EX</h2>')
    out.append(f"<p>{e(_crossing_sentence(data))}</p>")
    if data.crossing:
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
        out.append(
            '<table><thead><tr><th>Variable</th><th>Domain</th><th class="num">Loops</th>'
            '<th class="num">Reinforcing</th><th class="num">Balancing</th>'
            '<th class="num">Undetermined</th></tr></thead><tbody>'
        )
        for v in data.ranked:
            domain = f'<span class="{v.domain.lower()}">{v.domain}</span>' if v.domain else ""
            out.append(
                f'<tr><td>{e(v.label)}</td><td>{domain}</td><td class="num">{v.loops:,}</td>'
                f'<td class="num">{v.reinforcing:,}</td><td class="num">{v.balancing:,}</td>'
                f'<td class="num">{v.undetermined:,}</td></tr>'
            )
        out.append("</tbody></table>")
    if data.outside_loops:
        out.append(
            f'<p class="note">{e(plural(data.outside_loops, "variable"))} '
            f"{'is' if data.outside_loops == 1 else 'are'} in no loop.</p>"
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


def report_markdown(
    diagram: Diagram, analysis: LoopAnalysis, image: str, max_loops: int = MAX_TABLE_LOOPS
) -> str:
    """The report in Markdown; ``image`` is the file name of the diagram's SVG, beside it."""
    data = report_data(diagram, analysis, max_loops)
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
        extra = _extra_columns(data.loops)
        out += [
            "| Loop | Type | Length | Variables in order |"
            + "".join(f" {head} |" for _key, head in extra),
            "| --- | --- | ---: | --- |" + " --- |" * len(extra),
        ]
        for row in data.loops:
            name = f"**{m(row.name)}**"
            cells = "".join(f" {m(_extra_cell(row, key))} |" for key, _head in extra)
            out.append(f"| {name} | {row.kind} | {row.length} | {m(row.path)} |{cells}")
        out.append("")
        note = _shown_note(len(data.loops), data.loops_total, "loops")
        if note:
            out += [f"*{m(note)}*", ""]

    out += ["## Loops crossing CX and EX", "", m(_crossing_sentence(data)), ""]
    for row in data.crossing:
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
        out += [
            "| Variable | Domain | Loops | Reinforcing | Balancing | Undetermined |",
            "| --- | --- | ---: | ---: | ---: | ---: |",
        ]
        for v in data.ranked:
            out.append(
                f"| {m(v.label)} | {v.domain or ''} | {v.loops:,} | {v.reinforcing:,} | "
                f"{v.balancing:,} | {v.undetermined:,} |"
            )
        out.append("")
    if data.outside_loops:
        verb = "is" if data.outside_loops == 1 else "are"
        out += [f"{plural(data.outside_loops, 'variable')} {verb} in no loop.", ""]
    return "\n".join(out)
