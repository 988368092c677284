"""Baselines for one-step prediction (prophecy.baseline, MATH.md §9) and the issue's Must-show on the
2-D Van der Pol oscillator: HiPPO-Prophecy against persistence, polynomial extrapolation and context
parroting."""

import ctypes
from math import comb

import numpy as np
import pytest

from ssmkit import _bindings as b
from ssmkit import prophecy, systems
from ssmkit import SSMNullError, SSMSizeError, SSMUnstableError, SSMValueError

from conftest import rel_err


# --- numpy references (independent of the Swift code: straight from the definitions) ---

def ref_polynomial(u, p):
    """u (batch, T, d): û_(k+1) = Σ_(j≤q) (−1)^j C(q+1, j+1) u_(k−j), q = min(p, k)."""
    out = np.empty_like(u)
    for k in range(u.shape[1]):
        q = min(p, k)
        w = np.array([(-1) ** j * comb(q + 1, j + 1) for j in range(q + 1)], dtype=float)
        out[:, k] = np.einsum("j,bjd->bd", w, u[:, k - np.arange(q + 1)])
    return out


def ref_parrot(u, m):
    """u (batch, T, d): nearest earlier window (squared distance over m·d values), most recent on ties;
    persistence for k < m."""
    out = u.copy()
    batch, T, d = u.shape
    for bi in range(batch):
        windows = np.lib.stride_tricks.sliding_window_view(u[bi], m, axis=0)  # (T−m+1, d, m), window ends at i+m−1
        for k in range(m, T):
            current = windows[k - m + 1]
            dist = ((windows[: k - m + 1] - current) ** 2).sum(axis=(1, 2))   # ends j = m−1 … k−1
            j = m - 1 + np.flatnonzero(dist == dist.min())[-1]
            out[bi, k] = u[bi, j + 1]
    return out


# --- exactness ---

def test_persistence_is_the_last_sample():
    u = np.random.default_rng(1).standard_normal((3, 50, 2))
    assert np.array_equal(prophecy.baseline(u, "persistence"), u)
    assert np.array_equal(prophecy.baseline(u[0, :, 0]), u[0, :, 0])   # (T,) and the default method


@pytest.mark.parametrize("p", [0, 1, 2, 3, 5])
def test_polynomial_extrapolation_is_exact_on_polynomials_of_degree_at_most_p(p):
    rng = np.random.default_rng(p)
    t = np.linspace(-1, 1, 60)
    for degree in range(p + 1):
        coefficients = rng.standard_normal((degree + 1, 3))
        u = np.stack([np.polyval(coefficients[:, c], t) for c in range(3)], axis=1)   # (T, d)
        pred = prophecy.baseline(u, "polynomial", order=p)
        # From k ≥ degree the available order q = min(p, k) ≥ degree: exact.
        assert rel_err(pred[degree:-1], u[degree + 1:]) <= 1e-12, (p, degree)
    # One degree more is not reproduced (the test can fail).
    u = t ** (p + 1)
    assert rel_err(prophecy.baseline(u, "polynomial", order=p)[p:-1], u[p + 1:]) > 1e-8   # ≈ (p+1)!·h^(p+1), h = 2/59


def test_polynomial_first_samples_use_the_highest_order_available():
    u = np.array([3.0, 5.0, 4.0, 10.0, -2.0])
    pred = prophecy.baseline(u, "polynomial", order=2)
    assert pred[0] == 3.0                          # q = 0: persistence
    assert pred[1] == 2 * 5.0 - 3.0                # q = 1
    assert pred[2] == 3 * 4.0 - 3 * 5.0 + 3.0      # q = 2
    assert pred[4] == 3 * -2.0 - 3 * 10.0 + 4.0


def test_parroting_is_exact_on_a_periodic_signal_after_one_period():
    rng = np.random.default_rng(7)
    P, m = 37, 5
    u = np.tile(rng.standard_normal((P, 2)), (6, 1))   # (222, 2), exactly periodic
    pred = prophecy.baseline(u, "parrot", window=m)
    start = P + m - 1   # the first k whose window has an exact copy one period back (j = k − P ≥ m − 1)
    assert np.array_equal(pred[start:-1], u[start + 1:])
    assert not np.array_equal(pred[m:start], u[m + 1:start + 1])   # before that it cannot be exact
    assert np.array_equal(pred[:m], u[:m])   # no earlier window yet: persistence


@pytest.mark.parametrize("method,kwargs", [("polynomial", {"order": 1}), ("polynomial", {"order": 3}),
                                           ("polynomial", {"order": 7}), ("parrot", {"window": 1}),
                                           ("parrot", {"window": 4}), ("parrot", {"window": 60})])
