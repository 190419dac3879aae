"""What the report modules share: their error and the names of places in a network."""

from __future__ import annotations

from .._errors import SilkwayError
from ..model.records import Network


class ReportError(SilkwayError, ValueError):
    """A report cannot be drawn or written: a table lacks a column, a value names an
    element the network does not have, an output folder cannot be written."""


def place_name(network: Network | None, place_id: str) -> str:
    """The English name of a place, or its id where the network does not know it."""
    if network is not None:
        place = network.places.get(place_id)
        if place is not None:
            return place.name_en
    return place_id


def short(name: object) -> str:
    """A name without its parenthesised detail: ``Xi'an`` for ``Xi'an (Xi'an International
    Port)``, for labels where room is short."""
    return str(name).split(" (", 1)[0]


def short_name(network: Network | None, place_id: str) -> str:
    """A place's :func:`short` name."""
    return short(place_name(network, place_id))
