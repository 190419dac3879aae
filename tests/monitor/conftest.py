"""Store fixtures: every store test runs on DuckDB and on PostgreSQL.

PostgreSQL comes from ``SILKWAY_TEST_PG_URL`` (``.ci/postgres`` starts one); each test
gets a fresh schema, dropped afterwards. Without the variable the PostgreSQL cases are
skipped, except under ``CI=true``, where they fail: CI must not skip them silently.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from silkway.monitor.store import Store, open_store

PG_ENV = "SILKWAY_TEST_PG_URL"


def _no_postgres(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; under CI the PostgreSQL store tests must run")
    pytest.skip(reason)


def _with_search_path(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["duckdb", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty store of each kind."""
    if request.param == "duckdb":
        yield str(tmp_path / "store.duckdb")
        return
    url = os.environ.get(PG_ENV)
    if not url:
        _no_postgres(f"{PG_ENV} is not set (run .ci/postgres to start a test server)")
        return
    import psycopg

    try:
        admin = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        _no_postgres(f"PostgreSQL at {url} does not answer: {exc}")
        return
    schema = "sw_test_" + uuid.uuid4().hex[:12]
    with admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            yield _with_search_path(url, schema)
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An open, empty store of each kind."""
    with open_store(store_url) as s:
        yield s
