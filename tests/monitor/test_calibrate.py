"""Calibration: the fit recovers known lognormals, too-few items keep their values, and
the overlay and scenario outputs load, validate and change only what was fitted."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from silkway.model import load_network, validate_folder
from silkway.model.records import Dwell, Network
from silkway.monitor.calibrate import (
    CalibrationError,
    calibrate,
    calm_months,
    fit_dwell,
    summary_frame,
    write_overlay,
    write_scenario,
)
from silkway.monitor.store import public_url
from silkway.scenarios.format import load_scenario
from silkway.scenarios.patching import apply

Z90 = NormalDist().inv_cdf(0.9)
STORE = "postgresql://analyst:s3cret@db.example:5432/corridor"


def quantile_se(q: float, sigma: float, n: int) -> float:
    """Relative standard error of the sample ``q`` quantile of a lognormal (asymptotic):
    ``sqrt(q (1 - q) / n) / f(x_q)`` with ``f(x_q) = phi(z_q) / (x_q sigma)``."""
    z = NormalDist().inv_cdf(q)
    return math.sqrt(q * (1 - q) / n) * sigma / NormalDist().pdf(z)


def draws(dwell: Dwell, n: int, seed: int) -> np.ndarray:
    sigma = math.log(dwell.p90_hours / dwell.median_hours) / Z90
    rng = np.random.default_rng(seed)
    return dwell.median_hours * np.exp(sigma * rng.standard_normal(n))


@settings(max_examples=60, deadline=None)
@given(
    median=st.floats(0.5, 300.0),
    ratio=st.floats(1.2, 6.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_fit_recovers_a_known_lognormal(median: float, ratio: float, seed: int) -> None:
    # tolerance: 5 asymptotic standard errors of each sample quantile, plus the rounding
    # to 0.1 h (a miss has probability below 1e-6 per quantile)
    n = 4000
    true = Dwell(median, median * ratio)
    sigma = math.log(ratio) / Z90
    fitted = fit_dwell(draws(true, n, seed))
    for got, want, q in (
        (fitted.median_hours, median, 0.5),
        (fitted.p90_hours, true.p90_hours, 0.9),
    ):
        assert abs(got - want) <= 5 * quantile_se(q, sigma, n) * want + 0.05


@given(st.lists(st.floats(0.0, 1e5), min_size=1, max_size=50))
def test_fit_is_the_sample_median_and_p90(values: list[float]) -> None:
    fitted = fit_dwell(values)
    median, p90 = np.quantile(values, (0.5, 0.9))
    assert fitted.median_hours == round(float(median), 1)
    assert fitted.p90_hours == max(round(float(p90), 1), fitted.median_hours)


@pytest.mark.parametrize(
    ("values", "message"),
    [([], "no observed times"), ([1.0, -2.0], "zero or more"), ([1.0, float("nan")], "finite")],
)
def test_fit_rejects_bad_times(values: list[float], message: str) -> None:
    with pytest.raises(CalibrationError, match=message):
        fit_dwell(values)


def test_public_url_drops_the_password_only() -> None:
    assert public_url(STORE) == "postgresql://analyst@db.example:5432/corridor"
    assert public_url("postgresql://analyst@host/db") == "postgresql://analyst@host/db"
    assert public_url("/data/monitor.duckdb") == "/data/monitor.duckdb"


def observations(
    items: dict[tuple[str, str], Dwell | int], *, seed: int = 7, days: float = 181
) -> pd.DataFrame:
    """``n`` lognormal observations per item (a Dwell: 400 of them; an int: that many
    of a fixed 5 h), spread over ``days`` from 1 January 2026."""
    rng = np.random.default_rng(seed)
    frames = []
    for (kind, item), spec in items.items():
        hours = draws(spec, 400, seed) if isinstance(spec, Dwell) else np.full(spec, 5.0)
        start = pd.Timestamp("2026-01-01", tz="UTC")
        when = start + pd.to_timedelta(rng.uniform(0, days, hours.size), unit="D")
        frames.append(
            pd.DataFrame({"kind": kind, "item_id": item, "started_at": when, "hours": hours})
        )
    return pd.concat(frames, ignore_index=True)


@pytest.fixture
def fitted_tiny(tiny_network: Network) -> pd.DataFrame:
    return observations(
        {
            ("crossing", "xBC"): Dwell(20.0, 50.0),
            ("service", "ferry_DE"): Dwell(30.0, 70.0),
            ("crossing", "xCB"): 12,  # too few
            ("crossing", "nowhere"): Dwell(1.0, 2.0),  # not in the network: left out
        }
    )


def test_too_few_observations_keep_the_old_values(
    tiny_network: Network, fitted_tiny: pd.DataFrame
) -> None:
    cal = calibrate(tiny_network, fitted_tiny, min_obs=30, store=STORE)
    whole = {f.item_id: f for f in cal.fits if f.month is None}
    assert set(whole) == {"xBC", "xCB", "ferry_DE"}
    kept = whole["xCB"]
    assert kept.new == tiny_network.crossings["xCB"].dwell
    assert kept.status == "kept: 12 < 30 observations" and not kept.source
    assert {f.item_id for f in cal.changed} == {"xBC", "ferry_DE"}
    table = summary_frame(cal)
    row = table[(table["id"] == "xCB") & (table["month"] == "")].iloc[0]
    assert row["status"].startswith("kept") and row["new_median_hours"] == 5.0
    # with a lower bar, the same 12 observations are used
    assert "xCB" in {f.item_id for f in calibrate(tiny_network, fitted_tiny, min_obs=12).changed}


def test_month_rows_partition_the_period(tiny_network: Network, fitted_tiny: pd.DataFrame) -> None:
    cal = calibrate(tiny_network, fitted_tiny)
    for whole in (f for f in cal.fits if f.month is None):
        months = [f for f in cal.fits if f.item_id == whole.item_id and f.month is not None]
        assert sum(f.n for f in months) == whole.n
        assert {f.month for f in months} <= set(range(1, 13))
        assert all(f.status == "month: summary only" for f in months)


def test_sources_name_the_store_period_and_sample_size(
    tiny_network: Network, fitted_tiny: pd.DataFrame
) -> None:
    period = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    cal = calibrate(tiny_network, fitted_tiny, store=STORE, period=period)
    assert len(cal.sources) == len(cal.changed) == 2
    for fit in cal.changed:
        source = next(s for s in cal.sources if s.id == fit.source)
        assert source.kind == "derived"
        assert f"{fit.n} observed times" in source.note
        assert "2026-01-01 to 2026-06-30" in source.note
        assert "postgresql://analyst@db.example:5432/corridor" in source.note
        assert "s3cret" not in source.note + source.title


@pytest.mark.parametrize(
    ("frame", "min_obs", "message"),
    [
        (pd.DataFrame({"kind": ["crossing"]}), 30, "lack the column"),
        (
            pd.DataFrame(
                {
                    "kind": ["port"],
                    "item_id": ["x"],
                    "started_at": [pd.Timestamp(0, tz="UTC")],
                    "hours": [1.0],
                }
            ),
            30,
            "unknown observation kind",
        ),
        (
            pd.DataFrame(
                {
                    "kind": ["crossing"],
                    "item_id": ["nowhere"],
                    "started_at": [pd.Timestamp(0, tz="UTC")],
                    "hours": [1.0],
                }
            ),
            30,
            "no observed border crossing",
        ),
        (pd.DataFrame(), 0, "at least 1"),
    ],
)
def test_calibrate_rejects_bad_input(
    tiny_network: Network, frame: pd.DataFrame, min_obs: int, message: str
) -> None:
    with pytest.raises(CalibrationError, match=message):
        calibrate(tiny_network, frame, min_obs=min_obs)


def _without_origin(record: object) -> object:
    return dataclasses.replace(record, origin=None)  # type: ignore[type-var]


def assert_only_fitted_changed(base: Network, new: Network, cal_changed: dict[str, Dwell]) -> None:
    for cid, crossing in base.crossings.items():
        got = new.crossings[cid]
        if cid in cal_changed:
            assert got.dwell == cal_changed[cid]
            assert (
                got.sources["median_hours"]
                == got.sources["p90_hours"]
                != crossing.sources.get("median_hours")
            )
        else:
            assert _without_origin(got) == _without_origin(crossing), cid
    for sid, service in base.services.items():
        got_s = new.services[sid]
        if sid in cal_changed:
            assert got_s.wait == cal_changed[sid]
        else:
            assert _without_origin(got_s) == _without_origin(service), sid


def test_overlay_loads_validates_and_changes_only_fitted_rows(
    tiny_path: Path, tiny_network: Network, fitted_tiny: pd.DataFrame, tmp_path: Path
) -> None:
    cal = calibrate(tiny_network, fitted_tiny, store=STORE)
    write_overlay(cal, tiny_network, tmp_path)
    net, problems = validate_folder(tiny_path, overlays=[tmp_path])
    assert not [p for p in problems if p.severity == "error"]
    assert_only_fitted_changed(tiny_network, net, {f.item_id: f.new for f in cal.changed})
    crossings = pd.read_csv(tmp_path / "crossings.csv")
    assert list(crossings["id"]) == ["xBC"]  # the changed rows only
    for fit in cal.changed:
        assert net.sources[fit.source].kind == "derived"


def test_scenario_applies_the_same_values_as_the_overlay(
    tiny_path: Path, tiny_network: Network, fitted_tiny: pd.DataFrame, tmp_path: Path
) -> None:
    cal = calibrate(tiny_network, fitted_tiny, store=STORE)
    path = write_scenario(cal, tmp_path / "calibration.yaml")
    patched = apply(tiny_network, load_scenario(path))
    write_overlay(cal, tiny_network, tmp_path / "overlay")
    overlaid = load_network(tiny_path, overlays=[tmp_path / "overlay"])
    for fit in cal.changed:
        table = "crossings" if fit.kind == "crossing" else "services"
        a, b = getattr(patched, table)[fit.item_id], getattr(overlaid, table)[fit.item_id]
        assert (a.dwell if fit.kind == "crossing" else a.wait) == fit.new
        assert (b.dwell if fit.kind == "crossing" else b.wait) == fit.new


def test_overlay_rows_round_trip_every_bundled_crossing_and_queue_service(tmp_path: Path) -> None:
    # every crossing and queue service of the bundled network (open hours, transload,
    # '*' provenance, capacities...) written back as an overlay row reads as it was,
    # but for the fitted distribution and its source
    base = load_network()
    items: dict[tuple[str, str], Dwell | int] = {("crossing", c): 30 for c in base.crossings}
    items |= {("service", s.id): 30 for s in base.services.values() if s.wait is not None}
    cal = calibrate(base, observations(items, days=365), min_obs=1)
    assert len(cal.changed) == len(items)
    write_overlay(cal, base, tmp_path)
    net, problems = validate_folder(None, overlays=[tmp_path])
    assert not [p for p in problems if p.severity == "error"]
    assert_only_fitted_changed(base, net, {f.item_id: f.new for f in cal.changed})
    for cid, crossing in base.crossings.items():
        got = net.crossings[cid]
        assert _without_origin(got) == _without_origin(
            dataclasses.replace(crossing, dwell=got.dwell, sources=got.sources)
        )
        assert {k: v for k, v in got.sources.items() if k not in ("median_hours", "p90_hours")} == {
            k: v for k, v in crossing.sources.items() if k not in ("median_hours", "p90_hours")
        }
    for sid, service in base.services.items():
        got_s = net.services[sid]
        assert _without_origin(got_s) == _without_origin(
            dataclasses.replace(service, wait=got_s.wait, sources=got_s.sources)
        )


def test_ferry_waits_are_fitted_on_the_calm_months() -> None:
    # the Caspian ferries have storms all year, fewest in June to August (weather.csv);
    # waits in the other months carry storm holds the planner adds on its own
    base = load_network()
    assert calm_months(base, "SV_CASPIAN_AKT_ALT") == frozenset({6, 7, 8})
    january = pd.Timestamp("2026-01-10", tz="UTC")
    july = pd.Timestamp("2026-07-10", tz="UTC")
    frame = pd.DataFrame(
        {
            "kind": "service",
            "item_id": "SV_CASPIAN_AKT_ALT",
            "started_at": [january] * 40 + [july] * 40,
            "hours": [200.0] * 40 + [30.0] * 40,
        }
    )
    fit = next(f for f in calibrate(base, frame).fits if f.month is None)
    assert (fit.n, fit.new, fit.note) == (40, Dwell(30.0, 30.0), "months 6,7,8 only (calm seas)")
    january_only = calibrate(base, frame.iloc[:40]).fits[0]
    assert january_only.status == "kept: no observation in months 6,7,8"
