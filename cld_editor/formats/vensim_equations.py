"""The equation section of a Vensim ``.mdl`` file: which variables there are and what they use.

Vensim writes ``Name = expression ~ units ~ comment |`` per variable, ``\\`` at a line's end
continues it, names are case-insensitive with spaces and underscores alike, and a name with
special characters is double-quoted. This module finds each equation's kind (a CLD's
``A FUNCTION OF(...)``, a stock's ``INTEG(rate, initial)``, a lookup or data, or a formula), the
variables an expression refers to, and a stock's inflows (+) and outflows (-) from its rate.
It does not evaluate anything: cld-editor keeps the causal structure, not the simulation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.model import MAX_VARIABLES
from .conversion import FormatError

#: Simulation control and the clock: not part of the causal structure.
CONTROL_NAMES = frozenset({"final time", "initial time", "saveper", "time step", "time"})
_SPACES = re.compile(r"[\s_]+")
_SEPARATORS = set("+-*/^(),=<>[]:!;{}&|")
_BAR = re.compile(r"\|")
#: Equations beyond the number of variables a diagram may hold (and their groups) are refused.
MAX_ENTRIES = MAX_VARIABLES + 10_000


#: An escaped quote (\") inside a quoted name, while the equations are split: one character
#: that is no quote, so that every scan pairs quotes simply.
ESCAPED_QUOTE = "\ue000"


def _unquoted(name: str) -> str:
    name = name.strip()
    if len(name) >= 2 and name[0] == '"' and name[-1] == '"':
        name = name[1:-1].replace('\\"', '"')
    return name.replace(ESCAPED_QUOTE, '"')


def _restored(text: str) -> str:
    """Text other than a name (a comment, units) as the file has it."""
    return text.replace(ESCAPED_QUOTE, '\\"')


def normalise(name: str) -> str:
    """The key Vensim matches names by: unquoted, lower case, spaces and underscores alike."""
    name = _unquoted(name)
    return _SPACES.sub(" ", name).strip().lower()


def display_name(name: str) -> str:
    """The name as a label: unquoted, runs of white space as one space."""
    name = _unquoted(name)
    return re.sub(r"\s+", " ", name).strip()


@dataclass
class Equation:
    """One variable's equation(s); ``kind`` is "afo", "integ", "lookup" or "formula"."""

    name: str  # as written in the file, unquoted
    line: int
    kind: str = "formula"
    expression: str = ""
    comment: str = ""
    units: str = ""
    afo_args: list[str] = field(default_factory=list)


def parse_equations(text: str, first_line: int = 1) -> list[Equation]:
    """Every equation of the section, in file order (subscripted copies merged), without
    group headers, macros and the ``:IGNORE:`` tail."""
    equations: dict[str, Equation] = {}
    in_macro = False
    text = text.replace('\\"', ESCAPED_QUOTE)
    for entry, line in _entries(text, first_line):
        head = entry.lstrip()
        if not head:
            continue
        upper = head.upper()
        if upper.startswith(":MACRO:"):
            in_macro = True
        if in_macro:
            in_macro = ":END OF MACRO:" not in upper
            continue
        if head.startswith("*") or upper.startswith(":IGNORE:"):
            continue  # a group header (***** .Control *****) or the end of the model
        parts = _split_outside_quotes(entry, "~")
        definition = parts[0]
        lhs, expression, table = _split_definition(definition)
        name = re.sub(r"\[.*?\]", "", lhs).strip()
        if not name or name.startswith(":"):
            continue
        key = normalise(name)
        comment = _restored(_clean(parts[2])) if len(parts) > 2 else ""
        units = _restored(_clean(parts[1])) if len(parts) > 1 else ""
        if key in equations:
            known = equations[key]
            known.expression += "\n" + expression
            if comment and not known.comment:
                known.comment = comment
            continue
        equation = Equation(display_name(name), line, expression=expression, comment=comment)
        equation.units = units
        _classify(equation)
        if table:
            equation.kind = "lookup"
        equations[key] = equation
    return list(equations.values())


