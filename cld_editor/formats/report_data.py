"""The rows of a loop report (no Qt): :func:`report_data` turns a Diagram and its
LoopAnalysis into plain rows: the loop table (name, type, length, members in order, delayed,
CX/EX span, the custom name of its loop label), the shortest independent loop set named as the
listing names its loops, the variables ranked by how many loops pass through them, and the loops
that cross between CX and EX (the experience loops the diagram exists to show).
:mod:`.report` writes them as HTML or Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..analysis.census import Census
from ..analysis.loops import Loop, LoopAnalysis
from ..analysis.table import DOMAINS_BY_MASK
from ..core.model import Diagram, canonical_loop
from ..core.text import one_line as _one_line
from ..core.text import plural

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
    loops: int  # the loops listed through it
    reinforcing: int
    balancing: int
    undetermined: int
    #: Every loop through it, from a complete count of all loops (None: no such count).
    all_loops: int | None = None


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
    #: The shortest independent loop set (named as the listing names its loops), its size,
    #: the cyclomatic number, how many of its loops the listing does not hold, and whether
    #: it was left out for the diagram's size.
    independent: list[LoopRow] = field(default_factory=list)
    independent_total: int = 0
    cyclomatic: int = 0
    independent_beyond: int = 0
    independent_skipped: bool = False
    #: The listing stopped short (a limit): the counts by variable are over the loops listed;
    #: ``shortest_listed``: those are the shortest loops (every loop up to some length).
    listed_only: bool = False
    shortest_listed: bool = False
    #: A count of all loops (a complete census) is in ``summary`` and ``ranked``.
    counted_all: bool = False
    #: From that count: every loop of the diagram, and those crossing CX and EX (None: no
    #: such count; ``crossing_total`` then counts the crossing loops listed).
    all_total: int | None = None
    crossing_all: int | None = None
    #: Some variable is tagged CX or EX: without, the sections and columns about the two
    #: domains (the loops crossing them, the variables' Domain) would only say "none".
    has_domains: bool = True


#: The independent loop set is worked out for diagrams of up to this many links (its search
#: is quadratic: 6,000 random links take about 2 s, 20,000 about 30 s).
SILS_UP_TO_LINKS = 6000

#: Columns of the loop table shown only when some loop has something in them.
_EXTRA_COLUMNS = (("delayed", "Delayed"), ("span", "CX / EX"), ("label", "Label"))
CELL_CLASS = {"span": ' class="span"'}


def extra_columns(loops: Sequence[LoopRow]) -> list[tuple[str, str]]:
    """The optional columns worth showing: no column of blanks (or of "none")."""
    return [(key, head) for key, head in _EXTRA_COLUMNS if any(extra_cell(r, key) for r in loops)]


def extra_cell(row: LoopRow, key: str) -> str:
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
    diagram: Diagram,
    analysis: LoopAnalysis,
    max_loops: int = MAX_TABLE_LOOPS,
    census: Census | None = None,
) -> ReportData:
    """The report's rows. ``census``, a count of all loops of ``diagram`` (Count all loops,
    ``--census``), is used when the listing stopped short and the count is complete: the
    summary gives every loop's count, the variables are ranked by all loops through them, and
    the loops crossing CX and EX are counted among all loops (:func:`crossing_sentence`)."""
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
    counted = (
        census is not None
        and census.complete
        and not analysis.complete
        and census.through_variables.keys() == variables.keys()
    )
    every = census.through_variables if census is not None and counted else through
    ranked_ids = sorted((i for i in every if every[i]), key=lambda i: (-every[i], order[i]))
    ranked = [
        VariableRow(
            _one_line(variables[i].label) or i,
            variables[i].domain,
            through[i],
            *kinds[i],
            all_loops=every[i] if counted else None,
        )
        for i in ranked_ids
    ]
    summary = _sentence(analysis.summary_text())
    if census is not None and counted:
        summary += f". All loops counted: {census.summary_text()}"
    independent, independent_total, cyclomatic, beyond = [], 0, 0, 0
    skipped = len(diagram.links) > SILS_UP_TO_LINKS
    if ranked and not skipped:
        from ..analysis.lookup import listed_names
        from ..analysis.sils import cyclomatic_number, independent_loops, named_as_listed

        chosen = list(independent_loops(diagram))
        names = listed_names(analysis.loops, frozenset(loop.key for loop in chosen))
        named, beyond = named_as_listed(chosen, names)
        independent = [row(loop) for loop in named[:max_loops]]
        independent_total, cyclomatic = len(named), cyclomatic_number(diagram)
    return ReportData(
        title=_one_line(diagram.title) or "Untitled",
        description=diagram.description.strip(),
        counts=f"{plural(len(diagram.variables), 'variable')}, "
        f"{plural(len(diagram.links), 'link')}",
        summary=summary,
        loops=[row(loop) for loop in loops[:max_loops]],
        loops_total=len(loops),
        ranked=ranked,
        outside_loops=len(diagram.variables) - len(ranked),
        crossing=[row(loop) for loop in crossing_rows],
        crossing_total=crossing_total,
        independent=independent,
        independent_total=independent_total,
        cyclomatic=cyclomatic,
        independent_beyond=beyond,
        independent_skipped=skipped and bool(ranked),
        listed_only=not analysis.complete,
        shortest_listed=analysis.complete_up_to is not None,
        counted_all=counted,
        all_total=census.total if census is not None and counted else None,
        crossing_all=census.domains.get("cross-domain") if census is not None and counted else None,
        has_domains=any(v.domain for v in diagram.variables),
    )


def ranked_caveat(data: ReportData) -> tuple[str, str, str]:
    """What the table of variables by loops says below it when the listing stopped short, as
    (text, a command, more text): the command is shown as code. Empty when it is complete."""
    if not data.listed_only:
        return ("", "", "")
    which = " (the shortest)" if data.shortest_listed else ""
    if data.counted_all:
        return (
            "All loops: every loop through each variable, counted without listing them. "
            f"The other columns count the {data.loops_total:,} loops listed{which}.",
            "",
            "",
        )
    return (
        f"Counted among the {data.loops_total:,} loops listed{which}: the diagram has more, "
        "so each count is at least this. Loops > Count all loops in the editor, or ",
        "cld-editor report FILE OUT --census",
        ", counts every loop through each variable for this table.",
    )


def _sentence(text: str) -> str:
    """``text`` as a sentence's start ("at least 100 loops" -> "At least 100 loops")."""
    return text[:1].upper() + text[1:]


