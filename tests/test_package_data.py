"""Every data file silkway reads ships in the wheel: ``pyproject.toml``'s package-data
patterns cover each file under ``src/silkway/data`` and the web page's files under
``src/silkway/serve/static``, vendor files that ``setup.py`` builds included (an editable
install reads them from the tree and would not notice a missing pattern; ``pip install
.`` would)."""

from __future__ import annotations

import ast
import fnmatch
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _matches(path: str, pattern: str) -> bool:
    """Whether setuptools' package-data glob ``pattern`` takes ``path``: ``*`` stays
    within one folder (fnmatch's would cross ``/``)."""
    parts, pats = path.split("/"), pattern.split("/")
    return len(parts) == len(pats) and all(map(fnmatch.fnmatch, parts, pats))


def _patterns() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns: list[str] = config["tool"]["setuptools"]["package-data"]["silkway"]
    return patterns


def vendor_files() -> dict[str, str]:
    """``setup.py``'s VENDOR_FILES (node_modules path -> path under static/vendor/),
    read without running setup.py."""
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "VENDOR_FILES" for t in node.targets
        ):
            files: dict[str, str] = ast.literal_eval(node.value)
            return files
    raise AssertionError("setup.py has no VENDOR_FILES")


def test_package_data_covers_the_web_page() -> None:
    patterns = _patterns()
    package = ROOT / "src" / "silkway"
    static = package / "serve" / "static"
    files = [
        p.relative_to(package).as_posix()
        for p in static.iterdir()  # the page's own files (vendor/ may not be built yet)
        if p.is_file()
    ]
    files += [f"serve/static/vendor/{dest}" for dest in vendor_files().values()]
    assert "serve/static/index.html" in files
    missing = [f for f in files if not any(_matches(f, pat) for pat in patterns)]
    assert not missing, f"not in pyproject.toml package-data: {missing}"


def test_package_data_covers_every_data_file() -> None:
    patterns = _patterns()
    package = ROOT / "src" / "silkway"
    files = [
        p.relative_to(package).as_posix()
        for p in (package / "data").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ]
    assert files
    missing = [f for f in files if not any(_matches(f, pat) for pat in patterns)]
    assert not missing, f"not in pyproject.toml package-data: {missing}"


def test_the_web_page_loads_only_files_that_ship() -> None:
    """Every URL index.html and its modules load is a page file or a vendor file that
    setup.py builds, and none is off the server (no CDN, no absolute URL)."""
    static = ROOT / "src" / "silkway" / "serve" / "static"
    shipped = {p.name for p in static.iterdir() if p.is_file()}
    shipped |= {f"vendor/{dest}" for dest in vendor_files().values()}
    html = (static / "index.html").read_text(encoding="utf-8")
    loaded = re.findall(r'(?:href|src)="(?:\./)?static/([^"]+)"', html)
    loaded += re.findall(r'"\./static/([^"]+)"', html)  # the import map
    modules = sorted(static.glob("*.js"))
    for module in modules:
        loaded += re.findall(r'from "\./([^"]+)"', module.read_text(encoding="utf-8"))
    assert "app.js" in loaded and "vendor/maplibre-gl/maplibre-gl.mjs" in loaded
    assert sorted(set(loaded) - shipped) == []
    for page_file in [static / "index.html", static / "style.css", *modules]:
        text = page_file.read_text(encoding="utf-8")
        assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text), page_file.name