def _entries(text: str, first_line: int) -> list[tuple[str, int]]:
    """The ``|``-terminated entries with the line each starts on; continuations joined. A
    ``|`` inside a quoted name (quotes pair up within a line) does not end an entry."""
    out: list[tuple[str, int]] = []
    start, line = 0, first_line
    for match in _BAR.finditer(text):
        i = match.start()
        line_start = text.rfind("\n", 0, i) + 1
        if text.count('"', line_start, i) % 2:
            continue
        entry = text[start:i]
        stripped = entry.lstrip(" \t\r\n")
        out.append(
            (_join_continuations(entry), line + entry.count("\n", 0, len(entry) - len(stripped)))
        )
        line += entry.count("\n")
        start = i + 1
        if len(out) > MAX_ENTRIES:
            raise FormatError(f"too many equations (more than {MAX_ENTRIES:,})", line)
    return out


def _join_continuations(text: str) -> str:
    return re.sub(r"[ \t]*\\\s*\r?\n\s*", " ", text)


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    if '"' not in text:
        return text.split(sep)
    parts, current, in_quote = [], [], False
    for c in text:
        if c == '"':
            in_quote = not in_quote
        if c == sep and not in_quote:
            parts.append("".join(current))
            current = []
        else:
            current.append(c)
    parts.append("".join(current))
    return parts


#: The keyword between a data equation's name and its ``:=`` or ``=`` (``:RAW:``,
#: ``:INTERPOLATE:``, ``:HOLD BACKWARD:``, ``:LOOK FORWARD:``).
_DATA_KEYWORD = re.compile(
    r":\s*(?:RAW|INTERPOLATE|HOLD BACKWARD|LOOK FORWARD)\s*:(?=\s*:?=)", re.I
)


#: A keyword of an expression: ``:NA:``, ``:AND:``, ``:OR:``, ``:NOT:``.
_KEYWORD = re.compile(r":[A-Za-z][A-Za-z ]*:")


def _split_definition(definition: str) -> tuple[str, str, bool]:
    """``name = expr`` (also ``:=``, ``==``), or a lookup table ``name( (0,0),(1,1) )`` (the
    third value says so)."""
    in_quote = False
    for i, c in enumerate(definition):
        if c == '"':
            in_quote = not in_quote
        elif not in_quote and c in "=(":
            if c == "(":
                return definition[:i], definition[i:], True
            lhs = definition[:i].rstrip(":")
            return lhs, definition[i + 1 :].lstrip("="), False
        elif not in_quote and c == ":" and definition[i + 1 : i + 2] != "=":
            keyword = _DATA_KEYWORD.match(definition, i)
            if keyword is not None:  # a data equation: "name:RAW::= expr"
                lhs, expression, table = _split_definition(definition[keyword.end() :])
                return definition[:i] + lhs, expression, table
            return definition[:i], "", False  # a subscript range "name : a, b, c"
    return definition, "", False


def _classify(equation: Equation) -> None:
    expression = equation.expression.strip()
    upper = expression.upper()
    compact = re.sub(r"\s+", " ", upper)
    if compact.startswith("A FUNCTION OF"):
        equation.kind = "afo"
        inside = expression[expression.find("(") + 1 : expression.rfind(")")]
        if "(" not in expression:
            inside = ""
        equation.afo_args = [a.strip() for a in _top_level_split(inside, ",") if a.strip()]
    elif re.match(r"^INTEG\s*\(", compact):
        equation.kind = "integ"


def integ_arguments(expression: str) -> tuple[str, str]:
    """The rate and the initial value of ``INTEG(rate, initial)``."""
    inside = expression[expression.find("(") + 1 : expression.rfind(")")]
    args = _top_level_split(inside, ",")
    rate = args[0] if args else ""
    return rate, ",".join(args[1:])


