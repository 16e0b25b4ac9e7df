"""``python -m cld_editor``: the same as the ``cld-editor`` command."""

from .cli import main

raise SystemExit(main())
