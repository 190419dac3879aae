"""Plan results: the documented JSON, GeoJSON and DataFrame forms, and their arithmetic.

Expected key and column lists are copied from ``docs/output-schema.md`` (the contract).
"""

from __future__ import annotations

import dataclasses
import json
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import silkway
from silkway.compile import compile_network
from silkway.model.records import Network
from silkway.results import LEG_COLUMNS, OPTION_COLUMNS, SCHEMA, PlanResult, SourceRef

QUERIES = [
    {"origin": "A", "destination": "E"},
    {"origin": "E", "destination": "A", "include_planned": True, "cargo": "3xTEU"},
    {"origin": "A", "destination": "F", "depart": "2026-12-04T20:00"},
    {"origin": "A", "destination": "E", "uncertainty": False, "sort": "cost"},
    {"origin": "A", "destination": "C", "cargo": "30t:dry_bulk"},
]


@pytest.fixture(scope="module")
def results(tiny_network: Network) -> list[PlanResult]:
    net = compile_network(tiny_network)
    out = []
    for q in QUERIES:
        kw = {"depart": "2026-12-07", "samples": 300, **q}
        out.append(silkway.plan(net, kw.pop("origin"), kw.pop("destination"), **kw))
    return out


OPTION_KEYS = {
    "rank",
    "route",
    "route_names",
    "modes",
    "total_hours",
    "total_days",
    "arrival",
    "cost_usd",
    "co2e_kg",
    "distance_km",
    "borders",
    "gauge_changes",
    "transshipments",
    "transfers",
    "regimes",
    "legs",
}
LEG_KEYS = {
    "from",
    "to",
    "from_name",
    "to_name",
    "mode",
    "link",
    "service",
    "gauge_mm",
    "km",
    "hours",
    "wait_hours",
    "wait_hours_p50",
    "wait_hours_p90",
    "wait_reason",
    "waits",
    "cost_usd",
    "co2e_kg",
    "sources",
}


def test_json_has_the_documented_keys(results: list[PlanResult]) -> None:
    for r in results:
        doc = json.loads(r.to_json())
        assert doc["schema"] == SCHEMA == "silkway.plan/1"
        assert {"schema", "query", "network", "pareto_size", "options", "sources"} <= set(doc)
        assert doc["network"] == {"name": "tiny", "version": "1", "scenarios": []}
        assert doc["pareto_size"] >= len(doc["options"]) >= 1
        for o in doc["options"]:
            assert set(o) >= OPTION_KEYS
            assert set(o["total_hours"]) == {"p50", "p90", "median_basis"}
            assert set(o["total_days"]) == {"p50", "p90"}
            assert set(o["co2e_kg"]) == {"wtw", "ttw"}
            assert set(o["arrival"]) == {"p50", "p90"}
            assert all(isinstance(o[k], float) for k in ("cost_usd", "distance_km"))
            for b in o["borders"]:
                assert set(b) == {"name", "from", "to", "from_country", "to_country", "regimes"}
            for leg in o["legs"]:
                assert set(leg) >= LEG_KEYS
                assert set(leg["co2e_kg"]) == {"wtw", "ttw"}
                for w in leg["waits"]:
                    assert set(w) == {
                        "code",
                        "reason",
                        "hours",
                        "where",
                        "subject",
                        "opening",
                        "note",
                        "closure",
                        "detail",
                    }
                    assert w["reason"] in {"transfer", "service", "closed", "border", "road"}
                for s in leg["sources"]:
                    assert set(s) == {"parameter", "source", "kind"}
                    assert s["source"] in doc["sources"]
            assert o["route"][0] == doc["query"]["origin"]["id"]
            assert o["route"][-1] == doc["query"]["destination"]["id"]


def test_json_numbers_are_the_option_numbers_rounded(results: list[PlanResult]) -> None:
    for r in results:
        doc = r.to_dict()
        for o, d in zip(r.options, doc["options"], strict=True):
            assert d["total_hours"]["p50"] == round(o.hours_p50, 2)
            assert d["total_hours"]["median_basis"] == round(o.hours_median_basis, 2)
            assert d["total_days"]["p90"] == round(o.hours_p90 / 24, 2)
            assert d["cost_usd"] == round(o.cost_usd, 2)
            assert d["co2e_kg"]["wtw"] == round(o.co2e_wtw_kg, 2)


