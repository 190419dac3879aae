"""Health, places, plan, sources and provenance through the ASGI app; the plan and the
places are checked against the command line's output for the same query."""

from __future__ import annotations

from typing import Any

import pytest
from _serve_util import DEPART, XIAN_ISTANBUL, cli_json, is_problem, without_timings
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from silkway import __version__, load_network
from silkway.model.names import normalize
from silkway.serve.models import PlanDocument

PLAN_ARGS = [
    "plan",
    "Xi'an",
    "Istanbul",
    "--avoid-country",
    "RU",
    "--depart",
    DEPART,
    "--cargo",
    "2xFEU",
    "--samples",
    "200",
    "--time-limit",
    "5",
    "--format",
    "json",
]
NETWORK = load_network()


def test_health(client: TestClient) -> None:
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    assert r.json() == {
        "status": "ok",
        "network": {"name": NETWORK.name, "version": NETWORK.version, "scenarios": []},
        "silkway": __version__,
    }


# ----------------------------------------------------------------------------- places


@pytest.mark.parametrize(
    "params",
    [
        {"q": "ist"},
        {"q": "Сиань"},
        {"q": "西安"},
        {"q": "almat"},
        {"q": "", "country": "kz", "kind": "BORDER_CROSSING"},
        {},
    ],
)
def test_places_are_the_cli_rows(
    client: TestClient, capsys: pytest.CaptureFixture[str], params: dict[str, str]
) -> None:
    args = ["places", params.get("q", ""), "--format", "json"]
    for key in ("country", "kind"):
        if key in params:
            args += [f"--{key}", params[key]]
    want = cli_json(capsys, *args)
    r = client.get("/api/v1/places", params=params)
    assert r.status_code == 200
    assert r.json() == want
    limited = client.get("/api/v1/places", params={**params, "limit": 2}).json()
    assert limited["places"] == want["places"][:2]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    place=st.sampled_from(sorted(NETWORK.places.values(), key=lambda p: p.id)),
    lang=st.sampled_from(["name_en", "name_ru", "name_zh", "name_local"]),
    length=st.integers(min_value=2, max_value=6),
)
def test_autocomplete_finds_a_place_by_any_name_prefix(
    client: TestClient, place: Any, lang: str, length: int
) -> None:
    """Typing the start of a place's name in any of its languages lists the place, and
    every place with a name that begins so comes before every place without one."""
    name = getattr(place, lang)
    prefix = name[:length]
    key = normalize(prefix)
    if not key or not normalize(name).startswith(key):
        return
    rows = client.get("/api/v1/places", params={"q": prefix}).json()["places"]
    ids = [r["id"] for r in rows]
    assert place.id in ids
    begins = [any(normalize(n).startswith(key) for n in NETWORK.places[pid].names()) for pid in ids]
    assert begins[ids.index(place.id)]
    assert begins == sorted(begins, reverse=True)


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"country": "Kazak"}, "not a two-letter ISO country code"),
        ({"country": "US"}, "no place of this network is in country US"),
        ({"kind": "harbour"}, "unknown place kind 'harbour'"),
        ({"limit": "0"}, "limit"),
        ({"q": "x" * 300}, "q"),
    ],
)
def test_places_bad_filters_are_422_problems(
    client: TestClient, params: dict[str, str], words: str
) -> None:
    doc = is_problem(client.get("/api/v1/places", params=params), 422)
    assert words in doc["detail"]


# ----------------------------------------------------------------------------- plan


