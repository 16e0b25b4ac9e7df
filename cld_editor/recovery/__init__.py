"""Recovery copies of unsaved diagrams, so that a crash or a kill never loses a workshop's work.

A :class:`RecoveryStore` owns one folder (by default ``<user state dir>/recovery``). Each open
document with unsaved changes has one entry there, named ``<session id>.<entry id>``: the
diagram as ``.cld.json`` bytes plus a small ``.meta.json`` (original path or None for untitled,
display name, time saved, owning pid and process start identity, session id). Both files are
written atomically, the diagram first, so a kill at any moment leaves either the previous copy or
the new one. Entries whose owning process is gone are *orphans*: the next start offers them back.
The folder is read at every start and is untrusted: copies and metadata are read only when
they are regular files (not symbolic links, never FIFOs or devices), with File > Open's loader
and size limit, and a copy that cannot be read is listed with its problem, never in the way of
the others. This module never deletes an entry on its own judgement, except files that hold no
work (a metadata file whose diagram is gone, a temporary file of a dead writer). The store is
:mod:`.store`, the process liveness checks :mod:`.processes`. It does not import Qt.
"""

from .processes import pid_alive, process_start_identity
from .store import (
    APP_NAME,
    ENV_STATE_DIR,
    RecoveryEntry,
    RecoveryStore,
    default_recovery_dir,
)

__all__ = [
    "APP_NAME",
    "ENV_STATE_DIR",
    "RecoveryEntry",
    "RecoveryStore",
    "default_recovery_dir",
    "pid_alive",
    "process_start_identity",
]