def signed_terms(expression: str) -> list[tuple[int, str]]:
    """The terms of a sum at the top level with their signs: ``a - b + c*d`` gives
    ``[(1, "a"), (-1, "b"), (1, "c*d")]``."""
    terms: list[tuple[int, str]] = []
    depth, sign, current = 0, 1, []
    in_quote = False
    for c in expression:
        if c == '"':
            in_quote = not in_quote
        if not in_quote and c in "([":
            depth += 1
        elif not in_quote and c in ")]":
            depth -= 1
        if not in_quote and depth == 0 and c in "+-":
            text = "".join(current).strip()
            if not text:
                sign = -sign if c == "-" else sign  # a unary sign
                continue
            # A sign after an operator or in a number's exponent (2e-3) is not a new term.
            if text[-1] not in "*/^(,=<>" and not re.search(r"(^|[^\w.])[\d.]+[eE]$", text):
                terms.append((sign, text))
                sign, current = (1 if c == "+" else -1), []
                continue
        current.append(c)
    if "".join(current).strip():
        terms.append((sign, "".join(current).strip()))
    return terms


def references(
    expression: str, known: set[str] | dict[str, object], lookups: frozenset[str] = frozenset()
) -> list[str]:
    """The normalised names of ``known`` variables the expression uses, in first-use order.
    A lookup table called as a function (``effect of x(x)``) is not a cause: its input is."""
    found: list[str] = []
    for token, called in _tokens(expression):
        key = normalise(token)
        if key in known and key not in found and not (called and key in lookups):
            found.append(key)
    return found


def macro_outputs(expression: str) -> tuple[str, list[str]]:
    """A macro call's extra outputs: ``F(a, b : out1, out2)`` gives ``("F(a, b)", ["out1",
    "out2"])``; an expression without them comes back as it is, with no outputs."""
    depth, in_quote = 0, False
    # Keywords such as :NA:, :AND: or :OR: are no output lists: blank them for the scan.
    scanned = _KEYWORD.sub(lambda m: " " * len(m.group()), expression)
    for i, c in enumerate(scanned):
        if c == '"':
            in_quote = not in_quote
        elif in_quote:
            continue
        elif c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == ":" and depth >= 1 and scanned[i + 1 : i + 2] != "=":
            close = i
            level = depth
            while close < len(scanned) and level >= depth:
                close += 1
                if close < len(scanned):
                    level += {"(": 1, ")": -1}.get(scanned[close], 0)
            outputs = [o.strip() for o in _top_level_split(expression[i + 1 : close], ",")]
            return expression[:i] + expression[close:], [o for o in outputs if o]
    return expression, []


def single_name(term: str, known: set[str] | dict[str, object]) -> str | None:
    """The variable a term is, when it is just one name (perhaps in parentheses)."""
    term = term.strip()
    while term.startswith("(") and term.endswith(")"):
        term = term[1:-1].strip()
    key = normalise(term)
    return key if key in known else None


def _tokens(expression: str) -> list[tuple[str, bool]]:
    """Candidate names with whether each is called like a function (followed by ``(``)."""
    tokens: list[tuple[str, bool]] = []
    current: list[str] = []
    depth_bracket = 0
    i, n = 0, len(expression)

    def flush(called: bool) -> None:
        text = "".join(current).strip()
        if text and depth_bracket == 0:
            tokens.append((text, called))
        current.clear()

    while i < n:
        c = expression[i]
        if c == '"':
            end = i + 1
            while end < n and not (expression[end] == '"' and expression[end - 1] != "\\"):
                end += 1
            current.clear()
            current.extend(expression[i : end + 1])
            i = end + 1
            continue
        if c in _SEPARATORS or c == "'" or c == "\n":
            flush(c == "(")
            if c == "[":
                depth_bracket += 1
            elif c == "]":
                depth_bracket = max(0, depth_bracket - 1)
        else:
            current.append(c)
        i += 1
    flush(False)
    return tokens


def _top_level_split(text: str, sep: str) -> list[str]:
    parts, current, depth, in_quote = [], [], 0, False
    for c in text:
        if c == '"':
            in_quote = not in_quote
        if not in_quote:
            if c in "([":
                depth += 1
            elif c in ")]":
                depth -= 1
            elif c == sep and depth == 0:
                parts.append("".join(current))
                current = []
                continue
        current.append(c)
    parts.append("".join(current))
    return parts


def _clean(text: str) -> str:
    """A comment or units field as plain text: continuations joined, lines trimmed."""
    text = re.sub(r"[ \t]*\\\s*\r?\n\s*", " ", text)
    lines = [line.strip() for line in text.strip().splitlines()]
    return "\n".join(lines).strip()
