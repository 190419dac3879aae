"""The network and the basemap as GeoJSON: every link along its real line, the filters,
the place flags, and outlines that never cross the antimeridian."""

from __future__ import annotations

import numpy as np
import pytest
from _serve_util import is_problem
from fastapi.testclient import TestClient

from silkway import load_network
from silkway.geo.outlines import load_outlines

NETWORK = load_network()


def _collection(client: TestClient, **params: object) -> dict[str, list[dict[str, object]]]:
    r = client.get("/api/v1/network.geojson", params=params)  # type: ignore[arg-type]
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/geo+json"
    doc = r.json()
    assert doc["type"] == "FeatureCollection"
    links = [f for f in doc["features"] if f["properties"]["kind"] == "link"]
    places = [f for f in doc["features"] if f["properties"]["kind"] == "place"]
    return {"links": links, "places": places}


def test_every_shown_link_follows_its_line(client: TestClient) -> None:
    got = _collection(client)
    shown = [link for link in NETWORK.links.values() if link.status != "closed"]
    assert [f["id"] for f in got["links"]] == [link.id for link in shown]
    for f in got["links"]:
        link = NETWORK.links[str(f["id"])]
        p = f["properties"]
        a, b = NETWORK.places[link.from_id], NETWORK.places[link.to_id]
        assert (p["from"], p["to"], p["mode"], p["km"], p["gauge_mm"]) == (
            a.id,
            b.id,
            link.mode,
            link.km,
            link.gauge_mm,
        )
        assert (p["from_name_ru"], p["to_name_zh"]) == (a.name_ru, b.name_zh)
        line = np.asarray(f["geometry"]["coordinates"])
        assert f["geometry"]["type"] == "LineString" and len(line) >= 2
        geometry = NETWORK.geometries.get(link.id)
        if geometry is not None and len(geometry.line) >= 2:
            want = np.asarray(geometry.line)
            # the same points, longitudes made continuous (a line never jumps 360 degrees)
            assert np.allclose(line[:, 1], want[:, 1], atol=1e-5)
            assert np.allclose((line[:, 0] - want[:, 0] + 180) % 360 - 180, 0, atol=1e-5)
        else:
            assert np.allclose(line[0], (a.lon, a.lat), atol=1e-5)
            assert np.allclose(line[-1], (b.lon, b.lat), atol=1e-5)
        assert np.all(np.abs(np.diff(line[:, 0])) < 180)
        if link.status == "planned":
            assert p["status"] == "planned" and p["open_year"] == link.open_year
        else:
            assert p["status"] == "operational" and p["open_year"] is None


def test_filters_by_mode_and_planned(client: TestClient) -> None:
    every = _collection(client)
    rail_road = _collection(client, mode=["rail", "road"], include_planned="false")
    want = [
        f["id"]
        for f in every["links"]
        if f["properties"]["mode"] in ("rail", "road") and f["properties"]["status"] != "planned"
    ]
    assert [f["id"] for f in rail_road["links"]] == want
    touched = {f["properties"][end] for f in rail_road["links"] for end in ("from", "to")}
    assert {f["id"] for f in rail_road["places"]} == touched
    assert any(f["properties"]["status"] == "planned" for f in every["links"])


def test_place_flags(client: TestClient) -> None:
    places = {f["id"]: f for f in _collection(client)["places"]}
    gauge = {t.place for t in NETWORK.transfers.values() if t.kind == "gauge_change"}
    crossing_ends = {
        end
        for c in NETWORK.crossings.values()
        for end in (NETWORK.links[c.link].from_id, NETWORK.links[c.link].to_id)
    }
    for pid, f in places.items():
        place, p = NETWORK.places[str(pid)], f["properties"]
        assert f["geometry"]["coordinates"] == pytest.approx([place.lon, place.lat], abs=1e-5)
        assert p["gauge_change"] == (pid in gauge)
        assert p["border_crossing"] == (place.kind == "border_crossing" or pid in crossing_ends)
        assert p["seaport"] == (place.kind == "seaport")
        assert p["airport"] == (place.kind == "airport")
        assert (p["name_en"], p["name_ru"], p["name_zh"], p["country"]) == (
            place.name_en,
            place.name_ru,
            place.name_zh,
            place.country,
        )
    assert any(f["properties"]["gauge_change"] for f in places.values())


def test_unknown_mode_is_a_422_problem(client: TestClient) -> None:
    doc = is_problem(client.get("/api/v1/network.geojson", params={"mode": "boat"}), 422)
    assert doc["errors"][0]["field"].startswith("mode")


def test_basemap_is_the_shipped_outlines(client: TestClient) -> None:
    r = client.get("/api/v1/basemap.geojson")
    assert r.status_code == 200
    doc = r.json()
    outlines = load_outlines()
    assert [f["properties"]["code"] for f in doc["features"]] == list(outlines.codes)
    assert {"CN", "KZ", "TR"} <= {f["properties"]["code"] for f in doc["features"]}
    west, south, east, north = outlines.region
    for f in doc["features"]:
        assert f["geometry"]["type"] == "MultiPolygon"
        for polygon in f["geometry"]["coordinates"]:
            for ring in polygon:
                pts = np.asarray(ring)
                assert np.allclose(pts[0], pts[-1])  # closed
                assert np.all(np.abs(np.diff(pts[:, 0])) < 180)  # no antimeridian jump
                assert west - 1e-3 <= pts[:, 0].min() and pts[:, 0].max() <= east + 1e-3
                assert south - 1e-3 <= pts[:, 1].min() and pts[:, 1].max() <= north + 1e-3
