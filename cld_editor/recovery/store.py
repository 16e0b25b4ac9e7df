"""The recovery store: :class:`RecoveryStore` writes, lists, loads, claims and removes the
recovery copies in its folder, and :class:`RecoveryEntry` describes one (see the package doc for
what a copy is and how the folder is trusted). Whether a copy's owning process still runs is
:mod:`.processes`. It does not import Qt.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from ..core.model import Diagram
from ..formats.native import LoadError, atomic_write, dumps_diagram, load_diagram
from ..formats.reading import UnreadableFile, read_regular_file
from .processes import pid_alive, process_start_identity

log = logging.getLogger(__name__)

APP_NAME = "cld-editor"
ENV_STATE_DIR = "CLD_EDITOR_STATE_DIR"
DATA_SUFFIX = ".cld.json"
META_SUFFIX = ".meta.json"
META_FORMAT = "cld-recovery"
META_VERSION = 1
_MAX_META_BYTES = 64 * 1024
_ENTRY_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SESSION_ID = re.compile(r"^(\d{1,10})-[0-9a-f]{8}$")


def default_recovery_dir() -> Path:
    """``$CLD_EDITOR_STATE_DIR/recovery`` if set (tests), else the per-user state folder's."""
    override = os.environ.get(ENV_STATE_DIR)
    base = Path(override) if override else Path(platformdirs.user_state_dir(APP_NAME))
    return base / "recovery"


@dataclass(frozen=True)
class RecoveryEntry:
    """One recovery copy on disk. ``problem`` says why it cannot be restored (None: it can)."""

    key: str
    session_id: str
    entry_id: str
    pid: int | None
    original_path: str | None
    display_name: str
    saved_at: datetime | None
    data_path: Path
    meta_path: Path
    process_start: str | None = None
    problem: str | None = None

    @property
    def untitled(self) -> bool:
        return self.original_path is None


