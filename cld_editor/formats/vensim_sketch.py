"""The sketch section of a Vensim ``.mdl`` file, parsed into plain objects per view.

After ``\\\\\\---/// Sketch information`` come one or more views, each ``*View name``, a ``$``
defaults line and object lines ``type,id,...``: 10 a variable (a "word"; bit 0 of its bits
field clear marks a ghost copy), 11 a valve, 12 a comment (a cloud, a loop marker when its shape
is 4 or 5, with its text on the next line when bit 2 of its bits is set), 1 an arrow
(``from,to,shape,hidden,polarity character,thickness,font flags,delay type,...,n|(x,y)|``).
The legacy ``V160`` syntax writes words as ``|id,name,...`` (a loop marker's quoted text spans
lines) and arrows as ``>from,to,...``. Integers are read like C's ``atoi`` (``-1--1--1`` is
-1), names may be quoted and hold commas. A line that cannot be an object raises FormatError
with its line number.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..core.model import MAX_LINKS, MAX_LOOP_LABELS, MAX_VARIABLES
from .conversion import ConversionReport, FormatError

SKETCH_MARK = "\\\\\\---///"
END_MARK = "///---\\\\\\"
#: Words, arrows and markers beyond what a diagram may hold (with ghosts, valves and clouds).
MAX_OBJECTS = 2 * (MAX_VARIABLES + MAX_LINKS + MAX_LOOP_LABELS)
_INT = re.compile(r"\s*[-+]?\d+")
_POINTS = re.compile(r",(\d+)\|((?:\s*\(\s*-?[\d.]+\s*,\s*-?[\d.]+\s*\)\s*\|)*)\s*$")
_POINT = re.compile(r"\(\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*\)")


@dataclass
class Word:
    """A type 10 variable, 11 valve or 12 comment."""

    kind: int
    id: int
    text: str
    x: float
    y: float
    shape: int
    bits: int
    line: int
    #: The box's half width and half height as the file gives them (0 when it does not).
    half_w: float = 0.0
    half_h: float = 0.0


@dataclass
class Arrow:
    id: int
    source: int
    target: int
    shape: int
    polarity: int
    delay_type: int
    points: list[tuple[float, float]]
    line: int


@dataclass
class View:
    title: str
    line: int
    words: dict[int, Word] = field(default_factory=dict)
    arrows: list[Arrow] = field(default_factory=list)
    order: list[int] = field(default_factory=list)  # word ids in file order


def decode_mdl(data: bytes) -> str:
    """The file's text: UTF-8 after a ``{UTF-8}`` marker, Windows-1252 otherwise; UTF-16 when
    it starts with UTF-16's byte order mark (an editor's "Unicode" save of a Vensim file)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].decode("utf-16", "replace").count("\n") + 1
            raise FormatError("not UTF-16 text although it starts as UTF-16 does", line) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.lstrip().startswith(b"{UTF-8}"):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise FormatError("not UTF-8 text although the file says {UTF-8}", line) from None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def atoi(text: str) -> int:
    """C's atoi: the leading integer of ``text``, 0 when there is none."""
    match = _INT.match(text)
    return int(match.group()) if match else 0


def split_fields(text: str) -> list[str]:
    """Comma-separated fields; a field in double quotes may hold commas (``\\"`` escapes)."""
    if '"' not in text:
        return text.split(",")
    fields: list[str] = []
    current: list[str] = []
    in_quote = False
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and in_quote and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if c == '"':
            in_quote = not in_quote
        if c == "," and not in_quote:
            fields.append("".join(current))
            current = []
        else:
            current.append(c)
        i += 1
    fields.append("".join(current))
    return fields


def parse_sketch(lines: list[str], first_line: int) -> tuple[list[View], str]:
    """The views of a sketch section (``lines`` start after the first sketch mark) and its
    version line ("V300", "V364", "V160"...)."""
    version = lines[0].split()[0] if lines and lines[0].strip() else ""
    if not re.fullmatch(r"V\d+", version):
        raise FormatError("the sketch section does not start with a version line", first_line)
    legacy = atoi(version[1:]) < 300
    views: list[View] = []
    view: View | None = None
    i = 1
    objects = 0
    while i < len(lines):
        raw = lines[i].rstrip("\r\n")
        number = first_line + i
        i += 1
        if raw.startswith(END_MARK):
            break
        if raw.startswith(SKETCH_MARK) or (raw.startswith("V") and re.match(r"V\d+\s", raw + " ")):
            continue  # the next view's header
        if raw.startswith("*"):
            view = View(raw[1:].strip(), number)
            views.append(view)
            continue
        if not raw.strip() or raw.startswith("$"):
            continue
        if view is None:
            raise FormatError("a sketch object comes before any *View line", number)
        objects += 1
        if objects > MAX_OBJECTS:
            raise FormatError(f"too many sketch objects (more than {MAX_OBJECTS:,})", number)
        if legacy:
            i = _legacy_object(raw, lines, i, first_line, view, number)
        else:
            i = _object(raw, lines, i, view, number)
    return views, version


