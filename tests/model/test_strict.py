"""Strict inputs: byte-order marks, duplicate rows, parameters, magnitudes, control
characters, time zones, transit countries and unknown country codes.

Like ``test_validate.py``, every test breaks one thing in a copy of the valid tiny
network and checks the problem's code, file, line and field.
"""

from __future__ import annotations

import sys
import unicodedata

import pytest
from _documented import DOCUMENTED_CODES

from silkway import NetworkError, Problem
from silkway.model import load_network, validate_folder
from silkway.model._fields import control_characters
from silkway.model.schema import SCHEMAS


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
    """The problem with ``code`` at (file, line, field); every other problem found must
    have that code too, or one of the ``knock_on`` codes."""
    listing = [f"{p.code} {p}" for p in problems]
    assert code in DOCUMENTED_CODES, f"{code} is not documented"
    assert {p.code for p in problems} <= {code} | knock_on, listing
    hits = [p for p in problems if (p.file, p.line, p.field, p.code) == (file, line, field, code)]
    assert hits, f"no {code} at {file}:{line} [{field}]: {listing}"
    assert hits[0].is_error
    return hits[0]


# --------------------------------------------------------------------------- byte-order mark


@pytest.mark.parametrize("file", ["places.csv", "links.csv", "sources.csv", "network.yaml"])
def test_utf8_byte_order_mark_is_read_as_utf8(tiny_copy, file: str) -> None:
    text = (tiny_copy.path / file).read_text(encoding="utf-8")
    tiny_copy.write(file, "\ufeff".encode() + text.encode("utf-8"))
    assert (tiny_copy.path / file).read_bytes()[:3] == b"\xef\xbb\xbf"
    assert problems_of(tiny_copy) == []
    net = load_network(tiny_copy.path)
    assert list(net.places) == ["A", "B", "C", "D", "E", "F"]
    assert net.links["AB"].km == 200.0 and net.name == "tiny"


# --------------------------------------------------------------------------- duplicate rows


def test_duplicate_crossing_for_one_link_and_direction(tiny_copy) -> None:
    first = tiny_copy.line_of("crossings.csv", "xBC")
    line = tiny_copy.copy_row("crossings.csv", "xBC", id="xBC_again", median_hours="12")
    p = expect(problems_of(tiny_copy), "duplicate-crossing", "crossings.csv", line, "from")
    assert f"crossings.csv:{first}" in p.message
    assert "xBC" in p.message and "xBC_again" in p.message and "leaving B" in p.message
    with pytest.raises(NetworkError, match=rf"crossings\.csv:{line} \[from\]"):
        load_network(tiny_copy.path)


def test_overlay_crossing_under_a_new_id_duplicates_the_base_row(tiny_path, make_overlay) -> None:
    header = "id,link,from,name,median_hours,p90_hours,cost_usd,cost_unit,sources\n"
    overlay = make_overlay("ovl", {"crossings.csv": header + "xBC_new,BC,B,B-C,4,9,80,,*=t_src\n"})
    _, problems = validate_folder(tiny_path, overlays=[overlay])
    assert [(p.code, p.file, p.line, p.field) for p in problems] == [
        ("duplicate-crossing", "ovl/crossings.csv", 2, "from")
    ]
    assert "tiny/crossings.csv:2" in problems[0].message


def test_crossings_in_both_directions_are_not_duplicates(tiny_copy) -> None:
    # xBC leaves B and xCB leaves C: one row per direction is what is asked for
    rows = {r["id"]: r for r in tiny_copy.rows("crossings.csv")}
    assert (rows["xBC"]["link"], rows["xCB"]["link"]) == ("BC", "BC")
    assert problems_of(tiny_copy) == []


@pytest.mark.parametrize("swap", [False, True])
def test_duplicate_transfer_for_one_place_and_pair_of_states(tiny_copy, swap: bool) -> None:
    first = tiny_copy.line_of("transfers.csv", "tC_gauge")
    changes = {"from_gauge": "1520", "to_gauge": "1435"} if swap else {"cost_usd": "90"}
    line = tiny_copy.copy_row("transfers.csv", "tC_gauge", id="tC_gauge2", **changes)
    p = expect(problems_of(tiny_copy), "duplicate-transfer", "transfers.csv", line, "place")
    assert f"transfers.csv:{first}" in p.message
    assert "tC_gauge" in p.message and "tC_gauge2" in p.message


