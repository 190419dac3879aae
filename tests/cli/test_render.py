"""The plan table on narrow and wide consoles, and the notes printed after it."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from _cli_util import DEPART, TINY
from rich.console import Console

import silkway
from silkway.cli.plan import COMPACT_BELOW, render, short_name
from silkway.results import Option, PlanResult

HEADER_WORDS = (
    "#",
    "days",
    "P50",
    "P90",
    "cost",
    "USD",
    "CO2e",
    "km",
    "borders",
    "gauge",
    "changes",
    "trans-",
    "ships",
)


@pytest.fixture(scope="module")
def tiny_result() -> PlanResult:
    return silkway.plan(silkway.load_network(TINY), "A", "E", depart=DEPART, samples=200)


@pytest.fixture(scope="module")
def corridor_result() -> PlanResult:
    """Long routes with many modes: the bundled network, Xi'an to Istanbul without RU."""
    return silkway.plan(
        silkway.load_network(),
        "Xi'an",
        "Istanbul",
        depart=DEPART,
        cargo="2xFEU",
        avoid_countries=["RU"],
        samples=200,
    )


def render_text(
    result: PlanResult, width: int, *, explain: bool = False, color: bool = False
) -> str:
    console = Console(
        width=width,
        file=io.StringIO(),
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
    )
    render(result, console, explain=explain)
    out = console.file.getvalue()
    assert isinstance(out, str)
    return out


def numbers(o: Option) -> list[str]:
    """Every number of an option's row, as the table prints it."""
    return [
        f"{o.hours_p50 / 24:.1f}",
        f"{o.hours_p90 / 24:.1f}",
        f"{o.cost_usd:,.0f}",
        f"{o.co2e_wtw_kg / 1000:.2f}",
        f"{o.distance_km:,.0f}",
        str(len(o.borders)),
        str(len(o.gauge_changes)),
        str(o.transshipments),
    ]


def row_of(text: str, o: Option) -> str:
    """The line holding the option's rank and all its numbers, in order."""
    pattern = rf"^\s*{o.rank}\s.*" + r".*".join(
        rf"(?<![\d.,]){re.escape(n)}(?![\d,]|\.\d)" for n in numbers(o)
    )
    found = [line for line in text.splitlines() if re.search(pattern, line)]
    assert found, f"no row with {numbers(o)} for option {o.rank} in:\n{text}"
    return found[0]


@pytest.mark.parametrize("width", [80, 140])
@pytest.mark.parametrize("which", ["tiny_result", "corridor_result"])
def test_every_column_visible(request: pytest.FixtureRequest, which: str, width: int) -> None:
    result: PlanResult = request.getfixturevalue(which)
    text = render_text(result, width)
    assert all(len(line) <= width for line in text.splitlines())
    assert "…" not in text  # nothing truncated
    header = "\n".join(text.splitlines()[1:4])
    for word in HEADER_WORDS:
        assert word in header, (word, text)
    flat = " ".join(text.split())
    assert len(result.options) >= 2
    for o in result.options:
        row_of(text, o)
        for name in o.route_names:
            for word in short_name(name).split():
                assert word in text
        for mode in o.modes:
            assert mode in text
        assert ", ".join(o.regimes) in flat
    if width == 80:  # compact: the route and modes on their own line beneath the table
        for o in result.options:
            route = " → ".join(map(short_name, o.route_names))
            assert f"{o.rank} {'+'.join(o.modes)}: {route}" in flat
            assert f"detour {o.detour_factor:.1f}×" in flat
    else:  # wide: a detour column
        assert "detour" in header
        for o in result.options:
            assert f"{o.detour_factor:.1f}×" in row_of(text, o)


def test_layout_switches_at_compact_width(corridor_result: PlanResult) -> None:
    wide = render_text(corridor_result, COMPACT_BELOW)
    narrow = render_text(corridor_result, COMPACT_BELOW - 1)
    assert "detour" in "\n".join(wide.splitlines()[1:4])
    assert "route" in wide.splitlines()[2]
    assert "route" not in "\n".join(narrow.splitlines()[1:4])
    for text, width in ((wide, COMPACT_BELOW), (narrow, COMPACT_BELOW - 1)):
        assert "…" not in text
        assert all(len(line) <= width for line in text.splitlines())
        for o in corridor_result.options:
            row_of(text, o)


def test_explain_at_80_columns(tiny_result: PlanResult) -> None:
    text = render_text(tiny_result, 80, explain=True)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "Sources" in text and "sails when full" in " ".join(text.split())


def test_countries_and_planned_links_in_notes(tiny_result: PlanResult) -> None:
    first, second, *rest = tiny_result.options
    result = replace(
        tiny_result,
        options=(
            replace(first, countries=("CN", "KZ", "AZ"), planned_links=("FD",)),
            replace(second, countries=("CN", "KZ", "AZ"), planned_links=("FD", "XY")),
            *rest,
        ),
    )
    for width in (80, 140):
        flat = " ".join(render_text(result, width).split())
        assert "countries: CN → KZ → AZ" in flat
        assert "uses planned link FD" in flat
        assert "uses planned links FD, XY" in flat


def test_incomplete_search_and_warnings(tiny_result: PlanResult) -> None:
    result = replace(
        tiny_result,
        query={**tiny_result.query, "time_limit": 10.0},
        complete=False,
        stats={"labels": 123456, "seconds": 10.02, "budget_hit": False, "deadline_hit": True},
        warnings=(
            "the search stopped at its time limit of 10 s: the options shown are real routes",
            "option 2 doubles back (40 km away from the destination after being closer)",
        ),
    )
    text = render_text(result, 200, color=True)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert (
        "incomplete: the search hit its time limit of 10 s (123,456 labels, 10.0 s), so this "
        "list may be incomplete" in plain
    )
    assert "--time-limit" in plain
    assert "search stopped" not in plain  # the engine's wording of the same fact: said once
    assert "warning: option 2 doubles back" in plain
    assert "\x1b[33moption 2 doubles back" in text  # in yellow
    assert plain.index("incomplete:") > plain.index("Pareto-optimal")  # after the table


def test_budget_hit_suggests_narrowing(tiny_result: PlanResult) -> None:
    result = replace(
        tiny_result, complete=False, stats={"labels": 5, "budget_hit": True, "deadline_hit": False}
    )
    flat = " ".join(render_text(result, 120).split())
    assert "incomplete: the search hit its label budget (5 labels)" in flat
    assert "narrow the query" in flat


def test_complete_search_has_no_incomplete_line(tiny_result: PlanResult) -> None:
    text = render_text(replace(tiny_result, complete=True, warnings=()), 120)
    assert "incomplete" not in text and "warning" not in text


@pytest.mark.parametrize("width", [50, 64])
def test_very_narrow_console_spells_numbers_out(corridor_result: PlanResult, width: int) -> None:
    text = render_text(corridor_result, width, explain=True)
    assert "…" not in text
    urls = [line for line in text.splitlines() if line.startswith("    ") and "/" in line]
    urls = [line for line in urls if len(line.split()) == 1]
    assert urls  # a URL too long for the line gets a line of its own, unbroken
    assert all(len(line) <= width for line in text.splitlines() if line not in urls)
    flat = " ".join(text.split())
    for o in corridor_result.options:
        n = numbers(o)
        assert (
            f"{o.rank} days P50 {n[0]}, P90 {n[1]}; cost {n[2]} USD; CO2e {n[3]} t; {n[4]} km; "
            f"borders {n[5]}; gauge changes {n[6]}; trans-ships {n[7]}"
        ) in flat
        assert " → ".join(map(short_name, o.route_names)) in flat
