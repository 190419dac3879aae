"""Read a user's origin-destination demand table from CSV or Parquet.

Columns, in any order (names ignore case, and spaces stand for ``_``: ``Cargo class`` is
``cargo_class``):

``origin``, ``destination``
    A place id, or any name or alias the network resolves (as ``silkway places``
    does: any language, case and accents ignored).
``volume``
    A number, zero or more, per year.
``unit``
    ``FEU``, ``TEU``, ``t``, ``kg``, ``kt`` or ``Mt``, optionally with ``/year``;
    containers (FEU, TEU) only for the classes carried in containers.
``cargo_class``
    One of the network's classes: container, general, dry_bulk, liquid_bulk,
    dangerous_goods.
``value_usd`` (optional)
    Value of the row's goods in USD a year, zero or more; blank if unknown.
``note`` (optional)
    Free text, ignored.

A file in the output schema (columns ``origin``, ``destination``, ``cargo_class``,
``feu_per_year``, ``tonnes_per_year`` and optionally ``value_usd``, ``source``, ``note``),
as ``silkway demand show --out`` writes it, is read too, its numbers taken as they are
(a bulk class must have 0 FEU); its ``source`` column is replaced by the file's rows.

A CSV file whose header has no comma but semicolons (or tabs) is read with that
separator, as spreadsheets in many locales save it.

The policy is the project's usual one: a file with any bad row is rejected as a whole,
with every bad row listed (row number and reason), so nothing is silently dropped. Row
numbers are CSV line numbers (the header is 1); for Parquet the first data row is 2 as
well.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import AmbiguousPlaceError, Problem, UnknownPlaceError
from ..model.records import CARGO_CLASSES
from ._frame import DemandRecord, demand_frame
from .errors import DemandError
from .units import CONTAINERISED, Conversions, parse_unit

if TYPE_CHECKING:
    import pandas as pd

    from ..model.names import PlaceIndex
    from ..model.records import Network

REQUIRED_COLUMNS: tuple[str, ...] = ("origin", "destination", "volume", "unit", "cargo_class")
OPTIONAL_COLUMNS: tuple[str, ...] = ("value_usd", "note")
LAYOUTS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "volume": (REQUIRED_COLUMNS, OPTIONAL_COLUMNS),
    "frame": (
        ("origin", "destination", "cargo_class", "feu_per_year", "tonnes_per_year"),
        ("value_usd", "source", "note"),
    ),
}
"""Required and optional columns of the two layouts a demand file may have."""
_PARQUET_MAGIC = b"PAR1"


class _CellError(ValueError):
    """A cell's reason for rejection, with a stable problem code."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.code = code


def read_demand(
    path: str | Path, *, network: Network, conversions: Conversions | None = None
) -> pd.DataFrame:
    """Read a demand table from a CSV or Parquet file.

    Parameters
    ----------
    path
        The file. Parquet is recognised by its content (``PAR1``), whatever its name;
        anything else is read as UTF-8 CSV.
    network
        The network whose places the origins and destinations name.
    conversions
        TEU per FEU and tonnes per FEU by class; the bundled trade table's by default.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~silkway.demand.DEMAND_COLUMNS`, rows with the same origin,
        destination and class summed; ``source`` is ``user:<path>:<row>`` (several
        joined by ``;``). ``attrs`` holds ``file`` and ``rows_read``.

    Raises
    ------
    DemandError
        If the file cannot be read or any row is bad; it lists every problem, each with
        the file, the row number and the reason.
    """
    from ..model.names import PlaceIndex
    from .units import bundled_conversions

    name = str(path)
    conv = conversions if conversions is not None else bundled_conversions()
    problems: list[Problem] = []
    header, rows = _read_rows(Path(path), name, problems)
    if problems:
        raise DemandError(problems, file=name)
    layout = _layout(header)
    _check_header(header, layout, name, problems)
    if problems:
        raise DemandError(problems, file=name)
    cells = _Cells(PlaceIndex.of(network))
    records: list[DemandRecord] = []
    for line, row in rows:
        record = _parse_row(row, line, name, layout, cells, conv, problems)
        if record is not None:
            records.append(record)
    if not records and not problems:
        problems.append(Problem(name, None, None, "has a header but no data rows", "empty"))
    if problems:
        raise DemandError(problems, file=name)
    frame = demand_frame(records)
    frame.attrs["file"] = name
    frame.attrs["rows_read"] = len(records)
    return frame


