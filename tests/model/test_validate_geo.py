"""Validation of link geometry, grid intensities and emission factors (on the tiny net)."""

from __future__ import annotations

from test_validate import expect, problems_of

from silkway.model import validate_folder

GEOMETRY_HEADER = "id,via,line,sources\n"


def with_geometry(copy, *rows: str) -> None:
    copy.write("link_geometry.csv", GEOMETRY_HEADER + "".join(r + "\n" for r in rows))


def test_a_good_line_loads_with_its_km_per_country(tiny_copy) -> None:
    # A (80 E 40 N, in China) to F (76 E 42 N, which the country grid puts in Kyrgyzstan)
    with_geometry(tiny_copy, "AF,Mid,80 40;78 41;76 42,line=t_est")
    network, problems = validate_folder(tiny_copy.path)
    geometry = network.geometries["AF"]
    assert geometry.via == ("Mid",) and geometry.line[1] == (78.0, 41.0)
    assert geometry.country_km["CN"] > 0
    # the grid's KG stretch is reported, as the tiny network calls F Kazakh
    assert {p.code for p in problems} == {"geometry-country-not-listed"}


def test_unknown_link(tiny_copy) -> None:
    with_geometry(tiny_copy, "NOPE,,80 40;78 40,line=t_est")
    expect(problems_of(tiny_copy), "unknown-id", "link_geometry.csv", 2, "id")


def test_line_far_from_its_places(tiny_copy) -> None:
    with_geometry(tiny_copy, "AB,,80 40;70 40,line=t_est")
    p = expect(problems_of(tiny_copy), "inconsistent-value", "link_geometry.csv", 2, "line")
    assert "B" in p.message and "km" in p.message


def test_reversed_line_is_named(tiny_copy) -> None:
    with_geometry(tiny_copy, "AB,,78 40;80 40,line=t_est")
    p = expect(problems_of(tiny_copy), "inconsistent-value", "link_geometry.csv", 2, "line")
    assert "reverse it" in p.message


def test_coordinates_off_the_globe(tiny_copy) -> None:
    with_geometry(tiny_copy, "AB,,80 40;200 40,line=t_est")
    p = expect(problems_of(tiny_copy), "coordinates-out-of-range", "link_geometry.csv", 2, "line")
    assert "point 2" in p.message


def test_unreadable_points(tiny_copy) -> None:
    with_geometry(tiny_copy, "AB,,80 40;78 north,line=t_est", "BC,,78 40,line=t_est")
    problems = problems_of(tiny_copy)
    expect(problems, "bad-value", "link_geometry.csv", 2, "line")
    p = expect(problems, "bad-value", "link_geometry.csv", 3, "line")
    assert "at least two points" in p.message


def test_a_line_needs_a_source(tiny_copy) -> None:
    with_geometry(tiny_copy, "AB,,80 40;78 40,")
    expect(problems_of(tiny_copy), "missing-provenance", "link_geometry.csv", 2, "sources")


def test_a_line_longer_than_its_link_is_a_warning(tiny_copy) -> None:
    with_geometry(tiny_copy, "AB,,80 40;79 38;78 40,line=t_est")  # about 470 km for 200
    p = expect(problems_of(tiny_copy), "geometry-longer-than-link", "link_geometry.csv", 2, "line")
    assert p.severity == "warning"


def test_transit_country_the_line_never_enters(tiny_copy) -> None:
    tiny_copy.set("links.csv", "AF", "transit_countries", "KG;UZ")
    with_geometry(tiny_copy, "AF,,80 40;78 41;76 42,line=t_est")
    p = expect(
        problems_of(tiny_copy), "geometry-country-not-crossed", "link_geometry.csv", 2, "line"
    )
    assert "UZ" in p.message and p.severity == "warning"


def test_wtw_and_ttw_from_different_sources(tiny_copy) -> None:
    line = tiny_copy.set(
        "emission_factors.csv", "ef_road", "sources", "wtw_g_per_tkm=t_est ttw_g_per_tkm=t_src"
    )
    p = expect(
        problems_of(tiny_copy), "inconsistent-value", "emission_factors.csv", line, "sources"
    )
    assert "same row" in p.message


def test_wtw_ttw_ratio_outside_the_fuel_uplift(tiny_copy) -> None:
    line = tiny_copy.set("emission_factors.csv", "ef_road", "ttw_g_per_tkm", "20")  # WTW 80
    p = expect(
        problems_of(tiny_copy), "inconsistent-value", "emission_factors.csv", line, "wtw_g_per_tkm"
    )
    assert p.severity == "warning"


def test_electric_traction_has_no_tank_to_wheel(tiny_copy) -> None:
    line = tiny_copy.set("emission_factors.csv", "ef_rail", "ttw_g_per_tkm", "5")
    expect(
        problems_of(tiny_copy), "inconsistent-value", "emission_factors.csv", line, "ttw_g_per_tkm"
    )


def _per_kwh(copy, *, grid: str) -> int:
    copy.write("grid_intensity.csv", "id,name,year,wtw_g_per_kwh,sources\n" + grid)
    copy.set("emission_factors.csv", "ef_rail", "wtw_g_per_tkm", "")
    copy.set("emission_factors.csv", "ef_rail", "ttw_g_per_tkm", "")
    copy.write(
        "emission_factors.csv",
        (copy.path / "emission_factors.csv")
        .read_text(encoding="utf-8")
        .replace("sources\n", "sources,kwh_per_tkm\n", 1)
        .replace("*=t_est\n", "*=t_est,\n")
        .replace("*=t_src\n", "*=t_src,\n"),
    )
    return copy.set("emission_factors.csv", "ef_rail", "kwh_per_tkm", "0.03")


def test_a_grid_is_needed_for_every_country_an_electric_link_runs_in(tiny_copy) -> None:
    _per_kwh(tiny_copy, grid="KZ,,2023,800,wtw_g_per_kwh=t_src\n")
    problems = problems_of(tiny_copy)
    p = expect(
        problems,
        "missing-value",
        "links.csv",
        tiny_copy.line_of("links.csv", "AB"),
        "emission_factor",
    )
    assert "CN" in p.message


def test_per_kwh_and_fixed_intensities_together(tiny_copy) -> None:
    line = _per_kwh(
        tiny_copy, grid="CN,,2023,600,wtw_g_per_kwh=t_src\nKZ,,2023,800,wtw_g_per_kwh=t_src\n"
    )
    assert problems_of(tiny_copy) == []
    tiny_copy.set("emission_factors.csv", "ef_rail", "wtw_g_per_tkm", "20")
    expect(
        problems_of(tiny_copy), "inconsistent-value", "emission_factors.csv", line, "kwh_per_tkm"
    )


def test_grid_row_must_name_a_country(tiny_copy) -> None:
    tiny_copy.write(
        "grid_intensity.csv", "id,name,year,wtw_g_per_kwh,sources\nXX,,2023,1,*=t_src\n"
    )
    expect(problems_of(tiny_copy), "unknown-country", "grid_intensity.csv", 2, "id")
