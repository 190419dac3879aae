"""Writing and pruning the files of silkway's on-disk caches.

Both caches (compiled networks, :mod:`silkway.cli._cache`; influence figures,
:mod:`silkway.quality.cache`) are optimisations only: every helper here swallows
``OSError``, so an unwritable or contended cache folder costs time, never a result.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO


def write_atomic(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Write ``path`` through a temporary file in its folder (created if missing) and
    rename it into place, so readers never see half a file."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                write(fh)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def prune(folder: Path, pattern: str, keep: int) -> None:
    """Delete all but the ``keep`` most recently written files matching ``pattern``."""
    with contextlib.suppress(OSError):  # another process may be pruning too
        entries = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[: max(0, len(entries) - keep)]:
            with contextlib.suppress(OSError):
                old.unlink()
