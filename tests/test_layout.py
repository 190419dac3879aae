"""The test tree itself: every test module's file name is unique.

pytest imports test modules by their base name (the default ``prepend`` import mode, which
the ``_*_util`` helper imports rely on), so two ``test_network.py`` in different folders
stop the whole run at collection. This check names the clash instead.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_test_module_names_are_unique() -> None:
    seen: dict[str, list[str]] = defaultdict(list)
    for path in TESTS.rglob("test_*.py"):
        seen[path.name].append(str(path.relative_to(TESTS)))
    clashes = {name: paths for name, paths in seen.items() if len(paths) > 1}
    assert not clashes, f"rename one of each: {clashes}"
