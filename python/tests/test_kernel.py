"""ssmkit.compute.kernel (diagonal SSM convolution kernel) against numpy's exp-Vandermonde and a
50-digit reference at L = 65536 with Re λ = 0 modes; threads; bad input."""

import numpy as np
import pytest

import ssmkit
from ssmkit import compute


def vandermonde(z, w, L, factor=2.0):
    l = np.arange(L)
    return factor * np.real(np.einsum("...n,...nl->...l", w, np.exp(z[..., None] * l)))


def s4d_lin(H, N2, seed, re=-0.5):
    rng = np.random.default_rng(seed)
    lam = re + 1j * np.pi * np.arange(N2)
    dt = np.exp(rng.uniform(np.log(1e-3), np.log(1e-1), (H, 1)))
    z = dt * lam
    w = rng.standard_normal((H, N2)) + 1j * rng.standard_normal((H, N2))
    return z, w


@pytest.mark.parametrize("H,N2,L", [(1, 1, 1), (2, 3, 127), (2, 3, 128), (3, 5, 129), (8, 16, 1000), (64, 32, 4096)])
def test_matches_numpy_vandermonde(H, N2, L):
    z, w = s4d_lin(H, N2, seed=L)
    K = compute.kernel(z, w, L)
    assert K.shape == (H, L) and K.dtype == np.float64
    ref = vandermonde(z, w, L)
    assert np.linalg.norm(K - ref) <= 1e-12 * np.linalg.norm(ref)
    K1 = compute.kernel(z, w, L, pairs=False)
    assert np.linalg.norm(2 * K1 - K) <= 1e-15 * np.linalg.norm(K)


def test_leading_dimensions_and_threads():
    z, w = s4d_lin(6, 4, seed=1)
    K = compute.kernel(z.reshape(2, 3, 4), w.reshape(2, 3, 4), 50)
    assert K.shape == (2, 3, 50)
    before = compute.threads()
    try:
        compute.set_threads(1)
        assert compute.threads() == 1
        K1 = compute.kernel(z, w, 50)
    finally:
        compute.set_threads(0)
    assert compute.threads() == before
    assert np.array_equal(K.reshape(6, 50), K1)   # the split across threads changes nothing


def test_long_kernel_with_zero_real_parts_against_multiprecision():
    # L = 65536 with Re λ = 0 (|λ̄| = 1: no decay hides phase errors) and Re λ = −0.5 modes:
    # sampled entries against mpmath's 50-digit exp, 1e-12 relative to Σ|w| (measured ~1e-15).
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 50
    N2, L = 8, 65536
    z, w = s4d_lin(1, N2, seed=3, re=0.0)
    z[0, 4:] += -0.5 * 1e-3
    K = compute.kernel(z, w, L)[0]
    scale = 2 * np.abs(w).sum()
    for l in [0, 1, 127, 128, 1023, 4097, 30000, 65535]:
        exact = 2 * sum(mpmath.re(mpmath.mpc(complex(wn)) * mpmath.exp(l * mpmath.mpc(complex(zn))))
                        for zn, wn in zip(z[0], w[0]))
        assert abs(K[l] - float(exact)) <= 1e-12 * scale, (l, K[l], float(exact))


def test_bad_input():
    z, w = s4d_lin(2, 3, seed=0)
    with pytest.raises(ssmkit.SSMSizeError):
        compute.kernel(z, w[:, :2], 10)
    with pytest.raises(ssmkit.SSMSizeError):
        compute.kernel(z, w, 0)
    bad = z.copy()
    bad[1, 2] = np.nan
    with pytest.raises(ssmkit.SSMValueError, match=r"z\[1, 2\]"):
        compute.kernel(bad, w, 10)
    with pytest.raises(ssmkit.SSMUnstableError):
        compute.kernel(np.full((1, 1), 1.0 + 0j), np.ones((1, 1)), 1000)   # e^(l) overflows
    with pytest.raises(ssmkit.SSMValueError):
        compute.set_threads(5000)
    assert compute.kernel(np.zeros((0, 3)), np.zeros((0, 3)), 4).shape == (0, 4)


def test_dense_kernel_matches_powers_and_the_diagonal_kernel():
    # LegS discretized by bilinear: K_l = Cd Ad^l Bd against numpy's powers; MIMO shapes; and a
    # diagonal system written densely equals the diagonal kernel.
    N, L = 16, 300
    A, B = ssmkit.hippo("legs", N)
    C = np.random.default_rng(0).standard_normal(N)
    Ad, Bd, _, _ = ssmkit.discretize(A, B[:, None], C[None, :], np.zeros((1, 1)), 0.01, method="bilinear",
                                     convention="state_only")
    K = compute.kernel_dense(Ad, Bd[:, 0], C, L)
    v, ref = Bd[:, 0].copy(), np.empty(L)
    for l in range(L):
        ref[l] = C @ v
        v = Ad @ v
    assert K.shape == (L,) and np.linalg.norm(K - ref) <= 1e-12 * np.linalg.norm(ref)
    KM = compute.kernel_dense(Ad, np.stack([Bd[:, 0], 2 * Bd[:, 0]], 1), np.stack([C, -C]), L)
    assert KM.shape == (L, 2, 2) and np.allclose(KM[:, 0, 1], 2 * ref, rtol=1e-14, atol=1e-14)
    assert np.allclose(KM[:, 1, 0], -ref, rtol=1e-14, atol=1e-14)
    z, w = s4d_lin(1, 4, seed=9)
    lam = np.exp(z[0])
    Adense = np.zeros((8, 8))
    for n in range(4):
        a, b = lam[n].real, lam[n].imag
        Adense[2 * n:2 * n + 2, 2 * n:2 * n + 2] = [[a, -b], [b, a]]
    Bv = np.ravel(np.column_stack([w[0].real, w[0].imag]))
    Cv = 2 * np.tile([1.0, 0.0], 4)
    Kd = compute.kernel_dense(Adense, Bv, Cv, 500)
    assert np.linalg.norm(Kd - compute.kernel(z, w, 500)[0]) <= 1e-12 * np.linalg.norm(Kd)
    with pytest.raises(ssmkit.SSMSizeError):
        compute.kernel_dense(np.zeros((3, 4)), np.zeros(3), np.zeros(3), 5)
    with pytest.raises(ssmkit.SSMUnstableError):
        compute.kernel_dense(np.array([[1e200]]), np.ones(1), np.ones(1), 5)
