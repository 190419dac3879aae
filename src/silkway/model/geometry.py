"""The countries a link runs in: its own (ends and transit) and those its geometry crosses.

The planner avoids a country on every link that runs in it, and electric traction pays
each country's grid for the km it runs there; both read these functions. A link's
geometry carries its km per country (:attr:`LinkGeometry.country_km`, from the shipped
country grid, about 5 km coarse), so a short stretch in a country that is not one of the
link's own is taken for border noise below :data:`COUNTRY_TOLERANCE_KM`.
"""

from __future__ import annotations

from collections.abc import Mapping

from .records import Link, Network

COUNTRY_TOLERANCE_KM = 20.0
"""A line counts as running in a country not among its link's own countries (ends and
``transit_countries``) only for at least this many km: the country grid is about 5 km
coarse, and lines along a border may graze the neighbour."""


def link_countries(network: Network, link: Link) -> list[str]:
    """The link's own countries: its ends' and its ``transit_countries``, in order."""
    places = network.places
    codes = [places[link.from_id].country, *link.transit_countries, places[link.to_id].country]
    return list(dict.fromkeys(codes))


def geometry_countries(network: Network, link: Link) -> list[str]:
    """Countries a link's geometry runs in, in the order it enters them.

    A country among the link's own counts for any distance, another only for at least
    :data:`COUNTRY_TOLERANCE_KM`. Empty for links without a geometry or at sea.
    """
    geometry = network.geometries.get(link.id)
    if geometry is None:
        return []
    own = set(link_countries(network, link))
    return [
        c
        for c, km in geometry.country_km.items()
        if c and (km >= COUNTRY_TOLERANCE_KM or (c in own and km > 0))
    ]


def country_shares(network: Network, link: Link) -> tuple[tuple[str, float], ...]:
    """Share of the link's km run in each country, for its electricity mix.

    From the geometry where the link has one (stretches under
    :data:`COUNTRY_TOLERANCE_KM` in a foreign country and stretches off the country grid
    are left out, and the rest scaled to 1); otherwise the link's own countries, equally.
    """
    geometry = network.geometries.get(link.id)
    kept: Mapping[str, float] = {}
    if geometry is not None and geometry.country_km:
        keep = set(geometry_countries(network, link))
        kept = {c: km for c, km in geometry.country_km.items() if c in keep}
    total = sum(kept.values())
    if total > 0:
        return tuple((c, km / total) for c, km in kept.items())
    codes = link_countries(network, link)
    return tuple((c, 1.0 / len(codes)) for c in codes)
