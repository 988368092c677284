"""ssmkit.init timescales: log-uniform draws from the documented generator, exact inverse transforms
(Mamba's inverse softplus with floor), bad input."""

import math

import numpy as np
import pytest

import ssmkit
from ssmkit import init

from test_diag import Xoshiro


def test_log_uniform_draws():
    dt = init.timescale((3, 4), 1e-3, 1e-1, seed=5)
    g = Xoshiro(5)
    lo, hi = math.log(1e-3), math.log(1e-1)
    expected = np.array([min(max(math.exp(lo + g.uniform() * (hi - lo)), 1e-3), 1e-1) for _ in range(12)]).reshape(3, 4)
    assert np.allclose(dt, expected, rtol=1e-15, atol=0)
    many = init.timescale(20000, 1e-4, 1.0, seed=1)
    assert many.min() >= 1e-4 and many.max() <= 1.0
    # log Δ uniform: mean of log10 Δ is −2 within 5 standard errors (sd of U(−4, 0) is 4/√12).
    assert abs(np.log10(many).mean() + 2) <= 5 * (4 / math.sqrt(12)) / math.sqrt(many.size)
    assert init.timescale(0).shape == (0,)
    assert np.all(init.timescale(5, 0.01, 0.01) == 0.01)


def test_transforms_are_exact_inverses():
    dt = np.array([1e-12, 1e-4, 1e-3, 0.1, 1.0, 20.0, 700.0])
    for t in ("exp", "softplus"):
        p = init.dt_to_param(dt, t)
        back = init.param_to_dt(p, t)
        assert np.allclose(back, dt, rtol=4e-16 * 8, atol=0), (t, back - dt)
    # Mamba: dt_bias = dt + log(−expm1(−dt)) after clamping at 1e-4.
    p = init.dt_to_param(np.array([1e-6, 0.01]), "softplus", floor=1e-4)
    mamba = np.array([1e-4 + np.log(-np.expm1(-1e-4)), 0.01 + np.log(-np.expm1(-0.01))])
    assert np.allclose(p, mamba, rtol=1e-15)
    assert np.allclose(init.param_to_dt([-800.0, 0.0, 800.0], "softplus"), [np.exp(-800.0), np.log(2), 800.0], rtol=1e-15)


def test_bad_input():
    with pytest.raises(ssmkit.SSMValueError):
        init.timescale(3, 0.1, 0.01)
    with pytest.raises(ssmkit.SSMValueError):
        init.timescale(3, 0.0, 0.1)
    with pytest.raises(ssmkit.SSMValueError, match=r"x\[1\]"):
        init.dt_to_param([0.1, -1.0])
    with pytest.raises(ssmkit.SSMValueError):
        init.dt_to_param([0.1], "tanh")
    with pytest.raises(ssmkit.SSMUnstableError):
        init.param_to_dt([800.0], "exp")
    with pytest.raises(ssmkit.SSMValueError):
        init.param_to_dt([np.nan])
