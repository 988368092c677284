"""float32 kernels and scans: the same results as float64 rounded once — within 1e-6 relative
(measured ~1e-7) at L = 65536 with Re λ = 0 modes; the float32 convolution (float32 transforms)
within 1e-6 of the float64 one (measured 2e-7 to 3e-7; 1e-5 when it also convolves a float32
kernel) — dtype rules, and bad input."""

import numpy as np
import pytest

import ssmkit
from ssmkit import compute, init


def rel(a, b):
    """max |a − b| relative to max |b|."""
    return float(np.max(np.abs(np.asarray(a, np.float64) - b)) / np.max(np.abs(b)))


def modes(H, N2, seed, real_part=0.0):
    d = init.diagonal("lin", 2 * N2, H, B="random", seed=seed, real_part=real_part)
    dt = init.timescale(H, 1e-3, 1e-1, seed=seed + 1)
    lb, bb = ssmkit.discretize_diag(d.Lambda, d.B, np.repeat(dt[:, None], N2, axis=1))
    return d, lb, bb


L_LONG = 65536


@pytest.fixture(scope="module")
def long_system():
    # Re λ = 0 (|λ̄| = 1: nothing decays, the hardest case for float32) at L = 65536.
    H, N2 = 3, 16
    d, lb, bb = modes(H, N2, seed=11)
    u32 = np.random.default_rng(2).standard_normal((2, H, L_LONG)).astype(np.float32)
    return d, lb, bb, u32


def test_kernel_float32_matches_float64_at_long_L(long_system):
    d, lb, bb, _ = long_system
    z, w = np.log(lb), d.C * bb
    K64 = compute.kernel(z, w, L_LONG)
    K32 = compute.kernel(z, w, L_LONG, dtype=np.float32)
    assert K32.dtype == np.float32 and K32.shape == K64.shape
    for h in range(K64.shape[0]):
        assert rel(K32[h], K64[h]) <= 1e-6   # 2N float32 roundings per entry
    # complex64 parameters select float32 by default (and are used in float64 as given).
    K = compute.kernel(z.astype(np.complex64), w.astype(np.complex64), 100)
    assert K.dtype == np.float32
    ref = compute.kernel(z.astype(np.complex64).astype(complex), w.astype(np.complex64).astype(complex), 100)
    assert rel(K, ref) <= 1e-6


def test_scan_float32_matches_float64_and_the_kernel_convolution(long_system):
    d, lb, bb, u32 = long_system
    H = lb.shape[0]
    D = np.linspace(-1, 1, H)
    y32, x32 = compute.scan(lb, bb, d.C, u32, D=D, return_state=True)
    assert y32.dtype == np.float32 and x32.dtype == np.complex128
    u64 = u32.astype(np.float64)
    y64, x64 = compute.scan(lb, bb, d.C, u64, D=D, return_state=True)
    assert rel(y32, y64) <= 1e-5
    assert rel(y32, y64) <= 1e-6   # one rounding of the output: the state is float64
    assert np.max(np.abs(x32 - x64)) <= 1e-12 * np.max(np.abs(x64))
    # The float32 kernel's float32 convolution gives the same outputs.
    K32 = compute.kernel(np.log(lb), d.C * bb, L_LONG, dtype=np.float32)
    yc32 = compute.convolve(u32, K32, D=D)
    assert yc32.dtype == np.float32
    assert rel(yc32, y64) <= 1e-5


def test_convolve_float32_matches_float64():
    rng = np.random.default_rng(3)
    H, L = 4, 1000
    K = rng.standard_normal((H, L)).astype(np.float32)
    u = rng.standard_normal((2, H, L)).astype(np.float32)
    D = rng.standard_normal(H)
    y32 = compute.convolve(u, K, D=D)
    y64 = compute.convolve(u.astype(np.float64), K.astype(np.float64), D=D)
    assert y32.dtype == np.float32
    assert rel(y32, y64) <= 1e-6
    # numpy's direct convolution of the same float32 data, in float64.
    ref = np.stack([[np.convolve(u[b, h].astype(float), K[h].astype(float))[:L] + D[h] * u[b, h]
                     for h in range(H)] for b in range(2)])
    assert rel(y32, ref) <= 1e-6
    # Mixed precisions compute in float64.
    assert compute.convolve(u, K.astype(np.float64)).dtype == np.float64


def test_convolve_float32_rows_do_not_depend_on_their_position():
    # Rows run four at a time in SIMD lanes (the last group padded): each row alone gives the same bits.
    rng = np.random.default_rng(4)
    H, L = 7, 300
    K = rng.standard_normal((H, L)).astype(np.float32)
    u = rng.standard_normal((3, H, L)).astype(np.float32)
    D = rng.standard_normal(H)
    y = compute.convolve(u, K, D=D)
    for b in range(3):
        for h in range(H):
            alone = compute.convolve(u[b:b + 1, h:h + 1], K[h:h + 1], D=D[h:h + 1])
            assert np.array_equal(alone[0, 0], y[b, h]), (b, h)
    # Short sequences (transform lengths 1, 2, 4, 8) against float64.
    for L in (1, 2, 3, 5):
        K = rng.standard_normal((H, L)).astype(np.float32)
        u = rng.standard_normal((2, H, L)).astype(np.float32)
        y64 = compute.convolve(u.astype(np.float64), K.astype(np.float64), D=D)
        assert rel(compute.convolve(u, K, D=D), y64) <= 1e-6, L


def test_scan_dt_float32_matches_float64():
    H, N2, L = 2, 4, 500
    d = init.diagonal("lin", 2 * N2, H, B="random", seed=5)
    rng = np.random.default_rng(4)
    u = rng.standard_normal((H, L)).astype(np.float32)
    dt = rng.uniform(1e-3, 1e-1, (H, L)).astype(np.float32)
    for method in ("zoh", "zoh_a_euler_b", "bilinear"):
        y32 = compute.scan_dt(d.Lambda, d.B, d.C, u, dt, method=method)
        y64 = compute.scan_dt(d.Lambda, d.B, d.C, u.astype(float), dt.astype(float), method=method)
        assert y32.dtype == np.float32
        assert rel(y32, y64) <= 1e-6
    # dt in float64 with float32 u: float64.
    assert compute.scan_dt(d.Lambda, d.B, d.C, u, dt.astype(float)).dtype == np.float64


def test_float32_bad_input():
    d, lb, bb = modes(1, 2, seed=1)
    u = np.ones((1, 8), np.float32)
    u[0, 3] = np.nan
    with pytest.raises(ssmkit.SSMValueError, match="u"):
        compute.scan(lb, bb, d.C, u)
    with pytest.raises(ssmkit.SSMValueError, match="u"):
        compute.convolve(u, np.ones((1, 8), np.float32))
    with pytest.raises(ssmkit.SSMTypeError, match="dtype"):
        compute.kernel(np.log(lb), d.C * bb, 8, dtype=np.int32)
    # Values beyond float32's range are reported, not returned as Inf.
    with pytest.raises(ssmkit.SSMError, match="overflow"):
        compute.kernel(np.array([[0.5 + 0j]]), np.array([[1.0 + 0j]]), 200, dtype=np.float32)
    big = np.full((1, 8), 3e38, np.float32)
    with pytest.raises(ssmkit.SSMError, match="overflow"):
        compute.scan(np.array([[1.0 + 0j]]), np.array([[10.0 + 0j]]), np.array([[1.0 + 0j]]), big)
