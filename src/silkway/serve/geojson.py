"""The served network and basemap as GeoJSON.

:func:`network_features` draws every link along the line it follows (its
``link_geometry.csv`` line, else a great-circle arc for air and a straight line for the
rest: :func:`silkway.reports.maps.link_line`, as the report maps draw it) and every
place as a point with the flags a map marks. :func:`provenance` looks a parameter
reference of a plan result (``link:KZ_ALT-KZ_ALA.km``) up in the network.
"""

from __future__ import annotations

from typing import Any

from ..model.records import Network

SHOWN_STATUSES: tuple[str, ...] = ("operational", "planned")
"""Link statuses the network GeoJSON shows (closed links are left out)."""
COORDINATE_DECIMALS = 5
"""Decimals of a coordinate (about a metre)."""


def network_features(network: Network) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The link features and the place features of ``network``, in the network's order.

    Links have ``kind`` ``link``, ``id``, ``mode``, ``from``/``to`` (ids),
    ``from_name_en``..``to_name_zh``, ``km``, ``gauge_mm``, ``status`` (``operational``
    or ``planned``) and ``open_year`` (a planned link's opening year, else null).
    Places have ``kind`` ``place``, ``id``, ``name_en``/``name_ru``/``name_zh``,
    ``country``, ``place_kind`` and the flags ``border_crossing`` (a border-crossing
    place, or an end of a link with a border crossing), ``gauge_change`` (a gauge
    change is possible there), ``seaport`` and ``airport``.
    """
    from ..reports.maps import link_line

    places = network.places
    links = []
    for link in network.links.values():
        if link.status not in SHOWN_STATUSES:
            continue
        a, b = places[link.from_id], places[link.to_id]
        line = link_line(network, link).round(COORDINATE_DECIMALS).tolist()
        links.append(
            {
                "type": "Feature",
                "id": link.id,
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": {
                    "kind": "link",
                    "id": link.id,
                    "mode": link.mode,
                    "from": a.id,
                    "to": b.id,
                    **{f"from_name_{lang}": getattr(a, f"name_{lang}") for lang in _LANGS},
                    **{f"to_name_{lang}": getattr(b, f"name_{lang}") for lang in _LANGS},
                    "km": link.km,
                    "gauge_mm": link.gauge_mm,
                    "status": link.status,
                    "open_year": link.open_year if link.status == "planned" else None,
                },
            }
        )
    crossing_ends = {
        end
        for c in network.crossings.values()
        if c.link in network.links
        for end in (network.links[c.link].from_id, network.links[c.link].to_id)
    }
    gauge = {t.place for t in network.transfers.values() if t.kind == "gauge_change"}
    points = [
        {
            "type": "Feature",
            "id": p.id,
            "geometry": {
                "type": "Point",
                "coordinates": [
                    round(p.lon, COORDINATE_DECIMALS),
                    round(p.lat, COORDINATE_DECIMALS),
                ],
            },
            "properties": {
                "kind": "place",
                "id": p.id,
                **{f"name_{lang}": getattr(p, f"name_{lang}") for lang in _LANGS},
                "country": p.country,
                "place_kind": p.kind,
                "border_crossing": p.kind == "border_crossing" or p.id in crossing_ends,
                "gauge_change": p.id in gauge,
                "seaport": p.kind == "seaport",
                "airport": p.kind == "airport",
            },
        }
        for p in places.values()
    ]
    return links, points


_LANGS = ("en", "ru", "zh")


def select(
    links: list[dict[str, Any]],
    points: list[dict[str, Any]],
    *,
    modes: frozenset[str],
    include_planned: bool,
) -> dict[str, Any]:
    """A FeatureCollection of the links of ``modes`` (planned ones if asked), then the
    places those links touch."""
    chosen = [
        f
        for f in links
        if f["properties"]["mode"] in modes
        and (include_planned or f["properties"]["status"] != "planned")
    ]
    touched = {f["properties"][end] for f in chosen for end in ("from", "to")}
    return {
        "type": "FeatureCollection",
        "features": chosen + [p for p in points if p["properties"]["id"] in touched],
    }
