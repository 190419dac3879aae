"""Rail tariffs by section, train types and border dwell by direction in the bundled network.

Costs are recomputed here from the CSV files with the csv module (not through the
engine's records or arrays), so a planned option's price is checked against the data it
claims to come from.
"""

from __future__ import annotations

import csv
import heapq
from collections import defaultdict
from pathlib import Path

import pytest

import silkway
from silkway.model.loader import default_network_path

DATA = default_network_path()
MONDAY = "2026-12-07"
ERAI_USD_PER_FEU = 3289.0
"""The Eurasian Rail Alliance Index of 2024-07-15 (sources.csv: era_index2024)."""

pytestmark = pytest.mark.skipif(
    not (DATA / "train_types.csv").exists(), reason="the bundled network has no train types"
)


def rows(file: str) -> list[dict[str, str]]:
    with (Path(DATA) / file).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def provenance(cell: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for token in cell.split():
        fields, source = token.split("=", 1)
        for name in fields.replace("+", ",").split(","):
            out[name] = source
    return out


@pytest.fixture(scope="module")
def compiled():
    return silkway.compile_network(silkway.load_network())


def test_every_rail_link_has_the_rate_and_source_of_its_section() -> None:
    by_section: dict[str, set[tuple[float, str]]] = defaultdict(set)
    for link in rows("links.csv"):
        if link["mode"] != "rail":
            assert not link["section"], link["id"]
            continue
        assert link["section"], f"rail link {link['id']} has no section"
        src = provenance(link["sources"])["cost_per_km_usd"]
        assert src != "der_rail_rate", link["id"]
        by_section[link["section"]].add((float(link["cost_per_km_usd"]), src))
    # one rate and one source per section, and the sections the tariffs are known for
    assert {s: len(v) for s, v in by_section.items()} == dict.fromkeys(by_section, 1)
    assert {"cn", "era", "eu", "mc"} <= set(by_section)
    kinds = {r["id"]: r["kind"] for r in rows("sources.csv")}
    for section in ("cn", "era", "eu", "mc"):
        ((_, src),) = by_section[section]
        assert kinds[src] == "derived", (section, src)


def _rail_path_km(a: str, b: str) -> float:
    graph: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for link in rows("links.csv"):
        if link["mode"] == "rail" and link["status"] == "operational":
            graph[link["from"]].append((link["to"], float(link["km"])))
            graph[link["to"]].append((link["from"], float(link["km"])))
    best = {a: 0.0}
    heap = [(0.0, a)]
    while heap:
        d, u = heapq.heappop(heap)
        if u == b:
            return d
        if d > best[u]:
            continue
        for v, km in graph[u]:
            if d + km < best.get(v, float("inf")):
                best[v] = d + km
                heapq.heappush(heap, (d + km, v))
    raise AssertionError(f"no rail path {a}-{b}")


def test_the_1520_rate_is_the_index_over_the_models_own_section() -> None:
    """The ERAI covers Dostyk/Altynkol - Brest: its rate per km must follow the model's
    own length of that section (re-derive der_rail_rate_era if lengths change)."""
    (era,) = {float(k["cost_per_km_usd"]) for k in rows("links.csv") if k["section"] == "era"}
    km = _rail_path_km("KZ_DOS", "BY_BRE")
    assert era == pytest.approx(ERAI_USD_PER_FEU / km, rel=0.05), km


def _leg_cost(leg: dict, train: str) -> float:
    """A leg's cost recomputed from the CSV files for one FEU."""
    link = next(k for k in rows("links.csv") if k["id"] == leg["link"])
    per_km = float(link["cost_per_km_usd"] or 0)
    fixed = float(link["cost_fixed_usd"] or 0)
    for rule in rows("train_types.csv"):
        if rule["train"] == train and link["section"] and rule["section"] == link["section"]:
            if rule["cost_per_km_usd"]:
                per_km = float(rule["cost_per_km_usd"])
            elif rule["cost_factor"]:
                per_km *= float(rule["cost_factor"])
    cost = fixed + per_km * float(link["km"])
    for wait in leg["waits"]:
        if wait["code"] == "border.dwell":
            (row,) = [c for c in rows("crossings.csv") if c["id"] == wait["subject"]]
            assert (row["link"], row["from"]) == (leg["link"], leg["from"])
            cost += float(row["cost_usd"])
        elif wait["code"].startswith("transfer."):
            (row,) = [t for t in rows("transfers.csv") if t["id"] == wait["subject"]]
            cost += float(row["cost_usd"])
    return cost


@pytest.mark.parametrize("train", ["block", "express", "wagonload"])
def test_chongqing_duisburg_is_priced_from_the_section_rates(compiled, train: str) -> None:
    result = silkway.plan(
        compiled,
        "Chongqing",
        "Duisburg",
        depart=MONDAY,
        modes=["rail"],
        train=train,
        uncertainty=False,
        all_options=True,
    )
    doc = result.to_dict()
    assert doc["query"]["train"] == train
    for option in doc["options"]:
        assert option["cost_usd"] == pytest.approx(
            sum(_leg_cost(leg, train) for leg in option["legs"])
        )
        sections = {
            next(k["section"] for k in rows("links.csv") if k["id"] == leg["link"])
            for leg in option["legs"]
        }
        assert {"cn", "era", "eu"} <= sections


def test_the_rail_border_into_kazakhstan_takes_both_posts_by_direction() -> None:
    crossings = {c["id"]: c for c in rows("crossings.csv")}
    for link in ("R_KHG_ALT", "R_ALA_DOS"):
        into_kz = next(c for c in crossings.values() if c["link"] == link and c["from"][:2] == "CN")
        into_cn = next(c for c in crossings.values() if c["link"] == link and c["from"][:2] == "KZ")
        assert float(into_kz["median_hours"]) > float(into_cn["median_hours"])
        for row in (into_kz, into_cn):
            src = provenance(row["sources"])["median_hours"]
            note = next(s for s in rows("sources.csv") if s["id"] == src)
            # both countries' posts, from CPMM
            assert "cpmm2022_kz" in note["derived_from"] and "cpmm2022_" in note["derived_from"]
        express = [
            r for r in rows("train_types.csv") if r["crossing"] in (into_kz["id"], into_cn["id"])
        ]
        assert {r["train"] for r in express} == {"express"}
        for rule in express:
            assert float(rule["p90_hours"]) <= 24.0  # the same-day standard
            target = crossings[rule["crossing"]]
            assert float(rule["median_hours"]) < float(target["median_hours"])


def test_brest_malaszewicze_has_the_congested_spread_and_its_alternatives_do_not() -> None:
    crossings = {(c["link"], c["from"]): c for c in rows("crossings.csv")}

    def ratio(row: dict[str, str]) -> float:
        return float(row["p90_hours"]) / float(row["median_hours"])

    brest = crossings[("R_BRE_MAL", "BY_BRE")]
    for alt in (crossings[("R_BRU_KUZ", "BY_BRU")], crossings[("R_SVI_SIE", "BY_SVI")]):
        assert ratio(brest) > ratio(alt)
        assert float(alt["median_hours"]) <= float(brest["median_hours"])
    assert float(brest["p90_hours"]) > 120.0  # above the normal-period 'often 5 days'


def test_express_is_faster_than_block_and_wagonload_slower_and_dearer(compiled) -> None:
    kw = {"depart": MONDAY, "modes": ["rail"], "uncertainty": False, "max_options": 1}
    best = {
        train: silkway.plan(compiled, "Xi'an", "Duisburg", train=train, **kw).options[0]
        for train in ("express", "block", "wagonload")
    }
    assert best["express"].hours_median_basis < best["block"].hours_median_basis
    assert best["block"].hours_median_basis < best["wagonload"].hours_median_basis
    assert best["block"].cost_usd < best["wagonload"].cost_usd