def test_transfers_between_other_states_are_not_duplicates(tiny_copy) -> None:
    # tC_road joins road and rail-1520 at C; a road to rail-1435 transfer is another pair
    tiny_copy.copy_row("transfers.csv", "tC_road", id="tC_road_1435", to_gauge="1435")
    assert problems_of(tiny_copy) == []


# --------------------------------------------------------------------------- parameters


@pytest.mark.parametrize("key", ["payload_t_per_teu", "teu_per_feu"])
@pytest.mark.parametrize("value", ["0", "-2"])
def test_cargo_parameters_must_be_positive(tiny_copy, key: str, value: str) -> None:
    line = tiny_copy.set("parameters.csv", key, "value", value)
    p = expect(problems_of(tiny_copy), "non-positive", "parameters.csv", line, "value")
    assert key in p.message and "greater than zero" in p.message


def test_other_parameters_may_be_zero_or_negative(tiny_copy) -> None:
    tiny_copy.add("parameters.csv", id="offset", value="-3", unit="h", sources="*=t_est")
    assert problems_of(tiny_copy) == []


# --------------------------------------------------------------------------- magnitudes


@pytest.mark.parametrize(
    ("file", "row", "field", "value", "limit"),
    [
        ("links.csv", "AB", "km", "1e308", "40075"),
        ("links.csv", "AB", "speed_kmh", "1201", "1200"),
        ("links.csv", "DE", "duration_hours", "8761", "8760"),
        ("links.csv", "AB", "cost_fixed_usd", "1e8", "1e+07"),
        ("links.csv", "AB", "cost_per_km_usd", "20000000", "1e+07"),
        ("links.csv", "AB", "capacity", "1e13", "1e+12"),
        ("links.csv", "FD", "open_year", "2201", "2200"),
        ("links.csv", "FD", "open_year", "1799", "1800"),
        ("transfers.csv", "tC_road", "cost_usd", "1e9", "1e+07"),
        ("transfers.csv", "tC_road", "co2e_kg_per_teu", "50000", "10000"),
        ("crossings.csv", "xBC", "cost_usd", "1e300", "1e+07"),
        ("emission_factors.csv", "ef_rail", "wtw_g_per_tkm", "1e6", "10000"),
        ("parameters.csv", "payload_t_per_teu", "value", "1e7", "1e+06"),
    ],
)
def test_absurd_magnitude_is_out_of_range(
    tiny_copy, file: str, row: str, field: str, value: str, limit: str
) -> None:
    line = tiny_copy.set(file, row, field, value)
    p = expect(problems_of(tiny_copy), "out-of-range", file, line, field)
    assert field in p.message and limit in p.message
    assert "at most" in p.message or "at least" in p.message


@pytest.mark.parametrize(
    ("file", "row", "median", "p90"),
    [
        ("transfers.csv", "tC_gauge", "median_hours", "p90_hours"),
        ("crossings.csv", "xBC", "median_hours", "p90_hours"),
        ("services.csv", "ferry_DE", "median_wait_hours", "p90_wait_hours"),
    ],
)
def test_dwell_longer_than_a_year_is_out_of_range(
    tiny_copy, file: str, row: str, median: str, p90: str
) -> None:
    tiny_copy.set(file, row, median, "9000")
    line = tiny_copy.set(file, row, p90, "9000")
    problems = problems_of(tiny_copy)
    assert {(p.line, p.field) for p in problems} == {(line, median), (line, p90)}
    assert all(p.code == "out-of-range" and "one year" in p.message for p in problems)


def test_values_at_the_limits_are_accepted(tiny_copy) -> None:
    tiny_copy.set("links.csv", "AB", "km", "40075")
    tiny_copy.set("links.csv", "AB", "speed_kmh", "1200")
    tiny_copy.set("links.csv", "DE", "duration_hours", "8760")
    tiny_copy.set("links.csv", "AB", "cost_fixed_usd", "10000000")
    tiny_copy.set("links.csv", "FD", "open_year", "2200")
    tiny_copy.set("emission_factors.csv", "ef_rail", "wtw_g_per_tkm", "10000")
    assert problems_of(tiny_copy) == []


