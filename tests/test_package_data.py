"""Every data file silkway reads ships in the wheel: ``pyproject.toml``'s package-data
patterns cover each file under ``src/silkway/data`` (an editable install reads them from
the tree and would not notice a missing pattern; ``pip install .`` would)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_package_data_covers_every_data_file() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["silkway"]
    package = ROOT / "src" / "silkway"
    files = [
        p.relative_to(package).as_posix()
        for p in (package / "data").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ]
    assert files
    missing = [f for f in files if not any(fnmatch.fnmatch(f, pat) for pat in patterns)]
    assert not missing, f"not in pyproject.toml package-data: {missing}"
