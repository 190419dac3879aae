"""``setup.py``'s build_web step, on a copy of the build files (never on the tree's own
vendor folder): without npm it stops with a message that says what to install, and
with the vendor files already built from the current lockfile it needs no npm at all.
The npm route itself runs in every install (``pip install -e ".[test]"`` in .ci/run)
and the browser tests load what it built."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A minimal copy of the project's build inputs (no npm packages installed)."""
    for name in ("setup.py", "pyproject.toml", "README.md", "MANIFEST.in"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "web").mkdir()
    for name in ("package.json", "package-lock.json"):
        shutil.copy(ROOT / "web" / name, tmp_path / "web" / name)
    (tmp_path / "src" / "silkway" / "serve" / "static").mkdir(parents=True)
    (tmp_path / "src" / "silkway" / "__init__.py").write_text("", encoding="utf-8")
    return tmp_path


def _build_web(project: Path, path: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "setup.py", "-q", "build_web"],
        cwd=project,
        env={"PATH": path, "HOME": str(project)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_without_npm_the_build_says_what_to_install(project: Path) -> None:
    empty = project / "no-npm-here"
    empty.mkdir()
    done = _build_web(project, str(empty))
    assert done.returncode != 0
    assert "npm was not found on PATH" in done.stderr
    assert "apt-get install npm" in done.stderr
    assert not (project / "src" / "silkway" / "serve" / "static" / "vendor").exists()


def test_built_vendor_files_need_no_npm(project: Path) -> None:
    """Vendor files stamped with the current lockfile's hash are taken as they are."""
    vendor_src = ROOT / "src" / "silkway" / "serve" / "static" / "vendor"
    if not (vendor_src / "lock.sha256").is_file():
        pytest.skip("the tree's vendor files are not built (run: python setup.py build_web)")
    shutil.copytree(vendor_src, project / "src" / "silkway" / "serve" / "static" / "vendor")
    empty = project / "no-npm-here"
    empty.mkdir()
    done = _build_web(project, str(empty))
    assert done.returncode == 0, done.stderr
    # a changed lockfile makes them stale: then npm is needed again
    lock = project / "web" / "package-lock.json"
    lock.write_text(lock.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    done = _build_web(project, str(empty))
    assert done.returncode != 0 and "npm was not found" in done.stderr
