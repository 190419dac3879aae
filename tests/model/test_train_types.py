"""``train_types.csv`` and the rail ``section`` column: every bad row is a problem that
names its file, line and field.

Each test starts from the tiny network with a valid ``train_types.csv`` (rail links AB
and BC in section ``cn``, CD in section ``era``; crossing ``xBC`` is rail, ``xAF`` road),
breaks one thing and checks the problem's code, file, line and field.
"""

from __future__ import annotations

import pytest
from _documented import DOCUMENTED_CODES

from silkway import NetworkError, Problem
from silkway.model import load_network, validate_folder

HEADER = (
    "id,train,section,crossing,speed_kmh,speed_factor,cost_per_km_usd,cost_factor,"
    "median_hours,p90_hours,sources"
)
VALID = [
    "W_CN,wagonload,cn,,20,,0.9,,,,*=t_est",
    "W_ERA,wagonload,era,,,0.5,,2,,,*=t_src",
    "X_BC,express,,xBC,,,,,3,6,*=t_src",
]


@pytest.fixture
def with_sections(tiny_copy):
    """The tiny copy with rail sections on its rail links and a valid train_types.csv."""
    for link, section in (("AB", "cn"), ("BC", "cn"), ("CD", "era")):
        _set_section(tiny_copy, link, section)
    tiny_copy.write("train_types.csv", "\n".join([HEADER, *VALID]) + "\n")
    return tiny_copy


def _set_section(copy, link: str, section: str) -> int:
    header_and_rows = copy.rows("links.csv")
    if "section" not in header_and_rows[0]:
        text = (copy.path / "links.csv").read_text(encoding="utf-8").splitlines()
        text = [text[0] + ",section"] + [row + "," for row in text[1:]]
        (copy.path / "links.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    return copy.set("links.csv", link, "section", section)


def _rows(copy, *rows: str) -> None:
    """Replace the rows of train_types.csv (the first row is on line 2)."""
    copy.write("train_types.csv", "\n".join([HEADER, *rows]) + "\n")


def problems_of(copy) -> list[Problem]:
    _, problems = validate_folder(copy.path)
    return problems


def expect(problems: list[Problem], code: str, line: int, field: str) -> Problem:
    """Exactly the problems of one broken row: ``code`` at train_types.csv:line [field]."""
    listing = [f"{p.code} {p}" for p in problems]
    assert code in DOCUMENTED_CODES, f"{code} is not documented"
    hits = [
        p
        for p in problems
        if (p.file, p.line, p.field, p.code) == ("train_types.csv", line, field, code)
    ]
    assert hits, listing
    assert {p.code for p in problems} == {code}, listing
    return hits[0]


def test_valid_rows_load_as_train_rules(with_sections) -> None:
    assert problems_of(with_sections) == []
    net = load_network(with_sections.path)
    assert net.links["AB"].section == "cn" and net.links["DE"].section == ""
    rules = net.train_rules
    assert list(rules) == ["W_CN", "W_ERA", "X_BC"]
    assert (rules["W_CN"].train, rules["W_CN"].section, rules["W_CN"].speed_kmh) == (
        "wagonload",
        "cn",
        20.0,
    )
    assert rules["W_ERA"].speed_factor == 0.5 and rules["W_ERA"].cost_factor == 2.0
    assert rules["X_BC"].dwell is not None
    assert (rules["X_BC"].dwell.median_hours, rules["X_BC"].dwell.p90_hours) == (3.0, 6.0)
    assert rules["X_BC"].origin is not None and rules["X_BC"].origin.line == 4
    assert net.summary()["train_types"] == 3


def test_unknown_train_type_names_the_types(with_sections) -> None:
    _rows(with_sections, "R,rocket,cn,,20,,,,,,*=t_src")
    p = expect(problems_of(with_sections), "unknown-value", 2, "train")
    assert "express, block, wagonload" in p.message


def test_block_rows_are_refused(with_sections) -> None:
    _rows(with_sections, *VALID, "B,block,cn,,50,,,,,,*=t_src")
    p = expect(problems_of(with_sections), "inconsistent-value", 5, "train")
    assert "base train type" in p.message


def test_a_row_needs_a_section_or_a_crossing(with_sections) -> None:
    _rows(with_sections, "N,wagonload,,,20,,,,,,*=t_src")
    expect(problems_of(with_sections), "missing-value", 2, "section")


def test_a_row_may_not_name_both(with_sections) -> None:
    _rows(with_sections, "N,express,cn,xBC,,,,,3,,*=t_src")
    expect(problems_of(with_sections), "inconsistent-value", 2, "crossing")


def test_unknown_section_lists_the_sections_of_the_links(with_sections) -> None:
    _rows(with_sections, "U,wagonload,eu,,20,,,,,,*=t_src")
    p = expect(problems_of(with_sections), "unknown-id", 2, "section")
    assert "cn, era" in p.message


def test_a_section_row_sets_no_dwell(with_sections) -> None:
    _rows(with_sections, "S,wagonload,cn,,20,,,,5,,*=t_src")
    expect(problems_of(with_sections), "inconsistent-value", 2, "median_hours")


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("S,wagonload,cn,,20,0.5,,,,,*=t_src", "speed_factor"),
        ("S,wagonload,cn,,,,1,2,,,*=t_src", "cost_factor"),
    ],
)
def test_absolute_value_and_factor_exclude_each_other(with_sections, row, field) -> None:
    _rows(with_sections, row)
    expect(problems_of(with_sections), "inconsistent-value", 2, field)