def _object(raw: str, lines: list[str], i: int, view: View, number: int) -> int:
    fields = split_fields(raw)
    if len(fields) < 2 or not _INT.fullmatch(fields[0].strip() or "x"):
        raise FormatError(f"not a sketch object: {_short(raw)}", number)
    kind, ident = atoi(fields[0]), atoi(fields[1])
    if kind == 1:
        if len(fields) < 10:
            raise FormatError("an arrow line has too few fields", number)
        view.arrows.append(
            Arrow(
                ident,
                atoi(fields[2]),
                atoi(fields[3]),
                atoi(fields[4]),
                atoi(fields[6]),
                atoi(fields[9]),
                _points(raw),
                number,
            )
        )
        return i
    if kind in (10, 11, 12):
        if len(fields) < 9:
            raise FormatError("a sketch object line has too few fields", number)
        x, y = _number(fields[3], number), _number(fields[4], number)
        shape, bits = atoi(fields[7]), atoi(fields[8])
        text = fields[2]
        if kind == 12 and bits & 4:
            # The comment's text is on the next line of the file.
            text = lines[i].rstrip("\r\n") if i < len(lines) else ""
            i += 1
        word = Word(kind, ident, text, x, y, shape, bits, number, *_box_of(fields[5:7]))
        view.words[ident] = word
        view.order.append(ident)
        return i
    return i  # 30, 31: pictures; nothing of a causal-loop diagram


def _legacy_object(
    raw: str, lines: list[str], i: int, first_line: int, view: View, number: int
) -> int:
    """A ``V160`` object: ``|id,name,x,y,w,h,shape,...`` or ``>from,to,shape,hidden,pol,...``."""
    if raw.startswith(">"):
        fields = split_fields(raw[1:])
        if len(fields) < 5:
            raise FormatError("an arrow line has too few fields", number)
        ident = 100_000 + len(view.arrows)
        view.arrows.append(
            Arrow(
                ident,
                atoi(fields[0]),
                atoi(fields[1]),
                atoi(fields[2]),
                atoi(fields[4]),
                0,
                _points(raw),
                number,
            )
        )
        return i
    if not raw.startswith("|"):
        raise FormatError(f"not a sketch object: {_short(raw)}", number)
    body = raw[1:]
    if body.count('"') % 2 == 1:
        # A quoted text over several lines ("\nR1\n,x,y,..."): gather up to the line that
        # goes on with the fields.
        head, _, rest = body.partition('"')
        text_lines = [rest]
        while i < len(lines) and not lines[i].startswith(","):
            text_lines.append(lines[i].rstrip("\r\n"))
            i += 1
        if i >= len(lines):
            raise FormatError("a quoted name is not closed", number)
        tail = lines[i].rstrip("\r\n")
        i += 1
        fields = [head.rstrip(","), "\n".join(text_lines).strip(), *split_fields(tail[1:])]
    else:
        fields = split_fields(body)
    if len(fields) < 7:
        raise FormatError("a sketch object line has too few fields", number)
    ident = atoi(fields[0])
    x, y = _number(fields[2], number), _number(fields[3], number)
    shape = atoi(fields[6])
    word = Word(10, ident, fields[1], x, y, shape, 3, number, *_box_of(fields[4:6]))
    if shape in (4, 5):
        word = Word(12, ident, fields[1], x, y, shape, 4, number)
    view.words[ident] = word
    view.order.append(ident)
    return i


def _points(raw: str) -> list[tuple[float, float]]:
    match = _POINTS.search(raw)
    if not match:
        return []
    return [(float(x), float(y)) for x, y in _POINT.findall(match.group(2))]


def _number(text: str, line: int) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise FormatError(f"expected a number, found {_short(text)}", line) from None
    if value != value or abs(value) > 1e9:
        raise FormatError(f"position out of range: {_short(text)}", line)
    return value


def _short(text: str) -> str:
    text = text.strip()
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _box_of(fields: list[str]) -> tuple[float, float]:
    """A sketch object's half width and height; (0, 0) where the fields are not numbers."""
    try:
        w, h = (float(f) for f in fields)
    except ValueError:
        return 0.0, 0.0
    return (w, h) if math.isfinite(w) and math.isfinite(h) else (0.0, 0.0)


def half_size(name: str) -> tuple[int, int]:
    """The half width and height cld-editor's writer gives a variable's box (by them the reader
    tells a file cld-editor wrote)."""
    return max(20, min(90, round(3.2 * len(name.strip('"'))))), 12


def refuse_if_cut_off(
    equation_text: str, lines: list[str], sketch_at: int | None, report: ConversionReport
) -> None:
    """A file Vensim wrote ends its last equation with ``|``, its sketch with an end mark
    (``///---`` and backslashes), and, in the legacy ``V1xx`` sketch that has no end mark, its
    last arrow with the ``|`` closing its points. A file missing one of them was cut off:
    reading what came before would give a diagram with links and loops missing, so it is
    refused (FormatError) with the line where it ends. A file with equations but no sketch
    at all may be one a tool wrote without a drawing: it is read, with a note."""
    tail = equation_text[equation_text.rfind("|") + 1 :]
    if tail.strip():
        line = equation_text.count("\n", 0, len(equation_text) - len(tail.lstrip())) + 1
        raise FormatError("the file ends inside an equation: it looks cut off", line)
    if sketch_at is None:
        report.note("The file has no sketch: it may be cut off; the equations were read.")
        return
    last = max((i for i, line in enumerate(lines) if line.strip()), default=sketch_at)
    if "".join(lines[sketch_at + 1 : sketch_at + 2]).startswith("V1"):
        if lines[last].startswith(">") and not lines[last].rstrip().endswith("|"):
            raise FormatError(
                "the last arrow of the sketch is cut short: the file looks cut off", last + 1
            )
    elif not any(line.startswith("///---") for line in lines[sketch_at + 1 :]):
        raise FormatError("the sketch has no end mark: the file looks cut off", last + 1)
