"""The shipped country grid: known places fall in their countries, lines are split."""

from __future__ import annotations

import pytest

from silkway.geo.country_grid import countries_along, countries_along_many, load_grid
from silkway.geo.lines import line_km


@pytest.mark.parametrize(
    ("lon", "lat", "code"),
    [
        (76.9, 43.25, "KZ"),  # Almaty
        (69.24, 41.3, "UZ"),  # Tashkent
        (44.79, 41.72, "GE"),  # Tbilisi
        (21.01, 52.23, "PL"),  # Warsaw
        (13.4, 52.52, "DE"),  # Berlin
        (116.4, 39.9, "CN"),  # Beijing
        (51.39, 35.69, "IR"),  # Tehran
        (27.56, 53.9, "BY"),  # Minsk
        (69.6, 40.28, "TJ"),  # Khujand
        (51.0, 42.0, ""),  # the middle of the Caspian
        (-40.0, 30.0, ""),  # outside the grid
    ],
)
def test_known_points(lon: float, lat: float, code: str) -> None:
    assert load_grid().country_at(lon, lat) == code


def test_grid_says_where_it_comes_from() -> None:
    meta = load_grid().meta
    assert "Natural Earth" in meta["source"] and meta["script"].endswith(".py")


def test_a_line_is_split_among_the_countries_it_crosses_in_order() -> None:
    # Almaty to Tashkent in a straight line crosses Kyrgyzstan (the Chu valley)
    line = [(76.9, 43.25), (69.24, 41.3)]
    km = countries_along(line)
    assert next(iter(km)) == "KZ" and list(km)[-1] == "UZ"
    assert km.get("KG", 0) > 50
    assert sum(km.values()) == pytest.approx(line_km(line))


def test_many_lines_at_once_equal_one_at_a_time() -> None:
    lines = [[(76.9, 43.25), (69.24, 41.3)], [(21.0, 52.2), (13.4, 52.5), (6.8, 51.4)]]
    assert countries_along_many(lines) == [countries_along(x) for x in lines]
