"""``python -m cld_editor``: the same as the ``cld-editor`` command."""

from .cli import entry

raise SystemExit(entry())
