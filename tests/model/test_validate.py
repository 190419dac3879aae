"""Cross-record validation: one test per problem kind, each breaking one thing in tiny.

Every test starts from the valid tiny network (see ``test_tiny_is_valid``), edits one
cell or row, and checks the problem's code, file, line and field.
"""

from __future__ import annotations

import math

import pytest
from _documented import DOCUMENTED_CODES

from silkway import NetworkError, Problem
from silkway.model import load_network, validate_folder
from silkway.model.validate import great_circle_km


def test_documented_codes_were_found() -> None:
    assert {"unknown-id", "duplicate-id", "encoding", "io"} <= DOCUMENTED_CODES


def problems_of(copy) -> list[Problem]:
    _, problems = validate_folder(copy.path)
    return problems


def expect(
    problems: list[Problem],
    code: str,
    file: str,
    line: int,
    field: str,
    *,
    knock_on: frozenset[str] = frozenset(),
) -> Problem:
    """Assert there is a problem at (file, line, field) with ``code``, and that every
    problem found has that code (the edit broke one thing only) or one of the
    ``knock_on`` codes it causes."""
    listing = [f"{p.code} {p}" for p in problems]
    assert code in DOCUMENTED_CODES, f"{code} is not in docs/output-schema.md"
    assert code in {p.code for p in problems}, listing
    assert {p.code for p in problems} <= {code} | knock_on, listing
    hits = [p for p in problems if (p.file, p.line, p.field) == (file, line, field)]
    assert hits, f"no {code} at {file}:{line} [{field}]: {listing}"
    return hits[0]


def test_tiny_is_valid(tiny_copy) -> None:
    assert problems_of(tiny_copy) == []


def test_unknown_id_link_to_unknown_place(tiny_copy) -> None:
    line = tiny_copy.set("links.csv", "CD", "to", "Z")
    p = expect(problems_of(tiny_copy), "unknown-id", "links.csv", line, "to")
    assert "'Z'" in p.message
    with pytest.raises(NetworkError, match=r"links\.csv:4 \[to\]"):
        load_network(tiny_copy.path)


def test_unknown_id_transfer_at_unknown_place(tiny_copy) -> None:
    line = tiny_copy.set("transfers.csv", "tD_road", "place", "Q")
    expect(problems_of(tiny_copy), "unknown-id", "transfers.csv", line, "place")


def test_unknown_id_crossing_on_unknown_link(tiny_copy) -> None:
    line = tiny_copy.set("crossings.csv", "xDE", "link", "XY")
    # the DE link now misses its D->E crossing too; that is a different kind of problem
    problems = [p for p in problems_of(tiny_copy) if p.code != "border-without-crossing"]
    expect(problems, "unknown-id", "crossings.csv", line, "link")


def test_duplicate_id(tiny_copy) -> None:
    line = tiny_copy.copy_row("places.csv", "B", name_en="Bravo again")
    assert line == 8  # header + six places + the copy
    p = expect(problems_of(tiny_copy), "duplicate-id", "places.csv", 8, "id")
    assert "'B'" in p.message


@pytest.mark.parametrize(("field", "value"), [("lat", "95"), ("lat", "-90.5"), ("lon", "181")])
def test_coordinates_out_of_range(tiny_copy, field: str, value: str) -> None:
    # E (line 6) has a single link, the 300 km ferry to D; moving E far away would also
    # make that link shorter than the great circle, so lengthen the ferry first.
    tiny_copy.set("links.csv", "DE", "km", "40000")
    line = tiny_copy.set("places.csv", "E", field, value)
    expect(problems_of(tiny_copy), "coordinates-out-of-range", "places.csv", line, field)


@pytest.mark.parametrize("km", ["0", "-5", "-0.0"])
def test_zero_or_negative_length(tiny_copy, km: str) -> None:
    line = tiny_copy.set("links.csv", "BC", "km", km)
    problems = problems_of(tiny_copy)
    # a link whose required km is unreadable is not built, so its two crossing rows
    # (crossings.csv lines 2 and 3) now name an unknown link
    expect(problems, "non-positive", "links.csv", line, "km", knock_on=frozenset({"unknown-id"}))
    assert {(p.file, p.line) for p in problems if p.code == "unknown-id"} == {
        ("crossings.csv", 2),
        ("crossings.csv", 3),
    }


def _law_of_cosines_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great circle by the spherical law of cosines (independent of the haversine)."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0088 * math.acos(max(-1.0, min(1.0, c)))


