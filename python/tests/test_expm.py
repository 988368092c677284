"""ssmkit.expm against scipy.linalg.expm (same algorithm: Higham 2005 scaling and squaring) and
against exact exponentials."""

import numpy as np
import pytest
import scipy.linalg

import ssmkit

from conftest import assert_rel

SIZES = [1, 2, 7, 64, 256, 512]


def fro_rel(X, Y):
    return np.linalg.norm(X - Y) / np.linalg.norm(Y)


@pytest.mark.parametrize("N", SIZES)
def test_random_real(N):
    rng = np.random.default_rng(N)
    M = rng.standard_normal((N, N)) / np.sqrt(N)
    X = ssmkit.expm(M)
    assert X.dtype == np.float64 and X.shape == (N, N)
    assert fro_rel(X, scipy.linalg.expm(M)) <= 1e-12


@pytest.mark.parametrize("N", SIZES)
def test_random_complex(N):
    rng = np.random.default_rng(1000 + N)
    M = (rng.standard_normal((N, N)) + 1j * rng.standard_normal((N, N))) / np.sqrt(2 * N)
    X = ssmkit.expm(M)
    assert X.dtype == np.complex128
    assert fro_rel(X, scipy.linalg.expm(M)) <= 1e-12


@pytest.mark.parametrize("N", SIZES)
@pytest.mark.parametrize("dt", [1e-3, 1e-2, 1e-1])
def test_hippo_legs_scaled(N, dt):
    A, _ = ssmkit.hippo("legs", N)
    X = ssmkit.expm(A * dt)
    # 1e-12, except N = 512, dt = 0.1 (‖M‖₁ = 1.7e4, eigenvector condition far beyond 1e20):
    # there scipy itself is off. Against a 24-term Taylor + 17 squarings reference in 80-bit long
    # double, ssmkit's error was 8.6e-14 and scipy's 2.9e-12, so the comparison allows 1e-11.
    tol = 1e-11 if np.linalg.norm(A * dt, 1) > 1e4 else 1e-12
    assert fro_rel(X, scipy.linalg.expm(A * dt)) <= tol


@pytest.mark.parametrize("N", [7, 64, 256])
@pytest.mark.parametrize("measure", ["legt", "lagt", "fout"])
def test_hippo_other_measures(measure, N):
    if measure == "fout":
        N += 1 - N % 2
    A, _ = ssmkit.hippo(measure, N)
    M = A * 0.01
    assert fro_rel(ssmkit.expm(M), scipy.linalg.expm(M)) <= 1e-12


@pytest.mark.parametrize("N,scale", [(2, 50.0), (7, 30.0), (64, 20.0), (128, 10.0)])
def test_large_norm(N, scale):
    # ‖M‖ of tens to hundreds: many squarings. A stable (shifted) matrix keeps exp(M) bounded and
    # well conditioned; both libraries run the same squarings, so they agree to 1e-12 relative.
    rng = np.random.default_rng(7 * N)
    M = scale * (rng.standard_normal((N, N)) / np.sqrt(N) - 1.5 * np.eye(N))
    assert np.linalg.norm(M, 1) > 10
    X, Y = ssmkit.expm(M), scipy.linalg.expm(M)
    assert fro_rel(X, Y) <= 1e-12


def test_large_norm_nonnormal():
    # A LegS matrix with a large step, ‖M‖₁ = 2.6e3 and 2.1e4: strongly non-normal (eigenvector
    # condition ≈ 4e20 at N = 64) and many squarings; measured differences 2e-14 and 1.6e-13.
    for N, dt in [(64, 1.0), (256, 0.5)]:
        A, _ = ssmkit.hippo("legs", N)
        M = A * dt
        assert fro_rel(ssmkit.expm(M), scipy.linalg.expm(M)) <= 1e-12


def test_exact_cases():
    assert np.array_equal(ssmkit.expm(np.zeros((5, 5))), np.eye(5))
    d = np.array([-3.0, -0.5, 0.0, 0.7, 2.0])
    assert_rel(ssmkit.expm(np.diag(d)), np.diag(np.exp(d)), 1e-15, "diagonal")
    for x in [-700.0, -1.0, 1e-20, 0.5, 3.0, 700.0]:
        assert_rel(ssmkit.expm([[x]]), [[np.exp(x)]], 2e-16 * max(1.0, abs(x)), f"1x1 {x}")
    # Nilpotent: exp(N) = I + N + N²/2 exactly for a strictly upper 3×3 matrix.
    Nm = np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 4.0], [0.0, 0.0, 0.0]])
    assert_rel(ssmkit.expm(Nm), np.eye(3) + Nm + Nm @ Nm / 2, 1e-15, "nilpotent")
    # Rotation: exp([[0, -t], [t, 0]]) = [[cos, -sin], [sin, cos]].
    t = 1.3
    R = ssmkit.expm([[0.0, -t], [t, 0.0]])
    assert_rel(R, [[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]], 1e-15, "rotation")
    # Complex scalar.
    z = -0.5 + 3j
    assert abs(ssmkit.expm([[z]])[0, 0] - np.exp(z)) <= 1e-15 * abs(np.exp(z))


def test_dtypes():
    assert ssmkit.expm(np.eye(3, dtype=int)).dtype == np.float64
    assert ssmkit.expm(np.eye(3, dtype=bool)).dtype == np.float64
    assert ssmkit.expm(np.eye(3, dtype=np.float32)).dtype == np.float64
    assert ssmkit.expm([[1, 0], [0, 1]]).dtype == np.float64
    assert ssmkit.expm(np.eye(3, dtype=np.complex64)).dtype == np.complex128
    # Non-contiguous and Fortran-ordered input is copied, not rejected.
    M = np.asfortranarray(np.random.default_rng(0).standard_normal((6, 6)))
    assert_rel(ssmkit.expm(M), scipy.linalg.expm(M), 1e-13, "fortran")
    assert_rel(ssmkit.expm(np.eye(12)[::2, ::2] * 0.3), np.eye(6) * np.exp(0.3), 1e-15, "strided")


def test_input_not_modified():
    M = np.random.default_rng(1).standard_normal((5, 5))
    copy = M.copy()
    ssmkit.expm(M)
    assert np.array_equal(M, copy)


def test_overflow_is_unstable():
    with pytest.raises(ssmkit.SSMUnstableError) as info:
        ssmkit.expm([[1000.0]])
    assert not isinstance(info.value, ValueError)
    assert isinstance(info.value, ArithmeticError)
    assert info.value.code == 3
