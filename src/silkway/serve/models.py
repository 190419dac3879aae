"""The API's pydantic models: the documents it answers and the bodies it reads.

:class:`PlanDocument` is the ``silkway.plan/1`` document (``docs/output-schema.md``)
as a model, for the OpenAPI schema and for tests; the plan endpoint answers the
document :meth:`silkway.results.PlanResult.to_json` writes without validating it
again. The plan request is :class:`silkway.engine.request.PlanRequest`, the one schema
the command line shares.
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Any, Literal, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, create_model

from ..engine.request import MAX_TEXT, Mode, PlanRequest, Text

Number = float


class Problem(BaseModel):
    """An RFC 9457 problem (``application/problem+json``)."""

    type: str = Field(description="urn:silkway:problem:<kind>")
    title: str
    status: int
    detail: str
    instance: str
    request_id: str | None = None
    matches: list[str] | None = Field(None, description="Closest names, best first.")
    candidates: list[str] | None = Field(None, description="Places an ambiguous name matches.")
    errors: list[dict[str, str]] | None = Field(
        None, description="Invalid fields: field, location, message, type."
    )


# ----------------------------------------------------------------------------- health


class NetworkInfo(BaseModel):
    name: str
    version: str
    scenarios: list[str] = []


class Health(BaseModel):
    status: Literal["ok"]
    network: NetworkInfo
    silkway: str


# ----------------------------------------------------------------------------- places


class PlaceRow(BaseModel):
    """A place as ``silkway places --format json`` prints it."""

    id: str
    name_en: str
    name_ru: str
    name_zh: str
    name_local: str
    country: str
    kind: str
    locode: str
    lat: float
    lon: float


class Places(BaseModel):
    schema_: Literal["silkway.places/1"] = Field(alias="schema")
    places: list[PlaceRow]


# ----------------------------------------------------------------------------- plan


class QueryPlace(BaseModel):
    id: str
    name: str


class PlanQuery(BaseModel):
    origin: QueryPlace
    destination: QueryPlace
    depart: str
    cargo: str
    cargo_class: str
    sort: str
    via: list[Any]
    avoid_countries: list[str]
    avoid_places: list[str]
    modes: list[str]
    include_planned: bool
    as_of: int | None
    max_transshipments: int | None
    all_options: bool
    uncertainty: bool
    samples: int
    seed: int
    time_limit: float | None
    tolerance: float | None
    avoid_advisory: str | None
    train: str
    crew: int


class Quantiles(BaseModel):
    p50: Number
    p90: Number


class Hours(Quantiles):
    median_basis: Number


class Arrival(BaseModel):
    p50: str
    p90: str


class Co2e(BaseModel):
    wtw: Number
    ttw: Number


class Advisory(BaseModel):
    id: str
    category: str
    severity: str
    text: str
    valid_from: str
    valid_to: str
    matched: list[str]
    sources: list[str]


class Border(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    name: str
    from_: str = Field(alias="from")
    to: str
    from_country: str
    to_country: str
    regimes: list[str]


class Transfer(BaseModel):
    place: str
    kind: str


class Wait(BaseModel):
    code: str
    reason: str
    hours: Number
    where: str
    subject: str
    opening: str
    note: str
    closure: str
    detail: str


class Emissions(BaseModel):
    factor: str
    wtw_g_per_tkm: Number
    ttw_g_per_tkm: Number
    grid_g_per_kwh: Number | None
    grid_mix: dict[str, Number]


class SourceRef(BaseModel):
    parameter: str = Field(description="kind:id.field, e.g. link:KZ_ALT-KZ_ALA.km")
    source: str
    kind: str


class Leg(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    from_name: str
    to_name: str
    mode: str
    link: str
    service: str | None
    gauge_mm: int | None
    km: Number
    hours: Number
    wait_hours: Number
    wait_hours_p50: Number | None
    wait_hours_p90: Number | None
    wait_reason: str
    waits: list[Wait]
    cost_usd: Number
    co2e_kg: Co2e
    emissions: Emissions
    sources: list[SourceRef]


class Option(BaseModel):
    rank: int
    route: list[str]
    route_names: list[str]
    modes: list[str]
    total_hours: Hours
    total_days: Quantiles
    arrival: Arrival
    cost_usd: Number
    co2e_kg: Co2e
    distance_km: Number
    detour_factor: Number
    countries: list[str]
    planned_links: list[str]
    advisories: list[Advisory]
    borders: list[Border]
    gauge_changes: list[str]
    transshipments: int
    transfers: list[Transfer]
    regimes: list[str]
    legs: list[Leg]


class PlanSource(BaseModel):
    title: str
    publisher: str
    url: str
    date: str
    kind: str


class PlanNetwork(BaseModel):
    name: str
    version: str
    scenarios: list[str] = []


class PlanDocument(BaseModel):
    """The ``silkway.plan/1`` document of ``silkway plan --format json``."""

    schema_: Literal["silkway.plan/1"] = Field(alias="schema")
    query: PlanQuery
    network: PlanNetwork
    pareto_size: int
    complete: bool
    stats: dict[str, Any]
    warnings: list[str]
    options: list[Option]
    sources: dict[str, PlanSource]


def plan_query_model() -> type[BaseModel]:
    """:class:`PlanRequest` as a model of query parameters (``GET /plan``): the same
    fields, types, bounds, defaults and descriptions, made from the dataclass."""
    hints = get_type_hints(PlanRequest, include_extras=True)
    described = TypeAdapter(PlanRequest).json_schema()["properties"]
    spec: dict[str, Any] = {
        f.name: (
            hints[f.name],
            Field(
                ... if f.default is MISSING else f.default,
                description=described[f.name].get("description"),
            ),
        )
        for f in fields(PlanRequest)
    }
    model: type[BaseModel] = create_model(
        "PlanQueryParameters", __config__=ConfigDict(extra="forbid"), **spec
    )
    return model


PlanQueryParameters = plan_query_model()


# ----------------------------------------------------------------------------- sources


class SourceRecord(BaseModel):
    id: str
    kind: Literal["sourced", "derived", "estimate"]
    title: str
    publisher: str
    url: str
    date: str
    derived_from: list[str]
    note: str


class Sources(BaseModel):
    sources: list[SourceRecord]


class Provenance(BaseModel):
    parameter: str
    value: str | float | int | bool | list[Any] | None
    source: str
    record: SourceRecord | None


# ----------------------------------------------------------------------------- geojson


class Geometry(BaseModel):
    type: str
    coordinates: list[Any]


class Feature(BaseModel):
    type: Literal["Feature"]
    id: str | None = None
    geometry: Geometry
    properties: dict[str, Any]


class FeatureCollection(BaseModel):
    type: Literal["FeatureCollection"]
    features: list[Feature]


# ----------------------------------------------------------------------------- scenarios


class ScenarioSummary(BaseModel):
    name: str
    title: str
    rationale: str
    patches: int


class ScenarioList(BaseModel):
    schema_: Literal["silkway.scenarios/1"] = Field(alias="schema")
    scenarios: list[ScenarioSummary]


class ScenarioShow(BaseModel):
    """``silkway scenario show --format json`` (``silkway.scenario/1``)."""

    schema_: Literal["silkway.scenario/1"] = Field(alias="schema")
    name: str
    title: str
    rationale: str
    applied_over: list[str]
    patches: list[dict[str, Any]]
    sources: dict[str, dict[str, Any]]
    warnings: list[str]


Sort = Literal["time", "cost", "co2"]


class SkimOptions(BaseModel):
    """Options shared by matrices and comparisons (as ``silkway matrix`` has them)."""

    model_config = ConfigDict(extra="forbid")

    depart: str | None = Field(None, max_length=MAX_TEXT, description="UTC date or time.")
    cargo: Text = "1xFEU"
    sort: Sort = "time"
    samples: int = Field(200, ge=0, le=100_000, description="Monte Carlo draws (0: medians).")
    seed: int = Field(0, ge=0, le=2**63 - 1)
    include_planned: bool = False


class MatrixRequest(SkimOptions):
    places: list[Text] = Field(
        min_length=2, description="Place ids or names; every ordered pair is a row."
    )
    avoid_countries: list[Text] = Field([], max_length=50)
    modes: list[Mode] | None = Field(None, max_length=6)
    scenario: list[Text] = Field([], max_length=10, description="Bundled scenario names.")


class MatrixDocument(BaseModel):
    schema_: Literal["silkway.matrix/1"] = Field(alias="schema")
    columns: list[str]
    rows: list[dict[str, Any]]
    complete: bool
    query: dict[str, Any]


class Pair(BaseModel):
    model_config = ConfigDict(extra="forbid")

    origin: Text
    destination: Text


class CompareRequest(SkimOptions):
    base: Text = Field(description="Bundled scenario of the base side.")
    other: Text = Field(description="Bundled scenario compared with it.")
    pairs: list[Pair] = Field(min_length=1, description="OD pairs to compare.")


class CompareDocument(BaseModel):
    schema_: Literal["silkway.scenario-compare/1"] = Field(alias="schema")
    base: str
    other: str
    columns: list[str]
    pairs: list[dict[str, Any]]
    complete: bool
