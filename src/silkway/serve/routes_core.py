"""Endpoints of the planner itself: health, places, plan, sources and provenance."""

from __future__ import annotations

import dataclasses
import difflib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from ..engine.request import MAX_TEXT, PlanRequest
from .models import (
    Health,
    Places,
    PlanDocument,
    PlanQueryParameters,
    Provenance,
    SourceRecord,
    Sources,
)
from .problems import MEDIA_TYPE, ProblemError
from .state import Worker

router = APIRouter()

_DESCRIPTIONS = {
    404: "Not found: an unknown place, source, parameter or scenario (with `matches`).",
    413: "The request body is over the server's limit.",
    422: "Invalid request (with `errors`), an ambiguous place, or no route.",
    503: "Every compute slot is busy, or the computation passed the compute limit "
    "(with `Retry-After`).",
}


def problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries of the problems a route may answer."""
    from .models import Problem

    return {
        code: {
            "model": Problem,
            "description": _DESCRIPTIONS[code],
            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for code in codes
    }


async def get_worker(request: Request) -> Worker:
    """The worker state of the app serving ``request`` (async: FastAPI runs a plain
    ``def`` dependency on its thread pool, a thread hop per request)."""
    worker: Worker = request.app.state.worker
    return worker


WorkerDep = Annotated[Worker, Depends(get_worker)]


@router.get("/health", response_model=Health, tags=["planner"])
async def health(worker: WorkerDep) -> Response:
    """The server is up: the network it serves (name, version, scenarios) and silkway's
    version."""
    from .. import __version__

    net = worker.network.network
    return JSONResponse(
        {
            "status": "ok",
            "network": {
                "name": net.name,
                "version": net.version,
                "scenarios": list(net.scenarios),
            },
            "silkway": __version__,
        }
    )


@router.get("/places", response_model=Places, responses=problem_responses(422), tags=["planner"])
async def places(
    worker: WorkerDep,
    q: Annotated[
        str,
        Query(
            max_length=MAX_TEXT,
            description="Text in any language (English, Russian, Chinese, local; case and "
            "accents ignored): exact names first, then names it begins, then names it is "
            "in, then close spellings. Empty: every place.",
        ),
    ] = "",
    country: Annotated[
        str | None, Query(max_length=8, description="Only places in this ISO code, e.g. KZ.")
    ] = None,
    kind: Annotated[
        str | None,
        Query(max_length=32, description="Only places of this kind, e.g. seaport."),
    ] = None,
    limit: Annotated[
        int | None, Query(ge=1, le=10_000, description="At most this many places.")
    ] = None,
) -> Response:
    """Search places, as ``silkway places QUERY --format json`` does (autocomplete)."""
    from ..model.names import place_rows

    rows = place_rows(
        worker.network.network,
        q,
        country=country,
        kind=kind,
        limit=limit,
        index=worker.place_index(),
    )
    return JSONResponse({"schema": "silkway.places/1", "places": rows})


@router.post(
    "/plan",
    response_model=PlanDocument,
    responses=problem_responses(404, 413, 422, 503),
    tags=["planner"],
)
async def plan(body: PlanRequest, worker: WorkerDep) -> Response:
    """Plan freight options: the options and document of ``silkway plan --format json``
    (``silkway.plan/1``). ``scenario`` takes bundled scenario names; ``time_limit`` is
    capped at half the server's compute limit."""
    return await plan_response(body, worker)


@router.get(
    "/plan",
    response_model=PlanDocument,
    responses=problem_responses(404, 422, 503),
    tags=["planner"],
)
async def plan_get(
    query: Annotated[PlanQueryParameters, Query()],  # type: ignore[valid-type]
    worker: WorkerDep,
) -> Response:
    """``POST /plan`` with the request as query parameters (lists repeated:
    ``via=KZ_ALT&via=AZ_BAK``), for links and quick checks."""
    values: dict[str, Any] = query.model_dump()  # type: ignore[attr-defined]
    return await plan_response(PlanRequest(**values), worker)


async def plan_response(body: PlanRequest, worker: Worker) -> Response:
    """Check ``body`` against the server's limits, plan it on a compute thread, and
    answer the JSON document."""
    from ..engine.request import run

    limits = worker.limits
    check_samples(body.samples, limits.max_samples)
    names = worker.check_scenarios(body.scenario, "scenario")
    cap = limits.plan_time_limit
    request = dataclasses.replace(
        body, time_limit=min(body.time_limit, cap) if body.time_limit > 0 else cap
    )

    def work() -> bytes:
        result = run(request, worker.network_under(names))
        return result.to_json(indent=None).encode()

    content = await worker.compute.run(work)
    return Response(content, media_type="application/json")


def check_samples(samples: int, limit: int, field: str = "samples") -> None:
    """A 422 problem if ``samples`` is over the server's limit."""
    if samples > limit:
        message = f"{samples:,} is over this server's limit of {limit:,} Monte Carlo draws"
        raise ProblemError(
            422,
            "over a limit",
            f"{field}: {message}",
            kind="limit",
            errors=[{"field": field, "location": "body", "message": message, "type": "limit"}],
        )


def _sources(worker: Worker) -> list[dict[str, Any]]:
    from .provenance import source_record

    def build() -> list[dict[str, Any]]:
        net = worker.network.network
        return [source_record(sid, s) for sid, s in net.sources.items()]

    return worker.once("sources", build)


@router.get("/sources", response_model=Sources, tags=["provenance"])
async def sources(worker: WorkerDep) -> Response:
    """Every source of the network: id, kind (sourced, derived, estimate), title,
    publisher, url, date, the sources it is derived from, and a note."""
    return JSONResponse({"sources": _sources(worker)})


@router.get(
    "/sources/{source_id}",
    response_model=SourceRecord,
    responses=problem_responses(404, 422),
    tags=["provenance"],
)
async def source(
    worker: WorkerDep, source_id: Annotated[str, Path(min_length=1, max_length=MAX_TEXT)]
) -> Response:
    """One source; an unknown id is a 404 problem with the closest ids."""
    records = {r["id"]: r for r in _sources(worker)}
    if source_id not in records:
        raise ProblemError(
            404,
            "unknown source",
            f"no source is called {source_id!r}",
            kind="unknown-source",
            matches=difflib.get_close_matches(source_id, list(records), n=5, cutoff=0.5),
        )
    return JSONResponse(records[source_id])


@router.get(
    "/provenance/{parameter}",
    response_model=Provenance,
    responses=problem_responses(404, 422),
    tags=["provenance"],
)
async def provenance(
    worker: WorkerDep,
    parameter: Annotated[
        str,
        Path(
            min_length=1,
            max_length=MAX_TEXT,
            description="A parameter reference as plan results cite it (a leg's "
            "sources[].parameter): kind:id.field, e.g. link:KZ_ALT-KZ_ALA.km.",
        ),
    ],
) -> Response:
    """The value of one parameter of the network, its source id and the source."""
    from .provenance import provenance as lookup

    return JSONResponse(lookup(worker.network.network, parameter))
