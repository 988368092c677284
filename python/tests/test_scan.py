"""ssmkit.compute.scan (diagonal recurrence) against numpy's recurrence, the dense system, and the
kernel convolution (up to L = 65536 with Re λ = 0 modes); initial and final state; bad input."""

import numpy as np
import pytest

import ssmkit
from ssmkit import compute, init


def discrete(H, N2, seed, real_part=None):
    d = init.diagonal("lin", 2 * N2, H, B="random", seed=seed, real_part=real_part)
    dt = init.timescale(H, 1e-3, 1e-1, seed=seed + 1)
    lb, bb = ssmkit.discretize_diag(d.Lambda, d.B, np.repeat(dt[:, None], N2, axis=1))
    return d, lb, bb


def numpy_scan(lb, bb, C, u, D, x0):
    x = x0.copy()
    y = np.empty(u.shape)
    for k in range(u.shape[-1]):
        x = lb * x + bb * u[..., k, None]
        y[..., k] = 2 * np.einsum("hn,...hn->...h", C, x).real + D * u[..., k]
    return y, x


@pytest.mark.parametrize("batch,H,N2,L", [(1, 1, 1, 1), (2, 3, 5, 17), (3, 8, 16, 300)])
def test_matches_numpy_recurrence_with_states(batch, H, N2, L):
    d, lb, bb = discrete(H, N2, seed=L)
    rng = np.random.default_rng(L)
    u = rng.standard_normal((batch, H, L))
    D = rng.standard_normal(H)
    x0 = rng.standard_normal((batch, H, N2)) + 1j * rng.standard_normal((batch, H, N2))
    y, xf = compute.scan(lb, bb, d.C, u, D=D, x0=x0, return_state=True)
    yn, xn = numpy_scan(lb, bb, d.C, u, D, x0)
    assert np.linalg.norm(y - yn) <= 1e-12 * np.linalg.norm(yn)
    assert np.linalg.norm(xf - xn) <= 1e-12 * np.linalg.norm(xn)
    # Splitting the sequence and passing the state on gives the same result.
    half = L // 2
    y1, s1 = compute.scan(lb, bb, d.C, u[..., :half], D=D, x0=x0, return_state=True)
    y2, s2 = compute.scan(lb, bb, d.C, u[..., half:], D=D, x0=s1, return_state=True)
    assert np.linalg.norm(np.concatenate([y1, y2], axis=-1) - y) <= 1e-13 * np.linalg.norm(y)


@pytest.mark.parametrize("N2", [4, 16])   # 16: the chunked (matrix-product) scan; 4: the recurrence
def test_dense_system_and_kernel_agree_at_long_L(N2):
    # Re λ = 0 modes (|λ̄| = 1: nothing decays) and S4D-Lin modes, L = 65536: scan, the kernel's
    # causal convolution and the dense real system (block-diagonal 2×2 rotations) agree to 1e-10.
    H, L = 2, 65536
    d, lb, bb = discrete(H, N2, seed=7, real_part=0.0)
    assert np.allclose(np.abs(lb), 1.0, rtol=0, atol=1e-15)
    u = np.random.default_rng(1).standard_normal((H, L))
    y = compute.scan(lb, bb, d.C, u)
    K = compute.kernel(np.log(lb), d.C * bb, L)
    yk = np.fft.irfft(np.fft.rfft(K, 2 * L) * np.fft.rfft(u, 2 * L), 2 * L)[:, :L]
    assert np.linalg.norm(y - yk) <= 1e-10 * np.linalg.norm(y)
    # Dense: x ∈ R^(2N) with A = blockdiag([[Re λ̄, −Im λ̄], [Im λ̄, Re λ̄]]).
    for h in range(H):
        A = np.zeros((2 * N2, 2 * N2))
        for n in range(N2):
            a, b = lb[h, n].real, lb[h, n].imag
            A[2 * n:2 * n + 2, 2 * n:2 * n + 2] = [[a, -b], [b, a]]
        Bv = np.ravel(np.column_stack([bb[h].real, bb[h].imag]))
        Cv = 2 * np.ravel(np.column_stack([d.C[h].real, -d.C[h].imag]))
        x = np.zeros(2 * N2)
        yd = np.empty(L)
        for k in range(L):
            x = A @ x + Bv * u[h, k]
            yd[k] = Cv @ x
        assert np.linalg.norm(y[h] - yd) <= 1e-10 * np.linalg.norm(yd)


def test_shapes_and_bad_input():
    d, lb, bb = discrete(3, 4, seed=0)
    u = np.zeros((3, 10))
    assert compute.scan(lb, bb, d.C, u).shape == (3, 10)
    assert compute.scan(lb, bb, d.C, np.zeros((2, 5, 3, 10))).shape == (2, 5, 3, 10)
    with pytest.raises(ssmkit.SSMSizeError):
        compute.scan(lb, bb[:, :2], d.C, u)
    with pytest.raises(ssmkit.SSMSizeError):
        compute.scan(lb, bb, d.C, np.zeros((4, 10)))
    with pytest.raises(ssmkit.SSMSizeError):
        compute.scan(lb, bb, d.C, u, D=np.zeros(2))
    with pytest.raises(ssmkit.SSMSizeError):
        compute.scan(lb, bb, d.C, u, x0=np.zeros((2, 3, 4)))
    bad = u.copy()
    bad[1, 3] = np.inf
    with pytest.raises(ssmkit.SSMValueError, match="u"):
        compute.scan(lb, bb, d.C, bad)
    with pytest.raises(ssmkit.SSMUnstableError):
        compute.scan(np.full((1, 1), 1e200 + 0j), np.ones((1, 1)), np.ones((1, 1)), np.ones((1, 5)))


