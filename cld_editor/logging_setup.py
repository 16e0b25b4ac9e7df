"""Logging for the editor: a rotating log file in the per-user log folder, plus stderr.

:func:`configure_logging` is called once at start-up by the command line. The log file is where
crash reports (tracebacks of unexpected exceptions, see ``cld_editor.ui.window.crash_guard``) and
autosave failures end up, so a user can send it along with a bug report. ``--debug`` or
``CLD_EDITOR_DEBUG=1`` makes both the file and stderr verbose. Logging must never be the reason
the editor does not start: when no log folder can be created, it falls back to a temporary
folder, and failing that to stderr alone. :func:`record_fatal_errors` sends Python's own dump of
a hard crash (a segmentation fault in Qt, "Fatal Python error") to the same file, where a user
who started the editor from a desktop menu can find it. This module does not import Qt, and
imports what only setting up needs (handlers, folders) when it sets up, so the command line can
read its names without paying for them.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

APP_NAME = "cld-editor"
ENV_LOG_DIR = "CLD_EDITOR_LOG_DIR"
ENV_DEBUG = "CLD_EDITOR_DEBUG"
LOG_FILE_NAME = "cld-editor.log"
#: One file of at most 1 MiB plus three older ones: enough for many sessions, never a burden.
MAX_LOG_BYTES = 1024 * 1024
BACKUP_COUNT = 3
FILE_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
CONSOLE_FORMAT = "cld-editor: %(levelname)s: %(message)s"
# Handlers this module installed carry this attribute, so a second call replaces them.
_MARK = "_cld_editor_handler"


def debug_requested(flag: bool | None = None) -> bool:
    """The ``--debug`` flag if given, else whether ``CLD_EDITOR_DEBUG`` is set to a true value."""
    if flag is not None:
        return flag
    return os.environ.get(ENV_DEBUG, "").strip().lower() in ("1", "true", "yes", "on")


def log_dir() -> Path:
    """``$CLD_EDITOR_LOG_DIR`` if set, else the per-user log folder."""
    override = os.environ.get(ENV_LOG_DIR)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME))


def configure_logging(
    debug: bool | None = None, folder: str | os.PathLike[str] | None = None
) -> Path | None:
    """Send log records to a rotating file (and warnings to stderr); returns the file's path,
    or None when no file could be opened anywhere. Safe to call again (it replaces its own
    handlers and leaves others alone)."""
    import logging.handlers
    import tempfile

    verbose = debug_requested(debug)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)

    console = _StderrHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter(CONSOLE_FORMAT))
    _install(root, console)

    candidates = [Path(folder)] if folder is not None else [log_dir()]
    candidates.append(Path(tempfile.gettempdir()) / f"{APP_NAME}-logs-{_user_tag()}")
    path: Path | None = None
    for candidate in candidates:
        try:
            candidate.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                candidate / LOG_FILE_NAME,
                maxBytes=MAX_LOG_BYTES,
                backupCount=BACKUP_COUNT,
                encoding="utf-8",
            )
        except OSError as exc:
            root.warning("cannot write a log file in %s: %s", candidate, exc)
            continue
        handler.setLevel(logging.DEBUG if verbose else logging.INFO)
        handler.setFormatter(logging.Formatter(FILE_FORMAT))
        _install(root, handler)
        path = candidate / LOG_FILE_NAME
        break
    logging.captureWarnings(True)
    logging.getLogger(__name__).info(
        "cld-editor starting (pid %d, python %s, debug %s)",
        os.getpid(),
        sys.version.split()[0],
        "on" if verbose else "off",
    )
    return path


_fault_file = None  # kept open for faulthandler, which writes with the raw file descriptor


def record_fatal_errors() -> Path | None:
    """Dump the Python stack of every thread into the log file when the process dies of a
    hard crash (SIGSEGV, SIGABRT, ...); returns the file, or None (then stderr, as before)."""
    global _fault_file
    import faulthandler

    path = current_log_file()
    if path is None:
        faulthandler.enable(all_threads=True)
        return None
    try:
        handle = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open for the process's life
    except OSError:
        faulthandler.enable(all_threads=True)
        return None
    faulthandler.enable(file=handle, all_threads=True)
    if _fault_file is not None:
        _fault_file.close()
    _fault_file = handle
    return path


def current_log_file() -> Path | None:
    """The file :func:`configure_logging` writes to, if any (the crash dialog names it)."""
    for handler in logging.getLogger().handlers:
        if getattr(handler, _MARK, False) and isinstance(handler, logging.FileHandler):
            return Path(handler.baseFilename)
    return None


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time of the record (a test runner or an
    IDE may replace it after start-up), not to the stream it was when logging was set up."""

    @property  # type: ignore[override]
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass


def _install(logger: logging.Logger, handler: logging.Handler) -> None:
    setattr(handler, _MARK, True)
    logger.addHandler(handler)


def _user_tag() -> str:
    """Keeps users of a shared temporary folder apart."""
    getuid = getattr(os, "getuid", None)
    return str(getuid()) if getuid else os.environ.get("USERNAME", "user")
