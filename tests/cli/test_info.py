"""``silkway info``: provenance weighted by influence (``provenance`` in the JSON, two
lines in the table)."""

from __future__ import annotations

import json

import pytest
from _cli_util import TINY, run

import silkway

KINDS = {"sourced", "derived", "estimate"}


def test_tiny_network_has_no_long_haul_relations(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "info", "-n", TINY, "-f", "json")
    assert code == 0
    prov = json.loads(out)["provenance"]
    assert prov["influence_share"] is None and prov["influence_share_hours"] is None
    assert prov["influence_basis"]["relations"] == 0
    assert prov["influence_top_estimates"] == []
    code, out, _ = run(capsys, "info", "-n", TINY)
    assert code == 0 and "none of the long-haul relations" in out


def test_bundled_network(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "info", "-f", "json")
    assert code == 0
    prov = json.loads(out)["provenance"]
    for key in ("influence_share", "influence_share_hours", "influence_share_cost"):
        assert set(prov[key]) == KINDS
        assert sum(prov[key].values()) == pytest.approx(1.0, abs=2e-4)  # rounded to 4 places
    for k in KINDS:  # the combined share is the mean of the two
        mean = (prov["influence_share_hours"][k] + prov["influence_share_cost"][k]) / 2
        assert prov["influence_share"][k] == pytest.approx(mean, abs=1e-4)
    # the derived share built on estimates is part of the derived share
    assert 0 <= prov["influence_derived_on_estimates"] <= prov["influence_share"]["derived"]
    basis = prov["influence_basis"]
    assert basis["relations"] == 90 and basis["options"] >= 90
    sources = silkway.load_network().sources
    top = prov["influence_top_estimates"]
    assert 0 < len(top) <= 10
    assert all(sources[t["source"]].kind == "estimate" for t in top if t["source"])
    assert [t["share"] for t in top] == sorted((t["share"] for t in top), reverse=True)
    # the second run reads the cache and says the same
    code, again, _ = run(capsys, "info", "-f", "json")
    assert json.loads(again)["provenance"]["influence_basis"]["cached"] is True
    second = json.loads(again)["provenance"]
    assert second["influence_share"] == prov["influence_share"]
    code, text, _ = run(capsys, "info")
    assert code == 0
    line = next(x for x in text.splitlines() if x.startswith("influence by provenance"))
    assert "90 long-haul relations" in line
    assert f"sourced {100 * prov['influence_share']['sourced']:.0f}%" in line


def test_cache_can_be_turned_off(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SILKWAY_CACHE_DIR", "off")
    code, out, _ = run(capsys, "info", "-f", "json")
    assert code == 0
    assert json.loads(out)["provenance"]["influence_basis"]["cached"] is False
