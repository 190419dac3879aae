"""The limits, met for real: a body over the bound (announced or not), a plan over the
compute bound, and a request that finds every compute slot busy."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from _serve_util import XIAN_ISTANBUL, is_problem, limited
from fastapi.testclient import TestClient

from silkway.serve.limits import Limits

SLOW = {**XIAN_ISTANBUL, "destination": "Rotterdam", "all_options": True, "samples": 100_000}
"""A real plan that takes one to two seconds here (every Pareto route, 100,000 draws
each; the tests raise the API's sample cap for it): far over the bounds they set."""


def wait_until_admitted(client: TestClient, n: int) -> None:
    """Wait until ``n`` computations hold a slot or a queue place (no fixed sleeps: a
    busy machine may take a while to start a request's thread)."""
    pool = client.app.state.worker.compute  # type: ignore[attr-defined]
    deadline = time.monotonic() + 30
    while pool.admitted < n:
        assert time.monotonic() < deadline, f"{n} computations never started"
        time.sleep(0.005)


def test_body_over_the_bound_is_a_413(client: TestClient) -> None:
    body = b'{"origin": "' + b"x" * 70_000 + b'"}'
    doc = is_problem(
        client.post("/api/v1/plan", content=body, headers={"content-type": "application/json"}),
        413,
    )
    assert doc["limit_bytes"] == 65_536


def test_body_over_the_bound_without_a_length_is_a_413_while_read(client: TestClient) -> None:
    """A chunked body, with no Content-Length: counted as it arrives, and cut off."""
    sent = []

    def chunks() -> Iterator[bytes]:
        for _ in range(1_000):  # 8 MB if it were all read
            sent.append(1)
            yield b" " * 8192

    r = client.post("/api/v1/plan", content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in r.request.headers
    is_problem(r, 413)


def test_body_within_the_bound_is_read_whole(client: TestClient) -> None:
    padded = b'{"origin": "Xi\'an", "destination": "Istanbul", "depart": "2026-12-07"}'
    padded += b" " * 60_000
    r = client.post("/api/v1/plan", content=padded, headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text


def test_over_the_compute_bound_is_a_503_within_it_and_health_still_answers() -> None:
    bound = 0.3
    with limited(compute_seconds=bound, compute_slots=1, compute_queue=0, max_samples=100_000) as c:
        assert c.get("/api/v1/health").status_code == 200
        results: dict[str, object] = {}

        def slow() -> None:
            start = time.perf_counter()
            results["slow"] = c.post("/api/v1/plan", json=SLOW)
            results["slow_s"] = time.perf_counter() - start

        thread = threading.Thread(target=slow)
        thread.start()
        wait_until_admitted(c, 1)  # the slow plan holds the only slot now
        start = time.perf_counter()
        busy = c.post("/api/v1/plan", json=XIAN_ISTANBUL)
        busy_s = time.perf_counter() - start
        health = c.get("/api/v1/health")
        thread.join()
        doc = is_problem(busy, 503)  # at once, not queued behind the slow plan
        assert doc["type"] == "urn:silkway:problem:busy" and busy.headers["retry-after"]
        assert busy_s < bound
        assert health.status_code == 200
        slow_doc = is_problem(results["slow"], 503)
        assert slow_doc["type"] == "urn:silkway:problem:compute-limit"
        assert int(results["slow"].headers["retry-after"]) >= 1  # type: ignore[attr-defined]
        assert bound <= float(results["slow_s"]) < bound + 0.5  # type: ignore[arg-type]
        # the slot is free again once the abandoned computation has finished
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            r = c.post("/api/v1/plan", json={**XIAN_ISTANBUL, "samples": 10, "options": 1})
            if r.status_code != 503:
                break
            time.sleep(0.2)
        assert r.status_code == 200, r.text


def test_a_request_waits_in_the_queue_and_one_more_is_turned_away() -> None:
    """One slot, one queue place: the second request waits for the slow plan and is
    answered; the third, finding both taken, gets a 503 at once."""
    with limited(compute_seconds=30, compute_slots=1, compute_queue=1, max_samples=100_000) as c:
        answers: dict[str, object] = {}

        def post(name: str, body: dict[str, object]) -> None:
            answers[name] = c.post("/api/v1/plan", json=body)

        slow = threading.Thread(target=post, args=("slow", SLOW))
        slow.start()
        wait_until_admitted(c, 1)
        queued = threading.Thread(target=post, args=("queued", XIAN_ISTANBUL))
        queued.start()
        wait_until_admitted(c, 2)
        start = time.perf_counter()
        third = c.post("/api/v1/plan", json=XIAN_ISTANBUL)
        assert time.perf_counter() - start < 0.5
        slow.join()
        queued.join()
        assert is_problem(third, 503)["type"] == "urn:silkway:problem:busy"
        assert answers["slow"].status_code == 200  # type: ignore[attr-defined]
        assert answers["queued"].status_code == 200  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "bad",
    [{"body_bytes": 0}, {"compute_seconds": -1.0}, {"compute_slots": True}, {"compute_queue": -1}],
)
def test_limits_must_be_positive_numbers(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=next(iter(bad))):
        Limits(**bad)  # type: ignore[arg-type]


def test_the_plan_time_limit_is_half_the_bound() -> None:
    assert Limits(compute_seconds=8).plan_time_limit == 4
    assert Limits(compute_queue=0).compute_queue == 0
