"""ssmkit.compute.kernel_dplr (S4's Cauchy + Woodbury + inverse FFT kernel) against the dense
bilinear system's powers (numpy), the diagonal kernel, and bad input."""

import numpy as np
import pytest

import ssmkit
from ssmkit import compute, init


def rel(a, b):
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


def dense_kernel(lam, P, Q, B, C, dt, L):
    """K_l = Re(C Ā^l B̄) of A = diag(λ) − P Q* (rows of P, Q are its columns), bilinear, by numpy."""
    A = np.diag(lam) - P.T @ Q.conj()
    eye, a = np.eye(len(lam)), dt / 2
    Ab = np.linalg.solve(eye - a * A, eye + a * A)
    x = np.linalg.solve(eye - a * A, dt * B)
    K = np.empty(L)
    for l in range(L):
        K[l] = (C @ x).real
        x = Ab @ x
    return K


def random_system(N, r, seed):
    rng = np.random.default_rng(seed)
    c = lambda *shape: rng.standard_normal(shape) + 1j * rng.standard_normal(shape)  # noqa: E731
    lam = -rng.uniform(0.1, 1, N) + 1j * rng.standard_normal(N)
    return lam, c(r, N), c(r, N), c(N), c(N)


@pytest.mark.parametrize("N,r,L", [(1, 1, 1), (6, 2, 64), (9, 3, 301)])
def test_general_complex_system_matches_dense_powers(N, r, L):
    lam, P, Q, B, C = random_system(N, r, seed=N)
    K = compute.kernel_dplr(lam, P, B, C, 0.1, L, Q=Q, pairs=False)
    assert K.shape == (L,)
    assert rel(K, dense_kernel(lam, P, Q, B, C, 0.1, L)) <= 1e-12


def hippo_reference(measure, N, dt, L, seed):
    """The real HiPPO system's kernel by dense powers (ssmkit.kernel_dense of numpy's bilinear
    Ād, B̄d), and the DPLR form's (init.dplr: S = A + P Pᵀ = V Λ V*, C in the V basis)."""
    A, B = ssmkit.hippo(measure, N)
    C = np.random.default_rng(seed).standard_normal(N)
    eye, a = np.eye(N), dt / 2
    Ad = np.linalg.solve(eye - a * A, eye + a * A)
    Bd = np.linalg.solve(eye - a * A, dt * B)
    d = init.dplr(measure, N)
    return compute.kernel_dense(Ad, Bd, C, L), compute.kernel_dplr(d.Lambda, d.P, d.B, C @ d.V, dt, L)


@pytest.mark.parametrize("measure,N,dt,L,tol", [
    ("legs", 64, 1e-2, 4096, 1e-12), ("legs", 256, 1e-2, 4096, 1e-12), ("legs", 64, 1e-3, 65536, 1e-12),
    ("lagt", 64, 1e-2, 4096, 1e-11), ("lagt", 64, 1e-3, 65536, 1e-10),
    ("legt", 64, 1e-2, 4096, 1e-10),
    # LegT's normal part has Re λ = 0: denominators come within ~6e-7 of vanishing on the DFT grid
    # and rounding is amplified accordingly (measured 1.3e-10 norm-wise, 3.7e-12 of max |K|).
    ("legt", 64, 1e-3, 65536, 1e-9),
])
def test_hippo_dplr_kernel_matches_the_dense_system(measure, N, dt, L, tol):
    dense, dplr = hippo_reference(measure, N, dt, L, seed=N)
    assert rel(dplr, dense) <= tol


def test_pairs_equal_the_expanded_modes_and_channels_broadcast():
    d = init.dplr("legs", 16)
    C = np.random.default_rng(0).standard_normal(16) @ d.V
    K = compute.kernel_dplr(d.Lambda, d.P, d.B, C, 0.05, 200)
    full = lambda x: np.concatenate([x, x.conj()], axis=-1)  # noqa: E731
    Kf = compute.kernel_dplr(full(d.Lambda), full(d.P), full(d.B), full(C), 0.05, 200, pairs=False)
    assert rel(K, Kf) <= 1e-13
    # Channels: one shared P, per-channel dt, equals channel-by-channel calls.
    dts = np.array([0.01, 0.05, 0.2])
    KH = compute.kernel_dplr(np.tile(d.Lambda, (3, 1)), d.P, d.B, C, dts, 200)
    assert KH.shape == (3, 200)
    for h in range(3):
        assert rel(KH[h], compute.kernel_dplr(d.Lambda, d.P, d.B, C, dts[h], 200)) <= 1e-15


def test_zero_low_rank_part_is_the_diagonal_kernel():
    lam, _, _, B, C = random_system(5, 1, seed=3)
    dt, L = 0.1, 500
    K = compute.kernel_dplr(lam, np.zeros((1, 5)), B, C, dt, L, pairs=True)
    lb = (1 + dt / 2 * lam) / (1 - dt / 2 * lam)
    bb = dt * B / (1 - dt / 2 * lam)
    assert rel(K, compute.kernel(np.log(lb), C * bb, L)) <= 1e-12


def test_bad_input():
    lam, P, Q, B, C = random_system(4, 1, seed=1)
    with pytest.raises(ssmkit.SSMValueError, match="dt"):
        compute.kernel_dplr(lam, P, B, C, 0.0, 8)
    with pytest.raises(ssmkit.SSMValueError, match="Lambda"):
        compute.kernel_dplr(np.where(np.arange(4) == 2, np.nan, lam), P, B, C, 0.1, 8)
    with pytest.raises(ssmkit.SSMSizeError, match="rank"):
        compute.kernel_dplr(lam, np.ones((5, 4)), B, C, 0.1, 8)
    with pytest.raises(ssmkit.SSMSizeError, match="B"):
        compute.kernel_dplr(lam, P, B[:3], C, 0.1, 8)
    with pytest.raises(ssmkit.SSMSizeError, match="L"):
        compute.kernel_dplr(lam, P, B, C, 0.1, 0)
    # λ = 0: the generating function is singular at ω = 1 (FouT's constant mode is 4e-16).
    with pytest.raises(ssmkit.SSMSingularError, match="singular"):
        compute.kernel_dplr(np.array([0j, -1 + 2j]), np.ones((1, 2)), np.ones(2), np.ones(2), 0.1, 16)
    d = init.dplr("fout", 33, pairs=False)
    with pytest.raises(ssmkit.SSMSingularError, match="dense kernel"):
        compute.kernel_dplr(d.Lambda, d.P, d.B, d.B, 0.01, 64, pairs=False)