def _read_rows(
    path: Path, name: str, problems: list[Problem]
) -> tuple[list[str], list[tuple[int, Mapping[str, object]]]]:
    """Header and ``(row number, cells)`` of the file; problems if it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(name, None, None, f"cannot be read: {exc.strerror}", "io"))
        return [], []
    if data.startswith(_PARQUET_MAGIC) or path.suffix.lower() in (".parquet", ".pq"):
        return _parquet_rows(data, name, problems)
    return _csv_rows(data, name, problems)


def _parquet_rows(
    data: bytes, name: str, problems: list[Problem]
) -> tuple[list[str], list[tuple[int, Mapping[str, object]]]]:
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    try:
        table = pq.read_table(pa.BufferReader(data))
    except (pa.ArrowException, OSError, ValueError) as exc:
        msg = f"is not a readable Parquet file: {exc}"
        problems.append(Problem(name, None, None, msg, "bad-parquet"))
        return [], []
    header = [_column_name(c) for c in table.column_names]
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    # zip by position: two columns may share a name (reported by _check_header)
    rows: list[tuple[int, Mapping[str, object]]] = [
        (i + 2, dict(zip(header, cells, strict=True)))
        for i, cells in enumerate(zip(*columns, strict=True))
    ]
    return header, rows


def _csv_rows(
    data: bytes, name: str, problems: list[Problem]
) -> tuple[list[str], list[tuple[int, Mapping[str, object]]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        msg = "is not UTF-8 text (save it as UTF-8 CSV, or as Parquet)"
        problems.append(Problem(name, line, None, msg, "encoding"))
        return [], []
    if not text.strip():
        problems.append(Problem(name, None, None, "is empty: no header row", "empty"))
        return [], []
    if "\x00" in text:
        msg = "is neither CSV text nor Parquet (it holds NUL bytes)"
        problems.append(Problem(name, None, None, msg, "bad-csv"))
        return [], []
    rows: list[tuple[int, Mapping[str, object]]] = []
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = [_column_name(h) for h in reader.fieldnames or []]
        reader.fieldnames = header
        for raw in reader:
            if None in raw:
                msg = "row has more cells than the header"
                problems.append(Problem(name, reader.line_num, None, msg, "bad-row"))
                continue
            rows.append((reader.line_num, raw))
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, None, f"is not valid CSV: {exc}", "bad-csv"))
    return header, rows


def _column_name(text: str) -> str:
    """A header cell as a column name: ``" Cargo class"`` -> ``"cargo_class"``."""
    return "_".join(text.strip().lower().split())


def _delimiter(text: str) -> str:
    """``,`` unless the header line has none and has ``;`` or a tab (spreadsheets in
    many locales save CSV with ``;``)."""
    head = text.split("\n", 1)[0]
    if "," in head:
        return ","
    return next((d for d in (";", "\t") if d in head), ",")


def _layout(header: list[str]) -> str:
    """``"frame"`` for a file in the output schema (as ``silkway demand show --out``
    writes), ``"volume"`` otherwise."""
    frame_only = {"feu_per_year", "tonnes_per_year"}
    if frame_only & set(header) and not {"volume", "unit"} & set(header):
        return "frame"
    return "volume"


def _check_header(header: list[str], layout: str, name: str, problems: list[Problem]) -> None:
    required, optional = LAYOUTS[layout]
    known = required + optional
    for column in sorted({c for c in header if header.count(c) > 1}):
        msg = f"column {column!r} appears {header.count(column)} times"
        problems.append(Problem(name, 1, column, msg, "duplicate-column"))
    for column in required:
        if column not in header:
            msg = f"required column {column!r} is missing; columns are: {', '.join(known)}"
            problems.append(Problem(name, 1, column, msg, "missing-column"))
    for column in header:
        if column not in known:
            msg = f"unknown column {column!r}; expected: {', '.join(known)}"
            problems.append(Problem(name, 1, column, msg, "unknown-column"))


_FIELDS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "volume": (
        ("origin", "place"),
        ("destination", "place"),
        ("volume", "number"),
        ("unit", "unit"),
        ("cargo_class", "class"),
        ("value_usd", "optional"),
    ),
    "frame": (
        ("origin", "place"),
        ("destination", "place"),
        ("feu_per_year", "number"),
        ("tonnes_per_year", "number"),
        ("cargo_class", "class"),
        ("value_usd", "optional"),
    ),
}
"""Each layout's cells in the order they are checked, with the kind of each."""


