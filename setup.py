"""Build hook: the web page's front-end packages, from the npm lockfile, into the package.

Everything else about the build is in ``pyproject.toml``. This file adds one step to
every build (``pip install .``, ``pip install -e .``, ``python -m build``): ``build_web``
runs ``npm ci`` in ``web/`` (exactly the versions ``web/package-lock.json`` pins) and
copies the files the page loads into ``src/silkway/serve/static/vendor/`` (gitignored),
which ``pyproject.toml``'s package-data ships in the wheel. See docs/web.md.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path
from typing import ClassVar

from setuptools import Command, setup
from setuptools.command.build import build
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
WEB = ROOT / "web"
VENDOR = ROOT / "src" / "silkway" / "serve" / "static" / "vendor"
STAMP = VENDOR / "lock.sha256"

# node_modules path -> path under vendor/: what index.html's import map and <link> load
VENDOR_FILES = {
    "maplibre-gl/dist/maplibre-gl.mjs": "maplibre-gl/maplibre-gl.mjs",
    "maplibre-gl/dist/maplibre-gl-worker.mjs": "maplibre-gl/maplibre-gl-worker.mjs",
    "maplibre-gl/dist/maplibre-gl.css": "maplibre-gl/maplibre-gl.css",
    "maplibre-gl/LICENSE.txt": "maplibre-gl/LICENSE.txt",
}


def _lock_hash() -> str:
    lock = (WEB / "package-lock.json").read_bytes()
    files = repr(sorted(VENDOR_FILES.items())).encode()
    return hashlib.sha256(lock + files).hexdigest()


def _up_to_date() -> bool:
    if not all((VENDOR / dest).is_file() for dest in VENDOR_FILES.values()):
        return False
    if not (WEB / "package-lock.json").is_file():
        return True  # built before (e.g. an unpacked wheel): nothing to rebuild from
    return STAMP.is_file() and STAMP.read_text(encoding="ascii").strip() == _lock_hash()


class BuildWeb(Command):
    """Install web/'s npm packages from the lockfile and copy the page's vendor files."""

    description = "build the web page's vendor files from web/package-lock.json (needs npm)"
    user_options: ClassVar[list[tuple[str, str | None, str]]] = []

    def initialize_options(self) -> None:
        pass

    def finalize_options(self) -> None:
        pass

    def run(self) -> None:
        if _up_to_date():
            return
        if not (WEB / "package-lock.json").is_file():
            raise SystemExit(
                "silkway build: web/package-lock.json is missing and the web page's vendor "
                f"files are not in {VENDOR}; build from a git checkout or the sdist"
            )
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit(
                "silkway build: npm was not found on PATH. silkway serve's web page needs its "
                "front-end packages (maplibre-gl), installed from web/package-lock.json with "
                "`npm ci` while silkway is built. Install Node.js with npm (Debian/Ubuntu: "
                "`apt-get install npm`) and run the install again."
            )
        cmd = [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"]
        print(f"silkway build: {' '.join(cmd[1:])} in {WEB}")
        done = subprocess.run(cmd, cwd=WEB, check=False)
        if done.returncode != 0:
            raise SystemExit(
                f"silkway build: `npm ci` failed in {WEB} (exit status {done.returncode}); "
                "see npm's messages above"
            )
        if VENDOR.exists():
            shutil.rmtree(VENDOR)
        for src, dest in VENDOR_FILES.items():
            target = VENDOR / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(WEB / "node_modules" / src, target)
        STAMP.write_text(_lock_hash() + "\n", encoding="ascii")


class BuildPyWithWeb(build_py):
    """build_py that builds the vendor files first, then lists package data anew."""

    def run(self) -> None:
        self.run_command("build_web")
        self.__dict__.pop("data_files", None)  # computed lazily: glob again, vendor included
        super().run()


# build_web runs first among build's steps: editable installs run those steps too
# (and, unlike a custom build_py, let its errors stop the install)
build.sub_commands = [("build_web", None), *build.sub_commands]

setup(cmdclass={"build_web": BuildWeb, "build_py": BuildPyWithWeb})
