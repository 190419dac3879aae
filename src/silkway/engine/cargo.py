"""Cargo: what is shipped, how much, and how it is measured for each way of pricing it.

``2xFEU`` is two forty-foot containers; ``500t:dry_bulk`` is 500 tonnes of dry bulk;
``800kg`` is 800 kg of general cargo (pallets, cartons, parcels) and ``800kg/4m3`` the
same with its volume. :class:`Basis` turns a consignment into every quantity a cost,
a CO2e figure or a capacity is given per: TEU, FEU, tonnes, chargeable kg (air) and
vehicles (trucks, trains, ships, aircraft), from the network's parameters.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._errors import QueryError
from ..compile.network import (
    DEFAULT_AIR_VOLUME_CM3_PER_KG,
    DEFAULT_GENERAL_DENSITY_KG_PER_M3,
    DEFAULT_PAYLOAD_T_PER_TEU,
    DEFAULT_TEU_PER_FEU,
    DEFAULT_TEU_VOLUME_M3,
    CompiledNetwork,
)
from ..model.records import CARGO_CLASSES, MODES

UNITS: tuple[str, ...] = ("FEU", "TEU", "t", "kg")
"""Units a consignment is counted in: containers (FEU, TEU) or weight (t, kg)."""
WEIGHT_UNITS: tuple[str, ...] = ("t", "kg")
VOLUME_CLASSES: tuple[str, ...] = ("general", "dangerous_goods")
"""Classes that may give a volume (``800kg/4m3``): loose freight, measured as it flies."""
PART_LOAD_CLASSES: tuple[str, ...] = ("general",)
"""Classes that share a vehicle (a part load, groupage, LCL): they pay their share of
a truck or container. Every other class takes whole vehicles on the road."""
WHOLE_VEHICLE_MODES: tuple[str, ...] = ("road",)
"""Modes whose vehicle is hired whole: a truck carrying one TEU costs a truck."""
LOOSE_MODES: tuple[str, ...] = ("road", "air")
"""Modes on which a part load travels loose (a groupage truck, an air pallet): where a
part load passes between one of them and a consolidated mode (a mode with a
``part_load_kg_per_cbm_<mode>``), it is consolidated into or unpacked from a shared
container at a container freight station (CFS)."""
ONE_DEPARTURE_MODES: tuple[str, ...] = ("sea", "ferry", "air")
"""Modes whose consignment must fit in one vessel or aircraft even on links without a
service; a service of any mode carries a consignment in one departure."""

_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
_CARGO_RE = re.compile(
    rf"^\s*(?:(?P<n>{_NUM})\s*(?:[x×*](?=\s*[^\W\d_]))?\s*)?"
    r"(?P<unit>[^\W\d_]+)\s*"
    rf"(?:/\s*(?P<vol>{_NUM})\s*(?P<vunit>[^\W\d_]+[3³]?))?\s*"
    r"(?::\s*(?P<cls>\w+))?\s*$",
)
_UNIT_NAMES = {
    "feu": "FEU",
    "teu": "TEU",
    "t": "t",
    "tonne": "t",
    "tonnes": "t",
    "kg": "kg",
}
_VOLUME_UNITS = ("m3", "m³", "cbm")
_FORMS = "'2xFEU', '3xTEU', '500t:dry_bulk', '800kg' or '800kg/4m3'"


@dataclass(frozen=True, slots=True)
class Cargo:
    """A consignment: ``quantity`` of ``unit`` (``FEU``, ``TEU``, ``t`` or ``kg``) of
    ``cargo_class``, with its volume in m3 where given (general cargo)."""

    quantity: float
    unit: str
    cargo_class: str
    volume_m3: float | None = None

    def teu(self, *, payload_t_per_teu: float, teu_per_feu: float = 2.0) -> float:
        """Size in TEU (for general cargo: its share of a container, see :class:`Basis`)."""
        return Basis(payload_t_per_teu=payload_t_per_teu, teu_per_feu=teu_per_feu).teu(self)

    def tonnes(self, *, payload_t_per_teu: float, teu_per_feu: float = 2.0) -> float:
        """Cargo mass in tonnes (the basis of tonne-km emissions)."""
        return Basis(payload_t_per_teu=payload_t_per_teu, teu_per_feu=teu_per_feu).tonnes(self)

    def quantity_in(
        self, unit: str, *, payload_t_per_teu: float, teu_per_feu: float = 2.0
    ) -> float:
        """How many ``unit`` (FEU, TEU, t, kg_chargeable or shipment) this cargo is."""
        basis = Basis(payload_t_per_teu=payload_t_per_teu, teu_per_feu=teu_per_feu)
        return basis.quantity(self, unit)

    def smallest(self) -> Cargo:
        """One unit of the same class (1 FEU, 1 TEU, 1 t or 1 kg), without a volume."""
        return Cargo(1.0, self.unit, self.cargo_class)

    def __str__(self) -> str:
        n = format(self.quantity, ",.10g")
        if self.unit in WEIGHT_UNITS:
            text = f"{n} {self.unit} {self.cargo_class}"
            return text if self.volume_m3 is None else f"{text}, {self.volume_m3:g} m3"
        return f"{n}x{self.unit} {self.cargo_class}"


def check_cargo(cargo: Cargo, text: str | None = None) -> None:
    """Raise :class:`QueryError` unless ``cargo`` is a consignment silkway can plan.

    ``text`` is what the user typed, named in the message.
    """
    what = f"cargo {text!r}: " if text is not None else ""
    q = cargo.quantity
    if isinstance(q, bool) or not isinstance(q, int | float) or not math.isfinite(q) or q <= 0:
        raise QueryError(f"{what}cargo quantity must be a finite number above zero, not {q!r}")
    if cargo.unit not in UNITS:
        raise QueryError(
            f"{what}unknown cargo unit {cargo.unit!r}; expected one of: {', '.join(UNITS)}"
        )
    cls = cargo.cargo_class
    if cls not in CARGO_CLASSES:
        raise QueryError(
            f"{what}unknown cargo class {cls!r}; expected one of: {', '.join(CARGO_CLASSES)}"
        )
    if cls == "container" and cargo.unit not in ("FEU", "TEU"):
        raise QueryError(f"{what}container cargo is counted in TEU or FEU, e.g. '2xFEU'")
    v = cargo.volume_m3
    if v is not None:
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v <= 0:
            raise QueryError(
                f"{what}cargo volume must be a finite number of m3 above zero, not {v!r}"
            )
        if cargo.unit not in WEIGHT_UNITS or cls not in VOLUME_CLASSES:
            raise QueryError(
                f"{what}a volume is given only with the weight of general cargo or "
                "dangerous goods, e.g. '800kg/4m3'"
            )


def parse_cargo(text: str, *, cargo_class: str | None = None) -> Cargo:
    """Parse a consignment.

    Forms (case-insensitive; blanks allowed between the parts):

    - ``2xFEU``, ``3*TEU``, ``1 TEU``: containers (class ``container``);
    - ``500t``, ``12.5 tonnes``, ``20t:liquid_bulk``: tonnes (class ``dry_bulk`` unless
      given);
    - ``800kg``, ``3t:general``: general cargo (pallets, cartons, e-commerce parcels)
      by weight; ``kg`` defaults to the class ``general``;
    - ``800kg/4m3`` (also ``m³`` or ``cbm``): general cargo with its volume; a volume
      makes the class ``general`` unless ``dangerous_goods`` is given;
    - ``2xFEU:general``: general cargo by the container load (the weight of
      ``payload_t_per_teu`` and the inside volume of each TEU); plain ``2xFEU`` stays
      containers, which never fly.

    Without a volume, general cargo is assumed to weigh the network's
    ``general_density_kg_per_m3`` (190 kg/m3 in the bundled network, a labelled
    estimate). In the air it pays for its chargeable weight: the larger of its weight
    and its volume at 6,000 cm3 per kg (the IATA rule, 166.7 kg/m3); on the ground it
    pays its share of a container or truck, the larger of its weight share and its
    volume share.

    Parameters
    ----------
    text
        The cargo spec.
    cargo_class
        Overrides the class.

    Raises
    ------
    QueryError
        If the spec or class is not understood; the message names ``text``.
    """
    if not isinstance(text, str):
        raise QueryError(f"cargo must be text like '2xFEU', not {type(text).__name__}")
    m = _CARGO_RE.match(text)
    if not m:
        raise QueryError(f"cannot read cargo {text!r}; write e.g. {_FORMS}")
    raw_unit = m.group("unit")
    unit = _UNIT_NAMES.get(raw_unit.lower())
    if unit is None:
        raise QueryError(
            f"cannot read cargo {text!r}: unknown unit {raw_unit!r}; expected FEU, TEU, t "
            f"or kg (and m3 for a volume), e.g. {_FORMS}"
        )
    quantity = float(m.group("n") or 1)
    if not math.isfinite(quantity) or quantity <= 0:
        raise QueryError(
            f"cannot read cargo {text!r}: the quantity must be a finite number above zero, "
            f"not {m.group('n')}"
        )
    volume: float | None = None
    if m.group("vol") is not None:
        vunit = m.group("vunit")
        if vunit.lower() not in _VOLUME_UNITS:
            raise QueryError(
                f"cannot read cargo {text!r}: unknown volume unit {vunit!r}; write the "
                "volume in m3, e.g. '800kg/4m3'"
            )
        volume = float(m.group("vol"))
        if not math.isfinite(volume) or volume <= 0:
            raise QueryError(
                f"cannot read cargo {text!r}: the volume must be a finite number of m3 "
                f"above zero, not {m.group('vol')}"
            )
    given = cargo_class or m.group("cls")
    if given:
        cls = given.lower()
    elif unit in ("FEU", "TEU"):
        cls = "container"
    elif unit == "kg" or volume is not None:
        cls = "general"
    else:
        cls = "dry_bulk"
    cargo = Cargo(quantity, unit, cls, volume)
    check_cargo(cargo, text)
    return cargo


FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Basis:
    """The network parameters that turn a consignment into priced quantities.

    Attributes
    ----------
    payload_t_per_teu, teu_per_feu
        Average cargo mass in a TEU, and TEU per FEU.
    teu_volume_m3
        Inside volume of a TEU.
    general_density_kg_per_m3
        Density of general cargo whose volume is not given.
    air_volume_cm3_per_kg
        Volume that counts as 1 kg of chargeable weight in the air.
    vehicle_teu, vehicle_t
        One vehicle of each mode (in ``MODES`` order) in TEU and in tonnes (air:
        chargeable tonnes); NaN where not given.
    part_load_kg_per_cbm
        Per mode, the weight that counts as one cubic metre of a part load (the W/M
        rule of a consolidated, LCL tariff); NaN where the mode has no LCL tariff.
    part_load_min_cbm, part_load_cbm_per_teu
        The least chargeable volume of a part load, and the chargeable cubic metres
        one TEU of line haul is sold as (its usable volume).
    part_load_cfs_usd_per_cbm, part_load_cfs_min_usd
        What a container freight station charges to consolidate or unpack a part load:
        per chargeable cubic metre, with a minimum per consignment.
    """

    payload_t_per_teu: float = DEFAULT_PAYLOAD_T_PER_TEU
    teu_per_feu: float = DEFAULT_TEU_PER_FEU
    teu_volume_m3: float = DEFAULT_TEU_VOLUME_M3
    general_density_kg_per_m3: float = DEFAULT_GENERAL_DENSITY_KG_PER_M3
    air_volume_cm3_per_kg: float = DEFAULT_AIR_VOLUME_CM3_PER_KG
    vehicle_teu: tuple[float, ...] = (math.nan,) * len(MODES)
    vehicle_t: tuple[float, ...] = (math.nan,) * len(MODES)
    part_load_kg_per_cbm: tuple[float, ...] = (math.nan,) * len(MODES)
    part_load_min_cbm: float = 0.0
    part_load_cbm_per_teu: float = math.nan
    part_load_cfs_usd_per_cbm: float = 0.0
    part_load_cfs_min_usd: float = 0.0

    @classmethod
    def of(cls, net: CompiledNetwork) -> Basis:
        """The basis of a compiled network (kept in its cache)."""
        got = net.cache.get("cargo_basis")
        if got is None:
            got = net.cache["cargo_basis"] = cls(
                payload_t_per_teu=net.payload_t_per_teu,
                teu_per_feu=net.teu_per_feu,
                teu_volume_m3=net.teu_volume_m3,
                general_density_kg_per_m3=net.general_density_kg_per_m3,
                air_volume_cm3_per_kg=net.air_volume_cm3_per_kg,
                vehicle_teu=tuple(float(x) for x in net.vehicle_teu),
                vehicle_t=tuple(float(x) for x in net.vehicle_t),
                **_part_load_parameters(net),
            )
        basis: Basis = got
        return basis

    # --- measures -------------------------------------------------------------------

    def tonnes(self, cargo: Cargo) -> float:
        """Actual mass in tonnes (the basis of tonne-km emissions)."""
        if cargo.unit == "t":
            return cargo.quantity
        if cargo.unit == "kg":
            return cargo.quantity / 1000.0
        return self.container_teu(cargo) * self.payload_t_per_teu

    def container_teu(self, cargo: Cargo) -> float:
        """TEU of a consignment counted in containers, or its mass in average TEU loads."""
        if cargo.unit == "FEU":
            return cargo.quantity * self.teu_per_feu
        if cargo.unit == "TEU":
            return cargo.quantity
        return self.tonnes(cargo) / self.payload_t_per_teu

    def volume_m3(self, cargo: Cargo) -> float:
        """Volume: as given, else the weight at the default density (general cargo and
        dangerous goods by weight), else the inside volume of its containers."""
        if cargo.volume_m3 is not None:
            return cargo.volume_m3
        if cargo.unit in WEIGHT_UNITS:
            return self.tonnes(cargo) * 1000.0 / self.general_density_kg_per_m3
        return self.container_teu(cargo) * self.teu_volume_m3

    def measured_by_volume(self, cargo: Cargo) -> bool:
        """Whether the volume counts: general cargo, or a volume that was given."""
        return cargo.cargo_class in PART_LOAD_CLASSES or cargo.volume_m3 is not None

    def teu(self, cargo: Cargo) -> float:
        """Size in TEU: containers as counted; loose cargo as the larger of its weight
        share (``payload_t_per_teu``) and its volume share (``teu_volume_m3``) of a TEU."""
        by_weight = self.container_teu(cargo)
        if cargo.unit in WEIGHT_UNITS and self.measured_by_volume(cargo):
            return max(by_weight, self.volume_m3(cargo) / self.teu_volume_m3)
        return by_weight

    def chargeable_kg(self, cargo: Cargo) -> float:
        """Air chargeable weight: the larger of the weight in kg and the volume weight."""
        kg = self.tonnes(cargo) * 1000.0
        if cargo.unit in WEIGHT_UNITS and self.measured_by_volume(cargo):
            return max(kg, self.volume_m3(cargo) * 1e6 / self.air_volume_cm3_per_kg)
        return kg

    def quantity(self, cargo: Cargo, unit: str) -> float:
        """How many ``unit`` (a cost unit) the consignment is, carried as slots/shares."""
        if unit == "shipment":
            return 1.0
        if unit == "TEU":
            return self.teu(cargo)
        if unit == "FEU":
            return self.teu(cargo) / self.teu_per_feu
        if unit == "kg_chargeable":
            return self.chargeable_kg(cargo)
        if unit == "t":
            return self.tonnes(cargo)
        raise ValueError(f"unknown cost unit {unit!r}")

    # --- part loads (LCL) -----------------------------------------------------------

    def consolidated(self, cargo: Cargo, mode: str) -> bool:
        """Whether ``cargo`` is a part load priced by an LCL tariff on ``mode``: general
        cargo, on a mode with a ``part_load_kg_per_cbm_<mode>`` and a
        ``part_load_cbm_per_teu``."""
        return (
            cargo.cargo_class in PART_LOAD_CLASSES
            and not math.isnan(self.part_load_kg_per_cbm[MODES.index(mode)])
            and not math.isnan(self.part_load_cbm_per_teu)
        )

    def chargeable_cbm(self, cargo: Cargo, mode: str) -> float:
        """A part load's chargeable volume on ``mode`` (W/M): the larger of its volume and
        its weight at ``part_load_kg_per_cbm`` of the mode, and at least
        ``part_load_min_cbm``."""
        kg_per_cbm = self.part_load_kg_per_cbm[MODES.index(mode)]
        by_weight = self.tonnes(cargo) * 1000.0 / kg_per_cbm
        return max(self.volume_m3(cargo), by_weight, self.part_load_min_cbm)

    def cfs_usd(self, cargo: Cargo, mode: str) -> float:
        """What one container freight station charges to consolidate ``cargo`` into a
        container of ``mode``, or to unpack it (0 unless :meth:`consolidated`)."""
        if not self.consolidated(cargo, mode):
            return 0.0
        per_cbm = self.part_load_cfs_usd_per_cbm * self.chargeable_cbm(cargo, mode)
        return max(per_cbm, self.part_load_cfs_min_usd)

    def billed_as_part_load(self, cargo: Cargo, mode: str) -> FloatArray | None:
        """Quantities per cost unit of a part load on a consolidated mode: its chargeable
        volume as a share of a TEU sold at ``part_load_cbm_per_teu`` (TEU, FEU), its
        mass otherwise. ``None`` unless :meth:`consolidated`."""
        from ..model.records import COST_UNITS

        if not self.consolidated(cargo, mode):
            return None
        teu = self.chargeable_cbm(cargo, mode) / self.part_load_cbm_per_teu
        out = [
            teu if u == "TEU" else teu / self.teu_per_feu if u == "FEU" else self.quantity(cargo, u)
            for u in COST_UNITS
        ]
        return np.array(out, dtype=np.float64)

    # --- vehicles -------------------------------------------------------------------

    def vehicle_share(self, cargo: Cargo, mode: str) -> float:
        """The consignment in vehicles of ``mode`` (fractional); NaN if the network gives
        no vehicle of that mode."""
        m = MODES.index(mode)
        cap_teu, cap_t = self.vehicle_teu[m], self.vehicle_t[m]
        shares = []
        if not math.isnan(cap_teu):
            shares.append(self.teu(cargo) / cap_teu)
        if not math.isnan(cap_t):
            mass = self.chargeable_kg(cargo) / 1000.0 if mode == "air" else self.tonnes(cargo)
            if cargo.unit in WEIGHT_UNITS or math.isnan(cap_teu):
                shares.append(mass / cap_t)
        return max(shares) if shares else math.nan

    def vehicles(self, cargo: Cargo, mode: str) -> float:
        """Whole vehicles of ``mode`` the consignment needs (NaN if none is defined)."""
        share = self.vehicle_share(cargo, mode)
        if math.isnan(share):
            return share
        return float(max(1, math.ceil(share - 1e-9)))

    def billed_by_vehicle(self, cargo: Cargo, mode: str) -> FloatArray | None:
        """Quantities per cost unit when ``mode`` is paid per vehicle (a road haulier's
        truck): whole trucks for containers and bulk, the share of a truck for a part
        load of general cargo. ``None`` if the mode is not paid per vehicle here."""
        from ..model.records import COST_UNITS

        m = MODES.index(mode)
        if mode not in WHOLE_VEHICLE_MODES or math.isnan(self.vehicle_teu[m]):
            return None
        share = self.vehicle_share(cargo, mode)
        n = share if cargo.cargo_class in PART_LOAD_CLASSES else self.vehicles(cargo, mode)
        per_vehicle = {
            "TEU": self.vehicle_teu[m],
            "FEU": self.vehicle_teu[m] / self.teu_per_feu,
            "t": self.vehicle_t[m]
            if not math.isnan(self.vehicle_t[m])
            else self.vehicle_teu[m] * self.payload_t_per_teu,
        }
        out = []
        for u in COST_UNITS:
            if u in per_vehicle:
                out.append(n * per_vehicle[u])
            else:
                out.append(self.quantity(cargo, u))
        return np.array(out, dtype=np.float64)


def _part_load_parameters(net: CompiledNetwork) -> dict[str, Any]:
    """The LCL tariff parameters of a network (``Basis`` fields named as the ids)."""
    params = net.network.parameters

    def value(key: str, default: float) -> float:
        p = params.get(key)
        return float(p.value) if p is not None else default

    return {
        "part_load_kg_per_cbm": tuple(value(f"part_load_kg_per_cbm_{m}", math.nan) for m in MODES),
        "part_load_min_cbm": value("part_load_min_cbm", 0.0),
        "part_load_cbm_per_teu": value("part_load_cbm_per_teu", math.nan),
        "part_load_cfs_usd_per_cbm": value("part_load_cfs_usd_per_cbm", 0.0),
        "part_load_cfs_min_usd": value("part_load_cfs_min_usd", 0.0),
    }
