"""The recovery test: calibration on simulated logs recovers the distributions that
generated them.

A scenario doubles the dwell of one crossing (Bravo-Charlie, B -> C: median 10 -> 20 h,
P90 30 -> 60 h) and halves the wait of the Delta-Echo ferry (48/120 -> 24/60 h) of the
tiny network. ``silkway monitor simulate --scenario`` draws a log from that network (with
missing events, duplicates and bad rows), ``silkway monitor ingest`` stores it, and ``silkway
monitor calibrate``, run against the *unchanged* tiny network, must give back the
scenario's values for the changed items and the network's own for the rest.

**Tolerance.** Each fitted median and P90 is within four asymptotic standard errors of a
sample quantile of its lognormal, ``sqrt(q (1 - q) / n) * sigma / phi(z_q)`` relative
(about 1 in 16,000 to miss, per number, for a fresh seed), plus 0.1 h for the rounding to
0.1 h and the border link's ride, which the fit takes off at its median.
"""

from __future__ import annotations

import math
from pathlib import Path
from statistics import NormalDist

import pandas as pd
import pytest

from silkway.cli import main
from silkway.model import load_network
from silkway.model.records import Dwell
from silkway.monitor import indicators
from silkway.monitor.observed import crossing_times, read_events
from silkway.monitor.store import open_store
from silkway.scenarios.format import load_scenario
from silkway.scenarios.patching import apply

SCENARIO = """\
title: Bravo-Charlie twice as slow, the Delta-Echo ferry twice as frequent
patches:
  - scale: {kind: crossing, id: xBC}
    by: {median_hours: 2, p90_hours: 2}
    reason: recovery test
  - scale: {kind: service, id: ferry_DE}
    by: {median_wait_hours: 0.5, p90_wait_hours: 0.5}
    reason: recovery test
"""
Z90 = NormalDist().inv_cdf(0.9)


def tolerance(true: Dwell, q: float, n: int) -> float:
    sigma = math.log(true.p90_hours / true.median_hours) / Z90
    value = true.median_hours if q == 0.5 else true.p90_hours
    se = math.sqrt(q * (1 - q) / n) * sigma / NormalDist().pdf(NormalDist().inv_cdf(q))
    return 4 * se * value + 0.1


def test_calibration_recovers_the_generating_distributions(
    tiny_path: Path, tmp_path: Path, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "slow.yaml").write_text(SCENARIO, encoding="utf-8")
    base = load_network(tiny_path)
    generating = apply(base, load_scenario(tmp_path / "slow.yaml"))
    assert generating.crossings["xBC"].dwell == Dwell(20.0, 60.0)
    log, store, out = tmp_path / "log.csv", store_url, tmp_path / "calibrated"
    network = ["--network", str(tiny_path)]
    simulated = [
        *("monitor", "simulate", "--out", str(log), "--shipments", "3000", "--seed", "11"),
        *("--start", "2026-01", "--months", "6", "--missing", "0.01", "--duplicates", "0.005"),
        *("--bad-rows", "0.001", *network, "--scenario", str(tmp_path / "slow.yaml")),
    ]
    assert main(simulated) == 0
    assert main(["monitor", "ingest", str(log), "--store", store, *network]) == 0
    assert main(["monitor", "calibrate", "--store", store, "--out", str(out), *network]) == 0
    printed = capsys.readouterr().out
    assert "calibrated" in printed and "Wrote the overlay" in printed

    table = pd.read_csv(out / "calibration.csv", keep_default_na=False)
    whole = table[table["month"] == ""].set_index("id")
    truth = {c.id: c.dwell for c in generating.crossings.values()}
    truth |= {s.id: s.wait for s in generating.services.values() if s.wait is not None}
    assert {"xBC", "ferry_DE"} <= set(whole.index)
    for item, row in whole.iterrows():
        true = truth[str(item)]
        assert row["status"] == "calibrated", item
        n = int(row["n"])
        assert n >= 100, item
        assert abs(row["new_median_hours"] - true.median_hours) <= tolerance(true, 0.5, n), item
        assert abs(row["new_p90_hours"] - true.p90_hours) <= tolerance(true, 0.9, n), item

    # the overlay, laid over the unchanged network, brings back the generating values
    calibrated = load_network(tiny_path, overlays=[out])
    got = calibrated.crossings["xBC"].dwell
    assert abs(got.median_hours - 20.0) <= tolerance(
        Dwell(20.0, 60.0), 0.5, int(whole.loc["xBC", "n"])
    )
    assert main(["validate", str(tiny_path), "--overlay", str(out)]) == 0

    # the passages behind the fit are TFI1's: same count and median per crossing
    with open_store(store_url) as opened:
        events = read_events(opened)
        tfi1 = indicators.tfi1(opened, by_month=False).set_index("crossing_id")
    passages = crossing_times(base, events).groupby("item_id")["passage_hours"]
    assert passages.size().to_dict() == tfi1["n"].astype(int).to_dict()
    for crossing, median in passages.median().items():
        assert median == pytest.approx(tfi1.loc[crossing, "median_hours"], abs=1e-6)
