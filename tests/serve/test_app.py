"""The app: its routes, the offline docs, the web page, the factory for worker processes,
and that serving changes none of the bundled data."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from _serve_util import DEPART, XIAN_ISTANBUL
from fastapi.testclient import TestClient

import silkway
from silkway.serve.app import STATIC, create_app, create_app_from_env
from silkway.serve.limits import Limits
from silkway.serve.state import ENV, Settings

DATA = Path(silkway.__file__).resolve().parent / "data"


def test_every_api_route_is_versioned(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert paths and all(p.startswith("/api/v1/") for p in paths)
    want = {
        "/api/v1/health",
        "/api/v1/places",
        "/api/v1/plan",
        "/api/v1/network.geojson",
        "/api/v1/basemap.geojson",
        "/api/v1/sources",
        "/api/v1/sources/{source_id}",
        "/api/v1/provenance/{parameter}",
        "/api/v1/scenarios",
        "/api/v1/scenarios/{name}",
        "/api/v1/scenarios/compare",
        "/api/v1/matrix",
    }
    assert want <= set(paths)


def test_unknown_routes_and_methods_are_problems(client: TestClient) -> None:
    for r, status in ((client.get("/api/v2/plan"), 404), (client.put("/api/v1/plan"), 405)):
        assert r.status_code == status
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["instance"] == r.request.url.path


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_make_no_request_outside_the_server(client: TestClient, page: str) -> None:
    r = client.get(page)
    assert r.status_code == 200
    urls = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", r.text)
    assert urls and all(u.startswith("/") for u in urls), urls
    assert "http://" not in r.text and "https://" not in r.text
    for u in urls:
        assert client.get(u).status_code == 200, u


def test_the_web_page_is_served(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.content == (STATIC / "index.html").read_bytes()
    assert client.get("/static/index.html").content == r.content


def test_settings_travel_through_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(scenario=("cku-open",), limits=Limits(compute_seconds=3.5, body_bytes=2048))
    assert Settings.from_env(settings.to_env()) == settings
    monkeypatch.setenv(ENV, settings.to_env())
    with TestClient(create_app_from_env()) as c:
        assert c.get("/api/v1/health").json()["network"]["scenarios"] == ["cku-open"]
        r = c.post("/api/v1/plan", json={**XIAN_ISTANBUL, "time_limit": 0})
        assert r.json()["query"]["time_limit"] == 1.75
        assert c.post("/api/v1/plan", content=b" " * 4096).status_code == 413


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def test_serving_changes_no_bundled_data() -> None:
    before = _digest(DATA)
    with TestClient(create_app(warm=True), raise_server_exceptions=False) as c:
        for name in ("cku-open", "red-sea-closed", "no-russia-transit"):
            assert c.get(f"/api/v1/scenarios/{name}").status_code == 200
            r = c.post("/api/v1/plan", json={**XIAN_ISTANBUL, "samples": 20, "scenario": [name]})
            assert r.status_code in (200, 422)
        pairs = [{"origin": "Kashgar", "destination": "Tashkent"}]
        body = {"base": "baseline", "other": "cku-open", "pairs": pairs, "samples": 10}
        assert c.post("/api/v1/scenarios/compare", json=body).status_code == 200
        body = {"places": ["Almaty", "Baku"], "depart": DEPART, "samples": 10}
        assert c.post("/api/v1/matrix", json=body).status_code == 200
        for url in ("/api/v1/network.geojson", "/api/v1/basemap.geojson", "/api/v1/sources"):
            assert c.get(url).status_code == 200
    assert _digest(DATA) == before
