"""Endpoints of scenarios and skims: list, show, compare two, and skim matrices."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse, Response

from ..engine.request import MAX_TEXT
from .models import (
    CompareDocument,
    CompareRequest,
    MatrixDocument,
    MatrixRequest,
    ScenarioList,
    ScenarioShow,
)
from .problems import ProblemError
from .routes_core import WorkerDep, check_samples, problem_responses
from .state import Worker, bundled_scenario, unknown_scenario

if TYPE_CHECKING:
    import pandas as pd

router = APIRouter()


@router.get("/scenarios", response_model=ScenarioList, tags=["scenarios"])
async def scenarios(worker: WorkerDep) -> Response:
    """The bundled scenarios with their title and rationale, as ``silkway scenario list
    --format json``."""
    from ..cli.scenario import list_document
    from ..scenarios.format import bundled_scenarios

    def build() -> dict[str, Any]:
        return list_document([bundled_scenario(n) for n in bundled_scenarios()])

    return JSONResponse(worker.once("scenarios", build))


@router.get(
    "/scenarios/{name}",
    response_model=ScenarioShow,
    responses=problem_responses(404, 422),
    tags=["scenarios"],
)
async def scenario(
    worker: WorkerDep, name: Annotated[str, Path(min_length=1, max_length=MAX_TEXT)]
) -> Response:
    """What a bundled scenario changes on the served network: each patch, what it
    matched, every value it changed (old and new) and the sources, as ``silkway scenario
    show NAME --format json``."""
    from ..cli.scenario import show_document
    from ..scenarios.format import bundled_scenarios

    known = bundled_scenarios()
    if name not in known:
        raise unknown_scenario(name, known, status=404)

    def build() -> dict[str, Any]:
        from ..scenarios.patching import apply_traced

        return show_document(apply_traced(worker.network.network, bundled_scenario(name)))

    doc = await worker.compute.run(worker.once, ("scenario", name), build)
    return JSONResponse(doc)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as JSON objects (missing numbers as null)."""
    rows: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", force_ascii=False))
    return rows


def _check_places(count: int, limit: int, field: str) -> None:
    if count > limit:
        message = f"{count} places is over this server's limit of {limit}"
        raise ProblemError(
            422,
            "over a limit",
            f"{field}: {message}",
            kind="limit",
            errors=[{"field": field, "location": "body", "message": message, "type": "limit"}],
        )


@router.post(
    "/matrix",
    response_model=MatrixDocument,
    responses=problem_responses(404, 413, 422, 503),
    tags=["scenarios"],
)
async def matrix(body: MatrixRequest, worker: WorkerDep) -> Response:
    """The skim matrix between places: one row per ordered pair, with the columns of
    ``silkway matrix`` (time P50/P90/P95 hours, cost, CO2e, distance, transshipments,
    borders, modes, route). At most the server's ``matrix_places`` places."""
    from ..skims.matrix import COLUMNS, matrix

    _check_places(len(dict.fromkeys(body.places)), worker.limits.matrix_places, "places")
    check_samples(body.samples, worker.limits.max_samples)
    names = worker.check_scenarios(tuple(body.scenario), "scenario")

    def work() -> dict[str, Any]:
        frame = matrix(
            worker.network_under(names),
            body.places,
            depart=body.depart,
            cargo=body.cargo,
            sort=body.sort,
            samples=body.samples,
            seed=body.seed,
            include_planned=body.include_planned,
            avoid_countries=body.avoid_countries,
            modes=body.modes,
            workers=0,
        )
        return {
            "schema": "silkway.matrix/1",
            "columns": list(COLUMNS),
            "rows": _records(frame),
            "complete": bool(frame.attrs.get("complete", True)),
            "query": frame.attrs.get("query", {}),
        }

    return JSONResponse(await worker.compute.run(work))


@router.post(
    "/scenarios/compare",
    response_model=CompareDocument,
    responses=problem_responses(404, 413, 422, 503),
    tags=["scenarios"],
)
async def compare(body: CompareRequest, worker: WorkerDep) -> Response:
    """Compare two bundled scenarios on a few OD pairs: each pair's best route (by
    ``sort``) under both, with both sides' values, the change (other minus base) and
    the change in per cent, as the comparison report's OD table
    (:func:`silkway.reports.deltas.od_deltas`)."""
    limits = worker.limits
    if len(body.pairs) > limits.compare_pairs:
        raise ProblemError(
            422,
            "over a limit",
            f"pairs: {len(body.pairs)} pairs is over this server's limit of {limits.compare_pairs}",
            kind="limit",
        )
    check_samples(body.samples, limits.max_samples)
    base = worker.check_scenarios((body.base,), "base")
    other = worker.check_scenarios((body.other,), "other")
    index = worker.place_index()
    for p in body.pairs:
        if index.resolve(p.origin).id == index.resolve(p.destination).id:
            raise ProblemError(
                422,
                "invalid request",
                f"pair {p.origin} -> {p.destination}: origin and destination are one place",
            )
    pairs = [(index.resolve(p.origin).id, index.resolve(p.destination).id) for p in body.pairs]
    places = list(dict.fromkeys(pid for pair in pairs for pid in pair))
    _check_places(len(places), limits.matrix_places, "pairs")
    return JSONResponse(await worker.compute.run(_compare, worker, body, base, other, pairs))


def _compare(
    worker: Worker,
    body: CompareRequest,
    base: tuple[str, ...],
    other: tuple[str, ...],
    pairs: list[tuple[str, str]],
) -> dict[str, Any]:
    from ..reports.deltas import od_deltas
    from ..skims.matrix import matrix

    places = list(dict.fromkeys(pid for pair in pairs for pid in pair))
    sides = []
    for names in (base, other):
        net = worker.network_under(names)
        frame = matrix(
            net,
            places,
            depart=body.depart,
            cargo=body.cargo,
            sort=body.sort,
            samples=body.samples,
            seed=body.seed,
            include_planned=body.include_planned,
            workers=0,
        )
        sides.append((net, frame))
    deltas = od_deltas(
        sides[0][1], sides[1][1], networks=[sides[0][0].network, sides[1][0].network]
    )
    wanted = set(pairs)
    keep = [(o, d) in wanted for o, d in zip(deltas["origin"], deltas["destination"], strict=True)]
    chosen = deltas[keep]
    order = {pair: i for i, pair in enumerate(pairs)}
    rows = sorted(_records(chosen), key=lambda r: order[(r["origin"], r["destination"])])
    return {
        "schema": "silkway.scenario-compare/1",
        "base": body.base,
        "other": body.other,
        "columns": [str(c) for c in chosen.columns],
        "pairs": rows,
        "complete": all(bool(f.attrs.get("complete", True)) for _, f in sides),
    }
