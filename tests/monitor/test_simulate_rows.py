"""Rows of a simulated log: the three formats agree, local currencies convert back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from silkway.compile import CompiledNetwork, compile_network
from silkway.model import load_network
from silkway.monitor.readers import read_events
from silkway.monitor.simulate import Relation, simulate
from silkway.monitor.simulate_rows import CURRENCY_OF_COUNTRY, write_log

START = dt.date(2026, 3, 1)
WEST = (Relation("CN_XIA", "PL_MAL", ("rail",)),)


@pytest.fixture(scope="module")
def bundled() -> CompiledNetwork:
    return compile_network(load_network())


def _frame(net: CompiledNetwork, **kw: object) -> pd.DataFrame:
    return pa.concat_tables(list(simulate(net, start=START, **kw))).to_pandas()  # type: ignore[arg-type]


def test_formats_hold_the_same_rows(bundled: CompiledNetwork, tmp_path: Path) -> None:
    tables = []
    for fmt in ("csv", "jsonl", "parquet"):
        path = tmp_path / f"log.{fmt}"
        write_log(simulate(bundled, shipments=40, seed=5, start=START), path, fmt=fmt)
        frame = read_events(path).to_pandas().drop(columns="row_number")
        for col in ("cost_amount", "weight_t"):  # 20.0 in one format is 20 in another
            values = pd.to_numeric(frame[col])
            frame[col] = values.map(lambda v: "" if pd.isna(v) else repr(float(v)))
        tables.append(frame.astype(object).where(frame.notna(), "").astype(str))
    pd.testing.assert_frame_equal(tables[0], tables[1])
    pd.testing.assert_frame_equal(tables[0], tables[2])


def test_local_currencies_convert_back(bundled: CompiledNetwork) -> None:
    rates = {("KZT", "2026-03"): 470.0, ("CNY", "2026-03"): 7.2, ("PLN", "2026-03"): 4.0}
    usd = _frame(bundled, shipments=100, seed=6, months=1, relations=WEST)
    local = _frame(bundled, shipments=100, seed=6, months=1, relations=WEST, fx=rates)
    pay = local["event_type"] == "payment"
    country = local["place"].map(lambda p: bundled.network.places[p].country)
    # the rate of the payment's month, UTC (as ingest converts); March only here
    month = pd.to_datetime(local["timestamp"], utc=True, format="ISO8601").dt.strftime("%Y-%m")
    expected = country.map(CURRENCY_OF_COUNTRY).where(month == "2026-03", "USD")
    has_rate = [(c, "2026-03") in rates for c in expected]
    expected = expected.where(has_rate, "USD")
    assert (local.loc[pay, "cost_currency"] == expected[pay]).all()
    assert {"KZT", "CNY"} <= set(local.loc[pay, "cost_currency"])
    rate = local["cost_currency"].map({c: r for (c, _), r in rates.items()}).fillna(1.0)
    back = local.loc[pay, "cost_amount"] / rate[pay]
    # each side rounded to a cent of its own currency (the smallest rate here is 4)
    assert np.allclose(back, usd.loc[pay, "cost_amount"], atol=0.005 + 0.005 / 4.0 + 1e-9, rtol=0)


def test_unknown_format(bundled: CompiledNetwork, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="format must be one of csv, jsonl, parquet"):
        write_log(simulate(bundled, shipments=5), tmp_path / "x.xml", fmt="xml")