def test_plan_is_the_cli_document(client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
    """One code path: POST and GET /plan answer what ``silkway plan --format json``
    prints for the same query and seed (less the wall-clock timings)."""
    want = cli_json(capsys, *PLAN_ARGS)
    posted = client.post("/api/v1/plan", json=XIAN_ISTANBUL)
    assert posted.status_code == 200, posted.text
    assert posted.headers["content-type"] == "application/json"
    assert without_timings(posted.json()) == without_timings(want)
    got = client.get("/api/v1/plan", params=XIAN_ISTANBUL)
    assert got.status_code == 200, got.text
    assert without_timings(got.json()) == without_timings(want)
    assert len(want["options"]) >= 2


def test_plan_under_a_scenario_is_the_cli_document(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["plan", "Kashgar", "Tashkent", "--depart", DEPART, "--samples", "100"]
    args += ["--time-limit", "5"]
    want = cli_json(capsys, *args, "--scenario", "cku-open", "--format", "json")
    body = {
        "origin": "Kashgar",
        "destination": "Tashkent",
        "depart": DEPART,
        "samples": 100,
        "time_limit": 5,
        "scenario": ["cku-open"],
    }
    r = client.post("/api/v1/plan", json=body)
    assert r.status_code == 200, r.text
    assert without_timings(r.json()) == without_timings(want)
    assert r.json()["network"]["scenarios"] == ["cku-open"]
    base = client.post("/api/v1/plan", json={**body, "scenario": []}).json()
    assert base["options"] != r.json()["options"]  # the scenario changes the routes


def test_plan_document_model_validates_the_cli_output(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The OpenAPI schema of the plan document holds the CLI's JSON, and is not so
    loose that it holds anything."""
    doc = cli_json(capsys, *PLAN_ARGS, "--explain")
    model = PlanDocument.model_validate(doc)
    assert model.model_dump(by_alias=True, exclude_unset=True)["options"] == doc["options"]
    broken = {**doc, "options": [{**doc["options"][0], "legs": "none"}]}
    with pytest.raises(ValueError, match="legs"):
        PlanDocument.model_validate(broken)


def test_plan_time_limit_is_capped_below_the_compute_limit(client: TestClient) -> None:
    r = client.post("/api/v1/plan", json={**XIAN_ISTANBUL, "time_limit": 0})
    assert r.status_code == 200
    assert r.json()["query"]["time_limit"] == 5.0  # half the default 10-s bound


def test_unknown_place_lists_the_closest_matches(client: TestClient) -> None:
    doc = is_problem(
        client.post("/api/v1/plan", json={**XIAN_ISTANBUL, "destination": "Istanbull"}), 404
    )
    assert doc["type"] == "urn:silkway:problem:unknown-place"
    assert "Istanbul (TR_IST)" in doc["matches"]
    assert doc["query"] == "Istanbull"
    assert "closest matches: " + ", ".join(doc["matches"]) in doc["detail"]
    # an API user is pointed at the API's search, not at the command line
    assert "GET /api/v1/places?q=" in doc["detail"] and "silkway places" not in doc["detail"]


def test_ambiguous_place_lists_the_candidates(client: TestClient) -> None:
    doc = is_problem(client.post("/api/v1/plan", json={**XIAN_ISTANBUL, "origin": "Alm"}), 422)
    assert doc["type"] == "urn:silkway:problem:ambiguous-place"
    assert len(doc["candidates"]) >= 2
    assert all("Alm" in c or "alm" in c.lower() for c in doc["candidates"])


@pytest.mark.parametrize(
    ("change", "kind", "words"),
    [
        ({"depart": "the day after tomorrow"}, "invalid-request", "depart"),
        ({"cargo": "2xBOXES"}, "invalid-request", "cargo"),
        ({"modes": ["pipeline"]}, "no-route", "no route"),
        ({"samples": 0}, "invalid-request", "samples"),
        ({"samples": 50_000}, "limit", "limit of 10,000"),
        ({"options": 21}, "invalid-request", "options"),
        ({"crew": 3}, "invalid-request", "crew"),
        ({"sort": "price"}, "invalid-request", "sort"),
        ({"modes": ["teleport"]}, "invalid-request", "modes.0"),
        ({"via": ["x"] * 51}, "invalid-request", "via"),
        ({"colour": "red"}, "invalid-request", "colour"),
        ({"scenario": ["cku-opn"]}, "unknown-scenario", "not a bundled scenario"),
        ({"scenario": ["../../etc/passwd"]}, "unknown-scenario", "not a bundled scenario"),
    ],
)
def test_bad_plan_requests_are_problems(
    client: TestClient, change: dict[str, Any], kind: str, words: str
) -> None:
    status = 422
    doc = is_problem(client.post("/api/v1/plan", json={**XIAN_ISTANBUL, **change}), status)
    assert doc["type"] == f"urn:silkway:problem:{kind}"
    assert words.lower() in (doc["detail"] + str(doc.get("errors", ""))).lower()
    if kind == "invalid-request" and "errors" in doc:
        assert all({"field", "location", "message", "type"} <= set(e) for e in doc["errors"])
    if kind == "unknown-scenario":
        assert change["scenario"][0] != "cku-opn" or doc["matches"][0] == "cku-open"


def test_validation_errors_name_the_field_path(client: TestClient) -> None:
    r = client.post("/api/v1/plan", json={"origin": "Xi'an", "destination": 5, "via": [1]})
    doc = is_problem(r, 422)
    fields = {e["field"] for e in doc["errors"]}
    assert {"destination", "via.0"} <= fields
    assert is_problem(client.post("/api/v1/plan", content=b"{not json"), 422)["errors"]
    missing = is_problem(client.get("/api/v1/plan", params={"origin": "Xi'an"}), 422)
    assert missing["errors"] == [
        {
            "field": "destination",
            "location": "query",
            "message": "Field required",
            "type": "missing",
        }
    ]


# ----------------------------------------------------------------------------- sources


def test_sources_list_every_source(client: TestClient) -> None:
    rows = client.get("/api/v1/sources").json()["sources"]
    assert [r["id"] for r in rows] == list(NETWORK.sources)
    for r in rows[:20]:
        s = NETWORK.sources[r["id"]]
        assert (r["kind"], r["title"], r["url"], r["derived_from"]) == (
            s.kind,
            s.title,
            s.url,
            list(s.derived_from),
        )
        assert client.get(f"/api/v1/sources/{r['id']}").json() == r


def test_unknown_source_lists_close_ids(client: TestClient) -> None:
    sid = next(iter(NETWORK.sources))
    doc = is_problem(client.get(f"/api/v1/sources/{sid}x"), 404)
    assert sid in doc["matches"]


def test_provenance_of_every_parameter_a_plan_cites(client: TestClient) -> None:
    plan = client.post("/api/v1/plan", json=XIAN_ISTANBUL).json()
    refs = {
        (s["parameter"], s["source"])
        for o in plan["options"]
        for leg in o["legs"]
        for s in leg["sources"]
    }
    assert len(refs) > 10
    for parameter, source in sorted(refs):
        r = client.get(f"/api/v1/provenance/{parameter}")
        assert r.status_code == 200, r.text
        doc = r.json()
        assert (doc["parameter"], doc["source"]) == (parameter, source)
        assert doc["record"]["id"] == source
        kind, _, rest = parameter.partition(":")
        element, _, field = rest.rpartition(".")
        if kind == "link":
            assert doc["value"] == getattr(NETWORK.links[element], field)


@pytest.mark.parametrize(
    ("parameter", "match"),
    [
        ("link:R_KHG_ALT.kms", "link:R_KHG_ALT.km"),
        ("link:R_KHG_AL.km", "link:R_KHG_ALT.km"),
        ("lnk:R_KHG_ALT.km", "link:R_KHG_ALT.km"),
        ("nothing", None),
    ],
)
def test_unknown_parameter_lists_close_references(
    client: TestClient, parameter: str, match: str | None
) -> None:
    doc = is_problem(client.get(f"/api/v1/provenance/{parameter}"), 404)
    if match is not None:
        assert match in doc["matches"]
