"""Runs the loop search kernel (:mod:`.kernel`) in chunks: owns its state and output buffers,
chooses between CPython and the numba-compiled kernel, and checks the clock, the cancel flag
and progress between chunks.

Every search starts in CPython over plain lists, so small diagrams never import numpy or numba.
Loading the compiled kernel costs about a second per process even from numba's disk cache, so
when a search is still running after ``PYTHON_SECONDS`` a background thread loads it
(:func:`warm_up`) while CPython carries on; once it is ready, the search's state moves to numpy
arrays and the compiled kernel continues from the same point (at once when it is already
loaded). The compile itself (a few seconds) is cached on disk in the per-user cache folder
(``NUMBA_CACHE_DIR``) and paid once per machine, in a child process (:mod:`.precompile`) so
that it does not stall this one's threads; the compiled kernel releases the GIL.
``CLD_EDITOR_NO_NUMBA=1`` keeps every search in CPython, as on a platform
without numba.
"""

from __future__ import annotations

import atexit
import importlib.util
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import kernel
from .graph import LoopGraph

#: Seconds a search runs in CPython before the compiled kernel is loaded in the background.
PYTHON_SECONDS = 0.4
#: Loading the compiled kernel takes about 0.7 s of another thread (the program waits for a
#: load in progress before it ends): not started for a search with less time left than this,
#: which would end before it could use it, and then wait for it past its time limit.
WARM_WORTH_SECONDS = 1.5
#: Aim for chunks of about this long between two looks at the clock and the cancel flag.
CHUNK_SECONDS = 0.005
#: Shortest interval between two progress reports, in seconds.
PROGRESS_INTERVAL = 0.1
ENV_NO_NUMBA = "CLD_EDITOR_NO_NUMBA"


def numba_turned_off() -> bool:
    """Whether ``CLD_EDITOR_NO_NUMBA`` asks for CPython only: set to anything but empty,
    0, false, no or off (any case)."""
    value = os.environ.get(ENV_NO_NUMBA, "").strip().casefold()
    return value not in ("", "0", "false", "no", "off")


_compile_lock = threading.Lock()
_compiled: Callable[..., int] | None = None
_placing: Placing | None = None
_placing_failed = False
_compile_failed = False
_warming: threading.Thread | None = None
#: Set once the compiled kernel has run (its cached code loaded), or numba turned out missing.
warmed = threading.Event()
#: Set while the background thread waits for a child process compiling the kernel.
_in_child = threading.Event()


def warm_up() -> None:
    """Load the compiled kernel on a background thread (once), running it on a tiny graph so
    that numba loads its cached machine code; :data:`warmed` is set when done."""
    global _warming
    with _compile_lock:
        if _warming is not None or warmed.is_set():
            return
        _warming = threading.Thread(target=_warm, name="cld-editor numba", daemon=True)
        _warming.start()


def still_loading() -> bool:
    """Whether the compiled kernel is being loaded into this process in the background: the
    program waits for it before it ends (not for a first compile in a child process, which
    goes on by itself: see :func:`compiling_elsewhere`)."""
    thread = _warming
    return thread is not None and thread.is_alive() and not _in_child.is_set()


def compiling_elsewhere() -> bool:
    """Whether the first compile on this machine is running in a child process, which goes
    on, and fills the cache for later runs, when this program ends."""
    thread = _warming
    return thread is not None and thread.is_alive() and _in_child.is_set()


#: Taken to decide, once the program is ending, whether a load is waited for or never begun.
_exit_lock = threading.Lock()
_exiting = False


@atexit.register
def _finish_warming() -> None:
    """Let a load of the compiled kernel in progress finish before the interpreter shuts down
    (a thread stopped inside numba's loader could crash the exit). A compile in a child process
    is not waited for: the child finishes it, and writes its stamp, on its own, and no load
    begins after it."""
    global _exiting
    with _exit_lock:
        _exiting = True
        in_child = _in_child.is_set()
    thread = _warming
    if thread is not None and thread.is_alive() and not in_child:
        thread.join(timeout=60)


def _warm() -> None:
    try:
        if not numba_turned_off() and importlib.util.find_spec("numba") is not None:
            from . import precompile

            _in_child.set()
            try:
                precompile.compile_in_child()  # the first time on a machine: see its docstring
            finally:
                with _exit_lock:
                    _in_child.clear()
                    ending = _exiting
            if ending:
                return  # the program is ending and did not wait: no load in a dying interpreter
        compile_everything()
    finally:
        warmed.set()


