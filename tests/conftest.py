"""Shared fixtures: the tiny test network, and an editable copy of it for error tests."""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from silkway.model import load_network
from silkway.model.records import Network

TINY = Path(__file__).parent / "data" / "tiny"


def pytest_configure(config: pytest.Config) -> None:
    # When a hypothesis test fails, hypothesis writes a patch with the failing example,
    # which imports mypy_extensions and triggers its DeprecationWarning; under
    # ``filterwarnings = error`` that turns the report of the failure into an
    # INTERNALERROR. The warning is not ours; ignore just that one.
    config.addinivalue_line(
        "filterwarnings", "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
    )


@pytest.fixture(scope="session", autouse=True)
def _network_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Commands run by the tests cache compiled networks in a temporary folder, not
    in the user's ``~/.cache`` (in-process and console-script runs alike)."""
    os.environ["SILKWAY_CACHE_DIR"] = str(tmp_path_factory.mktemp("silkway-cache"))


@pytest.fixture(scope="session")
def tiny_path() -> Path:
    """The folder of the six-place tiny network (never modified)."""
    return TINY


@pytest.fixture(scope="session")
def tiny_network(tiny_path: Path) -> Network:
    """The tiny network, loaded and validated once per session."""
    return load_network(tiny_path)


class NetworkCopy:
    """A copy of a network folder whose CSV files can be edited one cell or row at a time.

    Rows are addressed by their ``id`` cell. Files are rewritten with the csv module, so
    the line of row *k* (0-based, after the header) stays ``k + 2``.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self, file: str) -> tuple[list[str], list[dict[str, str]]]:
        with (self.path / file).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            return list(reader.fieldnames or []), list(reader)

    def _write(self, file: str, header: list[str], rows: list[dict[str, str]]) -> None:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        (self.path / file).write_text(buf.getvalue(), encoding="utf-8")

    def rows(self, file: str) -> list[dict[str, str]]:
        """The rows of ``file`` as dicts."""
        return self._read(file)[1]

    def line_of(self, file: str, row_id: str) -> int:
        """1-based line number of the row whose id is ``row_id`` (the header is line 1)."""
        for k, row in enumerate(self.rows(file)):
            if row["id"] == row_id:
                return k + 2
        raise KeyError(row_id)

    def set(self, file: str, row_id: str, column: str, value: str) -> int:
        """Set one cell; return the row's line number."""
        header, rows = self._read(file)
        assert column in header, f"{file} has no column {column}"
        for row in rows:
            if row["id"] == row_id:
                row[column] = value
                break
        else:
            raise KeyError(row_id)
        self._write(file, header, rows)
        return self.line_of(file, row_id)

    def delete(self, file: str, row_id: str) -> None:
        """Delete the row whose id is ``row_id``."""
        header, rows = self._read(file)
        kept = [r for r in rows if r["id"] != row_id]
        assert len(kept) == len(rows) - 1, f"no row {row_id} in {file}"
        self._write(file, header, kept)

    def add(self, file: str, **cells: str) -> int:
        """Append a row (missing cells empty); return its line number."""
        header, rows = self._read(file)
        unknown = set(cells) - set(header)
        assert not unknown, f"{file} has no columns {unknown}"
        rows.append({h: cells.get(h, "") for h in header})
        self._write(file, header, rows)
        return len(rows) + 1

    def copy_row(self, file: str, row_id: str, **changes: str) -> int:
        """Append a copy of a row with some cells changed; return its line number."""
        row = next(r for r in self.rows(file) if r["id"] == row_id)
        return self.add(file, **{**row, **changes})

    def write(self, file: str, content: str | bytes) -> None:
        """Replace a file's raw content."""
        target = self.path / file
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")

    def remove(self, file: str) -> None:
        """Delete a whole file."""
        (self.path / file).unlink()


@pytest.fixture
def tiny_copy(tmp_path: Path, tiny_path: Path) -> NetworkCopy:
    """A fresh, editable copy of the tiny network in ``tmp_path``."""
    dest = tmp_path / "tiny"
    shutil.copytree(tiny_path, dest)
    return NetworkCopy(dest)


@pytest.fixture
def make_overlay(tmp_path: Path) -> Callable[[str, dict[str, str]], Path]:
    """Write an overlay folder ``tmp_path/<name>`` from a ``{file: text}`` dict."""

    def make(name: str, files: dict[str, str]) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        for file, text in files.items():
            (folder / file).write_text(text, encoding="utf-8")
        return folder

    return make
