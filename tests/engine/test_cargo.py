"""Cargo specs: parsing, errors and FEU / TEU / tonne / chargeable-kg conversions."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from silkway import QueryError, SilkwayError
from silkway.engine.cargo import Basis, Cargo, check_cargo, parse_cargo


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
        # general cargo by weight and volume
        ("800kg", Cargo(800.0, "kg", "general")),
        ("800 KG", Cargo(800.0, "kg", "general")),
        ("3t:general", Cargo(3.0, "t", "general")),
        ("800kg/4m3", Cargo(800.0, "kg", "general", 4.0)),
        ("800 kg / 4.5 m³", Cargo(800.0, "kg", "general", 4.5)),
        ("1.5t/10cbm", Cargo(1.5, "t", "general", 10.0)),
        ("800kg:dry_bulk", Cargo(800.0, "kg", "dry_bulk")),
        ("120kg/0.6m3:dangerous_goods", Cargo(120.0, "kg", "dangerous_goods", 0.6)),
        ("2xFEU:general", Cargo(2.0, "FEU", "general")),
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
        "0kg",
        "800kg/-1m3",
        "800kg/0m3",
        "800lb",
        "800kg/4l",
        "2xFEU/4m3",
        "500t/4m3:dry_bulk",
        "1" * 400 + "kg",
    ],
)
def test_bad_cargo(text: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_cargo(text)
    assert isinstance(info.value, ValueError) and isinstance(info.value, SilkwayError)
    assert str(info.value)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("0kg", "above zero"),
        ("800kg/-1m3", "volume must be a finite number of m3 above zero, not -1"),
        ("800lb", "unknown unit 'lb'"),
        ("800kg/4l", "unknown volume unit 'l'"),
        ("2xFEU/4m3", "a volume is given only with the weight"),
        ("500t/4m3:dry_bulk", "a volume is given only with the weight"),
    ],
)
def test_bad_cargo_messages_name_the_input(text: str, says: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_cargo(text)
    assert repr(text) in str(info.value)
    assert says in str(info.value)


@pytest.mark.parametrize(
    "cargo",
    [
        Cargo(0.0, "kg", "general"),
        Cargo(800.0, "lb", "general"),
        Cargo(800.0, "kg", "general", -1.0),
        Cargo(800.0, "kg", "general", math.inf),
        Cargo(2.0, "FEU", "container", 4.0),
    ],
)
def test_cargo_built_in_python_is_checked(cargo: Cargo) -> None:
    with pytest.raises(QueryError):
        check_cargo(cargo)


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
    assert str(Cargo(800, "kg", "general")) == "800 kg general"
    assert str(Cargo(800, "kg", "general", 4)) == "800 kg general, 4 m3"
    assert str(Cargo(1e9, "FEU", "container")) == "1,000,000,000xFEU container"


BASIS = Basis(
    payload_t_per_teu=10.0,
    teu_per_feu=2.0,
    teu_volume_m3=33.2,
    general_density_kg_per_m3=190.0,
    air_volume_cm3_per_kg=6000.0,
)


def test_chargeable_weight_is_the_larger_of_weight_and_volume_weight() -> None:
    # IATA: 6,000 cm3 count as 1 kg, i.e. 166.7 kg per m3
    light = parse_cargo("800kg/6m3")  # 6 m3 x 166.67 = 1,000 kg > 800 kg
    assert BASIS.chargeable_kg(light) == pytest.approx(1000.0)
    assert BASIS.quantity(light, "kg_chargeable") == pytest.approx(1000.0)
    dense = parse_cargo("800kg/2m3")  # 333 kg volume weight < 800 kg
    assert BASIS.chargeable_kg(dense) == 800.0
    assert BASIS.tonnes(light) == BASIS.tonnes(dense) == 0.8  # CO2e uses the real mass


def test_general_cargo_without_volume_has_the_default_density() -> None:
    c = parse_cargo("950kg")
    assert BASIS.volume_m3(c) == pytest.approx(5.0)  # 950 kg at 190 kg/m3
    # 190 kg/m3 is denser than 166.7: the chargeable weight is the weight
    assert BASIS.chargeable_kg(c) == 950.0
    airy = Basis(general_density_kg_per_m3=100.0)
    assert airy.chargeable_kg(c) == pytest.approx(9.5 * 1e6 / 6000.0)


def test_general_cargo_takes_its_larger_share_of_a_container() -> None:
    by_volume = parse_cargo("800kg/16.6m3")  # half a TEU by volume, 0.08 by weight
    assert BASIS.teu(by_volume) == pytest.approx(0.5)
    assert BASIS.quantity(by_volume, "FEU") == pytest.approx(0.25)
    by_weight = parse_cargo("8t/1m3")  # 0.8 TEU by weight
    assert BASIS.teu(by_weight) == pytest.approx(0.8)
    # bulk in tonnes keeps the weight rule alone
    assert BASIS.teu(parse_cargo("8t")) == pytest.approx(0.8)


def test_vehicles_round_up_except_for_part_loads() -> None:
    trucks = Basis(
        vehicle_teu=(math.nan, 2.0, math.nan, math.nan, math.nan, math.nan),
        vehicle_t=(math.nan, 20.0, math.nan, math.nan, 100.0, math.nan),
    )
    assert trucks.vehicles(parse_cargo("1xTEU"), "road") == 1
    assert trucks.vehicles(parse_cargo("3xTEU"), "road") == 2
    assert trucks.vehicles(parse_cargo("3xFEU"), "road") == 3
    assert trucks.vehicles(parse_cargo("30t"), "road") == 2
    assert trucks.vehicle_share(parse_cargo("5t:general"), "road") == pytest.approx(
        max(5 / 20, 5000 / 190 / 33.2 / 2)
    )
    assert math.isnan(trucks.vehicles(parse_cargo("1xFEU"), "rail"))  # no train given
    assert trucks.vehicles(parse_cargo("150t:general"), "air") == 2
    # a truck is paid whole for containers and bulk, in share for general cargo
    feu = trucks.billed_by_vehicle(parse_cargo("1xTEU"), "road")
    assert feu is not None and feu[0] == 1.0  # one truck = one FEU
    part = trucks.billed_by_vehicle(parse_cargo("4t/10m3"), "road")
    assert part is not None and part[0] == pytest.approx(max(4 / 20, 10 / 33.2 / 2))
    assert trucks.billed_by_vehicle(parse_cargo("1xTEU"), "rail") is None


def test_smallest_is_one_unit_of_the_class() -> None:
    assert parse_cargo("800kg/4m3").smallest() == Cargo(1.0, "kg", "general")
    assert parse_cargo("20xFEU").smallest() == Cargo(1.0, "FEU", "container")


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
