"""``plan --train``: the train type of the rail legs, echoed, explained and checked."""

from __future__ import annotations

import json
from typing import Any

import pytest
from _cli_util import DEPART, TINY, run


def plan_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, err = run(capsys, "plan", *args, "--depart", DEPART, "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert isinstance(doc, dict)
    return doc


def _border_hours(option: dict[str, Any], entering: str) -> float:
    return sum(
        w["hours"]
        for leg in option["legs"]
        for w in leg["waits"]
        if w["code"] == "border.dwell" and w["where"] == entering
    )


def test_default_is_the_express_train(capsys: pytest.CaptureFixture[str]) -> None:
    assert plan_json(capsys, "A", "E", "-n", TINY)["query"]["train"] == "express"


def test_express_clears_the_china_kazakhstan_border_faster(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # both through Khorgos-Altynkol, so the same crossing's dwell is compared
    args = ("Urumqi", "Almaty", "--mode", "rail", "--via", "KZ_ALT", "--no-uncertainty", "-k", "1")
    block = plan_json(capsys, *args, "--train", "block")
    express = plan_json(capsys, *args, "--train", "express")
    assert express["query"]["train"] == "express"
    (b,), (e,) = block["options"], express["options"]
    assert 0 < _border_hours(e, "KZ_ALT") < _border_hours(b, "KZ_ALT")
    assert e["total_hours"]["p50"] < b["total_hours"]["p50"]


def test_wagonload_is_slower_and_dearer(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("Almaty", "Tashkent", "--mode", "rail", "--no-uncertainty", "-k", "1")
    (b,) = plan_json(capsys, *args)["options"]
    (w,) = plan_json(capsys, *args, "--train", "wagonload")["options"]
    assert w["total_hours"]["p50"] > b["total_hours"]["p50"] and w["cost_usd"] > b["cost_usd"]


def test_the_table_headline_names_a_train_type_other_than_block(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys, "plan", "A", "E", "-n", TINY, "--depart", DEPART, "--train", "wagonload"
    )
    assert code == 0, err
    assert "wagonload trains" in " ".join(out.split())


def test_an_unknown_train_type_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plan", "A", "E", "-n", TINY, "--train", "rocket")
    assert code == 2
    assert "--train" in err and "express" in err and "wagonload" in err
    assert "Traceback" not in out + err


def test_help_explains_the_train_types(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plan", "--help")
    assert code == 0
    flat = " ".join(out.replace("│", " ").split())
    assert "--train" in flat
    for words in (
        "scheduled China-Europe express container train",
        "without that priority",
        "wagonload",
    ):
        assert words in flat
