"""Every file format cld-editor reads or writes, found by name or by file extension.

:func:`read_diagram` opens any readable file (the native ``.cld.json`` through its own loader)
and returns the diagram with a :class:`~cld_editor.formats.conversion.ConversionReport` of what
the import changed; :func:`write_diagram` writes any writable format atomically and returns the
report of what the format could not hold. :data:`FORMATS` lists them with their extensions, for
the command line (``convert --to NAME``), file dialogs and drag-and-drop.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.model import Diagram
from .atomic import atomic_write
from .conversion import ConversionReport, FormatError, gc_paused, read_file_bytes
from .native import LoadError, dumps_diagram, loads_diagram

#: A LOOPY link: read from the text itself (nothing is fetched).
LOOPY_LINK = re.compile(r"^https?://\S+[?&]data=", re.IGNORECASE)
KUMU_KEY = re.compile(rb'"(?:elements|connections)"\s*:\s*\[')
MAX_LINK = 8 * 1024 * 1024
Reader = Callable[[bytes, ConversionReport, str, str], Diagram]
Writer = Callable[[Diagram, ConversionReport], bytes]


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    extensions: tuple[str, ...]
    reader: Reader | None = None
    writer: Writer | None = None

    @property
    def filter(self) -> str:
        """A Qt file-dialog filter: ``Vensim model (*.mdl)``."""
        return f"{self.title} ({' '.join('*' + e for e in self.extensions)})"


def _native_read(data: bytes, report: ConversionReport, title: str, suffix: str) -> Diagram:
    return loads_diagram(data)


def _native_write(diagram: Diagram, report: ConversionReport) -> bytes:
    return dumps_diagram(diagram).encode("utf-8")


def _module(name: str) -> Any:
    """A format's module, imported when a file of that format is first read or written (a
    command that reads .cld.json pays for none of them)."""
    return importlib.import_module(f"{__package__}.{name}")


def _writer(module: str, function: str) -> Writer:
    def write(diagram: Diagram, report: ConversionReport) -> bytes:
        return getattr(_module(module), function)(diagram, report)

    return write


def _inferrer(data: bytes, suffix: str) -> Any:
    return _module("sd_polarity").inferrer(data, suffix)


def _vensim(data: bytes, report: ConversionReport, title: str, suffix: str) -> Diagram:
    return _module("vensim_read").read_vensim(data, report, title, _inferrer(data, suffix))


def _xmile(data: bytes, report: ConversionReport, title: str, suffix: str) -> Diagram:
    return _module("xmile_read").read_xmile(data, report, title, _inferrer(data, suffix))


def _kumu_json(data: bytes, report: ConversionReport, title: str, suffix: str) -> Diagram:
    return _module("kumu").read_kumu_json(data, report, title)


def _kumu_csv(data: bytes, report: ConversionReport, title: str, suffix: str) -> Diagram:
    return _module("kumu").read_kumu_csv(data, report, title)


def _loopy(data: bytes, report: ConversionReport, title: str, suffix: str) -> Diagram:
    return _module("loopy").read_loopy(data, report, title)


FORMATS: tuple[Format, ...] = (
    Format("cld", "cld-editor diagram", (".cld.json",), _native_read, _native_write),
    Format("vensim", "Vensim model", (".mdl",), _vensim, _writer("vensim_write", "write_vensim")),
    Format(
        "xmile",
        "XMILE / Stella model",
        (".xmile", ".stmx", ".itmx"),
        _xmile,
        _writer("xmile_write", "write_xmile"),
    ),
    Format(
        "kumu", "Kumu blueprint", (".kumu.json",), _kumu_json, _writer("kumu", "write_kumu_json")
    ),
    Format(
        "kumu-csv",
        "Kumu spreadsheets (CSV)",
        (".csv", ".zip"),
        _kumu_csv,
        _writer("kumu", "write_kumu_csv"),
    ),
    Format("loopy", "LOOPY model", (".loopy",), _loopy, _writer("loopy", "write_loopy")),
    Format("graphml", "GraphML (yEd)", (".graphml",), None, _writer("graphml", "write_graphml")),
    Format("dot", "Graphviz DOT", (".dot", ".gv"), None, _writer("dot", "write_dot")),
    Format(
        "mermaid",
        "Mermaid flowchart",
        (".mmd", ".mermaid"),
        None,
        _writer("mermaid", "write_mermaid"),
    ),
    Format("drawio", "draw.io diagram", (".drawio",), None, _writer("drawio", "write_drawio")),
)
BY_NAME = {f.name: f for f in FORMATS}
READABLE = tuple(f for f in FORMATS if f.reader is not None)
WRITABLE = tuple(f for f in FORMATS if f.writer is not None)


def format_for_path(path: str | os.PathLike[str]) -> Format | None:
    """The format a file name says (the longest matching extension wins)."""
    name = os.fspath(path).lower()
    matches = [(len(e), f) for f in FORMATS for e in f.extensions if name.endswith(e)]
    if matches:
        return max(matches, key=lambda m: m[0])[1]
    if name.endswith(".json"):
        return None  # decided by content in read_diagram
    return None


def format_by_name(name: str) -> Format:
    try:
        return BY_NAME[name.lower()]
    except KeyError:
        known = ", ".join(BY_NAME)
        raise LoadError(f"unknown format {name!r} (known: {known})") from None


def _sniff(data: bytes) -> Format | None:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        if b'"format"' in head and b'"cld"' in head:
            return BY_NAME["cld"]
        if b'"elements"' in head or b'"connections"' in head or KUMU_KEY.search(data):
            return BY_NAME["kumu"]  # (a Kumu backup may hold its maps and views first)
        return BY_NAME["cld"]
    if head.startswith(b"[[") or b"?data=" in head[:200]:
        return BY_NAME["loopy"]
    if b"<xmile" in head:
        return BY_NAME["xmile"]
    if b"\\\\\\---///" in data or b"A FUNCTION OF" in head or b"{UTF-8}" in head[:10]:
        return BY_NAME["vensim"]
    return None


def title_for(path: str | os.PathLike[str]) -> str:
    """A file's name without the extension of its format ("map.kumu.json" -> "map")."""
    name = Path(path).name
    extensions = [e for f in FORMATS for e in f.extensions if name.lower().endswith(e)]
    if extensions:
        return name[: -len(max(extensions, key=len))] or name
    return Path(name).stem or name