def test_great_circle_matches_an_independent_formula() -> None:
    # A (40N 80E) to B (40N 78E): 2 degrees of longitude at 40N, about 111.2*2*cos(40)=170
    gc = great_circle_km(40, 80, 40, 78)
    assert gc == pytest.approx(_law_of_cosines_km(40, 80, 40, 78), rel=1e-9)
    assert 169 < gc < 171
    # a quarter of a meridian: pi/2 * R
    assert great_circle_km(0, 0, 90, 0) == pytest.approx(math.pi / 2 * 6371.0088)


def test_link_shorter_than_great_circle(tiny_copy) -> None:
    gc = _law_of_cosines_km(40, 80, 40, 78)  # A-B, about 170.4 km
    line = tiny_copy.set("links.csv", "AB", "km", f"{0.98 * gc:.1f}")
    p = expect(problems_of(tiny_copy), "shorter-than-great-circle", "links.csv", line, "km")
    assert "A and B" in p.message


def test_link_within_rounding_tolerance_of_great_circle_is_accepted(tiny_copy) -> None:
    gc = _law_of_cosines_km(40, 80, 40, 78)
    tiny_copy.set("links.csv", "AB", "km", f"{0.998 * gc:.1f}")  # 0.2 % short: rounding
    assert problems_of(tiny_copy) == []


def test_gauge_mismatch_without_transfer(tiny_copy) -> None:
    # 1435 (BC) and 1520 (CD) meet at C; without tC_gauge nothing allows the change
    tiny_copy.delete("transfers.csv", "tC_gauge")
    line_cd = tiny_copy.line_of("links.csv", "CD")
    p = expect(problems_of(tiny_copy), "gauge-without-transfer", "links.csv", line_cd, "gauge")
    assert "1435" in p.message and "1520" in p.message and " C " in p.message


def test_border_link_without_crossing_row(tiny_copy) -> None:
    # AF runs CN -> KZ; it needs a crossing row per direction; drop the one leaving F
    tiny_copy.delete("crossings.csv", "xFA")
    line = tiny_copy.line_of("links.csv", "AF")
    p = expect(problems_of(tiny_copy), "border-without-crossing", "links.csv", line, "to")
    assert "leaving F" in p.message


def test_one_way_border_link_needs_only_one_crossing(tiny_copy) -> None:
    tiny_copy.set("links.csv", "AF", "bidirectional", "false")
    tiny_copy.delete("crossings.csv", "xFA")
    assert problems_of(tiny_copy) == []


@pytest.mark.parametrize(
    ("file", "row", "field", "value"),
    [
        ("links.csv", "AB", "cost_unit", "EUR"),
        ("links.csv", "AB", "capacity_unit", "boxes/week"),
        ("transfers.csv", "tC_road", "cost_unit", "pallet"),
        ("crossings.csv", "xBC", "cost_unit", "truck"),
    ],
)
def test_unknown_unit(tiny_copy, file: str, row: str, field: str, value: str) -> None:
    line = tiny_copy.set(file, row, field, value)
    p = expect(problems_of(tiny_copy), "unknown-unit", file, line, field)
    assert repr(value) in p.message


@pytest.mark.parametrize(("file", "row"), [("links.csv", "CD"), ("services.csv", "ferry_DE")])
def test_unknown_cargo_class(tiny_copy, file: str, row: str) -> None:
    line = tiny_copy.set(file, row, "cargo", "container;grain")
    # a service whose row cannot be built is unknown to the weather row that names it
    knock_on = frozenset({"unknown-id"}) if file == "services.csv" else frozenset()
    p = expect(problems_of(tiny_copy), "unknown-cargo", file, line, "cargo", knock_on=knock_on)
    assert "'grain'" in p.message


def test_service_mode_mismatch(tiny_copy) -> None:
    line = tiny_copy.set("services.csv", "ferry_DE", "mode", "sea")
    p = expect(problems_of(tiny_copy), "service-link-mismatch", "services.csv", line, "links")
    assert "sea service" in p.message and "ferry link DE" in p.message


def test_service_cargo_not_accepted_by_link(tiny_copy) -> None:
    line = tiny_copy.set("services.csv", "ferry_DE", "cargo", "container;dangerous_goods")
    p = expect(problems_of(tiny_copy), "service-link-mismatch", "services.csv", line, "cargo")
    assert "dangerous_goods" in p.message


def test_service_on_non_consecutive_links(tiny_copy) -> None:
    # AB (A-B) and CD (C-D) share no place
    line = tiny_copy.add(
        "services.csv",
        id="rail_x",
        name="X",
        kind="queue",
        mode="rail",
        links="AB;CD",
        median_wait_hours="12",
        p90_wait_hours="24",
        cargo="container",
        sources="*=t_est",
    )
    p = expect(problems_of(tiny_copy), "service-link-mismatch", "services.csv", line, "links")
    assert "AB and CD" in p.message