def test_against_numpy_references_on_random_data(method, kwargs):
    u = np.random.default_rng(3).standard_normal((2, 80, 3))
    pred = prophecy.baseline(u, method, **kwargs)
    if method == "polynomial":
        expected = ref_polynomial(u, kwargs["order"])
        assert rel_err(pred, expected) <= 1e-13   # same sum, another order of additions
    else:
        assert np.array_equal(pred, ref_parrot(u, kwargs["window"]))
    # The layouts agree: one trajectory at a time, and (T,) for d = 1.
    assert np.array_equal(prophecy.baseline(u[1], method, **kwargs), pred[1])
    assert np.array_equal(prophecy.baseline(u[1, :, 0], method, **kwargs),
                          prophecy.baseline(u[1, :, :1], method, **kwargs)[:, 0])


def test_parroting_ties_go_to_the_most_recent_window():
    # Windows of m = 1 equal to the current value 1.0 end at j = 0, 2, 4; u[j + 1] = 10, 20, 30.
    u = np.array([1.0, 10.0, 1.0, 20.0, 1.0, 30.0, 1.0])
    pred = prophecy.baseline(u, "parrot", window=1)
    assert pred[6] == 30.0 and pred[4] == 20.0 and pred[2] == 10.0


def test_bad_arguments():
    u = np.ones((10, 2))
    with pytest.raises(SSMValueError, match="unknown method"):
        prophecy.baseline(u, "nearest")
    with pytest.raises(SSMNullError, match="window"):
        prophecy.baseline(u, "parrot")
    with pytest.raises(SSMSizeError, match="window"):
        prophecy.baseline(u, "parrot", window=0)
    with pytest.raises(SSMValueError, match="only used by method 'parrot'"):
        prophecy.baseline(u, "polynomial", window=3)
    with pytest.raises(SSMSizeError, match="order"):
        prophecy.baseline(u, "polynomial", order=-1)
    with pytest.raises(SSMValueError, match=r"polynomial order\) must be in 0…20"):
        prophecy.baseline(u, "polynomial", order=21)
    with pytest.raises(SSMValueError, match="u"):
        prophecy.baseline(np.array([1.0, np.nan]), "persistence")
    with pytest.raises(SSMSizeError, match="shape"):
        prophecy.baseline(np.ones((1, 2, 3, 4)))
    with pytest.raises(SSMUnstableError, match="not finite"):
        prophecy.baseline(np.array([-1e308, 1e308]), "polynomial", order=1)
    assert prophecy.baseline(np.ones((0, 2)), "parrot", window=3).shape == (0, 2)
    # The raw C function: unknown method, bad window, NULL pointers.
    out = np.empty(20)
    assert b.lib.ssm_baseline_predict(9, 0, 1, 10, 2, u, out) == b.SSM_ERR_VALUE
    assert "ssm_baseline_t" in b.last_error()
    assert b.lib.ssm_baseline_predict(b.SSM_BASELINE_PARROT, 0, 1, 10, 2, u, out) == b.SSM_ERR_VALUE
    assert b.lib.ssm_baseline_predict(b.SSM_BASELINE_PERSISTENCE, 0, 1, 10, 2, None, out) == b.SSM_ERR_NULL
    assert b.lib.ssm_baseline_predict(b.SSM_BASELINE_PERSISTENCE, 0, 1, 0, 2, u, out) == b.SSM_ERR_SIZE
    assert b.lib.ssm_baseline_predict(b.SSM_BASELINE_PERSISTENCE, 0, 2**40, 2**40, 2, u, out) == b.SSM_ERR_SIZE


# --- the Must-show: 2-D Van der Pol ---

BURN = 500


def normalized_mse(pred, u, burn=BURN):
    return prophecy.normalized_error(pred, u, burn)   # checked by hand in test_prophecy.py


@pytest.fixture(scope="module")
def van_der_pol():
    return systems.simulate("van_der_pol", 4000, 0.01, mu=1.0)


@pytest.mark.parametrize("config,expected", [
    ({"readout": "time", "state_input": "average", "output": "euler"}, 2.5e-8),
    ({"readout": "space", "state_input": "plain"}, 1.2e-11),
])
def test_must_show_van_der_pol_beats_the_baselines(van_der_pol, config, expected, capsys):
    u = van_der_pol
    assert u.shape == (4000, 2)
    with prophecy.Predictor(N=8, W=20, dt=0.01, d=2, **config) as p:
        mse = normalized_mse(p.predict(u), u)
    baselines = {"persistence": normalized_mse(prophecy.baseline(u, "persistence"), u)}
    for order in (1, 2, 3):
        baselines[f"polynomial p={order}"] = normalized_mse(prophecy.baseline(u, "polynomial", order=order), u)
    for window in (10, 20):
        baselines[f"parrot m={window}"] = normalized_mse(prophecy.baseline(u, "parrot", window=window), u)
    with capsys.disabled():
        print(f"\nVan der Pol (mu = 1, dt = 0.01, T = 4000, burn-in {BURN}) {config}: prophecy {mse:.3g}, "
              f"{baselines['persistence'] / mse:.4g}x better than persistence; "
              + ", ".join(f"{k} {v:.3g}" for k, v in baselines.items()))
    # The thresholds.
    assert mse <= 1e-6
    assert baselines["persistence"] >= 100 * mse
    # The numbers measured when the construction was written (a regression would show here).
    assert mse <= 4 * expected
