"""The Monte Carlo quantiles (one sort) equal numpy's linear-rule quantiles, and equal to
the last bit the partial sort at the needed ranks they replaced."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from silkway.engine.uncertainty import quantile, quantiles, row_quantiles

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
probs = st.lists(st.floats(0.0, 1.0), min_size=1, max_size=5)


@settings(max_examples=150, deadline=None)
@given(values=arrays(np.float64, st.integers(1, 60), elements=finite), qs=probs)
def test_quantiles_equal_numpy(values, qs) -> None:
    want = [float(np.quantile(values, q)) for q in qs]
    got = quantiles(values.copy(), qs)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-9)
    for q, w in zip(qs, want, strict=True):
        np.testing.assert_allclose(quantile(values.copy(), q), w, rtol=1e-12, atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    rows=arrays(
        np.float64,
        st.tuples(st.integers(1, 5), st.integers(1, 40)),
        elements=finite,
    ),
    qs=probs,
)
def test_row_quantiles_equal_numpy(rows, qs) -> None:
    want = np.quantile(rows, qs, axis=1).T
    got = row_quantiles(rows.copy(), qs)
    assert got.shape == (rows.shape[0], len(qs))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-9)


def test_quantiles_do_not_depend_on_the_order_of_draws() -> None:
    rng = np.random.default_rng(0)
    values = rng.lognormal(3.0, 1.0, 1001)
    shuffled = rng.permutation(values)
    assert quantiles(values, (0.5, 0.9)) == quantiles(shuffled, (0.5, 0.9))
    # the median of an odd number of draws is the middle draw
    assert quantile(values, 0.5) == np.sort(values)[500]


def _by_partition(rows: np.ndarray, qs) -> np.ndarray:
    """The former rule: a partition at the ranks around each quantile's position."""
    n = rows.shape[1]
    pos = np.array([q * (n - 1) for q in qs])
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, n - 1)
    part = np.partition(rows, sorted(set(lo.tolist()) | set(hi.tolist())), axis=1)
    return np.asarray(part[:, lo] + (part[:, hi] - part[:, lo]) * (pos - lo))


@settings(max_examples=100, deadline=None)
@given(
    rows=arrays(
        np.float64,
        st.tuples(st.integers(1, 4), st.integers(1, 1001)),
        elements=st.one_of(finite, st.sampled_from([0.0, 1e-14, 5.0])),
    ),
    qs=probs,
)
def test_sorting_gives_the_partition_quantiles_to_the_last_bit(rows, qs) -> None:
    want = _by_partition(rows, qs)
    assert np.array_equal(row_quantiles(rows, qs), want)
    assert np.array_equal(row_quantiles(rows.copy(), qs, overwrite=True), want)
    for row, w in zip(rows, want, strict=True):
        assert quantiles(row, qs) == tuple(w.tolist())
