"""``plan --via/--all/--as-of/--time-limit`` and the result fields they bring."""

from __future__ import annotations

import inspect
import json
from dataclasses import replace
from typing import Any

import pytest
from _cli_util import DEPART, TINY, run

import silkway.engine.planner as planner
from silkway.cli.plan import DEFAULT_TIME_LIMIT
from silkway.results import PlanResult

KWARGS = inspect.signature(planner.plan).parameters


def needs(kwarg: str) -> pytest.MarkDecorator:
    """Skip until the engine takes ``kwarg`` (it was added alongside these flags)."""
    return pytest.mark.skipif(
        kwarg not in KWARGS, reason=f"silkway.plan() has no {kwarg!r} keyword yet"
    )


def plan_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, err = run(capsys, "plan", *args, "-n", TINY, "--depart", DEPART, "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert isinstance(doc, dict)
    return doc


def plan_table(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run(capsys, "plan", *args, "-n", TINY, "--depart", DEPART)
    assert code == 0, err
    return " ".join(out.split())


# --------------------------------------------------------------------------- --via


@needs("via")
def test_via(capsys: pytest.CaptureFixture[str]) -> None:
    doc = plan_json(capsys, "A", "E", "--via", "Foxtrot")
    assert doc["query"]["via"] == ["F"]
    assert doc["options"] and all("F" in o["route"] for o in doc["options"])
    assert "via Foxtrot" in plan_table(capsys, "A", "E", "--via", "F")


@needs("via")
def test_via_repeatable(capsys: pytest.CaptureFixture[str]) -> None:
    doc = plan_json(capsys, "A", "E", "--via", "B", "--via", "C")
    assert doc["query"]["via"] == ["B", "C"]
    for o in doc["options"]:
        assert o["route"].index("B") < o["route"].index("C")


@needs("via")
def test_via_unknown_place_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plan", "A", "E", "-n", TINY, "--via", "Atlantis")
    assert code == 2
    assert "unknown place 'Atlantis'" in err
    assert "Traceback" not in out + err


# --------------------------------------------------------------------------- --all


@needs("all_options")
def test_all_shows_the_whole_pareto_set(capsys: pytest.CaptureFixture[str]) -> None:
    doc = plan_json(capsys, "A", "E", "--all", "-k", "1")  # -k is ignored
    assert doc["query"]["all_options"] is True
    assert len(doc["options"]) == doc["pareto_size"] >= 2
    text = plan_table(capsys, "A", "E", "--all", "-k", "1")
    assert f"all {doc['pareto_size']} Pareto-optimal routes shown" in text


# --------------------------------------------------------------------------- --as-of


@needs("as_of")
def test_as_of_opens_planned_links(capsys: pytest.CaptureFixture[str]) -> None:
    now = plan_json(capsys, "A", "D")
    assert all(o["planned_links"] == [] for o in now["options"])
    later = plan_json(capsys, "A", "D", "--as-of", "2031")  # FD opens in 2030
    assert later["query"]["as_of"] == 2031
    assert any(o["planned_links"] == ["FD"] for o in later["options"])
    text = plan_table(capsys, "A", "D", "--as-of", "2031")
    assert "network as expected in 2031" in text
    assert "uses planned link FD" in text
    assert "network as expected" not in plan_table(capsys, "A", "D")


@needs("as_of")
@pytest.mark.parametrize("year", ["1800", "3000"])
def test_as_of_out_of_range_exit_2(capsys: pytest.CaptureFixture[str], year: str) -> None:
    code, out, err = run(capsys, "plan", "A", "D", "-n", TINY, "--as-of", year)
    assert code == 2
    assert year in err and "1970" in err
    assert "Traceback" not in out + err


def test_as_of_not_a_year_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "plan", "A", "D", "-n", TINY, "--as-of", "soon")
    assert code == 2
    assert "Invalid value" in err and "--as-of" in err


# --------------------------------------------------------------------------- --time-limit


@needs("time_limit")
def test_default_time_limit_is_the_engines() -> None:
    assert KWARGS["time_limit"].default == DEFAULT_TIME_LIMIT


@needs("time_limit")
def test_time_limit(capsys: pytest.CaptureFixture[str]) -> None:
    assert plan_json(capsys, "A", "E")["query"]["time_limit"] == 10
    assert plan_json(capsys, "A", "E", "--time-limit", "2.5")["query"]["time_limit"] == 2.5
    assert plan_json(capsys, "A", "E", "--time-limit", "0")["query"]["time_limit"] is None


@pytest.mark.parametrize("value", ["-1", "soon"])
def test_bad_time_limit_is_usage_error(capsys: pytest.CaptureFixture[str], value: str) -> None:
    code, _, err = run(capsys, "plan", "A", "E", "-n", TINY, "--time-limit", value)
    assert code == 2
    assert "Invalid value" in err and "--time-limit" in err


# --------------------------------------------------------------------------- result fields


@needs("time_limit")
def test_json_result_fields(capsys: pytest.CaptureFixture[str]) -> None:
    doc = plan_json(capsys, "A", "E")
    assert doc["complete"] is True
    assert set(doc["stats"]) >= {"labels", "seconds", "budget_hit", "deadline_hit"}
    assert doc["warnings"] == []
    assert set(doc["query"]) >= {"via", "as_of", "all_options", "time_limit"}
    for o in doc["options"]:
        assert o["detour_factor"] >= 1.0
        assert o["countries"][0] == "CN" and o["countries"][-1] == "AZ"
        assert o["planned_links"] == []


def _patched_plan(monkeypatch: pytest.MonkeyPatch, **changes: Any) -> None:
    real = planner.plan

    def fake(*args: Any, **kwargs: Any) -> PlanResult:
        return replace(real(*args, **kwargs), **changes)

    monkeypatch.setattr(planner, "plan", fake)


@pytest.mark.parametrize("fmt", ["json", "geojson"])
def test_machine_output_keeps_notes_on_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    _patched_plan(
        monkeypatch,
        complete=False,
        stats={"labels": 99, "seconds": 0.5, "budget_hit": True, "deadline_hit": False},
        warnings=("option 2 doubles back",),
    )
    code, out, err = run(capsys, "plan", "A", "E", "-n", TINY, "-f", fmt)
    assert code == 0
    json.loads(out)  # stdout is clean JSON
    assert err.splitlines() == [
        "incomplete: the search hit its label budget (99 labels, 0.5 s), so this list may be "
        "incomplete: the options shown are real routes, but faster, cheaper or cleaner ones "
        "may be missing; narrow the query (--mode, --avoid-country, --max-transshipments)",
        "warning: option 2 doubles back",
    ]


def test_incomplete_table(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _patched_plan(
        monkeypatch,
        complete=False,
        stats={"labels": 7, "seconds": 10.0, "budget_hit": False, "deadline_hit": True},
    )
    text = plan_table(capsys, "A", "E")
    assert "incomplete: the search hit its time limit" in text
    assert "this list may be incomplete" in text


# --------------------------------------------------------------------------- errors


def test_internal_error_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: Any, **kwargs: Any) -> PlanResult:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(planner, "plan", broken)
    monkeypatch.delenv("SILKWAY_DEBUG", raising=False)
    code, out, err = run(capsys, "plan", "A", "E", "-n", TINY)
    assert code == 1
    assert err.startswith("error: internal error: RuntimeError: kaboom.")
    assert "Traceback" not in out + err