def test_service_on_consecutive_links_is_fine(tiny_copy) -> None:
    tiny_copy.add(
        "services.csv",
        id="rail_x",
        name="X",
        kind="timetable",
        mode="rail",
        links="AB;BC",
        departures="Mon 06:00;Thu 18:00",
        cargo="container",
        sources="",
    )
    assert problems_of(tiny_copy) == []


def test_two_way_service_on_one_way_link(tiny_copy) -> None:
    tiny_copy.set("links.csv", "DE", "bidirectional", "false")
    tiny_copy.delete("crossings.csv", "xED")
    line = tiny_copy.line_of("services.csv", "ferry_DE")
    expect(problems_of(tiny_copy), "service-link-mismatch", "services.csv", line, "bidirectional")


def test_one_way_service_against_a_one_way_link(tiny_copy) -> None:
    # the service A -> B -> C travels AB backwards once AB is made one-way B -> A
    tiny_copy.set("links.csv", "AB", "from", "B")
    tiny_copy.set("links.csv", "AB", "to", "A")
    tiny_copy.set("links.csv", "AB", "bidirectional", "false")
    line = tiny_copy.add(
        "services.csv",
        id="rail_x",
        name="X",
        kind="queue",
        mode="rail",
        links="AB;BC",
        median_wait_hours="12",
        cargo="container",
        bidirectional="false",
        sources="*=t_est",
    )
    p = expect(problems_of(tiny_copy), "service-link-mismatch", "services.csv", line, "links")
    assert "travels link AB from A to B" in p.message


def test_one_way_service_with_a_one_way_link(tiny_copy) -> None:
    tiny_copy.set("links.csv", "AB", "bidirectional", "false")
    tiny_copy.add(
        "services.csv",
        id="rail_x",
        name="X",
        kind="queue",
        mode="rail",
        links="AB;BC",
        median_wait_hours="12",
        cargo="container",
        bidirectional="false",
        sources="*=t_est",
    )
    assert problems_of(tiny_copy) == []


def test_unreachable_place(tiny_copy) -> None:
    line = tiny_copy.add(
        "places.csv",
        id="G",
        name_en="Golf",
        country="KZ",
        lat="45",
        lon="70",
        kind="city",
        sources="lat+lon=t_est",
    )
    p = expect(problems_of(tiny_copy), "unreachable-place", "places.csv", line, "id")
    assert "no links" in p.message


def test_cut_off_pair_of_places(tiny_copy) -> None:
    g = tiny_copy.add(
        "places.csv",
        id="G",
        name_en="Golf",
        country="KZ",
        lat="45",
        lon="70",
        kind="city",
        sources="lat+lon=t_est",
    )
    h = tiny_copy.add(
        "places.csv",
        id="H",
        name_en="Hotel",
        country="KZ",
        lat="45",
        lon="71",
        kind="city",
        sources="lat+lon=t_est",
    )
    tiny_copy.add(
        "links.csv",
        id="GH",
        **{"from": "G"},
        to="H",
        mode="road",
        energy="diesel",
        km="90",
        speed_kmh="60",
        cargo="container",
        emission_factor="ef_road",
        sources="*=t_est",
    )
    problems = problems_of(tiny_copy)
    assert {(p.line, p.code) for p in problems} == {
        (g, "unreachable-place"),
        (h, "unreachable-place"),
    }
    assert all("cut off" in p.message for p in problems)


def test_closed_link_does_not_connect(tiny_copy) -> None:
    # E's only link is the ferry; closing it cuts E off (and its crossings no longer matter)
    tiny_copy.set("links.csv", "DE", "status", "closed")
    line = tiny_copy.line_of("places.csv", "E")
    expect(problems_of(tiny_copy), "unreachable-place", "places.csv", line, "id")


@pytest.mark.parametrize(
    ("file", "row", "median_field", "p90_field"),
    [
        ("crossings.csv", "xBC", "median_hours", "p90_hours"),
        ("transfers.csv", "tC_gauge", "median_hours", "p90_hours"),
        ("services.csv", "ferry_DE", "median_wait_hours", "p90_wait_hours"),
    ],
)
def test_p90_below_median(
    tiny_copy, file: str, row: str, median_field: str, p90_field: str
) -> None:
    tiny_copy.set(file, row, median_field, "10")
    line = tiny_copy.set(file, row, p90_field, "9.5")
    expect(problems_of(tiny_copy), "inconsistent-value", file, line, p90_field)


def test_ttw_above_wtw(tiny_copy) -> None:
    line = tiny_copy.set("emission_factors.csv", "ef_road", "ttw_g_per_tkm", "81")  # wtw 80
    p = expect(
        problems_of(tiny_copy), "inconsistent-value", "emission_factors.csv", line, "ttw_g_per_tkm"
    )
    assert "well-to-wheel" in p.message


