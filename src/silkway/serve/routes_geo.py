"""Endpoints for the map: the network and the basemap as GeoJSON (built once per worker)."""

from __future__ import annotations

import json
from typing import Annotated, get_args

from fastapi import APIRouter, Query
from fastapi.responses import Response

from ..engine.request import Mode
from .models import FeatureCollection
from .routes_core import WorkerDep, problem_responses

router = APIRouter()

GEOJSON = "application/geo+json"
MODES: frozenset[str] = frozenset(get_args(Mode))


@router.get(
    "/network.geojson",
    response_model=FeatureCollection,
    responses={**problem_responses(422), 200: {"content": {GEOJSON: {}}}},
    tags=["map"],
)
async def network_geojson(
    worker: WorkerDep,
    mode: Annotated[
        list[Mode] | None, Query(max_length=6, description="Modes shown; default all.")
    ] = None,
    include_planned: Annotated[
        bool, Query(description="Show planned links (status planned, with open_year).")
    ] = True,
) -> Response:
    """The network: each link a LineString along the line it follows (properties id,
    mode, from/to ids and names in en/ru/zh, km, gauge_mm, status, open_year), then
    each place those links touch a Point (id, names, country, place_kind and the flags
    border_crossing, gauge_change, seaport, airport). Closed links are left out."""
    from .geojson import network_features, select

    modes = frozenset(mode) if mode else MODES
    features = worker.once("network-features", lambda: network_features(worker.network.network))

    def build() -> bytes:
        doc = select(*features, modes=modes, include_planned=include_planned)
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()

    content = worker.once(("network-geojson", modes, include_planned), build)
    return Response(content, media_type=GEOJSON)


@router.get(
    "/basemap.geojson",
    response_model=FeatureCollection,
    responses={200: {"content": {GEOJSON: {}}}},
    tags=["map"],
)
async def basemap_geojson(worker: WorkerDep) -> Response:
    """Country outlines of the corridor region (Natural Earth, public domain; clipped,
    no antimeridian crossing): one MultiPolygon per country with its ISO ``code`` and
    ``name``. The web map's offline basemap."""

    def build() -> bytes:
        from ..geo.outlines import load_outlines

        doc = load_outlines().to_geojson()
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()

    return Response(worker.once("basemap", build), media_type=GEOJSON)