def test_a_section_row_must_set_something(with_sections) -> None:
    _rows(with_sections, "S,wagonload,cn,,,,,,,,")
    expect(problems_of(with_sections), "missing-value", 2, "speed_kmh")


def test_unknown_crossing(with_sections) -> None:
    _rows(with_sections, "C,express,,xZZ,,,,,3,,*=t_src")
    p = expect(problems_of(with_sections), "unknown-id", 2, "crossing")
    assert "'xZZ'" in p.message


def test_a_road_crossing_takes_no_train_type(with_sections) -> None:
    _rows(with_sections, "C,express,,xAF,,,,,1,,*=t_src")
    p = expect(problems_of(with_sections), "inconsistent-value", 2, "crossing")
    assert "road link AF" in p.message


def test_a_crossing_row_needs_its_median(with_sections) -> None:
    _rows(with_sections, "C,express,,xBC,,,,,,6,*=t_src")
    expect(problems_of(with_sections), "missing-value", 2, "median_hours")


def test_a_crossing_row_sets_no_speed_or_price(with_sections) -> None:
    _rows(with_sections, "C,express,,xBC,,,0.5,,3,,*=t_src")
    expect(problems_of(with_sections), "inconsistent-value", 2, "cost_per_km_usd")


def test_p90_below_median(with_sections) -> None:
    _rows(with_sections, "C,express,,xBC,,,,,6,3,*=t_src")
    expect(problems_of(with_sections), "inconsistent-value", 2, "p90_hours")


def test_duplicate_rows_name_both_lines(with_sections) -> None:
    _rows(with_sections, *VALID, "W_CN2,wagonload,cn,,25,,,,,,*=t_src")
    p = expect(problems_of(with_sections), "duplicate-train-rule", 5, "section")
    assert "W_CN" in p.message and "train_types.csv:2" in p.message


def test_every_number_needs_its_source(with_sections) -> None:
    _rows(with_sections, "S,wagonload,cn,,20,,1.5,,,,speed_kmh=t_src")
    p = expect(problems_of(with_sections), "missing-provenance", 2, "sources")
    assert "cost_per_km_usd" in p.message


@pytest.mark.parametrize(
    ("row", "field", "code"),
    [
        ("S,wagonload,cn,,20,,-1,,,,*=t_src", "cost_per_km_usd", "negative"),
        ("S,wagonload,cn,,,0,,,,,*=t_src", "speed_factor", "non-positive"),
        ("S,wagonload,cn,,,500,,,,,*=t_src", "speed_factor", "out-of-range"),
        ("S,wagonload,cn,,fast,,,,,,*=t_src", "speed_kmh", "bad-value"),
    ],
)
def test_bad_numbers(with_sections, row, field, code) -> None:
    _rows(with_sections, row)
    problems = problems_of(with_sections)
    assert any(
        (p.file, p.line, p.field, p.code) == ("train_types.csv", 2, field, code) for p in problems
    ), [str(p) for p in problems]


def test_section_on_a_road_link(with_sections) -> None:
    line = with_sections.set("links.csv", "AF", "section", "cn")
    problems = problems_of(with_sections)
    hits = [p for p in problems if (p.file, p.line, p.field) == ("links.csv", line, "section")]
    assert [p.code for p in hits] == ["inconsistent-value"], [str(p) for p in problems]


def test_load_network_raises_with_file_line_and_field(with_sections) -> None:
    _rows(with_sections, "C,express,,xZZ,,,,,3,,*=t_src")
    with pytest.raises(NetworkError, match=r"train_types\.csv:2 \[crossing\]"):
        load_network(with_sections.path)