def test_per_step_dt_scan():
    # A constant dt equals discretize_diag + scan; a varying dt equals the numpy recurrence that
    # discretizes every step (zoh and Mamba's zoh_a_euler_b, bilinear).
    H, N2, L = 3, 4, 200
    d = init.diagonal("inv", 2 * N2, H, B="random", seed=2)
    u = np.random.default_rng(3).standard_normal((2, H, L))
    D = np.array([0.5, -1.0, 2.0])
    step = 0.02
    lb, bb = ssmkit.discretize_diag(d.Lambda, d.B, step)
    y_ref = compute.scan(lb, bb, d.C, u, D=D)
    y = compute.scan_dt(d.Lambda, d.B, d.C, u, np.full(u.shape, step), D=D)
    assert np.linalg.norm(y - y_ref) <= 1e-13 * np.linalg.norm(y_ref)
    dt = np.exp(np.random.default_rng(4).uniform(np.log(1e-3), np.log(1e-1), u.shape))
    for method in ("zoh", "zoh_a_euler_b", "bilinear"):
        y, xf = compute.scan_dt(d.Lambda, d.B, d.C, u, dt, method=method, D=D, return_state=True)
        x = np.zeros((2, H, N2), complex)
        yn = np.empty(u.shape)
        for k in range(L):
            a, b = ssmkit.discretize_diag(d.Lambda[None].repeat(2, 0).reshape(2 * H, N2),
                                          d.B[None].repeat(2, 0).reshape(2 * H, N2),
                                          dt[:, :, k].reshape(2 * H, 1).repeat(N2, 1), method=method)
            x = a.reshape(2, H, N2) * x + b.reshape(2, H, N2) * u[:, :, k, None]
            yn[:, :, k] = 2 * np.einsum("hn,bhn->bh", d.C, x).real + D * u[:, :, k]
        assert np.linalg.norm(y - yn) <= 1e-12 * np.linalg.norm(yn), method
        assert np.linalg.norm(xf - x) <= 1e-12 * np.linalg.norm(x), method
    with pytest.raises(ssmkit.SSMValueError, match="dt"):
        compute.scan_dt(d.Lambda, d.B, d.C, u, -dt)
    with pytest.raises(ssmkit.SSMUnsupportedError):
        compute.scan_dt(d.Lambda, d.B, d.C, u, dt, method="foh")
    with pytest.raises(ssmkit.SSMSizeError):
        compute.scan_dt(d.Lambda, d.B, d.C, u, dt[..., :5])


def test_dense_scan_matches_numpy_and_the_diagonal_scan():
    # LegS (bilinear, MIMO m = 2, p = 3) against numpy's recurrence with states; and the diagonal
    # scan written densely.
    N, L = 12, 400
    A, _ = ssmkit.hippo("legs", N)
    rng = np.random.default_rng(6)
    B, C, D = rng.standard_normal((N, 2)), rng.standard_normal((3, N)), rng.standard_normal((3, 2))
    Ad, Bd, Cd, Dd = ssmkit.discretize(A, B, C, D, 0.01, method="bilinear", convention="state_only")
    u = rng.standard_normal((2, L, 2))
    x0 = rng.standard_normal((2, N))
    y, xf = compute.scan_dense(Ad, Bd, Cd, u, Dd=Dd, x0=x0, return_state=True)
    x, yn = x0.copy(), np.empty((2, L, 3))
    for k in range(L):
        x = x @ Ad.T + u[:, k] @ Bd.T
        yn[:, k] = x @ Cd.T + u[:, k] @ Dd.T
    assert np.linalg.norm(y - yn) <= 1e-12 * np.linalg.norm(yn) and np.linalg.norm(xf - x) <= 1e-12 * np.linalg.norm(x)
    d, lb, bb = discrete(1, 3, seed=8)
    Adense = np.zeros((6, 6))
    for n in range(3):
        a, b = lb[0, n].real, lb[0, n].imag
        Adense[2 * n:2 * n + 2, 2 * n:2 * n + 2] = [[a, -b], [b, a]]
    Bv = np.ravel(np.column_stack([bb[0].real, bb[0].imag]))[:, None]
    Cv = 2 * np.ravel(np.column_stack([d.C[0].real, -d.C[0].imag]))[None, :]
    ud = rng.standard_normal(1000)
    yd = compute.scan_dense(Adense, Bv, Cv, ud[:, None])[:, 0]
    assert np.linalg.norm(yd - compute.scan(lb, bb, d.C, ud[None])[0]) <= 1e-12 * np.linalg.norm(yd)
    with pytest.raises(ssmkit.SSMSizeError):
        compute.scan_dense(Ad, Bd, Cd, u[..., :1])
    with pytest.raises(ssmkit.SSMValueError):
        compute.scan_dense(Ad, Bd, Cd, np.full((4, 2), np.nan))
