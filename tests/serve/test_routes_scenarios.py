"""Scenarios (list, show, compare) and skim matrices through the API, checked against
the command line and against the library run on its own."""

from __future__ import annotations

import math

import pytest
from _serve_util import DEPART, cli_json, is_problem, limited
from fastapi.testclient import TestClient

from silkway import compile_network, load_network
from silkway.scenarios.format import bundled_scenarios, load_scenario
from silkway.scenarios.patching import apply_all
from silkway.skims import matrix


def test_list_is_the_cli_list(client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
    r = client.get("/api/v1/scenarios")
    assert r.status_code == 200
    assert r.json() == cli_json(capsys, "scenario", "list", "--format", "json")
    assert [s["name"] for s in r.json()["scenarios"]] == list(bundled_scenarios())


@pytest.mark.parametrize("name", ["cku-open", "baseline"])
def test_show_is_the_cli_show(
    client: TestClient, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    r = client.get(f"/api/v1/scenarios/{name}")
    assert r.status_code == 200
    assert r.json() == cli_json(capsys, "scenario", "show", name, "--format", "json")


def test_unknown_scenario_is_a_404_with_matches(client: TestClient) -> None:
    doc = is_problem(client.get("/api/v1/scenarios/cku-opem"), 404)
    assert doc["matches"][0] == "cku-open"


def _skims(scenario: str, places: list[str], samples: int) -> dict[tuple[str, str], dict]:
    """The cheapest routes' skims under one scenario, from the library: the network read,
    patched and compiled here."""
    net = compile_network(apply_all(load_network(), [load_scenario(scenario)]))
    frame = matrix(net, places, depart=DEPART, samples=samples, sort="cost", workers=0)
    return {(r["origin"], r["destination"]): r for r in frame.to_dict("records")}


def test_compare_gives_both_sides_and_the_change(client: TestClient) -> None:
    pairs = [("Kashgar", "Tashkent"), ("Tashkent", "Kashgar")]
    body = {
        "base": "baseline",
        "other": "cku-open",
        "pairs": [{"origin": o, "destination": d} for o, d in pairs],
        "depart": DEPART,
        "samples": 50,
        "sort": "cost",
    }
    r = client.post("/api/v1/scenarios/compare", json=body)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert [(p["origin"], p["destination"]) for p in doc["pairs"]] == [
        ("CN_KSG", "UZ_TAS"),
        ("UZ_TAS", "CN_KSG"),
    ]
    base = _skims("baseline", ["CN_KSG", "UZ_TAS"], 50)
    other = _skims("cku-open", ["CN_KSG", "UZ_TAS"], 50)
    changed = False
    for p in doc["pairs"]:
        key = (p["origin"], p["destination"])
        for m in ("time_p50_h", "cost_usd", "co2e_kg"):
            b, o = base[key][m], other[key][m]
            assert p[f"{m}_base"] == pytest.approx(b)
            assert p[f"{m}_other"] == pytest.approx(o)
            assert p[f"{m}_delta"] == pytest.approx(o - b)
            assert p[f"{m}_pct"] == pytest.approx(100 * (o - b) / b)
            changed |= not math.isclose(o, b)
    assert changed  # the CKU railway is the cheaper route between Kashgar and Tashkent
    assert all(p["route_changed"] for p in doc["pairs"])


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"other": "cku-opn"}, 422, "not a bundled scenario"),
        ({"pairs": [{"origin": "Kashgar", "destination": "Kashgar"}]}, 422, "one place"),
        ({"pairs": [{"origin": "Kashgar", "destination": "Atlantis"}]}, 404, "Atlantis"),
        ({"pairs": []}, 422, "pairs"),
        ({"samples": 20_000}, 422, "limit"),
    ],
)
def test_bad_comparisons_are_problems(
    client: TestClient, change: dict[str, object], status: int, words: str
) -> None:
    body = {
        "base": "baseline",
        "other": "cku-open",
        "pairs": [{"origin": "Kashgar", "destination": "Tashkent"}],
        **change,
    }
    doc = is_problem(client.post("/api/v1/scenarios/compare", json=body), status)
    assert words in doc["detail"]


def test_too_many_pairs_is_a_clear_422() -> None:
    with limited(compare_pairs=2) as c:
        pairs = [{"origin": "Kashgar", "destination": d} for d in ("Tashkent", "Almaty", "Baku")]
        body = {"base": "baseline", "other": "cku-open", "pairs": pairs}
        doc = is_problem(c.post("/api/v1/scenarios/compare", json=body), 422)
        assert "3 pairs is over this server's limit of 2" in doc["detail"]


def test_matrix_is_the_library_matrix(client: TestClient) -> None:
    places = ["Xi'an", "Almaty", "Tashkent"]
    body = {"places": places, "depart": DEPART, "samples": 50, "scenario": ["cku-open"]}
    r = client.post("/api/v1/matrix", json=body)
    assert r.status_code == 200, r.text
    doc = r.json()
    want = matrix(
        compile_network(apply_all(load_network(), [load_scenario("cku-open")])),
        places,
        depart=DEPART,
        samples=50,
        workers=0,
    )
    assert doc["columns"] == list(want.columns)
    assert len(doc["rows"]) == len(want) == 6
    for row, (_, w) in zip(doc["rows"], want.iterrows(), strict=True):
        for c in want.columns:
            if isinstance(w[c], float):
                assert row[c] == pytest.approx(w[c])
            else:
                assert row[c] == w[c]


def test_matrix_over_the_size_limit_is_a_clear_422(client: TestClient) -> None:
    places = sorted(load_network().places)[:9]
    doc = is_problem(client.post("/api/v1/matrix", json={"places": places}), 422)
    assert doc["detail"] == "places: 9 places is over this server's limit of 8"
    assert doc["errors"][0]["field"] == "places"
    doc = is_problem(client.post("/api/v1/matrix", json={"places": ["Almaty"]}), 422)
    assert doc["errors"][0]["field"] == "places"
