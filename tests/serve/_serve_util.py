"""Helpers of the API tests."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient

from silkway.cli import main
from silkway.serve.app import create_app
from silkway.serve.limits import Limits

DEPART = "2026-12-07"
XIAN_ISTANBUL: dict[str, Any] = {
    "origin": "Xi'an",
    "destination": "Istanbul",
    "avoid_countries": ["RU"],
    "depart": DEPART,
    "cargo": "2xFEU",
    "samples": 200,
    "time_limit": 5.0,  # the default compute bound caps it at 5 s (the CLI's default is 10)
}


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    """``silkway ARGS`` in this process, its stdout read as JSON (exit status 0)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def without_timings(doc: dict[str, Any]) -> dict[str, Any]:
    """A plan document less ``stats`` (wall-clock seconds differ between two runs)."""
    return {k: v for k, v in doc.items() if k != "stats"}


def is_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem with ``status``; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    doc: dict[str, Any] = response.json()
    assert doc["status"] == status
    assert doc["type"].startswith("urn:silkway:problem:")
    assert doc["title"] and doc["detail"] and doc["instance"] == response.request.url.path
    assert "Traceback" not in response.text and "/src/silkway" not in response.text
    return doc


class Lines(logging.Handler):
    """Collects the messages of a logger."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def limited(**limits: Any) -> TestClient:
    """A client of an app with these limits (use as a context manager)."""
    return TestClient(create_app(limits=Limits(**limits)), raise_server_exceptions=False)
