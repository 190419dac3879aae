"""The stable problem codes listed in ``docs/output-schema.md`` and ``docs/network-format.md``."""

from __future__ import annotations

import re
from pathlib import Path

_DOCS = Path(__file__).resolve().parents[2] / "docs"


def _codes(file: str, marker: str) -> frozenset[str]:
    text = (_DOCS / file).read_text(encoding="utf-8").split(marker)[1].split("\n\n")[0]
    return frozenset(re.findall(r"`([a-z0-9-]+)`", text))


DOCUMENTED_CODES: frozenset[str] = _codes("output-schema.md", "Problem codes are stable:") | _codes(
    "network-format.md", "these problem codes\nare stable too:"
)
