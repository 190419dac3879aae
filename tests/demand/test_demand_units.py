"""Unit conversions of demand tables: FEU, TEU and the masses agree with each other."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from silkway.demand.units import CONTAINERISED, VOLUME_UNITS, Conversions, parse_unit
from silkway.model.records import CARGO_CLASSES

CONV = Conversions(
    teu_per_feu=2.0, t_per_feu={"container": 16.6, "general": 12.6, "dangerous_goods": 16.6}
)
volumes = st.floats(min_value=0.0, max_value=1e9, allow_nan=False, allow_infinity=False)
boxed = st.sampled_from(CONTAINERISED)
classes = st.sampled_from(CARGO_CLASSES)


@given(volume=volumes, cargo=boxed)
def test_teu_count_is_twice_the_feu_count(volume: float, cargo: str) -> None:
    feu_from_teu, t_from_teu = CONV.convert(2 * volume, "TEU", cargo)
    feu, tonnes = CONV.convert(volume, "FEU", cargo)
    assert feu_from_teu == pytest.approx(feu, rel=1e-12, abs=1e-9)
    assert t_from_teu == pytest.approx(tonnes, rel=1e-12, abs=1e-9)


@given(volume=volumes, cargo=classes)
def test_mass_units_agree(volume: float, cargo: str) -> None:
    t = CONV.convert(volume, "t", cargo)
    assert CONV.convert(volume * 1000, "kg", cargo) == pytest.approx(t, rel=1e-12, abs=1e-9)
    assert CONV.convert(volume / 1000, "kt", cargo) == pytest.approx(t, rel=1e-12, abs=1e-9)
    assert CONV.convert(volume / 1e6, "Mt", cargo) == pytest.approx(t, rel=1e-12, abs=1e-9)
    assert t[1] == volume


@given(volume=volumes, cargo=boxed)
def test_feu_to_tonnes_and_back(volume: float, cargo: str) -> None:
    feu, tonnes = CONV.convert(volume, "FEU", cargo)
    again, _ = CONV.convert(tonnes, "t", cargo)
    assert again == pytest.approx(feu, rel=1e-12, abs=1e-9)
    assert tonnes == pytest.approx(volume * CONV.t_per_feu[cargo], rel=1e-12)


@given(volume=volumes, cargo=st.sampled_from(("dry_bulk", "liquid_bulk")))
def test_bulk_has_no_container_equivalent(volume: float, cargo: str) -> None:
    assert CONV.convert(volume, "t", cargo) == (0.0, volume)
    for unit in ("FEU", "TEU"):
        with pytest.raises(ValueError, match="bulk, not containerised"):
            CONV.convert(volume, unit, cargo)


@pytest.mark.parametrize(
    ("text", "unit"),
    [("FEU", "FEU"), ("teu", "TEU"), ("TEU/year", "TEU"), ("t/yr", "t"), ("tonnes", "t"),
     ("kg per year", "kg"), ("Mt/a", "Mt"), (" kt ", "kt")],
)  # fmt: skip
def test_parse_unit(text: str, unit: str) -> None:
    assert parse_unit(text) == unit


@pytest.mark.parametrize("text", ["boxes", "", "mt", "lbs", "FEU/month"])
def test_parse_unit_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="unknown unit"):
        parse_unit(text)


def test_every_unit_is_either_boxes_or_mass() -> None:
    assert {kind for kind, _ in VOLUME_UNITS.values()} == {"boxes", "mass"}


def test_conversions_need_every_containerised_class() -> None:
    with pytest.raises(ValueError, match="general"):
        Conversions(teu_per_feu=2.0, t_per_feu={"container": 16.6, "dangerous_goods": 1.0})
    with pytest.raises(ValueError, match="teu_per_feu"):
        Conversions(teu_per_feu=0.0, t_per_feu=CONV.t_per_feu)
    assert math.isclose(CONV.convert(3.0, "FEU", "general")[1], 37.8)
