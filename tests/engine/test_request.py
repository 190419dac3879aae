"""``PlanRequest`` and ``run``: the one schema of ``silkway plan`` and ``POST /plan``.

Every option of the command has its field (and no field lacks an option); the field's
bounds are the command's; and ``run`` plans exactly what :func:`silkway.plan` plans with
the same options spelled as keywords."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

import pytest
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from silkway import compile_network, plan
from silkway.cli import _register, app
from silkway.engine.request import PlanRequest, run
from silkway.model.records import Network

OUTPUT_ONLY = {"explain", "fmt", "output", "network", "overlay"}
"""Options of the command that choose how or where it prints, or which network."""
RENAMED = {"avoid_country": "avoid_countries", "avoid_place": "avoid_places", "mode": "modes"}
NEGATED = {"no_uncertainty": "uncertainty"}


def _command() -> Any:
    _register()
    return typer.main.get_command(app).commands["plan"]  # type: ignore[attr-defined]


def test_every_option_of_the_command_is_a_field() -> None:
    params = {p.name for p in _command().params if p.name not in OUTPUT_ONLY}
    as_fields = {RENAMED.get(n, NEGATED.get(n, n)) for n in params if n}
    assert as_fields == {f.name for f in dataclasses.fields(PlanRequest)}


def test_the_bounds_are_the_commands() -> None:
    schema = TypeAdapter(PlanRequest).json_schema()["properties"]
    checked = 0
    for p in _command().params:
        prop = schema.get(p.name)
        if prop is None:
            continue
        prop = next((s for s in prop.get("anyOf", [prop]) if "type" in s or "enum" in s), prop)
        if p.min is not None:
            assert prop["minimum"] == p.min, p.name
            checked += 1
        if p.max is not None:
            assert prop["maximum"] == p.max, p.name
            checked += 1
        choices = p.type_descriptor.annotation
        if isinstance(choices, type) and issubclass(choices, Enum):
            assert set(prop["enum"]) == {c.value for c in choices}, p.name
            checked += 1
    assert checked >= 10


def test_defaults_are_the_commands() -> None:
    defaults = {f.name: f.default for f in dataclasses.fields(PlanRequest)}
    for p in _command().params:
        name = RENAMED.get(p.name or "", p.name)
        if name in defaults and p.default is not None and not p.multiple:
            default = getattr(p.default, "value", p.default)
            assert defaults[name] == default, name
    assert defaults["uncertainty"] is True  # --no-uncertainty is off by default


@settings(max_examples=25, deadline=None)
@given(
    sort=st.sampled_from(["time", "cost", "co2"]),
    options=st.integers(1, 4),
    all_options=st.booleans(),
    samples=st.integers(1, 60),
    seed=st.integers(0, 2**31),
    uncertainty=st.booleans(),
    modes=st.sampled_from([None, ("rail",), ("rail", "road", "ferry")]),
    train=st.sampled_from(["express", "block", "wagonload"]),
    crew=st.integers(1, 2),
    max_transshipments=st.sampled_from([None, 0, 1, 3]),
)
def test_run_plans_what_plan_plans(tiny_network: Network, **options: Any) -> None:
    net = compile_network(tiny_network)
    request = PlanRequest(origin="A", destination="E", depart="2026-12-07", **options)
    keywords = dict(options)
    keywords["max_options"] = keywords.pop("options")
    outcomes = []
    for call in (
        lambda: run(request, net),
        lambda: plan(net, "A", "E", depart="2026-12-07", time_limit=10.0, **keywords),
    ):
        try:
            doc = call().to_dict()
            doc.pop("stats")
            outcomes.append(doc)
        except ValueError as exc:
            outcomes.append(f"{type(exc).__name__}: {exc}")
    assert outcomes[0] == outcomes[1]


def test_time_limit_zero_means_no_limit(tiny_network: Network) -> None:
    net = compile_network(tiny_network)
    result = run(PlanRequest(origin="A", destination="E", time_limit=0), net)
    assert result.query["time_limit"] is None


@pytest.mark.parametrize("field", ["origin", "via"])
def test_the_schema_forbids_empty_places(field: str) -> None:
    body: dict[str, Any] = {"origin": "A", "destination": "E"}
    body[field] = "" if field == "origin" else [""]
    with pytest.raises(ValueError, match=field):
        TypeAdapter(PlanRequest).validate_python(body)


def test_the_choices_are_the_models() -> None:
    """The literal choices of the schema are the record vocabularies, so they cannot
    drift apart."""
    from silkway.model.records import ADVISORY_SEVERITIES, CARGO_CLASSES, MODES, TRAIN_TYPES

    schema = TypeAdapter(PlanRequest).json_schema()["properties"]

    def choices(name: str) -> set[str]:
        prop = schema[name]
        for part in [prop, *prop.get("anyOf", [])]:
            if "enum" in part:
                return set(part["enum"])
            if "items" in part:
                return set(part["items"]["enum"])
        raise AssertionError(name)

    assert choices("cargo_class") == set(CARGO_CLASSES)
    assert choices("modes") == set(MODES)
    assert choices("train") == set(TRAIN_TYPES)
    assert choices("avoid_advisory") == set(ADVISORY_SEVERITIES)
