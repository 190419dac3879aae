"""Every request: one JSON log line, a request id, and no internal detail in a 500."""

from __future__ import annotations

import json

from _serve_util import XIAN_ISTANBUL, Lines, is_problem
from fastapi.testclient import TestClient

from silkway.serve.app import create_app
from silkway.serve.routes_core import get_worker


def test_one_json_line_per_request(client: TestClient, serve_log: Lines) -> None:
    responses = [
        client.get("/api/v1/health"),
        client.post("/api/v1/plan", json={**XIAN_ISTANBUL, "samples": 10}),
        client.get("/api/v1/nothing-here"),
        client.get("/api/v1/places", params={"q": "alm"}, headers={"X-Request-ID": "abc-123"}),
    ]
    lines = [json.loads(line) for line in serve_log.lines]
    assert len(lines) == len(responses)
    for line, r in zip(lines, responses, strict=True):
        assert set(line) == {"time", "method", "path", "status", "duration_ms", "request_id"}
        assert line["status"] == r.status_code
        assert line["path"] == r.request.url.path
        assert line["method"] == r.request.method
        assert line["request_id"] == r.headers["x-request-id"]
        assert line["duration_ms"] >= 0
    assert lines[-1]["request_id"] == "abc-123"
    assert len({line["request_id"] for line in lines}) == len(lines)


def test_an_unsafe_request_id_is_replaced(client: TestClient) -> None:
    r = client.get("/api/v1/health", headers={"X-Request-ID": 'a b"<script>' + "x" * 80})
    assert r.headers["x-request-id"].isalnum() and len(r.headers["x-request-id"]) == 32


def test_internal_error_is_a_500_problem_without_internals(serve_log: Lines) -> None:
    """A dependency that breaks: the client gets a plain 500 problem (no traceback, no
    path, no message of the exception); the log has the traceback."""
    app = create_app()

    def broken() -> None:
        raise RuntimeError("secret detail in /srv/silkway/src/silkway/serve/state.py")

    app.dependency_overrides[get_worker] = broken
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/v1/health")
        doc = is_problem(r, 500)
        assert "secret" not in r.text and "state.py" not in r.text and "RuntimeError" not in r.text
        assert doc["request_id"] == r.headers["x-request-id"]
        assert c.get("/api/v1/health").status_code == 500  # and the server goes on
    record = [line for line in serve_log.lines if line.startswith("internal error")]
    assert record and doc["request_id"] in record[0]
    last = json.loads(serve_log.lines[-1])
    assert last["status"] == 500
