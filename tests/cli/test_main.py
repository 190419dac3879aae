"""The command line: exit statuses, output formats, and no tracebacks for bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from silkway.cli import main

TINY = str(Path(__file__).resolve().parents[1] / "data" / "tiny")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_plan_table_lists_options_and_regimes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "plan",
        "Alpha",
        "Echo",
        "--network",
        TINY,
        "--depart",
        "2026-12-07",
        "--cargo",
        "2xFEU",
    )
    assert code == 0
    assert "Alpha → Echo" in out
    assert "Pareto-optimal" in out
    assert "SMGS" in out  # the rail option's border regime


def test_plan_explain_shows_waits_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "plan",
        "A",
        "E",
        "--network",
        TINY,
        "--depart",
        "2026-12-07",
        "--explain",
        "--mode",
        "rail",
        "--mode",
        "ferry",
    )
    assert code == 0
    assert "sails when full" in out
    assert "gauge change at Charlie" in out
    assert "Sources" in out and "t_src" in out


def test_plan_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "plan",
        "A",
        "E",
        "--network",
        TINY,
        "--depart",
        "2026-12-07",
        "--format",
        "json",
        "--seed",
        "3",
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["schema"] == "silkway.plan/1"
    opt = doc["options"][0]
    assert set(opt["total_hours"]) >= {"p50", "p90"}
    assert set(opt["co2e_kg"]) == {"wtw", "ttw"}
    leg = opt["legs"][0]
    for key in (
        "from",
        "to",
        "mode",
        "km",
        "hours",
        "wait_hours",
        "wait_reason",
        "cost_usd",
        "co2e_kg",
        "sources",
    ):
        assert key in leg


def test_plan_geojson_to_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "routes.geojson"
    code, _, _ = run(
        capsys, "plan", "A", "E", "--network", TINY, "--format", "geojson", "--output", str(target)
    )
    assert code == 0
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert all(f["geometry"]["type"] == "LineString" for f in doc["features"])


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("plan", "Atlantis", "E"), "unknown place 'Atlantis'"),
        (("plan", "Alpah", "E"), "Alpha (A)"),  # a typo gets a suggestion
        (("plan", "A", "E", "--depart", "next tuesday"), "cannot read departure"),
        (("plan", "A", "E", "--cargo", "2 boxes"), "cannot read cargo"),
        (("plan", "A", "E", "--mode", "teleport"), "unknown mode 'teleport'"),
        (("plan", "A", "E", "--cargo", "20t:liquid_bulk"), "no route from"),
        (("plan", "A", "E", "--avoid-country", "AZ"), "is itself avoided"),
    ],
)
def test_bad_queries_exit_2_with_message(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], needle: str
) -> None:
    code, out, err = run(capsys, *args, "--network", TINY)
    assert code == 2
    assert needle in err
    assert "Traceback" not in err + out


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "plan", "A")
    assert code == 2
    assert "Missing argument" in err


def test_validate_ok_and_bad(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", TINY)
    assert code == 0 and "valid" in out
    bad = tmp_path / "bad"
    shutil.copytree(TINY, bad)
    links = bad / "links.csv"
    links.write_text(
        links.read_text(encoding="utf-8").replace(",200,50,", ",-5,50,"), encoding="utf-8"
    )
    code, out, _ = run(capsys, "validate", str(bad), "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["valid"] is False
    problem = doc["problems"][0]
    assert (problem["file"], problem["line"], problem["field"]) == ("links.csv", 2, "km")


def test_bad_network_on_plan_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad"
    shutil.copytree(TINY, bad)
    (bad / "places.csv").write_bytes(b"\xff\xfe not utf-8")
    code, out, err = run(capsys, "plan", "A", "E", "--network", str(bad))
    assert code == 2
    assert "places.csv" in err and "UTF-8" in err
    assert "Traceback" not in err + out


def test_places_search_any_language(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "places", "Альфа", "--network", TINY, "--format", "json")
    assert code == 0
    ids = [p["id"] for p in json.loads(out)["places"]]
    assert ids[0] == "A"


def test_info_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "info", "--network", TINY, "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["counts"]["places"] == 6
    assert doc["planned_links"] == ["FD"]


def test_console_script_no_traceback() -> None:
    """The installed entry point, as a user runs it: a clean message and exit 2."""
    exe = shutil.which("silkway")
    cmd = [exe] if exe else [sys.executable, "-m", "silkway"]
    env = {k: v for k, v in os.environ.items() if k != "SILKWAY_DEBUG"}
    proc = subprocess.run(
        [*cmd, "plan", "Nowhere", "E", "--network", TINY],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert "unknown place" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("command", ["plan", "places", "validate", "info"])
def test_help_exits_0_and_shows_defaults(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert "Usage" in out
    if command == "plan":
        assert "Default:" in out and "today" in out  # not swallowed as rich markup
        assert "--avoid-country" in out