def compile_everything() -> bool:
    """Load (or compile) the kernel and :mod:`.placing` and run the kernel on a tiny graph
    both ways, which loads its cached code; True when all of it is compiled."""
    if compiled_kernel() is None:
        return False
    graph = LoopGraph.from_rows(["a", "b"], [0, 0], [(0, 1, 0, "x", 0), (1, 0, 0, "y", 1)])
    for count in (False, True):
        KernelRun(graph, count=count, compiled=True).run()
    with _compile_lock:
        _warm_placing()
    return _placing is not None


def compiled_kernel(load: bool = True) -> Callable[..., int] | None:
    """The numba-compiled kernel, loading (and if needed compiling) it when ``load``; None
    where numba is missing or turned off."""
    global _compiled, _compile_failed
    if _compiled is not None or _compile_failed or not load:
        return _compiled
    if numba_turned_off():
        return None
    with _compile_lock:
        if _compiled is None and not _compile_failed:
            try:
                from .precompile import cache_dir

                cache_dir()  # NUMBA_CACHE_DIR, before numba is imported
                import numba
            except ImportError:
                _compile_failed = True
                return None
            try:
                _compiled = numba.njit(cache=True, nogil=True)(kernel.search_chunk)
            except Exception:  # no writable cache folder ("no locator"), a frozen build...
                log = logging.getLogger(__name__)
                log.warning("compiled loop search unavailable", exc_info=True)
                _compile_failed = True
                return None
    return _compiled


@dataclass(frozen=True)
class Placing:
    """The numba-compiled functions of :mod:`.placing`."""

    place: Callable[..., int]
    merge: Callable[..., int]
    retag: Callable[..., int] | None = None
    index: Callable[..., int] | None = None
    retag_counted: Callable[..., int] | None = None


def compiled_placing(load: bool = False) -> Placing | None:
    """The numba-compiled :mod:`.placing`, once the kernel is warm (loaded in the same
    background warm-up) or, with ``load``, loaded now; None until then and where numba is
    missing or fails."""
    if load and _placing is None and not _placing_failed and compiled_kernel() is not None:
        with _compile_lock:
            _warm_placing()
    return _placing if warmed.is_set() or load else None


def _warm_placing() -> None:
    """Compile (or load from the disk cache) :mod:`.placing`, once; the caller holds
    ``_compile_lock``. A failure is logged once and remembered."""
    global _placing, _placing_failed
    if _placing is not None or _placing_failed:
        return
    import numba
    import numpy as np

    from . import placing  # imports numpy: only once the compiled kernel is wanted

    try:
        place = numba.njit(cache=True, nogil=True)(placing.sort_and_place)
        merge = numba.njit(cache=True, nogil=True)(placing.merge_tables)
        retag = numba.njit(cache=True, nogil=True)(placing.retag_codes)
        index = numba.njit(cache=True, nogil=True)(placing.index_links)
        counted = numba.njit(cache=True, nogil=True)(placing.retag_counted)
        i8, i32, i64 = (np.zeros(2, dtype=t) for t in (np.int8, np.int32, np.int64))
        place(i32, i32, i64[:1], i32, i64[:1], i32, i64[:0], i32, i64[:1], i64[:0])
        merge(i32, i64[:1], i8, i64[:0], i32, i64[:1], i8, i64[:0], i32, i64, i8)
        retag(i32, i8, i8, i32, i64[:1], i8[:0], i8[:0])
        index(i32[:0], i64[:1], i8, np.zeros(3, dtype=np.int64), i32[:0], i32[:0], i32[:0])
        counted(i64[:0], i8[:0], i8[:0], i64, i32[:0], i8[:0], i32[:0], i32[:0])
    except Exception:  # the numpy placing and joining do the same, only slower
        logging.getLogger(__name__).warning("compiled placing unavailable", exc_info=True)
        _placing_failed = True
        return
    _placing = Placing(place, merge, retag, index, counted)


