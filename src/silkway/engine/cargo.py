"""Cargo: what is shipped, how much, and conversions between FEU, TEU and tonnes.

``2xFEU`` is two forty-foot containers; ``500t:dry_bulk`` is 500 tonnes of dry bulk.
Container counts turn into tonnes with the network's ``payload_t_per_teu`` parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .._errors import QueryError
from ..model.records import CARGO_CLASSES

_CARGO_RE = re.compile(
    r"^\s*(?:(?P<n>\d+(?:\.\d+)?)\s*(?:x|×|\*)?\s*)?(?P<unit>feu|teu|t|tonnes?)\s*"
    r"(?::\s*(?P<cls>[a-z_]+))?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Cargo:
    """A consignment: ``quantity`` of ``unit`` (``FEU``, ``TEU`` or ``t``) of ``cargo_class``."""

    quantity: float
    unit: str
    cargo_class: str

    def teu(self, *, payload_t_per_teu: float, teu_per_feu: float = 2.0) -> float:
        """Size in TEU."""
        if self.unit == "FEU":
            return self.quantity * teu_per_feu
        if self.unit == "TEU":
            return self.quantity
        return self.quantity / payload_t_per_teu

    def tonnes(self, *, payload_t_per_teu: float, teu_per_feu: float = 2.0) -> float:
        """Cargo mass in tonnes (the basis of tonne-km emissions)."""
        if self.unit == "t":
            return self.quantity
        return self.teu(payload_t_per_teu=payload_t_per_teu, teu_per_feu=teu_per_feu) * (
            payload_t_per_teu
        )

    def quantity_in(
        self, unit: str, *, payload_t_per_teu: float, teu_per_feu: float = 2.0
    ) -> float:
        """How many ``unit`` (FEU, TEU, t or shipment) this cargo is, for pricing."""
        if unit == "shipment":
            return 1.0
        teu = self.teu(payload_t_per_teu=payload_t_per_teu, teu_per_feu=teu_per_feu)
        if unit == "TEU":
            return teu
        if unit == "FEU":
            return teu / teu_per_feu
        return self.tonnes(payload_t_per_teu=payload_t_per_teu, teu_per_feu=teu_per_feu)

    def __str__(self) -> str:
        n = f"{self.quantity:g}"
        return (
            f"{n}x{self.unit} {self.cargo_class}"
            if self.unit != "t"
            else (f"{n} t {self.cargo_class}")
        )


def parse_cargo(text: str, *, cargo_class: str | None = None) -> Cargo:
    """Parse ``2xFEU``, ``1 TEU``, ``500t`` or ``20t:dry_bulk``.

    Parameters
    ----------
    text
        The cargo spec.
    cargo_class
        Overrides the class; default ``container`` for FEU/TEU, ``dry_bulk`` for tonnes.

    Raises
    ------
    QueryError
        If the spec or class is not understood.
    """
    m = _CARGO_RE.match(text)
    if not m:
        raise QueryError(
            f"cannot read cargo {text!r}; write e.g. '2xFEU', '3xTEU' or '500t:dry_bulk'"
        )
    quantity = float(m.group("n") or 1)
    if quantity <= 0:
        raise QueryError(f"cargo quantity must be more than zero, not {m.group('n')}")
    unit = m.group("unit").upper()
    unit = "t" if unit.startswith("T") and unit != "TEU" else unit
    cls = cargo_class or m.group("cls") or ("dry_bulk" if unit == "t" else "container")
    cls = cls.lower()
    if cls not in CARGO_CLASSES:
        raise QueryError(
            f"unknown cargo class {cls!r}; expected one of: {', '.join(CARGO_CLASSES)}"
        )
    if cls == "container" and unit == "t":
        raise QueryError("container cargo is counted in TEU or FEU, e.g. '2xFEU'")
    return Cargo(quantity, unit, cls)