def test_every_numeric_column_has_bounds_or_a_range_check() -> None:
    unbounded = {
        (file, c.name)
        for file, columns in SCHEMAS.items()
        for c in columns
        if c.numeric and c.bounds is None
    }
    # coordinates are checked by the validator, a line's points by its parser
    # (coordinates-out-of-range), a closure's days by theirs (a calendar day, 1970-2200)
    assert unbounded == {
        ("places.csv", "lat"),
        ("places.csv", "lon"),
        ("link_geometry.csv", "line"),
        ("closures.csv", "from"),
        ("closures.csv", "to"),
    }


def test_huge_coordinates_are_out_of_range(tiny_copy) -> None:
    tiny_copy.set("links.csv", "DE", "km", "40000")
    line = tiny_copy.set("places.csv", "E", "lat", "1e308")
    expect(problems_of(tiny_copy), "coordinates-out-of-range", "places.csv", line, "lat")


# --------------------------------------------------------------------------- control characters


@pytest.mark.parametrize(
    ("file", "row", "field", "text", "shown"),
    [
        ("places.csv", "B", "name_ru", "Бра\tво", "U+0009"),
        ("places.csv", "C", "aliases", "Charli;Ch\x00arlie", "U+0000"),
        ("crossings.csv", "xAF", "name", "Alpha\x07Foxtrot", "U+0007"),
        ("crossings.csv", "xAF", "regimes", "TIR;\x1bCMR", "U+001B"),
        ("sources.csv", "t_est", "note", "made up\x7f", "U+007F"),
        ("sources.csv", "t_est", "publisher", "silkway\x85tests", "U+0085"),
    ],
)
def test_control_character_in_a_text_cell(
    tiny_copy, file: str, row: str, field: str, text: str, shown: str
) -> None:
    line = tiny_copy.set(file, row, field, text)
    p = expect(problems_of(tiny_copy), "control-character", file, line, field)
    assert shown in p.message


def test_newline_inside_a_quoted_cell_is_a_control_character(tiny_copy) -> None:
    # the last row of sources.csv, so no other row's line number moves
    assert tiny_copy.rows("sources.csv")[-1]["id"] == "t_est"
    tiny_copy.set("sources.csv", "t_est", "title", "Test\nestimate")
    raw = (tiny_copy.path / "sources.csv").read_text(encoding="utf-8")
    assert '"Test\nestimate"' in raw
    # a required value that is unusable: the source is not built, so its users name an
    # unknown source too
    problems = problems_of(tiny_copy)
    p = expect(
        problems,
        "control-character",
        "sources.csv",
        4,
        "title",
        knock_on=frozenset({"unknown-id"}),
    )
    assert "U+000A" in p.message


def test_blanks_around_a_cell_are_not_control_characters(tiny_copy) -> None:
    tiny_copy.set("places.csv", "B", "name_en", " Bravo\t")
    assert problems_of(tiny_copy) == []


# --------------------------------------------------------------------------- time zones


def test_time_zone_is_read(tiny_copy) -> None:
    tiny_copy.set("places.csv", "C", "tz", "Asia/Almaty")
    tiny_copy.set("places.csv", "E", "tz", "UTC")
    assert problems_of(tiny_copy) == []
    net = load_network(tiny_copy.path)
    assert (net.places["C"].tz, net.places["E"].tz, net.places["A"].tz) == (
        "Asia/Almaty",
        "UTC",
        "",
    )


@pytest.mark.parametrize(
    ("tz", "hint"),
    [
        ("Asia/Almaty_X", "Asia/Almaty"),
        ("asia/almaty", "Asia/Almaty"),
        ("Asia/Atlantis", ""),
        ("Asia", ""),
        ("../../etc/passwd", ""),
        ("/etc/localtime", ""),
        ("UTC+5", ""),
        ("posixrules", ""),
        ("localtime", ""),
        ("right/UTC", ""),
    ],
)
def test_unknown_time_zone(tiny_copy, tz: str, hint: str) -> None:
    line = tiny_copy.set("places.csv", "C", "tz", tz)
    p = expect(problems_of(tiny_copy), "unknown-timezone", "places.csv", line, "tz")
    assert repr(tz) in p.message
    if hint:
        assert f"did you mean {hint}" in p.message