class RecoveryStore:
    """Reads and writes recovery entries in one folder; see the module docstring."""

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_recovery_dir()
        self.pid = os.getpid()
        # The pid is part of the session id, so even an entry whose metadata never got written
        # still names its owner.
        self.session_id = f"{self.pid}-{secrets.token_hex(4)}"
        self._process_start = process_start_identity(self.pid)

    # -- this session's entries -----------------------------------------------------------
    def save(
        self,
        entry_id: str,
        diagram: Diagram,
        original_path: str | os.PathLike[str] | None,
        display_name: str,
    ) -> RecoveryEntry:
        """Write (or overwrite) this session's copy ``entry_id``; OSError propagates."""
        key = self._key(entry_id)
        data_path, meta_path = self._paths(key)
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        saved_at = datetime.now(UTC)
        # Diagram first, then its metadata: a kill in between leaves a usable diagram.
        atomic_write(data_path, dumps_diagram(diagram).encode("utf-8"))
        path = None if original_path is None else os.fspath(original_path)
        meta = self._meta(entry_id, path, display_name, saved_at)
        atomic_write(meta_path, (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode())
        return self._entry(key, meta, data_path, meta_path, None)

    def remove(self, entry_id: str) -> None:
        """Delete this session's copy ``entry_id`` (after a save, or when changes are discarded)."""
        self._unlink_pair(self._key(entry_id))

    def clear_session(self) -> None:
        """Delete every copy of this session: called on a clean exit."""
        for key in self._keys():
            if key.startswith(self.session_id + "."):
                self._unlink_pair(key)

    def new_entry_id(self) -> str:
        """A fresh entry id, unique within this session."""
        return secrets.token_hex(6)

    # -- other sessions' entries ----------------------------------------------------------
    def entries(self) -> list[RecoveryEntry]:
        """Every entry in the folder (any owner), oldest first; unreadable ones carry a problem."""
        found = [self._read(key) for key in self._keys()]
        entries = [entry for entry in found if entry is not None]
        return sorted(entries, key=lambda e: e.saved_at or datetime.min.replace(tzinfo=UTC))

    def orphans(self) -> list[RecoveryEntry]:
        """Entries left by processes that are no longer running, each checked for loading."""
        orphans: list[RecoveryEntry] = []
        for entry in self.entries():
            if self._owned_by_live_process(entry):
                continue
            if entry.problem is None:
                try:
                    self.load(entry)
                except LoadError as exc:
                    entry = _with_problem(entry, f"the recovery copy cannot be read: {exc}")
            orphans.append(entry)
        self._remove_dead_temporaries()
        return orphans

    def load(self, entry: RecoveryEntry) -> Diagram:
        """The diagram of ``entry``; raises LoadError (never anything else) when it is unusable.

        The folder is untrusted: read like File > Open reads (the same loader and size limit),
        and only a regular file, never through a symbolic link (a FIFO would block the start,
        a link to /dev/zero would read until memory runs out).
        """
        try:
            return load_diagram(entry.data_path, follow_symlinks=False)
        except LoadError as exc:
            if str(exc) == "no such file":
                raise LoadError("the recovery copy is gone") from None
            raise

    def discard(self, entry: RecoveryEntry) -> None:
        """Delete an entry the user chose to discard (any owner)."""
        self._unlink_pair(entry.key)

    def claim(self, entry: RecoveryEntry) -> str:
        """Take over an orphan restored into this session; returns its entry id here.

        The copy stays on disk under this session's name until the restored document is saved
        or discarded, so a crash right after restoring loses nothing. Raises FileNotFoundError
        when another process claimed it first.
        """
        entry_id = entry.entry_id
        while (self.folder / (self._key(entry_id) + DATA_SUFFIX)).exists():
            entry_id = self.new_entry_id()
        key = self._key(entry_id)
        data_path, meta_path = self._paths(key)
        meta = self._meta(
            entry_id, entry.original_path, entry.display_name, entry.saved_at or datetime.now(UTC)
        )
        # New metadata, then move the diagram, then drop the old metadata: at every moment the
        # diagram has an owner-naming file beside it.
        atomic_write(meta_path, (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode())
        try:
            os.replace(entry.data_path, data_path)
        except FileNotFoundError:
            meta_path.unlink(missing_ok=True)
            raise
        entry.meta_path.unlink(missing_ok=True)
        return entry_id

    # -- helpers ---------------------------------------------------------------------------
    def _meta(
        self, entry_id: str, original_path: str | None, display_name: str, saved_at: datetime
    ) -> dict[str, object]:
        """The metadata of this session's copy ``entry_id``."""
        return {
            "format": META_FORMAT,
            "version": META_VERSION,
            "session_id": self.session_id,
            "entry_id": entry_id,
            "pid": self.pid,
            "process_start": self._process_start,
            "original_path": original_path,
            "display_name": display_name,
            "saved_at": saved_at.isoformat(),
        }

    def _key(self, entry_id: str) -> str:
        if not _ENTRY_ID.match(entry_id):
            raise ValueError(f"invalid recovery entry id {entry_id!r}")
        return f"{self.session_id}.{entry_id}"

    def _paths(self, key: str) -> tuple[Path, Path]:
        return self.folder / (key + DATA_SUFFIX), self.folder / (key + META_SUFFIX)

    def _keys(self) -> list[str]:
        try:
            names = os.listdir(self.folder)
        except OSError:
            return []
        keys: set[str] = set()
        for name in names:
            for suffix in (DATA_SUFFIX, META_SUFFIX):
                if name.endswith(suffix) and _split_key(name[: -len(suffix)]) is not None:
                    keys.add(name[: -len(suffix)])
        return sorted(keys)

    def _unlink_pair(self, key: str) -> None:
        data_path, meta_path = self._paths(key)
        # The diagram first: a stray metadata file is harmless, a stray diagram would be offered.
        data_path.unlink(missing_ok=True)
        meta_path.unlink(missing_ok=True)

    def _read(self, key: str) -> RecoveryEntry | None:
        session_id, entry_id = _split_key(key)  # type: ignore[misc]
        data_path, meta_path = self._paths(key)
        if not os.path.lexists(data_path):
            if not _pid_from_session(session_id) or not self._session_alive(session_id, None):
                # Metadata of a diagram that is gone holds no work (an interrupted removal).
                with contextlib.suppress(OSError):
                    meta_path.unlink(missing_ok=True)
            return None
        meta, problem = _read_meta(meta_path)
        if meta is None or meta.get("session_id") != session_id:
            # The diagram is there but its metadata is not (killed between the two writes):
            # still restorable, under a generic name.
            try:
                mtime = datetime.fromtimestamp(data_path.lstat().st_mtime, UTC)
            except OSError:
                mtime = None
            meta = {
                "session_id": session_id,
                "entry_id": entry_id,
                "pid": _pid_from_session(session_id),
                "display_name": "Recovered diagram",
                "saved_at": mtime.isoformat() if mtime else None,
            }
            if problem:
                log.warning("recovery metadata %s: %s", meta_path, problem)
        return self._entry(key, meta, data_path, meta_path, None)

    def _entry(
        self, key: str, meta: dict[str, Any], data_path: Path, meta_path: Path, problem: str | None
    ) -> RecoveryEntry:
        session_id, entry_id = _split_key(key)  # type: ignore[misc]
        pid = meta.get("pid")
        original = meta.get("original_path")
        name = meta.get("display_name")
        start = meta.get("process_start")
        return RecoveryEntry(
            key=key,
            session_id=session_id,
            entry_id=entry_id,
            pid=pid if type(pid) is int else _pid_from_session(session_id),
            original_path=original if isinstance(original, str) else None,
            display_name=name if isinstance(name, str) and name else "Recovered diagram",
            saved_at=_parse_time(meta.get("saved_at")),
            data_path=data_path,
            meta_path=meta_path,
            process_start=start if isinstance(start, str) else None,
            problem=problem,
        )

    def _owned_by_live_process(self, entry: RecoveryEntry) -> bool:
        if entry.session_id == self.session_id:
            return True
        return self._session_alive(entry.session_id, entry.process_start, entry.pid)

    def _session_alive(
        self, session_id: str, process_start: str | None, pid: int | None = None
    ) -> bool:
        pid = pid if pid is not None else _pid_from_session(session_id)
        if pid is None:
            return False
        if pid == self.pid:
            # This process: never an orphan, whichever store wrote it.
            return process_start is None or process_start == self._process_start
        if not pid_alive(pid):
            return False
        if process_start is None:
            return True
        current = process_start_identity(pid)
        # A different start identity means the pid was reused by an unrelated process.
        return current is None or current == process_start

    def _remove_dead_temporaries(self) -> None:
        """Temporary files of atomic writes that a killed process never finished: not work."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if not (name.startswith(".") and name.endswith(".tmp")):
                continue
            session_id = name[1:].split(".", 1)[0]
            if _pid_from_session(session_id) is None:
                continue
            if not self._session_alive(session_id, None):
                with contextlib.suppress(OSError):
                    (self.folder / name).unlink()


def _split_key(key: str) -> tuple[str, str] | None:
    session_id, dot, entry_id = key.partition(".")
    if not dot or not _SESSION_ID.match(session_id) or not _ENTRY_ID.match(entry_id):
        return None
    return session_id, entry_id


def _pid_from_session(session_id: str) -> int | None:
    match = _SESSION_ID.match(session_id)
    return int(match.group(1)) if match else None


def _read_meta(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    if not os.path.lexists(path):
        return None, None
    try:
        data = read_regular_file(path, _MAX_META_BYTES, follow_symlinks=False)
    except UnreadableFile as exc:
        return None, f"metadata unreadable ({exc})"
    try:
        raw = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        return None, f"metadata unreadable ({type(exc).__name__})"
    if not isinstance(raw, dict) or raw.get("format") != META_FORMAT:
        return None, "not recovery metadata"
    return raw, None


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _with_problem(entry: RecoveryEntry, problem: str) -> RecoveryEntry:
    return replace(entry, problem=problem)
