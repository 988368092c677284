"""Exporters to peer layouts: the arrays have the peers' names and shapes, and the peers' own
formulas applied to them give back SSMKit's parameters."""

import numpy as np
import pytest

import ssmkit
from ssmkit import init


def softplus(x):
    return np.logaddexp(0.0, x)


def test_s4d_layout_and_round_trip():
    H, N = 3, 16
    d = init.diagonal("lin", N, H, B="random", seed=1)
    dt = init.timescale(H, seed=2)
    p = init.to_s4d(d, dt)
    assert p["log_dt"].shape == (H,) and p["log_A_real"].shape == (H, N // 2)
    assert p["A_imag"].shape == (H, N // 2) and p["C"].shape == (H, N // 2, 2)
    A = -np.exp(p["log_A_real"]) + 1j * p["A_imag"]          # s4d.py's formula
    assert np.allclose(A, d.Lambda, rtol=1e-15, atol=1e-15)
    assert np.allclose(np.exp(p["log_dt"]), dt, rtol=1e-15)
    assert np.allclose(p["C"][..., 0] + 1j * p["C"][..., 1], d.C * d.B, rtol=1e-15)
    with pytest.raises(ssmkit.SSMValueError):
        init.to_s4d(init.diagonal("lin", N, real_part=0.0), 0.01)   # log(0): no such parameter


def test_mamba_layouts():
    d = init.diagonal("mamba2", 64, H=8, seed=3)
    p = init.to_mamba(d, init.timescale(8, seed=4))
    assert p["A_log"].shape == (8,) and p["dt_bias"].shape == (8,)
    assert np.allclose(-np.exp(p["A_log"]), d.Lambda[:, 0].real, rtol=1e-15)
    assert np.allclose(softplus(p["dt_bias"]), init.timescale(8, seed=4), rtol=1e-14)
    d1 = init.diagonal("real", 32, H=4)
    p1 = init.to_mamba(d1, 0.01)
    assert p1["A_log"].shape == (4, 16) and np.allclose(p1["A_log"][0], np.log(np.arange(1, 17)), rtol=1e-15)
    with pytest.raises(ssmkit.SSMValueError):
        init.to_mamba(init.diagonal("lin", 8), 0.01)


def test_s5_and_lru_layouts():
    form = init.dplr("legs", 16)
    P, H = 8, 5
    rng = np.random.default_rng(0)
    B = rng.standard_normal((P, H)) + 1j * rng.standard_normal((P, H))
    C = rng.standard_normal((H, P)) + 1j * rng.standard_normal((H, P))
    p = init.to_s5(form.Lambda, B, C, np.ones(H), 0.01)
    assert p["Lambda_re"].shape == (P,) and p["B"].shape == (P, H, 2) and p["C"].shape == (H, P, 2)
    assert p["log_step"].shape == (P, 1) and np.allclose(np.exp(p["log_step"]), 0.01)
    assert np.array_equal(p["Lambda_re"] + 1j * p["Lambda_im"], form.Lambda)
    d = init.diagonal("lru", 16, seed=5, r_min=0.5, r_max=0.99, max_phase=np.pi / 10)
    Nm = d.Lambda.shape[1]
    q = init.to_lru(d, rng.standard_normal((Nm, H)) + 0j, rng.standard_normal((H, Nm)) + 0j, np.zeros(H))
    lam = np.exp(-np.exp(q["nu_log"]) + 1j * np.exp(q["theta_log"]))   # the LRU's formula
    assert np.allclose(lam, d.Lambda[0], rtol=1e-14, atol=1e-15)
    assert np.allclose(np.exp(q["gamma_log"]), np.sqrt(1 - np.abs(lam) ** 2), rtol=1e-13)
    assert q["B_re"].shape == (Nm, H) and q["C_im"].shape == (H, Nm)
    with pytest.raises(ssmkit.SSMSizeError):
        init.to_s5(form.Lambda, B[:3], C, np.ones(H), 0.01)
    with pytest.raises(ssmkit.SSMSizeError):
        init.to_lru(init.diagonal("lru", 16, H=2), np.zeros((8, 1)), np.zeros((1, 8)), np.zeros(1))
