"""File > Export Report off the GUI thread: the report of a snapshot of the diagram is made on
worker threads while the window stays usable, with a busy bar and Cancel in the status bar.

A report of a large diagram costs seconds: the links' geometry for its picture (about 6 s at
6,000 links), the loops when the window's analysis is not ready, and the report's text
(:func:`~cld_editor.formats.report_data.report_data`: counts over the loop table and the
shortest independent loop set, quadratic). All of that is Qt-free and runs on plain Python
threads; only painting the picture into SVG (QPainter, QSvgGenerator, which must stay on the GUI
thread) happens between the two worker stages, on the GUI thread:

1. worker: the loops (when no analysis was given) and :func:`link_geometries` of the boxes that
   the GUI thread measured with Qt's fonts;
2. GUI thread: the picture painted as SVG from those geometries (a fraction of a second);
3. worker: the report's HTML or Markdown, written atomically (``x.diagram.svg`` first for
   Markdown), exactly as :func:`cld_editor.ui.drawing.export.write_report` writes it.

Workers report through a :class:`~.mailbox.Mailbox` (they never touch a Qt object), tagged with
their job's number: a cancelled job's late messages are dropped, and a cancelled job writes
nothing (it checks its flag before writing). The snapshot is the immutable ``Diagram`` and
``LoopAnalysis`` of the moment the user asked, so edits meanwhile do not change the report.
One report at a time: :meth:`ReportWriter.start` refuses another while one runs.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStatusBar

from cld_editor.analysis.census import Census
from cld_editor.analysis.loops import LoopAnalysis, find_loops
from cld_editor.core.model import Diagram
from cld_editor.formats.native import atomic_write
from cld_editor.formats.report import report_html, report_markdown
from cld_editor.ui.drawing import export
from cld_editor.ui.drawing.geometry import Box, LinkGeometry
from cld_editor.ui.drawing.link_layout import link_geometries
from cld_editor.ui.drawing.picture import DiagramPicture
from cld_editor.ui.drawing.render_diagram import link_boxes
from cld_editor.ui.window.mailbox import Mailbox, Post
from cld_editor.ui.window.status_progress import StatusProgress

log = logging.getLogger(__name__)

#: Diagrams with fewer links have their report written at once (Export Report waits for the
#: workers, as it waited for the report before), with no busy bar flashing by: tens of
#: milliseconds, a few hundred for a dense diagram whose loops are still to be found.
BACKGROUND_FROM = 400
#: How long Export Report waits for the report of a larger diagram before leaving it to the
#: background (ms).
WAIT_MS = 100


class ReportError(Exception):
    """Why a report was not written (a one-line reason, for the message box)."""


@dataclass
class ReportJob:
    """One report being made: the snapshot it describes, where it goes, and its cancel flag."""

    number: int
    diagram: Diagram
    analysis: LoopAnalysis | None
    path: Path
    #: The diagram file's suggested report path (where the export folder is remembered from).
    suggested: Path | None = None
    started: float = field(default_factory=time.monotonic)
    cancel_event: threading.Event = field(default_factory=threading.Event)
    #: A complete count of all loops of ``diagram`` (the Loops panel's), for the report.
    census: Census | None = None

    @property
    def kind(self) -> str:
        return export.REPORT_SUFFIXES[self.path.suffix.lower()]

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()


def lay_out(
    diagram: Diagram, analysis: LoopAnalysis | None, boxes: Mapping[str, Box]
) -> tuple[LoopAnalysis, dict[str, LinkGeometry]]:
    """Stage 1 (worker thread, no Qt): the loops when none were given, and every link's
    geometry between the measured ``boxes``."""
    if analysis is None:
        analysis = find_loops(diagram)
    links = [(link.id, link.source, link.target, link.curvature) for link in diagram.links]
    return analysis, link_geometries(boxes, links)


def report_svg(
    diagram: Diagram, analysis: LoopAnalysis, geometries: Mapping[str, LinkGeometry]
) -> str:
    """Stage 2 (GUI thread): the report's picture, as :func:`export.diagram_svg` draws it
    with a legend, from geometries computed beforehand."""
    picture = DiagramPicture(diagram, analysis, legend=True, geometries=geometries)
    picture.highlighted_loop = None
    return export.picture_svg(picture).decode("utf-8")


def report_files(job: ReportJob, analysis: LoopAnalysis, svg: str) -> list[tuple[Path, str]]:
    """Stage 3's text (worker thread, no Qt): the files to write, in the order written."""
    if job.kind == "html":
        return [(job.path, report_html(job.diagram, analysis, svg, census=job.census))]
    image = export.report_image_path(job.path)
    text = report_markdown(job.diagram, analysis, image.name, census=job.census)
    return [(image, svg), (job.path, text)]


def write_files(files: list[tuple[Path, str]]) -> list[Path]:
    """Write each file atomically (a failure leaves any old file intact)."""
    for path, text in files:
        try:
            atomic_write(path, text.encode("utf-8"))
        except OSError as exc:
            raise ReportError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
    return [path for path, _ in files]


#: What a stage returns when it has nothing to post (its job was cancelled meanwhile).
_NOTHING = object()


