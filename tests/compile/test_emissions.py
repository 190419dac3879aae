"""Electric traction on each country's grid, weighted by the km run in each."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from silkway import plan
from silkway.compile import compile_network
from silkway.model import load_network
from silkway.model.records import EmissionFactor, GridIntensity, LinkGeometry


def _per_kwh(network, kwh: float, grids: dict[str, float]):
    factors = dict(network.emission_factors)
    factors["ef_rail"] = EmissionFactor(
        "ef_rail", "rail", "electric", math.nan, math.nan, kwh_per_tkm=kwh
    )
    return replace(
        network,
        emission_factors=factors,
        grid_intensities={c: GridIntensity(c, g) for c, g in grids.items()},
    )


def test_two_country_link_pays_each_grid_for_its_km(tiny_network) -> None:
    # BC runs from B (CN) to C (KZ); its line: 30 km in China, 70 km in Kazakhstan
    network = _per_kwh(tiny_network, 0.03, {"CN": 600.0, "KZ": 800.0})
    line = ((78.0, 40.0), (77.0, 40.0))
    network = replace(
        network,
        geometries={"BC": LinkGeometry("BC", line, country_km={"CN": 30.0, "KZ": 70.0})},
    )
    net = compile_network(network)
    bc = net.links.index("BC")
    hand = 0.03 * (0.3 * 600.0 + 0.7 * 800.0)
    assert net.link_wtw[bc] == pytest.approx(hand)
    assert net.link_ttw[bc] == 0.0
    assert net.link_grid_g_per_kwh[bc] == pytest.approx(0.3 * 600 + 0.7 * 800)
    assert dict(net.link_grid_mix[bc]) == pytest.approx({"CN": 0.3, "KZ": 0.7})
    # a fixed factor is left as it is
    assert net.link_wtw[net.links.index("AF")] == network.emission_factors["ef_road"].wtw_g_per_tkm


def test_border_noise_and_sea_are_left_out_of_the_mix(tiny_network) -> None:
    network = _per_kwh(tiny_network, 0.03, {"CN": 600.0, "KZ": 800.0, "KG": 100.0})
    geometry = LinkGeometry(
        "BC", ((78.0, 40.0), (77.0, 40.0)), country_km={"CN": 40.0, "KG": 5.0, "": 5.0, "KZ": 50.0}
    )
    net = compile_network(replace(network, geometries={"BC": geometry}))
    assert dict(net.link_grid_mix[net.links.index("BC")]) == pytest.approx(
        {"CN": 40 / 90, "KZ": 50 / 90}
    )


def test_without_geometry_the_link_countries_weigh_equally(tiny_path, tmp_path) -> None:
    import shutil

    folder = tmp_path / "tiny"
    shutil.copytree(tiny_path, folder)
    ef = (folder / "emission_factors.csv").read_text(encoding="utf-8").splitlines()
    ef[0] += ",kwh_per_tkm"
    ef = [ef[0]] + [
        "ef_rail,rail,electric,electric rail,,,*=t_est,0.03"
        if r.startswith("ef_rail,")
        else r + ","
        for r in ef[1:]
    ]
    (folder / "emission_factors.csv").write_text("\n".join(ef) + "\n", encoding="utf-8")
    (folder / "grid_intensity.csv").write_text(
        "id,name,year,wtw_g_per_kwh,sources\nCN,,2023,600,*=t_src\nKZ,,2023,800,*=t_src\n",
        encoding="utf-8",
    )
    network = load_network(folder)
    result = plan(network, "A", "C", modes=["rail"], uncertainty=False, cargo="1xTEU")
    legs = {leg.link_id: leg for leg in result.options[0].legs}
    tonnes = network.parameter("payload_t_per_teu", 10.0)
    # AB is all Chinese, BC Chinese and Kazakh in equal parts
    assert legs["AB"].co2e_wtw_kg == pytest.approx(0.03 * 600 * 200 * tonnes / 1000)
    assert legs["BC"].co2e_wtw_kg == pytest.approx(0.03 * 700 * 100 * tonnes / 1000)
    assert legs["BC"].grid_g_per_kwh == pytest.approx(700.0)
    assert legs["BC"].co2e_ttw_kg == 0.0
    assert any(s.source == "t_src" and s.parameter.startswith("grid:") for s in legs["BC"].sources)