def _parse_row(
    row: Mapping[str, object],
    line: int,
    name: str,
    layout: str,
    cells: _Cells,
    conv: Conversions,
    problems: list[Problem],
) -> DemandRecord | None:
    """The row as a record, or ``None`` after adding its problems."""
    got: dict[str, Any] = {}
    for field, kind in _FIELDS[layout]:
        try:
            got[field] = cells.parse(kind, row.get(field), field)
        except _CellError as exc:
            problems.append(Problem(name, line, field, str(exc), exc.code))
    if "origin" in got and got["origin"] == got.get("destination"):
        msg = f"origin and destination are the same place ({got['origin']})"
        problems.append(Problem(name, line, "destination", msg, "same-place"))
        return None
    if len(got) < len(_FIELDS[layout]):
        return None
    origin, destination = got["origin"], got["destination"]
    cargo, value = got["cargo_class"], got["value_usd"]
    source = f"user:{name}:{line}"
    if layout == "frame":  # the output schema: FEU and tonnes as given
        feu, tonnes = got["feu_per_year"], got["tonnes_per_year"]
        if feu > 0 and cargo not in CONTAINERISED:
            msg = f"cargo class {cargo} is bulk, not containerised: its feu_per_year must be 0"
            problems.append(Problem(name, line, "feu_per_year", msg, "unit-class"))
            return None
        return DemandRecord(origin, destination, cargo, feu, tonnes, value, source)
    try:
        feu, tonnes = conv.convert(got["volume"], got["unit"], cargo)
    except ValueError as exc:
        problems.append(Problem(name, line, "unit", str(exc), "unit-class"))
        return None
    return DemandRecord(origin, destination, cargo, feu, tonnes, value, source)


class _Cells:
    """Parses cells by kind, working out each distinct place, unit and class text once
    (a table repeats them, and an unknown name's suggestions are slow to find)."""

    def __init__(self, index: PlaceIndex) -> None:
        self.index = index
        self.memo: dict[tuple[str, str], str | _CellError] = {}

    def parse(self, kind: str, cell: object, field: str) -> Any:
        """The cell's value; raises :class:`_CellError` with the reason."""
        if kind == "number":
            return _number(cell, field, required=True)
        if kind == "optional":
            return _number(cell, field, required=False)
        text = _text(cell)
        if not text:
            what = {"place": "place", "unit": "unit", "class": "cargo_class"}[kind]
            raise _CellError(f"missing {what}" if kind == "place" else f"{what} is missing",
                             "missing-value")  # fmt: skip
        key = (kind, text)
        if key not in self.memo:
            try:
                self.memo[key] = self._word(kind, text)
            except _CellError as exc:
                self.memo[key] = exc
        found = self.memo[key]
        if isinstance(found, _CellError):
            raise _CellError(str(found), found.code)
        return found

    def _word(self, kind: str, text: str) -> str:
        if kind == "place":
            try:
                return self.index.resolve(text).id
            except (UnknownPlaceError, AmbiguousPlaceError) as exc:
                raise _CellError(str(exc), "unknown-place") from None
        if kind == "unit":
            try:
                return parse_unit(text)
            except ValueError as exc:
                raise _CellError(str(exc), "unknown-unit") from None
        if text.lower() not in CARGO_CLASSES:
            raise _CellError(
                f"unknown cargo class {text!r}; expected one of: {', '.join(CARGO_CLASSES)}",
                "unknown-class",
            )
        return text.lower()


def _text(cell: object) -> str:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    return str(cell).strip()


def _number(cell: object, field: str, *, required: bool) -> float:
    if isinstance(cell, bool):
        raise _CellError(f"{field} {cell!r} is not a number", "not-a-number")
    if isinstance(cell, int | float) and not (isinstance(cell, float) and math.isnan(cell)):
        value = float(cell)
    else:
        text = _text(cell)
        if not text:
            if required:
                raise _CellError(f"{field} is missing", "missing-value")
            return math.nan
        try:
            value = float(text)
        except ValueError:
            raise _CellError(f"{field} {text!r} is not a number", "not-a-number") from None
    if not math.isfinite(value):
        raise _CellError(f"{field} {value} is not a finite number", "not-a-number")
    if value < 0:
        raise _CellError(f"{field} {value:g} is negative; it must be zero or more", "negative")
    return value
