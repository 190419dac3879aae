"""``silkway scenario list|show`` and ``--scenario`` on every command that takes
``--network``: output, composition, the cache, and every error (exit 2, the file, line
and patch named, no traceback)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from _cli_util import DEPART, TINY, assert_clean_error, run, run_script

from silkway.cli._cache import cache_key, load_compiled
from silkway.scenarios import load_scenario

CORRIDOR = str(Path(TINY).parent / "tiny_corridor")
HALVE = """\
title: Halve the Bravo-Charlie border
rationale: A test.
patches:
  - scale: {kind: crossing, id: xBC}
    by: {median_hours: 0.5, p90_hours: 0.5}
    reason: test
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def plan_json(capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    code, out, err = run(
        capsys,
        "plan", "A", "C", "--network", TINY, "--mode", "rail", "--depart", DEPART,
        "--no-uncertainty", "--format", "json", *extra,
    )  # fmt: skip
    assert code == 0, err
    return json.loads(out)


# --------------------------------------------------------------------------- list / show


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scenario", "list")
    assert code == 0
    for name in ("baseline", "cku-open", "no-russia-transit", "caspian-ferries-doubled",
                 "digital-borders", "red-sea-closed"):  # fmt: skip
        assert name in out
    assert "Border dwell halved" in out
    code, out, _ = run(capsys, "scenario", "list", "--format", "json")
    doc = json.loads(out)
    assert doc["schema"] == "silkway.scenarios/1"
    assert doc["scenarios"][0]["name"] == "baseline"
    assert all(s["rationale"] for s in doc["scenarios"])


def test_show_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scenario", "show", "digital-borders")
    assert code == 0
    assert "1. scale {kind: crossing, mode: road} by median_hours x0.5" in out
    assert "crossing X_R_KHG_ALT_CN_KHG: median_hours 87.4 → 43.7" in out
    assert "scenario.digital-borders.p2.der_dwell_rail_cn_kz_horgos" in out
    assert "unece2011_ecmr (sourced)" in out


def test_show_json_on_a_network_and_overlay(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, HALVE)
    code, out, _ = run(
        capsys, "scenario", "show", path, "-n", TINY, "--overlay", CORRIDOR, "-f", "json"
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["schema"] == "silkway.scenario/1" and doc["name"] == "s"
    (patch,) = doc["patches"]
    assert patch["matched"] == ["xBC"] and patch["line"] == 4
    assert patch["changes"][0] == {
        "kind": "crossing", "id": "xBC", "field": "median_hours", "old": 10.0, "new": 5.0,
        "source": "scenario.s.p1.t_src",
    }  # fmt: skip
    assert doc["sources"]["scenario.s.p1.t_src"]["derived_from"] == ["t_src"]


def test_show_after_other_scenarios(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, HALVE)
    code, out, _ = run(capsys, "scenario", "show", path, "-n", TINY, "--scenario", path)
    assert code == 0
    assert "applied over: s" in out
    assert "median_hours 5 → 2.5" in out


# --------------------------------------------------------------------------- --scenario


def test_plan_with_scenarios_in_order(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    halve = write(tmp_path, HALVE, "halve.yaml")
    fix = write(
        tmp_path,
        """\
        title: Set it
        patches:
          - set: {kind: crossing, id: xBC}
            to: {median_hours: 1, p90_hours: 2}
            reason: test
        """,
        "fix.yaml",
    )
    base = plan_json(capsys)
    halved = plan_json(capsys, "--scenario", halve)
    ab = plan_json(capsys, "--scenario", halve, "--scenario", fix)
    ba = plan_json(capsys, "--scenario", fix, "--scenario", halve)
    assert base["network"]["scenarios"] == []
    assert ab["network"]["scenarios"] == ["halve", "fix"]
    assert ba["network"]["scenarios"] == ["fix", "halve"]

    def hours(doc: dict) -> float:
        return float(doc["options"][0]["total_hours"]["median_basis"])

    assert base["options"][0]["route"] == ["A", "B", "C"]  # through xBC, 10 h median
    assert hours(base) - hours(halved) == pytest.approx(5.0)
    assert hours(ab) - hours(ba) == pytest.approx(0.5)  # 1 h, or 0.5 h, at xBC
    assert "scenario.halve.p1.t_src" in halved["sources"]
    assert halved["sources"]["scenario.halve.p1.t_src"]["kind"] == "estimate"  # a reason only


def test_plan_table_names_the_scenario(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, HALVE, "halve.yaml")
    code, out, _ = run(
        capsys, "plan", "A", "E", "-n", TINY, "--depart", DEPART, "--scenario", path, "-x"
    )
    assert code == 0
    assert "scenario halve" in out.splitlines()[0]
    assert "scenario.halve.p1.t_src" in out


def test_info_validate_places(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    halve = write(tmp_path, HALVE, "halve.yaml")
    close = write(
        tmp_path,
        """\
        title: Close Foxtrot
        patches:
          - close: {kind: place, id: F}
            reason: test
        """,
        "close.yaml",
    )
    code, out, err = run(capsys, "info", "-n", TINY, "--scenario", close, "--json")
    assert code == 0
    assert json.loads(out)["scenarios"] == ["close"]
    assert json.loads(out)["scenario_numbers"] == {"close": 0}  # it closes, changes no number
    code, out, _ = run(capsys, "info", "-n", TINY, "--scenario", close, "--scenario", halve)
    assert "scenarios applied: close (0 numbers changed), halve (2 numbers changed)" in out
    assert "warning: " in err and "place F has no links" in err
    code, out, _ = run(capsys, "validate", TINY, "--scenario", close, "-f", "json")
    doc = json.loads(out)
    assert code == 0 and doc["valid"] and doc["scenarios"] == ["close"]
    assert [p["code"] for p in doc["problems"]] == ["unreachable-place"]
    code, out, _ = run(capsys, "validate", TINY, "--scenario", close)
    assert code == 0 and "valid, 1 warning: " in out and "+ scenario close" in out
    code, out, _ = run(capsys, "places", "Foxtrot", "-n", TINY, "--scenario", close)
    assert code == 0 and "Foxtrot" in out


def test_every_command_taking_network_takes_scenario() -> None:
    import typer

    from silkway.cli import _register, app

    _register()
    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subs = getattr(command, "commands", {name: command})
        for sub in subs.values():
            opts = {o for p in sub.params for o in p.opts}
            if "--network" in opts:
                assert "--scenario" in opts, f"{name} {sub.name} lacks --scenario"


def test_cache_key_follows_the_scenario_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SILKWAY_CACHE_DIR", str(tmp_path / "cache"))
    path = Path(write(tmp_path, HALVE))
    first = load_scenario(path)
    net1, hit1 = load_compiled(Path(TINY), [], [first])
    _, hit2 = load_compiled(Path(TINY), [], [first])
    assert (hit1, hit2) == (False, True)
    assert cache_key(Path(TINY), [], [first]) != cache_key(Path(TINY), [])
    path.write_text(HALVE.replace("0.5", "0.25"), encoding="utf-8")
    second = load_scenario(path)
    assert cache_key(Path(TINY), [], [second]) != cache_key(Path(TINY), [], [first])
    net2, hit3 = load_compiled(Path(TINY), [], [second])
    assert not hit3
    assert net2.network.crossings["xBC"].dwell.median_hours == 2.5
    assert net1.network.crossings["xBC"].dwell.median_hours == 5


# --------------------------------------------------------------------------- errors

ERRORS = [
    (  # unknown selector key
        "patches:\n  - scale: {kind: crossing, sea: Caspian}\n    by: {cost_usd: 2}\n"
        "    reason: x\n",
        2, "patch 1 (scale)", "unknown selector key 'sea' for a crossing",
    ),
    (  # selector matching nothing
        "patches:\n  - close: {kind: link, mode: pipeline}\n    reason: x\n",
        2, "patch 1 (close)", "matches no link",
    ),
    (  # unknown id
        "patches:\n  - close: {kind: link, id: [AB, ZZ]}\n    reason: x\n",
        2, "patch 1 (close)", "unknown link id 'ZZ'",
    ),
    (  # patch that breaks the network
        "patches:\n  - close: {kind: link, id: AB}\n    reason: x\n"
        "  - set: {kind: crossing, id: xBC}\n    to: {p90_hours: 1}\n    reason: y\n",
        4, "patch 2 (set)", "leaves the network invalid",
    ),
    (  # negative value
        "patches:\n  - set: {kind: crossing, id: xBC}\n    to: {cost_usd: -5}\n    reason: x\n",
        3, "patch 1 (set)", "cost_usd: -5 is negative",
    ),
    (  # non-numeric value
        "patches:\n  - scale: {kind: crossing, id: xBC}\n    by: {cost_usd: lots}\n"
        "    reason: x\n",
        3, "patch 1 (scale)", "cost_usd: 'lots' is not a number",
    ),
    (  # unknown field
        "patches:\n  - scale: {kind: crossing, id: xBC}\n    by: {dwell: 2}\n    reason: x\n",
        3, "patch 1 (scale)", "unknown field 'dwell' for a crossing",
    ),
    (  # no source or reason
        "patches:\n  - close: {kind: link, id: AB}\n",
        2, "patch 1 (close)", "needs a 'source'",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "patch", "reason"), ERRORS)
def test_errors(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    text: str,
    line: int,
    patch: str,
    reason: str,
) -> None:
    path = write(tmp_path, "title: bad\n" + text, "bad.yaml")
    for args in (
        ["plan", "A", "E", "-n", TINY, "--depart", DEPART, "--no-uncertainty"],
        ["validate", TINY],
        ["info", "-n", TINY],
        ["places", "-n", TINY],
        ["scenario", "show", path, "-n", TINY],
    ):
        if args[0] != "scenario":
            args = [*args, "--scenario", path]
        code, out, err = run(capsys, *args)
        assert code == 2, (args, out, err)
        assert_clean_error(err, out)
        assert f"scenario {path}:{line + 1}: {patch}: " in err, err
        assert reason in err


def test_unknown_bundled_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plan", "A", "E", "-n", TINY, "--scenario", "cku-opn")
    assert code == 2
    assert_clean_error(err, out)
    assert "no bundled scenario is called 'cku-opn'" in err and "cku-open" in err


def test_console_script_error_has_no_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "title: bad\n" + ERRORS[0][0], "bad.yaml")
    done = run_script("validate", TINY, "--scenario", path)
    assert done.returncode == 2
    assert_clean_error(done.stderr, done.stdout)
    assert f"{path}:3: patch 1 (scale): unknown selector key 'sea'" in done.stderr