def test_emission_factor_for_another_mode(tiny_copy) -> None:
    line = tiny_copy.set("links.csv", "FC", "emission_factor", "ef_rail")
    expect(problems_of(tiny_copy), "inconsistent-value", "links.csv", line, "emission_factor")


def test_unknown_emission_factor(tiny_copy) -> None:
    line = tiny_copy.set("links.csv", "FC", "emission_factor", "ef_hovercraft")
    expect(problems_of(tiny_copy), "unknown-id", "links.csv", line, "emission_factor")


def test_planned_link_needs_open_year(tiny_copy) -> None:
    line = tiny_copy.set("links.csv", "FD", "open_year", "")
    expect(problems_of(tiny_copy), "missing-value", "links.csv", line, "open_year")


def test_rail_link_needs_gauge(tiny_copy) -> None:
    line = tiny_copy.set("links.csv", "AB", "gauge", "")
    expect(problems_of(tiny_copy), "missing-value", "links.csv", line, "gauge")


def test_unknown_gauge(tiny_copy) -> None:
    line = tiny_copy.set("links.csv", "AB", "gauge", "1000")
    # the unreadable gauge is left out, so the rail link also lacks a gauge
    expect(
        problems_of(tiny_copy),
        "unknown-gauge",
        "links.csv",
        line,
        "gauge",
        knock_on=frozenset({"missing-value"}),
    )


# --------------------------------------------------------------------------- weather.csv


def test_weather_names_an_unknown_service(tiny_copy) -> None:
    line = tiny_copy.set("weather.csv", "calm_01", "services", "ferry_DE;ferry_XY")
    p = expect(problems_of(tiny_copy), "unknown-id", "weather.csv", line, "services")
    assert "'ferry_XY'" in p.message


def test_weather_gives_a_service_one_row_per_month(tiny_copy) -> None:
    line = tiny_copy.add(
        "weather.csv",
        id="calm_01b",
        region="Delta sea",
        services="ferry_DE",
        month="1",
        storm_day_probability="0.1",
        mean_spell_days="2",
        sources="*=t_est",
    )
    p = expect(problems_of(tiny_copy), "duplicate-weather", "weather.csv", line, "services")
    assert "calm_01" in p.message and "weather.csv:2" in p.message


def test_weather_puts_a_service_in_one_region(tiny_copy) -> None:
    line = tiny_copy.add(
        "weather.csv",
        id="calm_02",
        region="Echo sea",
        services="ferry_DE",
        month="2",
        storm_day_probability="0.1",
        mean_spell_days="2",
        sources="*=t_est",
    )
    p = expect(problems_of(tiny_copy), "inconsistent-value", "weather.csv", line, "region")
    assert "'Delta sea'" in p.message


def test_storm_odds_that_spells_cannot_give(tiny_copy) -> None:
    """Storm spells of 2 days on average with calm spells of at least a day allow at
    most 2/3 of the days to be stormy."""
    tiny_copy.set("weather.csv", "calm_01", "mean_spell_days", "2")
    line = tiny_copy.set("weather.csv", "calm_01", "storm_day_probability", "0.7")
    p = expect(
        problems_of(tiny_copy), "inconsistent-value", "weather.csv", line, "storm_day_probability"
    )
    assert "0.6667" in p.message


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("month", "13", "out-of-range"),
        ("month", "0", "out-of-range"),
        ("month", "Jan", "bad-value"),
        ("storm_day_probability", "1.5", "out-of-range"),
        ("storm_day_probability", "-0.1", "negative"),
        ("mean_spell_days", "0.5", "out-of-range"),
        ("mean_spell_days", "0", "non-positive"),
    ],
)
def test_weather_cells_out_of_their_range(tiny_copy, field: str, value: str, code: str) -> None:
    line = tiny_copy.set("weather.csv", "calm_01", field, value)
    expect(problems_of(tiny_copy), code, "weather.csv", line, field)


def test_weather_numbers_need_a_source(tiny_copy) -> None:
    line = tiny_copy.set("weather.csv", "calm_01", "sources", "storm_day_probability=t_est")
    p = expect(problems_of(tiny_copy), "missing-provenance", "weather.csv", line, "sources")
    assert "mean_spell_days" in p.message


def test_service_capacity_must_be_positive(tiny_copy) -> None:
    line = tiny_copy.set("services.csv", "ferry_DE", "capacity_teu", "0")
    expect(
        problems_of(tiny_copy),
        "non-positive",
        "services.csv",
        line,
        "capacity_teu",
        knock_on=frozenset({"unknown-id"}),
    )
