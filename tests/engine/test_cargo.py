"""Cargo specs: parsing, errors and FEU / TEU / tonne conversions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from silkway import QueryError, SilkwayError
from silkway.engine.cargo import Cargo, parse_cargo


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2xFEU", Cargo(2.0, "FEU", "container")),
        ("2 x FEU", Cargo(2.0, "FEU", "container")),
        ("2×feu", Cargo(2.0, "FEU", "container")),
        ("3*TEU", Cargo(3.0, "TEU", "container")),
        ("1 TEU", Cargo(1.0, "TEU", "container")),
        ("FEU", Cargo(1.0, "FEU", "container")),
        ("teu", Cargo(1.0, "TEU", "container")),
        ("500t", Cargo(500.0, "t", "dry_bulk")),
        ("12.5 tonnes", Cargo(12.5, "t", "dry_bulk")),
        ("1 tonne", Cargo(1.0, "t", "dry_bulk")),
        ("20t:dry_bulk", Cargo(20.0, "t", "dry_bulk")),
        ("20 t : liquid_bulk", Cargo(20.0, "t", "liquid_bulk")),
        ("2xFEU:dangerous_goods", Cargo(2.0, "FEU", "dangerous_goods")),
        ("1xTEU:DRY_BULK", Cargo(1.0, "TEU", "dry_bulk")),
    ],
)
def test_parse_cargo_forms(text: str, expected: Cargo) -> None:
    assert parse_cargo(text) == expected


def test_cargo_class_argument_overrides() -> None:
    assert parse_cargo("2xFEU", cargo_class="dangerous_goods") == Cargo(2, "FEU", "dangerous_goods")
    assert parse_cargo("20t:dry_bulk", cargo_class="liquid_bulk").cargo_class == "liquid_bulk"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "lots",
        "2xBOX",
        "FEU2",
        "-1xFEU",
        "2x",
        "two FEU",
        "0xFEU",
        "0t",
        "0.0 TEU",
        "2xFEU:grain",
        "500t:container",
        "2xFEU;1xTEU",
    ],
)
def test_bad_cargo(text: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_cargo(text)
    assert isinstance(info.value, ValueError) and isinstance(info.value, SilkwayError)
    assert str(info.value)


def test_bad_cargo_class_argument() -> None:
    with pytest.raises(QueryError, match="unknown cargo class 'grain'"):
        parse_cargo("1xFEU", cargo_class="grain")


def test_error_message_shows_the_forms() -> None:
    with pytest.raises(QueryError, match=r"2xFEU"):
        parse_cargo("lots")


# 2 FEU with 10 t per TEU and 2 TEU per FEU: 4 TEU, 40 t
@pytest.mark.parametrize(
    ("cargo", "teu", "tonnes", "feu"),
    [
        (Cargo(2, "FEU", "container"), 4.0, 40.0, 2.0),
        (Cargo(3, "TEU", "container"), 3.0, 30.0, 1.5),
        (Cargo(500, "t", "dry_bulk"), 50.0, 500.0, 25.0),
    ],
)
def test_conversions(cargo: Cargo, teu: float, tonnes: float, feu: float) -> None:
    kw = {"payload_t_per_teu": 10.0, "teu_per_feu": 2.0}
    assert cargo.teu(**kw) == teu
    assert cargo.tonnes(**kw) == tonnes
    assert cargo.quantity_in("TEU", **kw) == teu
    assert cargo.quantity_in("FEU", **kw) == feu
    assert cargo.quantity_in("t", **kw) == tonnes
    assert cargo.quantity_in("shipment", **kw) == 1.0


def test_payload_parameter_is_used() -> None:
    c = Cargo(1, "FEU", "container")
    assert c.tonnes(payload_t_per_teu=14.0) == 28.0  # 2 TEU x 14 t
    assert c.quantity_in("TEU", payload_t_per_teu=14.0, teu_per_feu=2.25) == 2.25


def test_str() -> None:
    assert str(Cargo(2, "FEU", "container")) == "2xFEU container"
    assert str(Cargo(12.5, "t", "dry_bulk")) == "12.5 t dry_bulk"


@given(
    st.integers(1, 10_000), st.sampled_from(["FEU", "TEU"]), st.floats(1.0, 30.0, allow_nan=False)
)
def test_round_trip_between_units(n: int, unit: str, payload: float) -> None:
    c = parse_cargo(f"{n}x{unit}")
    kw = {"payload_t_per_teu": payload, "teu_per_feu": 2.0}
    teu = c.teu(**kw)
    assert teu == (2 * n if unit == "FEU" else n)
    assert c.tonnes(**kw) == pytest.approx(teu * payload)
    assert c.quantity_in("FEU", **kw) * 2 == pytest.approx(teu)
