"""The stable problem codes listed in ``docs/output-schema.md``."""

from __future__ import annotations

import re
from pathlib import Path

_DOC = Path(__file__).resolve().parents[2] / "docs" / "output-schema.md"
_TEXT = _DOC.read_text(encoding="utf-8").split("Problem codes are stable:")[1].split("##")[0]
DOCUMENTED_CODES: frozenset[str] = frozenset(re.findall(r"`([a-z0-9-]+)`", _TEXT))