def read_diagram(
    path: str | os.PathLike[str], fmt: str | None = None
) -> tuple[Diagram, ConversionReport]:
    """Read any readable file, or a pasted LOOPY link (``https://ncase.me/loopy/...?data=``);
    raises LoadError (FormatError with a line where known)."""
    text = os.fspath(path)
    if LOOPY_LINK.match(text) and len(text) <= MAX_LINK:
        report = ConversionReport("loopy")
        with gc_paused():
            return _module("loopy").read_loopy(text, report, "LOOPY model"), report
    data = read_file_bytes(path)
    chosen = format_by_name(fmt) if fmt else format_for_path(path) or _sniff(data)
    if chosen is None:
        raise LoadError("unknown file type (not a diagram, model or map cld-editor reads)")
    if chosen.reader is None:
        raise LoadError(f"{chosen.title} files can be written but not read")
    report = ConversionReport(chosen.name)
    suffix = next(
        (e for e in chosen.extensions if os.fspath(path).lower().endswith(e)), chosen.extensions[0]
    )
    try:
        with gc_paused():
            diagram = chosen.reader(data, report, title_for(path), suffix)
    except LoadError:
        raise
    except RecursionError:
        raise FormatError("the file is nested too deeply") from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        # A reader bug must still end as one line, never a traceback.
        raise FormatError(f"cannot read the file ({type(exc).__name__}: {str(exc)[:80]})") from None
    return diagram, report


def write_diagram(
    diagram: Diagram, path: str | os.PathLike[str], fmt: str | None = None
) -> ConversionReport:
    """Write ``diagram`` in ``fmt`` (or the format the extension says), atomically."""
    report, data = export_bytes(diagram, path, fmt)
    atomic_write(path, data)
    return report


def export_bytes(
    diagram: Diagram, path: str | os.PathLike[str] | None, fmt: str | None = None
) -> tuple[ConversionReport, bytes]:
    """The bytes a write would produce and its report, without writing (for a preview)."""
    chosen = format_by_name(fmt) if fmt else (format_for_path(path) if path else None)
    if chosen is None:
        raise LoadError("unknown file type: give a known extension or --to FORMAT")
    if chosen.writer is None:
        raise LoadError(f"{chosen.title} files can be read but not written")
    report = ConversionReport(chosen.name, direction="export")
    data = chosen.writer(diagram, report)
    if chosen.name != "cld":
        _note_diagram_fields(diagram, chosen, report)
    return report, data


#: Formats that have nowhere to keep a diagram's title.
TITLELESS = ("vensim", "loopy", "kumu-csv")


def _note_diagram_fields(diagram: Diagram, fmt: Format, report: ConversionReport) -> None:
    """What belongs to the whole diagram and only .cld.json keeps (Kumu keeps the
    description, XMILE the description and the waterline; Vensim, LOOPY and Kumu's
    spreadsheets have no title)."""
    if diagram.title.strip() not in ("", "Untitled") and fmt.name in TITLELESS:
        report.note("The diagram's title is left out (the file's name stands for it).")
    if diagram.description and fmt.name not in ("kumu", "xmile"):
        report.note("The diagram's description is left out.")
    if diagram.waterline is not None and fmt.name != "xmile":
        report.note("The iceberg waterline is left out.")
    story = getattr(diagram, "story", None)
    if story is not None and getattr(story, "steps", None):
        report.note("The diagram's story (its steps) is left out.")
