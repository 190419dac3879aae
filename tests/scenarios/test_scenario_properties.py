"""Properties: scaling by k then by 1/k restores every number, and applying a scenario
never changes its input (``silkway.scenarios.apply`` is pure)."""

from __future__ import annotations

import copy
import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from silkway.model.records import Network
from silkway.scenarios import Scenario, apply, apply_all
from silkway.scenarios.format import parse_scenario
from silkway.scenarios.select import KEYS

_FIELDS = {
    "crossing": ("median_hours", "p90_hours", "cost_usd"),
    "link": ("km", "cost_per_km_usd"),
    "transfer": ("median_hours", "p90_hours", "cost_usd"),
}
_counter = itertools.count()


def _scenario(text: str) -> Scenario:
    n = next(_counter)
    return parse_scenario(
        text.encode(), file=f"prop{n}.yaml", path=str(Path(f"prop{n}.yaml")), default_name=f"p{n}"
    )


def _scale(kind: str, fields: tuple[str, ...], k: float) -> str:
    by = ", ".join(f"{f}: {k!r}" for f in fields)
    return f"  - scale: {{kind: {kind}}}\n    by: {{{by}}}\n    reason: property\n"


factors = st.floats(min_value=0.25, max_value=4.0, allow_nan=False, allow_infinity=False)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kind=st.sampled_from(sorted(_FIELDS)), k=factors)
def test_scale_then_unscale_restores(corridor: Network, kind: str, k: float) -> None:
    fields = _FIELDS[kind]
    there = _scenario("title: there\npatches:\n" + _scale(kind, fields, k))
    back = _scenario("title: back\npatches:\n" + _scale(kind, fields, 1.0 / k))
    try:
        out = apply_all(corridor, [there, back])
    except ValueError:
        # a factor below 1 on km can break the great-circle rule: then it must be
        # the first scenario that fails, never the way back
        assert kind == "link" and k < 1
        return
    from silkway.scenarios.fields import get

    table = {"crossing": "crossings", "link": "links", "transfer": "transfers"}[kind]
    for item_id, rec in getattr(corridor, table).items():
        new = getattr(out, table)[item_id]
        for f in fields:
            a, b = get(kind, rec, f), get(kind, new, f)
            assert a is not None and b is not None
            assert abs(a - b) <= 1e-9 * max(1.0, abs(a))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    action=st.sampled_from(["close", "scale", "set", "include"]),
    kind=st.sampled_from(["link", "crossing", "service", "place"]),
    k=factors,
)
def test_apply_is_pure(corridor: Network, action: str, kind: str, k: float) -> None:
    before = copy.deepcopy(corridor)
    word = "by" if action == "scale" else "to"
    if action == "close":
        patch = f"  - close: {{kind: {kind}}}\n"
    elif action == "include":
        patch = "  - include: {kind: link, status: planned}\n"
    else:
        selector, field = {
            "service": ("{kind: service, has: capacity_teu}", "capacity_teu"),
            "place": ("{kind: parameter, id: teu_per_feu}", "value"),  # places have none
            "crossing": ("{kind: crossing}", "cost_usd"),
            "link": ("{kind: link}", "cost_per_km_usd"),
        }[kind]
        patch = f"  - {action}: {selector}\n    {word}: {{{field}: {k!r}}}\n"
    patch += "    reason: property\n"
    scenario = _scenario("title: pure\npatches:\n" + patch)
    try:
        out = apply(corridor, scenario)
    except ValueError:
        out = None
    assert corridor == before
    for table in ("links", "crossings", "services", "sources", "weather", "parameters"):
        assert getattr(corridor, table) == getattr(before, table)
    if out is not None:
        assert out is not corridor and out.scenarios == (*corridor.scenarios, scenario.name)


def test_keys_documented() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "scenarios.md").read_text("utf-8")
    for kind, keys in KEYS.items():
        assert f"`{kind}`" in doc
        for key in keys:
            assert f"`{key}`" in doc, f"docs/scenarios.md does not document {kind}.{key}"
