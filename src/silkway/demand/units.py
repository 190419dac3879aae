"""Volume units of demand tables and the conversions between FEU, TEU and tonnes.

A volume is a count of containers (``FEU``, ``TEU``) or a mass (``t``, ``kg``, ``kt``,
``Mt``), always per year; a unit may say so (``TEU/year``, ``t/yr``). Containers carry
the classes in :data:`CONTAINERISED`; the bulk classes have no FEU equivalent (0).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

CONTAINERISED: tuple[str, ...] = ("container", "general", "dangerous_goods")
"""Cargo classes that travel in (or are counted as) containers; the others are bulk."""

VOLUME_UNITS: Mapping[str, tuple[str, float]] = {
    "FEU": ("boxes", 1.0),
    "TEU": ("boxes", 0.0),  # 1 / teu_per_feu, from the conversions
    "t": ("mass", 1.0),
    "kg": ("mass", 1e-3),
    "kt": ("mass", 1e3),
    "Mt": ("mass", 1e6),
}
"""Unit -> (kind, factor): FEU per unit for ``boxes``, tonnes per unit for ``mass``.
TEU's factor is ``1 / Conversions.teu_per_feu``."""

_ALIASES: Mapping[str, str] = {
    "feu": "FEU",
    "teu": "TEU",
    "tonne": "t",
    "tonnes": "t",
    "Kg": "kg",
    "KG": "kg",
}
_PER_YEAR = ("/year", "/yr", "/a", " per year", " a year")


@dataclass(frozen=True, slots=True)
class Conversions:
    """How many TEU make a FEU, and how many tonnes a FEU holds, by cargo class.

    Parameters
    ----------
    teu_per_feu
        TEU per FEU (2 by ISO 668).
    t_per_feu
        Cargo class -> tonnes per FEU, for every class of :data:`CONTAINERISED`.

    Raises
    ------
    ValueError
        If a number is not positive or a containerised class has no tonnes per FEU.
    """

    teu_per_feu: float
    t_per_feu: Mapping[str, float]

    def __post_init__(self) -> None:
        if not self.teu_per_feu > 0:
            raise ValueError(f"teu_per_feu must be positive, not {self.teu_per_feu}")
        for cls in CONTAINERISED:
            value = self.t_per_feu.get(cls)
            if value is None or not value > 0:
                raise ValueError(f"t_per_feu for {cls} must be given and positive, not {value}")

    def convert(self, volume: float, unit: str, cargo_class: str) -> tuple[float, float]:
        """FEU and tonnes a year for ``volume`` in ``unit`` of ``cargo_class``.

        Parameters
        ----------
        volume
            A finite number, zero or more.
        unit
            A canonical unit (a key of :data:`VOLUME_UNITS`; see :func:`parse_unit`).
        cargo_class
            One of the network's cargo classes.

        Returns
        -------
        feu, tonnes
            The containerised equivalent (0 for a bulk class) and the mass.

        Raises
        ------
        ValueError
            If a bulk class is given in containers (FEU or TEU): it has no tonnes per FEU.
        """
        kind, factor = VOLUME_UNITS[unit]
        boxed = cargo_class in CONTAINERISED
        if kind == "boxes":
            if not boxed:
                raise ValueError(
                    f"cargo class {cargo_class} is bulk, not containerised, so its volume "
                    f"cannot be given in {unit}; give it in t, kg, kt or Mt"
                )
            feu = volume / self.teu_per_feu if unit == "TEU" else volume * factor
            return feu, feu * self.t_per_feu[cargo_class]
        tonnes = volume * factor
        return (tonnes / self.t_per_feu[cargo_class] if boxed else 0.0), tonnes


def parse_unit(text: str) -> str:
    """The canonical unit for ``text`` (``"TEU/year"`` -> ``"TEU"``).

    Parameters
    ----------
    text
        A unit as a user wrote it: a key of :data:`VOLUME_UNITS` or an alias
        (``tonnes``, ``teu``), optionally ending in ``/year``, ``/yr``, ``/a`` or
        ``per year``.

    Returns
    -------
    str
        A key of :data:`VOLUME_UNITS`.

    Raises
    ------
    ValueError
        If ``text`` is no known unit; the message lists the known ones.
    """
    unit = text.strip()
    for suffix in _PER_YEAR:
        if unit.lower().endswith(suffix):
            unit = unit[: -len(suffix)].strip()
            break
    unit = _ALIASES.get(unit, unit)
    if unit not in VOLUME_UNITS:
        known = ", ".join(VOLUME_UNITS)
        raise ValueError(f"unknown unit {text!r}; expected one of {known} (per year)")
    return unit


def bundled_conversions() -> Conversions:
    """The conversions of the bundled trade table (``data/demand/conversions.csv``).

    Returns
    -------
    Conversions
        TEU per FEU and tonnes per FEU by containerised class, read from the package
        data each call.
    """
    from .bundled import read_trade_tables

    return read_trade_tables().conversions
