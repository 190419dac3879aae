"""Fixtures of the API tests: an app on the bundled network, driven through ASGI."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from _serve_util import Lines
from fastapi.testclient import TestClient

from silkway.serve.app import create_app


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    """A client of an app on the bundled network with the default limits."""
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def serve_log() -> Iterator[Lines]:
    """The lines logged on ``silkway.serve`` during the test."""
    log = logging.getLogger("silkway.serve")
    handler = Lines()
    old = log.level
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        log.removeHandler(handler)
        log.setLevel(old)
