"""Lines on the sphere: lengths, arcs and the pieces countries are looked up at."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from silkway.geo.lines import (
    EARTH_RADIUS_KM,
    great_circle_arc,
    great_circle_km,
    line_km,
    sample_line,
    sample_lines,
)

lon = st.floats(-179, 179)
lat = st.floats(-80, 80)
point = st.tuples(lon, lat)


def test_quarter_meridian() -> None:
    assert great_circle_km(0, 0, 90, 0) == pytest.approx(math.pi / 2 * EARTH_RADIUS_KM)


@settings(max_examples=60, deadline=None)
@given(a=point, b=point)
def test_arc_runs_end_to_end_in_short_steps_along_the_great_circle(a, b) -> None:
    arc = great_circle_arc(a, b, step_km=250)
    assert arc[0] == a and arc[-1] == b
    steps = [great_circle_km(p[1], p[0], q[1], q[0]) for p, q in itertools.pairwise(arc)]
    assert max(steps) <= 250 + 1e-6
    # on the great circle, the pieces add up to the direct distance
    assert sum(steps) == pytest.approx(great_circle_km(a[1], a[0], b[1], b[0]), abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(st.lists(point, min_size=2, max_size=6), min_size=1, max_size=4))
def test_pieces_add_up_to_each_line_and_match_the_plain_version(lines) -> None:
    owner, lons, lats, kms = sample_lines(lines, step_km=100)
    for i, line in enumerate(lines):
        mine = owner == i
        assert kms[mine].sum() == pytest.approx(line_km(line), abs=1e-6)
        assert (kms[mine] <= 100 + 1e-9).all()
        mids, plain_km = sample_line(line, step_km=100)
        assert kms[mine].tolist() == pytest.approx(plain_km)
        assert lons[mine].tolist() == pytest.approx([m[0] for m in mids], abs=1e-9)
        assert lats[mine].tolist() == pytest.approx([m[1] for m in mids], abs=1e-9)


def test_no_lines_no_pieces() -> None:
    owner, lons, _, kms = sample_lines([[(10.0, 50.0)]], step_km=5)
    assert len(owner) == len(lons) == len(kms) == 0
