"""The store: one query layer over an embedded DuckDB file and a shared PostgreSQL database.

:func:`open_store` turns a URL into a :class:`Store`; every statement the monitoring code
runs is written once, in SQL both databases accept, with ``?`` placeholders (the
PostgreSQL adapter rewrites them to psycopg's ``%s``). The store's tables are those of
:data:`silkway.monitor.schema.DDL` (and, in PostgreSQL, the unique index of
:data:`~silkway.monitor.schema.SHARED_DDL`), created when a store is opened. Besides plain
statements and queries the store offers a transaction, a bulk load of an Arrow table
(DuckDB: a registered Arrow scan; PostgreSQL: ``COPY ... FROM STDIN``) and
:meth:`Store.sync_network`, which copies the network's places, crossings and
shortest distances into the store so indicators are plain joins.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from .errors import StoreError
from .schema import DDL, SHARED_DDL

if TYPE_CHECKING:
    import duckdb
    import pandas as pd
    import pyarrow as pa  # type: ignore[import-untyped]

    from ..model.records import Network

DEFAULT_STORE = "silkway-monitor.duckdb"
"""The DuckDB file :func:`open_store` uses when given no URL (in the working folder)."""

_TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def open_store(url: str | Path | None = None) -> Store:
    """Open (and, the first time, create) a store.

    Parameters
    ----------
    url
        ``None``: the DuckDB file :data:`DEFAULT_STORE` in the working folder; a plain
        path or ``duckdb:///path``: that DuckDB file (``duckdb:///:memory:`` for a
        store in memory); ``postgresql://user@host:port/db`` (or ``postgres://``): a
        PostgreSQL database, through psycopg 3. The tables are created if missing.

    Returns
    -------
    Store
        Use it as a context manager, or call :meth:`Store.close`.

    Raises
    ------
    StoreError
        If the URL names an unknown kind of store, the DuckDB file cannot be opened (a
        missing folder, a locked file, not a DuckDB file) or the PostgreSQL server does
        not answer or refuses the connection.
    """
    text = DEFAULT_STORE if url is None else str(url)
    if text.startswith(("postgresql://", "postgres://")):
        store: Store = Store(_Postgres(text), text)
    elif "://" in text and not text.startswith("duckdb://"):
        scheme = text.split("://", 1)[0]
        raise StoreError(
            f"unknown store URL {text!r}: scheme {scheme!r} is neither duckdb nor postgresql "
            "(use a file path, duckdb:///path or postgresql://user@host:port/database)"
        )
    else:
        path = text.removeprefix("duckdb://")
        if text.startswith("duckdb://"):
            path = path.removeprefix("/") if path.startswith("/:memory:") else path
        store = Store(_DuckDB(path or ":memory:"), text)
    try:
        for statement in (*DDL, *(SHARED_DDL if store.kind == "postgresql" else ())):
            store.execute(statement)
    except BaseException:
        store.close()
        raise
    return store


@dataclass(frozen=True, slots=True)
class _Result:
    columns: list[str]
    rows: list[tuple[Any, ...]]


class _Backend:
    """What a database must offer the store (the only code that differs per database)."""

    kind: str

    def run(self, sql: str, params: Sequence[Any]) -> int:
        """Run a statement; return the number of rows it changed (-1 if none)."""
        raise NotImplementedError

    def fetch(self, sql: str, params: Sequence[Any]) -> _Result:
        raise NotImplementedError

    def fetch_arrow(self, sql: str, params: Sequence[Any]) -> pa.Table:
        raise NotImplementedError

    def load_arrow(self, table: str, columns: Sequence[str], data: pa.Table) -> None:
        raise NotImplementedError

    @contextlib.contextmanager
    def scan(self, data: pa.Table, like: str) -> Iterator[str]:
        """A name under which statements can read ``data`` (rows shaped like table
        ``like``) until the block ends."""
        raise NotImplementedError
        yield ""

    def close(self) -> None:
        raise NotImplementedError


class _DuckDB(_Backend):
    kind = "duckdb"

    def __init__(self, path: str) -> None:
        import duckdb

        if path != ":memory:":
            folder = Path(path).expanduser().parent
            if not folder.is_dir():
                raise StoreError(
                    f"cannot open the DuckDB store {path}: folder {folder} does not exist"
                )
        try:
            self.con = duckdb.connect(str(Path(path).expanduser()) if path != ":memory:" else path)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open the DuckDB store {path}: {_first_line(exc)}") from None
        self.con.execute("SET TimeZone = 'UTC'").fetchall()

    def run(self, sql: str, params: Sequence[Any]) -> int:
        import duckdb

        try:
            res = self.con.execute(sql, list(params))
            desc = res.description
            rows = res.fetchall() if desc is not None else []
            if desc is not None and len(desc) == 1 and desc[0][0] == "Count" and rows:
                return int(rows[0][0])
        except duckdb.Error as exc:
            raise StoreError(f"DuckDB store: {_first_line(exc)}") from exc
        return -1

    def fetch(self, sql: str, params: Sequence[Any]) -> _Result:
        import duckdb

        try:
            res = self.con.execute(sql, list(params))
            cols = [d[0] for d in res.description or ()]
            return _Result(cols, res.fetchall())
        except duckdb.Error as exc:
            raise StoreError(f"DuckDB store: {_first_line(exc)}") from exc

    def fetch_arrow(self, sql: str, params: Sequence[Any]) -> pa.Table:
        import duckdb

        try:
            return self.con.sql(sql, params=list(params) or None).to_arrow_table()
        except duckdb.Error as exc:
            raise StoreError(f"DuckDB store: {_first_line(exc)}") from exc

    def load_arrow(self, table: str, columns: Sequence[str], data: pa.Table) -> None:
        import duckdb

        view = "_sw_arrow_in"
        cols = ", ".join(columns)
        try:
            self.con.register(view, data)
            try:
                self.con.execute(
                    f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {view}"
                ).fetchall()
            finally:
                self.con.unregister(view)
        except duckdb.Error as exc:
            raise StoreError(f"DuckDB store: loading {table}: {_first_line(exc)}") from exc

    @contextlib.contextmanager
    def scan(self, data: pa.Table, like: str) -> Iterator[str]:
        # DuckDB reads the Arrow table where it lies
        name = "_sw_arrow_scan"
        self.con.register(name, data)
        try:
            yield name
        finally:
            self.con.unregister(name)

    def close(self) -> None:
        self.con.close()


class _Postgres(_Backend):
    kind = "postgresql"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError:  # pragma: no cover - psycopg is a dependency
            raise StoreError(
                "PostgreSQL stores need psycopg: pip install 'psycopg[binary]'"
            ) from None
        self._psycopg = psycopg
        try:
            self.con = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to the PostgreSQL store {public_url(url)}: {_first_line(exc)}"
            ) from None
        self.con.execute("SET TIME ZONE 'UTC'")
        self.con.execute("SET client_min_messages = WARNING")

    def run(self, sql: str, params: Sequence[Any]) -> int:
        try:
            cur = self.con.execute(_to_pyformat(sql), tuple(params))
            return int(cur.rowcount)
        except self._psycopg.Error as exc:
            raise StoreError(f"PostgreSQL store: {_first_line(exc)}") from exc

    def fetch(self, sql: str, params: Sequence[Any]) -> _Result:
        try:
            cur = self.con.execute(_to_pyformat(sql), tuple(params))
            cols = [d.name for d in cur.description or ()]
            return _Result(cols, cur.fetchall())
        except self._psycopg.Error as exc:
            raise StoreError(f"PostgreSQL store: {_first_line(exc)}") from exc

    def fetch_arrow(self, sql: str, params: Sequence[Any]) -> pa.Table:
        import pyarrow as pa

        res = self.fetch(sql, params)
        return pa.Table.from_pylist([dict(zip(res.columns, r, strict=True)) for r in res.rows])

    def load_arrow(self, table: str, columns: Sequence[str], data: pa.Table) -> None:
        import pyarrow.csv as pcsv  # type: ignore[import-untyped]

        cols = ", ".join(columns)
        sql = f"COPY {table} ({cols}) FROM STDIN (FORMAT csv)"
        options = pcsv.WriteOptions(include_header=False, quoting_style="needed")
        try:
            with self.con.cursor() as cur, cur.copy(sql) as copy:
                for batch in data.select(list(columns)).to_batches(max_chunksize=200_000):
                    buf = io.BytesIO()
                    pcsv.write_csv(batch, buf, write_options=options)
                    copy.write(buf.getvalue())
        except self._psycopg.Error as exc:
            raise StoreError(f"PostgreSQL store: loading {table}: {_first_line(exc)}") from exc

    @contextlib.contextmanager
    def scan(self, data: pa.Table, like: str) -> Iterator[str]:
        # PostgreSQL reads a temporary table filled by COPY
        name = "_sw_stage"
        self.run(f"DROP TABLE IF EXISTS {name}", ())
        self.run(f"CREATE TEMPORARY TABLE {name} (LIKE {like})", ())
        try:
            self.load_arrow(name, list(data.column_names), data)
            yield name
        finally:
            self.run(f"DROP TABLE IF EXISTS {name}", ())

    def close(self) -> None:
        self.con.close()


@dataclass(eq=False)
class Store:
    """A monitoring store, embedded (DuckDB) or shared (PostgreSQL); see :func:`open_store`.

    Statements use ``?`` placeholders and SQL both databases accept. Timestamps are
    ``TIMESTAMPTZ`` and every session runs in UTC.
    """

    _backend: _Backend
    url: str
    """The URL or path the store was opened with."""
    _depth: int = field(default=0, repr=False)

    @property
    def kind(self) -> str:
        """``"duckdb"`` or ``"postgresql"``."""
        return self._backend.kind

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (an open transaction is rolled back)."""
        self._backend.close()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement with ``?`` placeholders.

        Returns
        -------
        int
            Rows inserted, updated or deleted, or -1 for other statements.
        """
        return self._backend.run(sql, params)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a query; return its rows as tuples."""
        return self._backend.fetch(sql, params).rows

    def query_df(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        """Run a query; return its rows as a DataFrame.

        Both stores give the same frame: timestamps are UTC ``datetime64``, exact
        decimals (PostgreSQL's ``numeric``, DuckDB's ``HUGEINT`` sums) are floats.
        """
        import decimal

        import pandas as pd

        res = self._backend.fetch(sql, params)
        frame = pd.DataFrame.from_records(res.rows, columns=res.columns)
        for col in frame.columns:
            values = frame[col]
            if values.dtype != object or values.empty:
                continue
            first = values.dropna()
            if first.empty:
                continue
            sample = first.iloc[0]
            if isinstance(sample, decimal.Decimal):
                frame[col] = values.astype("float64")
            elif hasattr(sample, "tzinfo") and hasattr(sample, "hour"):
                frame[col] = pd.to_datetime(values, utc=True)
        return frame

    def query_arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        """Run a query; return an Arrow table."""
        return self._backend.fetch_arrow(sql, params)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """Run the block in one transaction: committed if it ends normally, rolled back
        if it raises. Nested uses join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self.execute("BEGIN TRANSACTION")
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._depth = 0
            with contextlib.suppress(Exception):
                self.execute("ROLLBACK")
            raise
        self._depth = 0
        self.execute("COMMIT")

    def load_arrow(
        self, table: str, data: pa.Table, *, columns: Sequence[str] | None = None
    ) -> int:
        """Append an Arrow table's rows to a table of the store, fast.

        Parameters
        ----------
        table
            Name of the store table (a plain SQL identifier).
        data
            Rows to append; its columns named like the table's.
        columns
            Columns to load (default: all of ``data``'s).

        Returns
        -------
        int
            Rows loaded.
        """
        if not _TABLE_NAME.fullmatch(table):
            raise ValueError(f"not a table name: {table!r}")
        cols = list(columns) if columns is not None else list(data.column_names)
        for col in cols:
            if not _TABLE_NAME.fullmatch(col):
                raise ValueError(f"not a column name: {col!r}")
        if data.num_rows:
            self._backend.load_arrow(table, cols, data)
        return int(data.num_rows)

    def insert_new(
        self,
        table: str,
        data: pa.Table | str,
        *,
        key: str,
        columns: Sequence[str] | None = None,
    ) -> int:
        """Append the rows of ``data`` whose ``key`` the table does not hold yet.

        An anti-join inside the caller's transaction: DuckDB hashes the keys (no index
        needed); PostgreSQL gets the rows in key order, so its unique index fills page
        after page rather than at random. ``data`` must not repeat a key.

        Parameters
        ----------
        table
            Name of the store table.
        data
            The rows: an Arrow table, or the name of a table or view of the store's own
            DuckDB connection (see :meth:`embedded_connection`).
        key
            The key column.
        columns
            Columns to insert (default: all of the Arrow table's; required for a name).

        Returns
        -------
        int
            Rows inserted.
        """
        if isinstance(data, str):
            if columns is None:
                raise ValueError("insert_new from a named relation needs its columns")
            names = list(columns)
        else:
            names = list(columns) if columns is not None else list(data.column_names)
        for name in (table, key, *names, *([data] if isinstance(data, str) else [])):
            if not _TABLE_NAME.fullmatch(name):
                raise ValueError(f"not a table or column name: {name!r}")
        cols = ", ".join(names)
        order = f" ORDER BY s.{key}" if self.kind == "postgresql" else ""

        def insert(source: str) -> int:
            return self.execute(
                f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {source} s "
                f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.{key} = s.{key}){order}"
            )

        if isinstance(data, str):
            if self.embedded_connection() is None:
                raise ValueError("insert_new from a named relation needs a DuckDB store")
            return insert(data)
        if not data.num_rows:
            return 0
        with self._backend.scan(data, table) as source:
            return insert(source)

    def embedded_connection(self) -> duckdb.DuckDBPyConnection | None:
        """The DuckDB connection of an embedded store (``None`` for PostgreSQL), to
        compute next to the data; its statements join the store's transaction."""
        return self._backend.con if isinstance(self._backend, _DuckDB) else None

    def sync_network(
        self, network: Network, *, pairs: Iterable[tuple[str, str, str]] | None = None
    ) -> None:
        """Copy the network into ``sw_places``, ``sw_crossings`` and ``sw_distances``.

        Places and crossings are replaced by the network's. Distances are added for
        the (from place, to place, mode) triples in ``pairs`` that the store lacks
        (``None``: every connected pair, per mode and over all modes, see
        :func:`silkway.monitor.network.distance_table`); a triple
        whose places the network does not join on that mode's links gets no row.
        """
        from .network import crossing_table, distance_table, place_table

        with self.transaction():
            self.execute("DELETE FROM sw_places")
            self.load_arrow("sw_places", place_table(network))
            self.execute("DELETE FROM sw_crossings")
            self.load_arrow("sw_crossings", crossing_table(network))
            have = {
                (str(a), str(b), str(m))
                for a, b, m in self.query("SELECT from_place, to_place, mode FROM sw_distances")
            }
            wanted = None if pairs is None else [p for p in set(pairs) if p not in have]
            if wanted is not None and not wanted:
                return
            table = distance_table(network, wanted)
            if have:
                import pyarrow as pa
                import pyarrow.compute as pc  # type: ignore[import-untyped]

                keys = pa.array(["\x1f".join(k) for k in have])
                mine = pc.binary_join_element_wise(
                    table["from_place"], table["to_place"], table["mode"], "\x1f"
                )
                table = table.filter(pc.invert(pc.is_in(mine, value_set=keys)))
            self.load_arrow("sw_distances", table)


def _to_pyformat(sql: str) -> str:
    """``?`` placeholders to psycopg's ``%s`` (and ``%`` to ``%%``), outside quotes."""
    out: list[str] = []
    quote = ""
    for ch in sql:
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def public_url(url: str) -> str:
    """A store URL without its password (``postgresql://me@host/db``); a path as is."""
    parts = urlsplit(url)
    if not parts.scheme or parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))
