"""What every conversion to or from another tool's format shares: its report and its errors.

A :class:`ConversionReport` lists, in plain sentences, everything a conversion changed or left
out (ghost copies merged, unsigned arrows read as ``?``, delay marks a format cannot hold, the
diagram laid out because the file had no positions...), so nothing is dropped silently: the GUI
shows the lines as a summary, the command line prints them on stderr. A malformed file raises
:class:`FormatError`, a :class:`~cld_editor.formats.native.LoadError` that also knows the line of
the file where the problem is. :func:`read_file_bytes` reads a file within the same bounds as
the native loader (regular file, at most ``MAX_FILE_BYTES``).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from cld_editor.core.memory import gc_paused  # noqa: F401 - shared by the readers

from .messages import first_line
from .native import MAX_FILE_BYTES, LoadError


class FormatError(LoadError):
    """A file of another tool's format that cannot be read; ``line`` (1-based) says where,
    when known (``where`` is :class:`LoadError`'s)."""


@dataclass
class ConversionReport:
    """What a conversion did besides copying: one sentence per kind of change.

    ``count`` gathers repeated changes of one kind into one line ("3 arrows without a sign were
    read as ?"); ``note`` adds a sentence as it is. ``laid_out`` says the diagram's positions
    were computed because the file had none (or not for every variable).
    """

    format: str
    direction: str = "import"  # "import" or "export"
    notes: list[str] = field(default_factory=list)
    counts: dict[str, list[object]] = field(default_factory=dict)
    laid_out: bool = False
    #: The notes that speak only of the drawing (where things were placed), not of its content.
    drawing: set[str] = field(default_factory=set)

    def note(self, sentence: str, *, drawing: bool = False) -> None:
        """Add ``sentence``; ``drawing``: it is about the drawing only (a command that does
        not use the drawing, such as ``analyze``, leaves it out)."""
        if sentence not in self.notes:
            self.notes.append(sentence)
        if drawing:
            self.drawing.add(sentence)

    def count(self, singular: str, plural: str, example: object = None) -> None:
        """One more change of a kind; ``plural`` may hold ``{n}`` for the number, and the
        first few ``example`` values are named in the line."""
        key = singular + "\x00" + plural
        self.counts.setdefault(key, []).append(example)

    def lines(self, drawing: bool = True) -> list[str]:
        """One line per change (without the drawing's when ``drawing`` is false)."""
        out = [note for note in self.notes if drawing or note not in self.drawing]
        for key, examples in self.counts.items():
            singular, plural = key.split("\x00")
            named = list(dict.fromkeys(str(e) for e in examples if e is not None))
            text = singular if len(examples) == 1 else plural.format(n=f"{len(examples):,}")
            # Which ones, unless the line already names its only one.
            if named and (len(examples) > 1 or named[0] not in singular):
                shown = ", ".join(named[:3]) + (", ..." if len(named) > 3 else "")
                text += f" ({shown})"
            out.append(text)
        return out

    @property
    def empty(self) -> bool:
        return not self.notes and not self.counts

    def summary(self) -> str:
        """The lines as one text, or a sentence saying nothing changed."""
        lines = self.lines()
        if not lines:
            verb = "read" if self.direction == "import" else "written"
            return f"Everything was {verb} as it is: nothing was changed or left out."
        return "\n".join(f"- {line}" for line in lines)


def read_file_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of ``path``, refusing folders, devices and files over ``MAX_FILE_BYTES``;
    raises LoadError with a one-line message whatever goes wrong."""
    if not os.fspath(path):
        raise LoadError("no file name given")
    path = Path(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise LoadError("is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise LoadError("not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise LoadError(too_large(info.st_size))
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise LoadError("no such file") from None
    except PermissionError:
        raise LoadError("permission denied") from None
    except OSError as exc:
        raise LoadError(exc.strerror or first_line(str(exc))) from None
    except ValueError:
        raise LoadError("not a valid file name") from None
    if len(data) > MAX_FILE_BYTES:
        raise LoadError(too_large(len(data)))
    return data


def too_large(size: int) -> str:
    return (
        f"file is too large ({size / 1048576:.1f} MiB; the limit is "
        f"{MAX_FILE_BYTES // 1048576} MiB)"
    )


def line_of(text: str, offset: int) -> int:
    """The 1-based line number of character ``offset`` in ``text``."""
    return text.count("\n", 0, max(0, offset)) + 1