class Stopped(Exception):
    """A search stopped by the clock or the cancel flag; ``reason`` is what results report."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class KernelRun:
    """One search of ``graph`` (see :func:`kernel.search_chunk` for ``bound``,
    ``store_length`` and ``count``). ``done`` is shared between the searches of one
    length-deepening pass. Output buffers grow up to ``max_loops`` loops and ``max_members``
    members; :meth:`run` returns "done" or "full"."""

    def __init__(
        self,
        graph: LoopGraph,
        *,
        bound: int = 0,
        store_length: int = -1,
        count: bool = False,
        max_loops: int = 0,
        max_members: int = 0,
        done: list[int] | Any | None = None,
        compiled: bool | None = None,
    ) -> None:
        n, m = graph.n, graph.m
        self.graph = graph
        self.bound = bound
        self.store_length = store_length
        self.count = count
        self.max_loops = max_loops
        self.max_members = max_members
        self.numpy = False
        self.graph_arrays = graph.arrays(numpy=False)
        # Full output blocks (edges, starts, codes), and how many loops and members they hold.
        self._blocks: list[tuple[Any, Any, Any]] = []
        self._block_loops = self._block_members = 0
        cap_loops = min(max_loops, 1024) if store_length else 0
        cap_members = min(max_members, 16 * 1024) if store_length else 0
        self.a: dict[str, Any] = {
            "state": [0] * kernel.STATE_SLOTS,
            "path": [0] * (n + 1),
            "pos": [0] * (n + 1),
            "edge_in": [0] * (n + 1),
            "mark": [0] * (n + 1),
            "bits": [0] * (n + 1),
            "blocked": [0] * n,
            "lock": [0] * n,
            "onpath": [0] * n,
            "inside": [0] * n,
            "inb": [0] * m,
            "waiting": [0] * n,
            "work": [0] * (n + 1),
            "seen": [0] * n,
            "done": done if done is not None else [0] * n,
            "counts": [0] * ((n + 1) * kernel.CLASSES if count else 0),
            "through": [0] * (n if count else 0),
            "link_count": [0] * (m if count else 0),
            "out_edges": [0] * cap_members,
            "out_start": [0] * (cap_loops + 1),
            "out_code": [0] * cap_loops,
        }
        self.steps = 2_000
        self.allow_compile = compiled is not False
        if compiled or (compiled is None and warmed.is_set()):
            self._to_numpy(started=False)

    # -- results --------------------------------------------------------------------------------

    @property
    def found(self) -> int:
        """Loops met so far (of any length, stored or not)."""
        return int(self.a["state"][kernel.S_FOUND])

    @property
    def stored(self) -> int:
        """Loops stored, in full blocks and the current one."""
        return self._block_loops + int(self.a["state"][kernel.S_STORED])

    @property
    def members(self) -> int:
        """Members of the loops stored."""
        return self._block_members + int(self.a["state"][kernel.S_MEMBERS])

    @property
    def done_starts(self) -> Any:
        return self.a["done"]

    def output(self, cancelled: Callable[[], bool] | None = None) -> tuple[Any, Any, Any]:
        """(link rows of the stored loops end to end, where each starts (one more entry than
        loops), their class codes), trimmed to what was stored. ``cancelled``: see
        :func:`.table.concatenated`."""
        parts = [*self._blocks, self._current_block()]
        if len(parts) == 1:
            return parts[0]
        from .table import concatenated

        table = concatenated(self.graph, parts, cancelled)
        return table.edges, table.starts, table.codes

    def _current_block(self) -> tuple[Any, Any, Any]:
        k = int(self.a["state"][kernel.S_STORED])
        a = self.a
        return (
            a["out_edges"][: a["out_start"][k]],
            a["out_start"][: k + 1],
            a["out_code"][:k],
        )

    # -- running --------------------------------------------------------------------------------

    def run(
        self,
        deadline: float | None = None,
        cancelled: Callable[[], bool] | None = None,
        progress: Callable[[int], None] | None = None,
        reserve_per_member: float = 0.0,
        python_until: float | None = None,
        search_until: float | None = None,
        reserve_per_loop: float = 0.0,
    ) -> str:
        """Search until done ("done") or the output buffers reach their limits ("full").
        Raises :class:`Stopped` ("time limit", "cancelled", or "time share" past
        ``search_until``, the part of the time a caller gives this search) with the state kept,
        so a caller may read what was found. ``reserve_per_member`` seconds per stored member
        and ``reserve_per_loop`` per stored loop are kept back from the deadline for what the
        caller does with them afterwards. The
        search moves to the compiled kernel at ``python_until`` (default: ``PYTHON_SECONDS``
        from now).
        ``progress`` gets the loops stored (or met, when none are stored)."""
        last_report = time.monotonic()
        if python_until is None:
            python_until = last_report + PYTHON_SECONDS
        a, g = self.a, self.graph_arrays
        while True:
            if cancelled is not None and cancelled():
                raise Stopped("cancelled")
            now = time.monotonic()
            reserved = self.members * reserve_per_member + self.stored * reserve_per_loop
            if deadline is not None and now + reserved > deadline:
                raise Stopped("time limit")
            if search_until is not None and now > search_until:
                raise Stopped("time share")
            if progress is not None and now - last_report >= PROGRESS_INTERVAL:
                last_report = now
                progress(self._tally())
            if not self.numpy and self.allow_compile and now >= python_until:
                if warmed.is_set():
                    self._to_numpy()
                    a, g = self.a, self.graph_arrays
                    self.allow_compile = self.numpy
                elif deadline is None or deadline - now > WARM_WORTH_SECONDS:
                    warm_up()
            chunk_started = time.monotonic()
            search = _compiled if self.numpy else kernel.search_chunk
            assert search is not None
            status = search(
                g["head"], g["tgt"], g["flags"], g["dom"], g["rhead"], g["redge"], g["rsrc"],
                self.bound, self.store_length, self.count, a["state"], a["path"], a["pos"],
                a["edge_in"], a["mark"], a["bits"], a["blocked"], a["lock"], a["onpath"],
                a["inside"], a["inb"], a["waiting"], a["work"], a["seen"], a["done"],
                a["counts"], a["through"], a["link_count"], a["out_edges"], a["out_start"],
                a["out_code"], self.steps,
            )  # fmt: skip
            self._adapt_chunk(time.monotonic() - chunk_started)
            if status == kernel.DONE:
                return "done"
            if status == kernel.FULL and not self._next_block():
                return "full"

    def _tally(self) -> int:
        return self.stored if self.store_length else self.found

    def _adapt_chunk(self, elapsed: float) -> None:
        if elapsed < CHUNK_SECONDS / 2:
            self.steps = min(self.steps * 2, 1 << 40)
        elif elapsed > CHUNK_SECONDS * 2:
            self.steps = max(self.steps // 2, 256)

    def _next_block(self) -> bool:
        """Keep the full output block and give the kernel a new one, twice as large within the
        limits (never a copy of what is stored: a stop stays quick however much that is); False
        when a limit is reached."""
        a = self.a
        state = a["state"]
        loops, members = len(a["out_code"]), len(a["out_edges"])
        in_block = int(state[kernel.S_STORED]), int(state[kernel.S_MEMBERS])
        loops_left = self.max_loops - self.stored
        members_left = self.max_members - self.members
        if loops_left <= 0 or members_left <= 0:
            return False
        new_loops = min(loops_left, max(2 * loops, 1024))
        new_members = min(members_left, max(2 * members, 1 << 14))
        if in_block == (0, 0):
            # The next loop did not fit an empty block: only what was short may grow.
            if in_block[0] >= loops:
                new_members = members
                if new_loops <= loops:
                    return False
            else:
                new_loops = loops
                if new_members <= members:
                    return False
        if in_block != (0, 0):
            self._blocks.append(self._current_block())
            self._block_loops += in_block[0]
            self._block_members += in_block[1]
        a["out_code"] = _zeros(a["out_code"], new_loops)
        a["out_start"] = _zeros(a["out_start"], new_loops + 1)
        a["out_edges"] = _zeros(a["out_edges"], new_members)
        state[kernel.S_STORED] = 0
        state[kernel.S_MEMBERS] = 0
        return True

    def _to_numpy(self, started: bool = True) -> None:
        """Move the search's state to numpy arrays for the compiled kernel; before the search
        has ``started`` every buffer but ``done`` is zeros, made as such (converting a list of
        16,000 zeros costs more than a small search)."""
        import numpy as np

        if compiled_kernel() is None:
            return
        int64 = ("state", "mark", "counts", "through", "link_count", "out_start", "seen")
        int8 = ("blocked", "onpath", "inb", "done", "out_code")
        for name, value in self.a.items():
            dtype = np.int64 if name in int64 else np.int8 if name in int8 else np.int32
            if started or name == "done":
                self.a[name] = np.asarray(value, dtype=dtype)
            else:
                self.a[name] = np.zeros(len(value), dtype=dtype)
        self.graph_arrays = self.graph.arrays(numpy=True)
        self.numpy = True
        self.steps = max(self.steps, 200_000)


def _zeros(like: Any, size: int) -> Any:
    """A new buffer of ``size`` of the kind of ``like`` (numpy's pages are only touched when
    written, so a large one costs nothing until used)."""
    if isinstance(like, list):
        return [0] * size
    import numpy as np

    return np.zeros(size, dtype=like.dtype)
