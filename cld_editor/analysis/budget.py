"""The limits on one loop analysis, shared by the command line, the editor's Preferences and
every other caller: one :class:`Budget`, where 0 always means "this limit off", and
:meth:`Budget.no_limits` the one way to ask for no limits at all.

Even with no limits, a listing never takes more memory than the machine has: the loops kept
are bounded by :func:`memory_guard_members` (a quarter of the physical memory), and a search that
reaches it stops with the shortest loops kept and says so ("size limit"). Counting every loop
without keeping them (:func:`~cld_editor.analysis.census.count_loops`) needs no such bound.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

DEFAULT_MAX_LOOPS = 100_000
DEFAULT_TIME_LIMIT = 10.0
#: Members kept in all (the sum of the loops' lengths): about 5 bytes each in the compact table
#: (more in CPython where numba is missing), so 50 million is a few hundred megabytes.
DEFAULT_MAX_MEMBERS = 50_000_000
#: A census keeps nothing per loop, so it may run longer by default.
DEFAULT_CENSUS_TIME_LIMIT = 60.0
#: Bytes one kept member may take at worst (a Python list slot plus its share of the loop's
#: entries), for the memory guard.
BYTES_PER_MEMBER = 16


@dataclass(frozen=True)
class Budget:
    """Limits on one analysis; 0 turns a limit off (``None`` is read as 0).

    ``max_loops``: loops listed; ``max_length``: links in a loop (longer loops are left out,
    and the result can still be complete); ``time_limit``: seconds for the whole call;
    ``max_members``: the sum of the lengths of the loops listed, which bounds their memory
    (with 0, the memory guard alone bounds it).
    """

    max_loops: int = DEFAULT_MAX_LOOPS
    max_length: int = 0
    time_limit: float = DEFAULT_TIME_LIMIT
    max_members: int = DEFAULT_MAX_MEMBERS

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if value is None:
                object.__setattr__(self, item.name, 0)
            elif value < 0:
                raise ValueError(f"{item.name} must be 0 (off) or more, not {value}")

    @classmethod
    def no_limits(cls) -> Budget:
        """No limit on loops, length, time or members: only the memory guard remains."""
        return cls(max_loops=0, max_length=0, time_limit=0, max_members=0)

    @property
    def unlimited(self) -> bool:
        return self == Budget.no_limits()

    def loops_cap(self) -> int:
        """Loops that may be listed: the loop limit, or effectively none."""
        return self.max_loops or (1 << 62)

    def members_cap(self) -> int:
        """Members that may be kept: the member limit within the memory guard."""
        guard = memory_guard_members()
        return min(self.max_members, guard) if self.max_members else guard

    def describe(self) -> str:
        """The limits in words, for help texts and logs."""
        parts = [
            f"at most {self.max_loops:,} loops" if self.max_loops else "no loop limit",
            f"loops of up to {self.max_length} links" if self.max_length else "any length",
            f"{self.time_limit:g} s" if self.time_limit else "no time limit",
        ]
        return ", ".join(parts)


def memory_guard_members() -> int:
    """Members a listing may keep whatever its budget: a quarter of the physical memory."""
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        physical = 8 << 30
    return max(1_000_000, physical // 4 // BYTES_PER_MEMBER)
