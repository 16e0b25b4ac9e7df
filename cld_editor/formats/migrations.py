"""The upgrades of older ``.cld.json`` files: pure dict -> dict functions, one per version.

``native.MIGRATIONS[n]`` is the function here that turns the body of a version-n file (the
dict without ``format`` and ``version``) into the body of a version n+1 file. They never change
their argument, read no files, clock or randomness; each has fixtures in
``resources/fixtures/v<n>/`` (see docs/file-format.md, "Versions").
"""

from __future__ import annotations

from typing import Any


def upgrade_v1_to_v2(body: dict[str, Any]) -> dict[str, Any]:
    """Version 2 added the optional ``story`` key and nothing else, so a version-1 body is a
    version-2 body as it is. A version-1 file that has a ``story`` is refused: no version-1
    program wrote one, and it would have refused it as an unknown key."""
    if "story" in body:
        raise ValueError('"story" is not a version 1 key (stories need version 2)')
    return dict(body)
