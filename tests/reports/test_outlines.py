"""The shipped country outlines: where they come from, what they cover, and the script
that makes them (deterministic, and it reproduces the shipped file)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from silkway.geo.outlines import load_outlines, outlines_path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_outlines.py"
ATLAS = Path(os.environ.get("SILKWAY_WORLD_ATLAS", "/tmp/npmgeo/node_modules/world-atlas"))


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_outlines", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("lon", "lat", "code"),
    [
        (67.0, 48.0, "KZ"),  # the Kazakh steppe
        (76.9, 43.25, "KZ"),  # Almaty
        (69.24, 41.3, "UZ"),  # Tashkent
        (74.6, 42.87, "KG"),  # Bishkek
        (75.99, 39.47, "CN"),  # Kashgar
        (44.79, 41.72, "GE"),  # Tbilisi
        (13.4, 52.52, "DE"),  # Berlin
        (32.85, 39.93, "TR"),  # Ankara
        (37.6, 55.75, "RU"),  # Moscow
        (24.0, -30.0, "ZA"),  # the Karoo
        (51.0, 42.0, ""),  # the middle of the Caspian
    ],
)
def test_known_points_lie_in_their_country(lon: float, lat: float, code: str) -> None:
    outlines = load_outlines()
    assert outlines.country_at(lon, lat) == code
    if code:
        assert outlines.contains(code, lon, lat)


def test_the_outlines_cover_the_corridor_region_and_stay_in_it() -> None:
    o = load_outlines()
    west, south, east, north = o.region
    assert west <= -10 and east >= 135 and south <= 5 and north >= 65
    assert o.points[:, 0].min() >= west and o.points[:, 0].max() <= east
    assert o.points[:, 1].min() >= south and o.points[:, 1].max() <= north
    assert {"CN", "KZ", "KG", "UZ", "TM", "AZ", "GE", "TR", "IR", "RU", "PL", "DE", "NL"} <= set(
        o.codes
    )
    for _, ring in o.rings():
        assert len(ring) >= 4 and np.array_equal(ring[0], ring[-1])
        # nothing jumps across the antimeridian
        assert np.abs(np.diff(ring[:, 0])).max() < 90


def test_kazakhstan_outline_is_about_the_right_size() -> None:
    # Kazakhstan: about 2.72 million km2, from 46.5 E to 87.3 E and 40.6 N to 55.4 N
    rings = load_outlines().country_rings("KZ")
    pts = np.concatenate(rings)
    assert pts[:, 0].min() == pytest.approx(46.5, abs=0.6)
    assert pts[:, 0].max() == pytest.approx(87.3, abs=0.6)
    assert pts[:, 1].min() == pytest.approx(40.6, abs=0.6)
    assert pts[:, 1].max() == pytest.approx(55.4, abs=0.6)
    km2 = 0.0
    for r in rings:
        x, y = np.radians(r[:, 0]), np.radians(r[:, 1])
        km2 += abs(float(np.sum((x[1:] - x[:-1]) * (np.sin(y[1:]) + np.sin(y[:-1]))))) / 2
    assert km2 * 6371.0**2 == pytest.approx(2.72e6, rel=0.03)


def test_the_outlines_as_geojson_for_a_web_map() -> None:
    o = load_outlines()
    collection = json.loads(json.dumps(o.to_geojson()))
    features = {
        f["properties"]["code"]: f for f in collection["features"] if f["properties"]["code"]
    }
    assert len(collection["features"]) == len(o.codes)
    kz = features["KZ"]["geometry"]
    assert (
        kz["type"] == "MultiPolygon" and kz["coordinates"][0][0][0] == kz["coordinates"][0][0][-1]
    )
    rings = sum(len(p) for f in collection["features"] for p in f["geometry"]["coordinates"])
    assert rings == len(o)


def test_the_outlines_say_where_they_come_from() -> None:
    meta = load_outlines().meta
    assert "Natural Earth" in meta["source"] and "world-atlas 2.0.2" in meta["source"]
    assert "public domain" in meta["licence"]
    assert "tolerance" in meta["simplification"] and meta["date"]
    assert meta["script"] == "scripts/build_outlines.py"
    beside = json.loads(outlines_path().with_name("outlines.json").read_text(encoding="utf-8"))
    assert {k: beside[k] for k in meta} == meta


def test_importing_the_readers_and_reports_does_no_work() -> None:
    code = (
        "import sys, silkway.geo.outlines as o, silkway.reports as r; "
        "from silkway.reports import maps, charts, html, comparison; "
        "print(o.load_outlines.cache_info().currsize, 'matplotlib' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.split() == ["0", "False"]


def test_clipping_cuts_a_ring_at_the_region() -> None:
    script = _script()
    square = np.array([[-30.0, 0.0], [10.0, 0.0], [10.0, 10.0], [-30.0, 10.0], [-30.0, 0.0]])
    clipped = script.clip(square, (-20.0, -40.0, 150.0, 72.0))
    assert clipped[:, 0].min() == -20.0 and script.area(clipped) == pytest.approx(300.0)
    assert len(script.clip(square + np.array([200.0, 0.0]), (-20.0, -40.0, 150.0, 72.0))) == 0


def test_a_ring_across_the_antimeridian_is_unwrapped_before_clipping() -> None:
    script = _script()
    # a box from 140 E to 170 W across the antimeridian, as TopoJSON stores it
    ring = np.array([[140.0, 60.0], [179.0, 60.0], [-170.0, 60.0], [-170.0, 65.0],
                     [179.0, 65.0], [140.0, 65.0], [140.0, 60.0]])  # fmt: skip
    clipped = script.clip(ring, (-20.0, -40.0, 150.0, 72.0))
    assert clipped[:, 0].min() == 140.0 and clipped[:, 0].max() == 150.0
    assert script.area(clipped) == pytest.approx(50.0)


def test_simplification_keeps_the_ends_and_the_corners() -> None:
    script = _script()
    line = np.array([[0.0, 0.0], [1.0, 0.001], [2.0, 0.0], [2.0, 2.0], [2.001, 3.0], [2.0, 4.0]])
    out = script.simplify(line, 0.01)
    assert out.tolist() == [[0.0, 0.0], [2.0, 0.0], [2.0, 4.0]]


@pytest.mark.skipif(
    not (ATLAS / "countries-50m.json").exists() or importlib.util.find_spec("pycountry") is None,
    reason="needs the npm package world-atlas 2.0.2 (SILKWAY_WORLD_ATLAS) and pycountry",
)
def test_the_script_is_deterministic_and_reproduces_the_shipped_file(tmp_path: Path) -> None:
    date = load_outlines().meta["date"]
    for out in ("a", "b"):
        subprocess.run(
            [sys.executable, str(SCRIPT), str(ATLAS), "--out", str(tmp_path / out), "--date", date],
            check=True,
            capture_output=True,
        )
    a = (tmp_path / "a" / "outlines.npz").read_bytes()
    assert a == (tmp_path / "b" / "outlines.npz").read_bytes()
    assert a == outlines_path().read_bytes()
    shipped = outlines_path().with_name("outlines.json").read_text(encoding="utf-8")
    assert (tmp_path / "a" / "outlines.json").read_text(encoding="utf-8") == shipped