def test_json_is_plain_utf8_text(results: list[PlanResult]) -> None:
    text = results[0].to_json(indent=None)
    assert "\n" not in text
    assert json.loads(text) == json.loads(results[0].to_json())


def test_legs_add_up_to_the_totals(results: list[PlanResult]) -> None:
    for r in results:
        for o in r.options:
            assert sum(leg.cost_usd for leg in o.legs) == pytest.approx(o.cost_usd, abs=1e-6)
            assert sum(leg.hours + leg.wait_hours for leg in o.legs) == pytest.approx(
                o.hours_median_basis, abs=1e-6
            )
            assert sum(leg.co2e_wtw_kg for leg in o.legs) == pytest.approx(o.co2e_wtw_kg, abs=1e-6)
            assert sum(leg.co2e_ttw_kg for leg in o.legs) == pytest.approx(o.co2e_ttw_kg, abs=1e-6)
            assert sum(leg.km for leg in o.legs) == pytest.approx(o.distance_km)
            for leg in o.legs:
                assert leg.wait_hours == pytest.approx(sum(w.hours for w in leg.waits))
                assert 0 <= leg.co2e_ttw_kg <= leg.co2e_wtw_kg


def test_legs_chain_from_origin_to_destination(results: list[PlanResult]) -> None:
    for r in results:
        for o in r.options:
            assert o.legs[0].from_id == r.query["origin"]["id"]
            assert o.legs[-1].to_id == r.query["destination"]["id"]
            for a, b in zip(o.legs, o.legs[1:], strict=False):
                assert a.to_id == b.from_id
            assert (
                len(o.gauge_changes) + sum(k == "transshipment" for _, k in o.transfers)
                == o.transshipments
            )


def test_sources_are_cited(results: list[PlanResult], tiny_network: Network) -> None:
    for r in results:
        cited = {s.source for o in r.options for leg in o.legs for s in leg.sources}
        assert set(r.sources) == cited
        for sid, info in r.sources.items():
            assert info["title"] == tiny_network.sources[sid].title
            assert info["kind"] == tiny_network.sources[sid].kind
        for o in r.options:
            for leg in o.legs:
                assert any(s.parameter == f"link:{leg.link_id}.km" for s in leg.sources)


def test_geojson_is_a_feature_collection_of_line_strings(
    results: list[PlanResult], tiny_network: Network
) -> None:
    for r in results:
        gj = json.loads(json.dumps(r.to_geojson()))  # serialisable
        assert gj["type"] == "FeatureCollection"
        assert gj["schema"] == SCHEMA
        n_legs = sum(len(o.legs) for o in r.options)
        assert len(gj["features"]) == n_legs
        for f in gj["features"]:
            assert f["type"] == "Feature"
            geom = f["geometry"]
            assert geom["type"] == "LineString"
            assert len(geom["coordinates"]) >= 2
            for lon, lat in geom["coordinates"]:
                assert -180 <= lon <= 180 and -90 <= lat <= 90
            props = f["properties"]
            assert {
                "option",
                "seq",
                "from",
                "to",
                "mode",
                "link",
                "service",
                "km",
                "hours",
                "wait_hours",
                "cost_usd",
                "co2e_kg_wtw",
                "option_hours_p50",
                "option_cost_usd",
            } <= set(props)
            a, b = tiny_network.places[props["from"]], tiny_network.places[props["to"]]
            assert geom["coordinates"][0] == [a.lon, a.lat]  # [lon, lat], not [lat, lon]
            assert geom["coordinates"][-1] == [b.lon, b.lat]