def _stage(number: int, kind: str, run: Callable[[], object]) -> Callable[[Post], None]:
    """The work of one stage of report ``number`` on a worker thread: ``run()``'s result posted
    as ``kind`` (unless it is _NOTHING), or its failure posted as "failed"; a BaseException
    that is not an Exception (an exit) still ends the thread once it is posted."""

    def work(post: Post) -> None:
        try:
            result = run()
        except BaseException as exc:
            post("failed", number, _reason(exc))
            if not isinstance(exc, Exception):
                raise
            return
        if result is not _NOTHING:
            post(kind, number, result)

    return work


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ReportError | export.ExportError):
        return str(exc)
    log.error("the report could not be made", exc_info=exc)
    return f"{type(exc).__name__}: {exc}"


class ReportWriter(QObject):
    """Makes one report at a time on worker threads (see the module).

    Signals (GUI thread): ``written(job, paths)``; ``failed(job, reason)`` with a one-line
    reason; ``running_changed(bool)``. A cancelled job sends neither ``written`` nor ``failed``.
    """

    written = Signal(object, object)
    failed = Signal(object, str)
    running_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.job: ReportJob | None = None
        #: The job cancelled last: if it wrote its files all the same (Cancel came as they were
        #: being written), ``written`` still says so.
        self._cancelled: ReportJob | None = None
        #: Its thread, when still running: the next report waits for it to end.
        self._abandoned: threading.Thread | None = None
        self.step = ""
        self._jobs = 0
        self._thread: threading.Thread | None = None
        # From the workers: ("laid_out", number, (analysis, geometries)), ("written", number,
        # paths), ("failed", number, reason).
        self._mail = Mailbox(self._on_message, self)

    @property
    def running(self) -> bool:
        return self.job is not None

    @property
    def behind(self) -> bool:
        """True while a cancelled report's stage still runs (the next report waits for it)."""
        return self._abandoned is not None and self._abandoned.is_alive()

    def start(
        self,
        diagram: Diagram,
        analysis: LoopAnalysis | None,
        path: Path,
        suggested: Path | None = None,
        census: Census | None = None,
    ) -> ReportJob | None:
        """Start the report of ``diagram`` into ``path`` (.html or .md); None, and nothing
        started, while another report is being made. An unknown suffix raises ReportError.
        ``census``: a complete count of all loops of ``diagram``, or None."""
        if self.job is not None:
            return None
        if path.suffix.lower() not in export.REPORT_SUFFIXES:
            shown = f"'{path.suffix}'" if path.suffix else "no extension"
            raise ReportError(f"unknown report type ({shown}): use .html or .md")
        self._jobs += 1
        job = ReportJob(self._jobs, diagram, analysis, path, suggested, census=census)
        boxes = link_boxes(diagram)  # Qt's font metrics: here, on the GUI thread
        self.job = job
        self.step = "finding the loops" if analysis is None else "laying out the links"
        self.running_changed.emit(True)

        after = self._abandoned

        def laid_out() -> object:
            if after is not None:
                after.join()  # a cancelled report's stage still running: let it end first
            return lay_out(diagram, analysis, boxes)

        self._thread = self._mail.start(
            _stage(job.number, "laid_out", laid_out), "cld-editor report layout"
        )
        return job

    def cancel(self) -> ReportJob | None:
        """Stop the report being made (nothing is written); the job, or None when none runs.
        A stage already running finishes on its own thread and is thrown away."""
        job = self.job
        if job is None:
            return None
        job.cancel_event.set()
        self._cancelled = job
        thread = self._thread
        self._abandoned = thread if thread is not None and thread.is_alive() else None
        self._end()
        return job

    def wait(self, seconds: float | None) -> bool:
        """Let the report finish on this thread, for at most ``seconds`` (None: however long
        it takes); its messages are delivered here. True when it is done (written, failed or
        cancelled)."""
        deadline = None if seconds is None else time.monotonic() + seconds
        while self.job is not None:
            thread = self._thread
            left = None if deadline is None else deadline - time.monotonic()
            if thread is None or (left is not None and left <= 0):
                break
            thread.join(left)
            if thread.is_alive():
                break
            self._mail.deliver_now()
        return self.job is None

    def _end(self) -> None:
        self.job = None
        self._thread = None
        self.step = ""
        self.running_changed.emit(False)

    def _on_message(self, kind: str, number: int, value: object) -> None:
        job = self.job
        if job is None or job.number != number:
            late = self._cancelled
            if kind == "written" and late is not None and late.number == number:
                self.written.emit(late, value)
            return  # else a cancelled job's, dropped
        if kind == "failed":
            self._end()
            self.failed.emit(job, value)
        elif kind == "written":
            self._end()
            self.written.emit(job, value)
        elif kind == "laid_out":
            self._paint_and_write(job, *value)  # type: ignore[misc]

    def _paint_and_write(
        self, job: ReportJob, analysis: LoopAnalysis, geometries: Mapping[str, LinkGeometry]
    ) -> None:
        try:
            svg = report_svg(job.diagram, analysis, geometries)
        except Exception as exc:
            self._end()
            self.failed.emit(job, _reason(exc))
            return
        self.step = "writing the report"

        def written() -> object:
            files = report_files(job, analysis, svg)
            return _NOTHING if job.cancelled else write_files(files)

        self._thread = self._mail.start(
            _stage(job.number, "written", written), "cld-editor report text"
        )


class ReportProgress(StatusProgress):
    """The status bar's part while a report is made in the background: what is written, a
    busy bar and Cancel (the ``cancel`` action, enabled only meanwhile)."""

    def __init__(self, bar: QStatusBar, cancel: QAction) -> None:
        super().__init__(bar, cancel, "report", "Stop making the report: nothing is written")

    def show_job(self, job: ReportJob) -> None:
        self.show_text(f"Writing the report {job.path.name}…", str(job.path))