# --------------------------------------------------------------------------- transit countries


def test_transit_countries_are_read_upper_case(tiny_copy) -> None:
    tiny_copy.set("links.csv", "AF", "transit_countries", "kg; UZ")
    assert problems_of(tiny_copy) == []
    net = load_network(tiny_copy.path)
    assert net.links["AF"].transit_countries == ("KG", "UZ")
    assert net.links["AB"].transit_countries == ()


@pytest.mark.parametrize(("value", "code"), [("KAZ", "bad-value"), ("U1", "bad-value")])
def test_transit_country_that_is_not_two_letters(tiny_copy, value: str, code: str) -> None:
    line = tiny_copy.set("links.csv", "AF", "transit_countries", f"KG;{value}")
    p = expect(problems_of(tiny_copy), code, "links.csv", line, "transit_countries")
    assert repr(value) in p.message and "two-letter" in p.message


def test_transit_country_that_is_not_assigned(tiny_copy) -> None:
    line = tiny_copy.set("links.csv", "AF", "transit_countries", "UR")
    p = expect(problems_of(tiny_copy), "unknown-country", "links.csv", line, "transit_countries")
    assert "RU (Russia)" in p.message


def test_transit_country_listed_twice(tiny_copy) -> None:
    line = tiny_copy.set("links.csv", "AF", "transit_countries", "KG;kg")
    p = expect(problems_of(tiny_copy), "inconsistent-value", "links.csv", line, "transit_countries")
    assert "twice" in p.message


@pytest.mark.parametrize(("value", "end"), [("KZ", "F"), ("UZ;CN", "A")])
def test_transit_country_equal_to_an_end_country(tiny_copy, value: str, end: str) -> None:
    # AF runs from A (CN) to F (KZ)
    line = tiny_copy.set("links.csv", "AF", "transit_countries", value)
    p = expect(problems_of(tiny_copy), "inconsistent-value", "links.csv", line, "transit_countries")
    assert f"end {end}" in p.message


def test_sea_ferry_and_air_links_list_no_transit_countries(tiny_copy) -> None:
    # DE is a ferry from D (KZ) to E (AZ)
    line = tiny_copy.set("links.csv", "DE", "transit_countries", "TM")
    p = expect(problems_of(tiny_copy), "inconsistent-value", "links.csv", line, "transit_countries")
    assert "ferry link" in p.message and "not transit" in p.message


# --------------------------------------------------------------------------- country codes


@pytest.mark.parametrize("code", ["UR", "XX", "XK", "UK"])
def test_place_country_that_is_not_an_assigned_code(tiny_copy, code: str) -> None:
    line = tiny_copy.set("places.csv", "F", "country", code)
    p = expect(
        problems_of(tiny_copy),
        "unknown-country",
        "places.csv",
        line,
        "country",
        # F (KZ) now lies in another "country" than its KZ neighbours C and D
        knock_on=frozenset({"border-without-crossing"}),
    )
    assert repr(code) in p.message and "ISO 3166-1" in p.message


def test_place_country_is_upper_cased(tiny_copy) -> None:
    tiny_copy.set("places.csv", "F", "country", "kz")
    assert problems_of(tiny_copy) == []
    assert load_network(tiny_copy.path).places["F"].country == "KZ"


def test_control_characters_are_exactly_unicode_category_cc() -> None:
    found = {i for i in range(sys.maxunicode + 1) if control_characters(chr(i))}
    assert found == {i for i in range(sys.maxunicode + 1) if unicodedata.category(chr(i)) == "Cc"}
    assert control_characters("a\tb\x00c\t") == ["U+0009", "U+0000", "U+0009"]
    assert control_characters("Хоргос 霍尔果斯 \u200b\u00a0") == []  # format and space are fine
