"""Readers of event logs: CSV, JSON Lines and Parquet, into one Arrow table of text.

Every reader returns the columns of :data:`silkway.monitor.schema.INPUT_COLUMNS`, all
as text exactly as written (numbers in JSON or Parquet become their decimal text,
Parquet timestamps ISO 8601 text; empty cells are null), plus ``row_number``: the
1-based position of the record in the file, header not counted. Validation (see
:mod:`silkway.monitor.validate`) then judges each row; a reader only fails when the
file cannot be read as an event log at all (missing, not the format its name says,
or without a required column), with a :class:`~silkway.monitor.errors.MonitorError`
naming the file. The files are read by DuckDB's vectorised readers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import MonitorError
from .schema import INPUT_COLUMNS, REQUIRED_COLUMNS

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa  # type: ignore[import-untyped]

FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".txt": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
"""File name endings -> format (a ``.gz`` after a CSV or JSON Lines ending is read
compressed)."""


def log_format(path: Path) -> str:
    """The format of an event log from its name: ``csv``, ``jsonl`` or ``parquet``.

    Raises
    ------
    MonitorError
        If the name ends in none of :data:`FORMATS`.
    """
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    fmt = FORMATS.get(suffixes[-1]) if suffixes else None
    if fmt is None or (fmt == "parquet" and path.suffix.lower() == ".gz"):
        raise MonitorError(
            f"{path}: cannot tell the format of the event log from its name; use one of "
            + ", ".join(sorted(FORMATS))
        )
    return fmt


def read_events(path: str | Path, *, con: duckdb.DuckDBPyConnection | None = None) -> pa.Table:
    """Read an event log (CSV, JSON Lines or Parquet, by its name) as text columns.

    Parameters
    ----------
    path
        The file. CSV files have a header row naming the columns (any order; columns
        not in :data:`~silkway.monitor.schema.INPUT_COLUMNS` are ignored, optional
        columns may be left out); JSON Lines files have one object per line; Parquet
        files have columns of those names, of any type.
    con
        A DuckDB connection to read with (default: a new in-memory one).

    Returns
    -------
    pyarrow.Table
        ``row_number`` (int64) then the input columns, as strings, in file order.

    Raises
    ------
    MonitorError
        If the file is missing or unreadable, is not valid CSV / JSON Lines / Parquet,
        or lacks one of the required columns.
    """
    import duckdb

    path = Path(path)
    fmt = log_format(path)
    if not path.is_file():
        raise MonitorError(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    try:
        with path.open("rb") as fh:
            fh.read(1)
    except OSError as exc:
        raise MonitorError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    own = con is None
    db = duckdb.connect() if con is None else con
    try:
        return _read(db, path, fmt)
    except duckdb.Error as exc:
        text = str(exc).strip().splitlines()
        raise MonitorError(
            f"{path}: cannot read it as {_FORMAT_NAMES[fmt]}: {text[0] if text else exc}"
        ) from None
    finally:
        if own:
            db.close()


_FORMAT_NAMES = {"csv": "CSV", "jsonl": "JSON Lines", "parquet": "Parquet"}


def _read(db: duckdb.DuckDBPyConnection, path: Path, fmt: str) -> pa.Table:
    import numpy as np
    import pyarrow as pa

    where = str(path)
    if fmt == "csv":
        source = (
            "read_csv(?, header = true, all_varchar = true, delim = ',', quote = '\"', "
            "escape = '\"', auto_detect = false, null_padding = false, strict_mode = true)"
        )
        # auto_detect off needs the columns: take them from the header line
        names = _csv_header(path)
        cols = ", ".join("'" + n.replace("'", "''") + "': 'VARCHAR'" for n in names)
        source = source.replace("auto_detect = false", f"auto_detect = false, columns = {{{cols}}}")
    elif fmt == "jsonl":
        cols = ", ".join(f"'{n}': 'VARCHAR'" for n in INPUT_COLUMNS)
        source = f"read_json(?, format = 'newline_delimited', columns = {{{cols}}})"
        names = list(INPUT_COLUMNS)
    else:
        source = "read_parquet(?)"
        names = [
            str(r[0]) for r in db.execute(f"DESCRIBE SELECT * FROM {source}", [where]).fetchall()
        ]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise MonitorError(
            f"{path}: not an event log: no column {', '.join(missing)} "
            f"(the columns are {', '.join(INPUT_COLUMNS)}; see docs/monitoring.md)"
        )
    select = ", ".join(
        (_as_text(db, source, where, c) if fmt == "parquet" else f'"{c}"') + f' AS "{c}"'
        if c in names
        else f'CAST(NULL AS VARCHAR) AS "{c}"'
        for c in INPUT_COLUMNS
    )
    table = db.sql(f"SELECT {select} FROM {source}", params=[where]).to_arrow_table()
    rows = pa.array(np.arange(1, table.num_rows + 1, dtype=np.int64))
    return table.add_column(0, "row_number", rows)


def _csv_header(path: Path) -> list[str]:
    """Column names of a CSV file's header line."""
    import csv
    import gzip
    import io

    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with (
        opener(path, "rb") as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="") as fh,
    ):
        row = next(csv.reader(fh), [])
    return [name.strip() for name in row]


def _as_text(db: duckdb.DuckDBPyConnection, source: str, where: str, col: str) -> str:
    """A Parquet column as text: timestamps with a zone in ISO 8601 with ``Z``, naive
    ones without an offset (so validation reports the missing zone)."""
    kind = db.execute(f'SELECT typeof("{col}") FROM {source} LIMIT 1', [where]).fetchall()
    t = str(kind[0][0]) if kind else "VARCHAR"
    if t.startswith("TIMESTAMP WITH TIME ZONE"):
        return f"strftime(\"{col}\" AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ')"
    if t.startswith("TIMESTAMP"):
        return f"strftime(\"{col}\", '%Y-%m-%dT%H:%M:%S.%f')"
    return f'CAST("{col}" AS VARCHAR)'