def test_dataframes_have_the_stable_columns(results: list[PlanResult]) -> None:
    documented_options = [
        "rank",
        "route",
        "modes",
        "total_hours_p50",
        "total_hours_p90",
        "total_days_p50",
        "total_days_p90",
        "cost_usd",
        "co2e_wtw_kg",
        "co2e_ttw_kg",
        "distance_km",
        "borders",
        "gauge_changes",
        "transshipments",
        "regimes",
    ]
    documented_legs = [
        "rank",
        "seq",
        "from_id",
        "to_id",
        "mode",
        "link_id",
        "service_id",
        "km",
        "hours",
        "wait_hours",
        "wait_reason",
        "cost_usd",
        "co2e_wtw_kg",
        "co2e_ttw_kg",
    ]
    assert list(OPTION_COLUMNS) == documented_options
    assert list(LEG_COLUMNS) == documented_legs
    for r in results:
        df = r.to_dataframe()
        assert isinstance(df, pd.DataFrame)
        assert list(df.columns) == documented_options
        assert len(df) == len(r.options)
        assert df["rank"].tolist() == [o.rank for o in r.options]
        assert df["cost_usd"].tolist() == pytest.approx([o.cost_usd for o in r.options])
        assert (df["total_days_p50"] * 24).tolist() == pytest.approx(df["total_hours_p50"].tolist())
        legs = r.legs_dataframe()
        assert list(legs.columns) == documented_legs
        assert len(legs) == sum(len(o.legs) for o in r.options)
        by_option = legs.groupby("rank")["cost_usd"].sum()
        for o in r.options:
            assert by_option[o.rank] == pytest.approx(o.cost_usd)
            assert legs[legs["rank"] == o.rank]["seq"].tolist() == list(range(1, len(o.legs) + 1))


def test_empty_result_frames_keep_their_columns() -> None:
    empty = PlanResult(query={}, network={}, options=(), pareto_size=0)
    assert list(empty.to_dataframe().columns) == list(OPTION_COLUMNS)
    assert list(empty.legs_dataframe().columns) == list(LEG_COLUMNS)
    assert empty.to_geojson()["features"] == []
    assert len(empty) == 0


def test_result_is_iterable_over_options(results: list[PlanResult]) -> None:
    r = results[0]
    assert list(r) == list(r.options)
    assert len(r) == len(r.options)


def test_wait_reason_text(results: list[PlanResult]) -> None:
    friday = results[2].options[0].legs[0]  # A -> F, closed at the weekend
    # 168 - 116 - 410/60 = 45.17 h closed, then the 2 h border dwell
    closed, border = friday.wait_reason.split("; ")
    assert "closed" in closed and "Mon-Fri" in closed and closed.endswith("(45.2 h)")
    assert border.startswith("border") and border.endswith("(2.0 h)")
    for r in results:
        for o in r.options:
            for leg in o.legs:
                shown = [w for w in leg.waits if w.hours > 0]
                # documented form: "border Khorgos–Altynkol (34.8 h)", joined by "; "
                parts = leg.wait_reason.split("; ") if leg.wait_reason else []
                assert parts == [f"{w.detail} ({w.hours:.1f} h)" for w in shown]


def test_arrival_is_depart_plus_p50(results: list[PlanResult]) -> None:
    import datetime as dt

    for r in results:
        depart = dt.datetime.fromisoformat(r.query["depart"])
        for o in r.options:
            arrival = dt.datetime.fromisoformat(o.arrival_p50)
            expected = depart + dt.timedelta(hours=o.hours_p50)
            assert abs((arrival - expected).total_seconds()) <= 60
            assert math.isclose(o.hours_p50 / 24, o.to_dict()["total_days"]["p50"], abs_tol=0.01)


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        ("One sentence only", "One sentence only"),
        ("First one. Second one.", "First one."),
        ("Closed 12 Sep 2025. Trains (300) held.", "Closed 12 Sep 2025."),
        ("EU Regulations 833/2014 apply. 2025: closed.", "EU Regulations 833/2014 apply."),
        ("Costs 5.5 USD per km. More.", "Costs 5.5 USD per km."),
    ],
)
def test_advisory_headline_is_the_first_sentence(text: str, headline: str) -> None:
    from silkway.results import RouteAdvisory

    adv = RouteAdvisory("a", "other", "info", text, "", "", (), ())
    assert adv.headline == headline


@given(parameter=st.text(), source=st.text(), kind=st.text())
def test_source_ref_to_dict_is_asdict(parameter: str, source: str, kind: str) -> None:
    ref = SourceRef(parameter=parameter, source=source, kind=kind)
    assert ref.to_dict() == dataclasses.asdict(ref)


def test_leg_sources_in_json_are_the_refs(results: list[PlanResult]) -> None:
    for result in results:
        doc = result.to_dict()
        for option, o in zip(result.options, doc["options"], strict=True):
            for leg, d in zip(option.legs, o["legs"], strict=True):
                assert d["sources"] == [dataclasses.asdict(s) for s in leg.sources]