def independent_sentences(data: ReportData) -> list[str]:
    """What the independent-set section says above its table."""
    if data.independent_skipped:
        return [
            f"The shortest independent loop set is not worked out for a diagram of more than "
            f"{SILS_UP_TO_LINKS:,} links here (its search grows with the square of the "
            "diagram's size): `cld-editor analyze FILE --sils` lists it."
        ]
    n = data.independent_total
    told = [
        f"The shortest independent loop set (Oliva 2004): {plural(n, 'loop')}, as many as the "
        f"cyclomatic number ({data.cyclomatic:,}). Short loops first, each with a link that no "
        "loop above it has, they hold together every link that lies on a loop: a short list "
        "that covers all the diagram's feedback, however many loops it has."
    ]
    if data.independent_beyond:
        k = data.independent_beyond
        told.append(
            f"{k:,} of them {'is' if k == 1 else 'are'} beyond the loops listed above: "
            f"{'its name' if k == 1 else 'their names'} (R*1, B*1, ...) "
            f"{'is' if k == 1 else 'are'} the set's own."
        )
        shown = len(data.independent)
        starred = sum("*" in loop.name for loop in data.independent)
        if shown < data.independent_total and starred < k:
            # The set's own names come with its longer loops, which may all be past the table.
            told[-1] += (
                f" {'None' if not starred else f'Only {starred:,}'} of "
                f"{'it' if k == 1 else 'them'} {'is' if starred <= 1 else 'are'} among the "
                f"first {shown:,} shown here: `cld-editor analyze FILE --sils` lists the whole set."
            )
    return told


def crossing_sentence(data: ReportData) -> str:
    """What the section on the loops crossing CX and EX says above them: how many cross, of
    all loops when a count of all loops gives it (and how many of them the listing holds),
    else of the loops listed."""
    both = "between customer (CX) and employee (EX) experience"
    meaning = (
        "these are the experience loops, where what happens to employees comes back through "
        "customers, or the other way round."
    )
    listed = data.crossing_total
    shortest = " (the shortest)" if data.shortest_listed else ""
    if data.crossing_all is not None and data.all_total is not None:
        n = data.crossing_all
        if not n:
            return f"No loop crosses {both} (all {data.all_total:,} loops counted)."
        held = (
            f"{'It is' if n == 1 else 'All of them are'} among the loops listed"
            if listed == n
            else f"{'None' if not listed else f'{listed:,}'} of them "
            f"{'is' if listed <= 1 else 'are'} among the {data.loops_total:,} loops "
            f"listed{shortest}"
        )
        return (
            f"{plural(n, 'loop')} of {data.all_total:,} (all loops counted) "
            f"{'crosses' if n == 1 else 'cross'} {both}: {meaning} {held}." + _first_shown(data)
        )
    if not listed:
        if data.listed_only:
            return f"None of the {data.loops_total:,} loops listed{shortest} crosses {both}."
        return f"No loop crosses {both}."
    of = f"the {data.loops_total:,} loops listed{shortest}" if data.listed_only else ""
    verb = "crosses" if listed == 1 else "cross"
    told = f"{plural(listed, 'loop')} of {of or f'{data.loops_total:,}'} {verb} {both}: {meaning}"
    return told + _first_shown(data)


def _first_shown(data: ReportData) -> str:
    """How many of the crossing loops listed the section shows, when not all."""
    shown, listed = len(data.crossing), data.crossing_total
    return f" The first {shown:,} of the {listed:,} listed are shown." if shown < listed else ""


def shown_note(shown: int, total: int, what: str) -> str:
    return f"The first {shown:,} of {total:,} {what} are listed." if shown < total else ""
