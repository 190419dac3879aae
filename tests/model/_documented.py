"""The stable problem codes listed in ``docs/output-schema.md`` and ``docs/network-format.md``."""

from __future__ import annotations

import re
from pathlib import Path

_DOCS = Path(__file__).resolve().parents[2] / "docs"


def _codes(file: str, marker: str) -> frozenset[str]:
    """The backquoted codes after ``marker`` in its paragraph (line wrapping ignored)."""
    text = (_DOCS / file).read_text(encoding="utf-8")
    for paragraph in re.split(r"\n\s*\n", text):
        flat = " ".join(paragraph.split())
        if marker in flat:
            return frozenset(re.findall(r"`([a-z0-9-]+)`", flat.split(marker, 1)[1]))
    raise AssertionError(f"docs/{file} no longer says {marker!r}")


DOCUMENTED_CODES: frozenset[str] = _codes("output-schema.md", "Problem codes are stable:") | _codes(
    "network-format.md", "these problem codes are stable too:"
)
