"""HiPPO matrices against formulas written independently here in numpy (MATH.md §1 and
state-spaces/s4's transition()), and the rank corrections' normality."""

import math

import numpy as np
import pytest

import ssmkit

from conftest import assert_rel

SIZES = [1, 2, 7, 64, 256]
THETAS = [1.0, 0.3, 2.5]


def r(N):
    return np.sqrt(2 * np.arange(N) + 1.0)


def legs(N):
    q = r(N)
    A = -np.outer(q, q)
    A = np.tril(A, -1) - np.diag(np.arange(N) + 1.0)
    return A, q.copy()


def legt(N, theta):
    n = np.arange(N)[:, None]
    k = np.arange(N)[None, :]
    sign = np.where(n >= k, 1.0, (-1.0) ** (n - k))
    return -np.outer(r(N), r(N)) * sign / theta, r(N) / theta


def lmu(N, theta):
    n = np.arange(N)[:, None]
    k = np.arange(N)[None, :]
    A = (2 * n + 1.0) / theta * np.where(n < k, -1.0, (-1.0) ** (n - k + 1))
    B = (2 * np.arange(N) + 1.0) * (-1.0) ** np.arange(N) / theta
    return A, B


def lagt(N):
    return 0.5 * np.eye(N) - np.tril(np.ones((N, N))), np.ones(N)


def fout_g(N):
    g = np.zeros(N)
    g[0] = 1.0
    g[1::2] = math.sqrt(2.0)  # cos entries (indices 2m - 1)
    return g


def fout(N, theta):
    g = fout_g(N)
    omega = np.zeros((N, N))
    for m in range(1, (N - 1) // 2 + 1):
        omega[2 * m, 2 * m - 1] = 2 * math.pi * m
        omega[2 * m - 1, 2 * m] = -2 * math.pi * m
    return (omega - 2 * np.outer(g, g)) / theta, 2 * g / theta


def paper(measure, N, theta):
    return {"legs": lambda: legs(N), "legt": lambda: legt(N, theta),
            "lmu": lambda: lmu(N, theta), "lagt": lambda: lagt(N),
            "fout": lambda: fout(N, theta)}[measure]()


def s4_transition(measure, N):
    """Transcription of state-spaces/s4 (src/models/hippo/hippo.py, transition())."""
    if measure == "legt":
        Q = np.arange(N, dtype=np.float64)
        R = (2 * Q + 1) ** .5
        j, i = np.meshgrid(Q, Q)
        A = R[:, None] * np.where(i < j, (-1.) ** (i - j), 1) * R[None, :]
        B = R[:, None]
        A = -A
        return A * 0.5, (B * 0.5)[:, 0]
    if measure == "lmu":
        Q = np.arange(N, dtype=np.float64)
        R = (2 * Q + 1)[:, None]
        j, i = np.meshgrid(Q, Q)
        A = np.where(i < j, -1, (-1.) ** (i - j + 1)) * R
        B = (-1.) ** Q[:, None] * R
        return A, B[:, 0]
    if measure == "lagt":
        return np.eye(N) / 2 - np.tril(np.ones((N, N))), np.ones(N)
    if measure == "legs":
        q = np.arange(N, dtype=np.float64)
        col, row = np.meshgrid(q, q)
        rr = 2 * q + 1
        M = -(np.where(row >= col, rr, 0) - np.diag(q))
        T = np.sqrt(np.diag(2 * q + 1))
        A = T @ M @ np.linalg.inv(T)
        return A, np.diag(T).copy()
    raise ValueError(measure)


def assert_matrix(actual, expected, what):
    # Elementwise relative 1e-14: the library may evaluate r_n r_k as sqrt((2n+1)(2k+1)) or as a
    # product of square roots (a few ulps apart); zeros must be exact zeros.
    assert actual.shape == expected.shape, what
    assert actual.dtype == np.float64
    np.testing.assert_allclose(actual, expected, rtol=1e-14, atol=0, err_msg=what)


@pytest.mark.parametrize("N", SIZES)
@pytest.mark.parametrize("measure", ["legs", "legt", "lmu", "lagt", "fout"])
def test_paper_formulas(measure, N):
    if measure == "fout" and N % 2 == 0:
        N += 1
    for theta in THETAS:
        A, B = ssmkit.hippo(measure, N, theta=theta)
        A0, B0 = paper(measure, N, theta)
        assert_matrix(A, A0, f"{measure} A N={N} theta={theta}")
        assert_matrix(B, B0, f"{measure} B N={N} theta={theta}")


def test_legs_eigenvalues():
    A, _ = ssmkit.hippo("legs", 16)
    assert np.array_equal(np.diag(A), -np.arange(1.0, 17.0))  # triangular: eigenvalues −1…−N


@pytest.mark.parametrize("N", [1, 2, 7, 64])
@pytest.mark.parametrize("measure", ["legs", "legt", "lmu", "lagt"])
def test_s4_convention_matches_s4_transition(measure, N):
    A, B = ssmkit.hippo(measure, N, convention="s4")
    A0, B0 = s4_transition(measure, N)
    # s4's LegS goes through T M T^-1 with a matrix inverse: entries agree to ~1e-13 relative,
    # not to the ulp.
    tol = 1e-13 if measure == "legs" else 1e-14
    np.testing.assert_allclose(A, A0, rtol=tol, atol=tol * np.max(np.abs(A0)))
    np.testing.assert_allclose(B, B0, rtol=tol, atol=0)


@pytest.mark.parametrize("theta", THETAS)
def test_s4_convention_is_paper_with_doubled_legt_window(theta):
    for measure in ["legs", "legt", "lmu", "lagt"]:
        A, B = ssmkit.hippo(measure, 9, theta=theta, convention="S4")
        window = 2 * theta if measure == "legt" else theta
        A0, B0 = paper(measure, 9, window)
        assert_matrix(A, A0, measure)
        assert_matrix(B, B0, measure)


def p_formula(measure, N, theta):
    n = np.arange(N)
    if measure == "legs":
        return np.sqrt(n + 0.5)[None, :]
    if measure == "legt":
        p0 = np.where(n % 2 == 0, r(N), 0.0) / math.sqrt(theta)
        p1 = np.where(n % 2 == 1, r(N), 0.0) / math.sqrt(theta)
        return np.vstack([p0, p1])
    if measure == "lagt":
        return np.full((1, N), math.sqrt(0.5))
    if measure == "fout":
        return (math.sqrt(2 / theta) * fout_g(N))[None, :]
    raise ValueError(measure)


@pytest.mark.parametrize("N", SIZES)
@pytest.mark.parametrize("measure,convention", [
    ("legs", "paper"), ("legt", "paper"), ("lagt", "paper"), ("fout", "paper"),
    ("legs", "s4"), ("legt", "s4"), ("lagt", "s4")])  # FouT has no s4 convention (test_errors)
def test_rank_correction_formula_and_normality(measure, N, convention):
    if measure == "fout" and N % 2 == 0:
        N += 1
    expected_rank = 2 if measure == "legt" else 1
    assert ssmkit.hippo_rank(measure) == expected_rank
    for theta in THETAS:
        P = ssmkit.rank_correction(measure, N, theta=theta, convention=convention)
        window = 2 * theta if (measure == "legt" and convention == "s4") else theta
        assert P.shape == (expected_rank, N)
        np.testing.assert_allclose(P, p_formula(measure, N, window), rtol=1e-14, atol=0)
        A, _ = ssmkit.hippo(measure, N, theta=theta, convention=convention)
        S = A + P.T @ P
        c = np.mean(np.diag(S))
        sym = (S + S.T) / 2
        # Normal = c I + skew: the symmetric part is c I. Tolerance 1e-13 of ‖S‖: A and PᵀP have
        # entries of size N/θ that cancel to ~ulp each.
        assert np.max(np.abs(sym - c * np.eye(N))) <= 1e-13 * max(1.0, np.max(np.abs(S)))
        skew = S - c * np.eye(N)
        assert np.max(np.abs(skew + skew.T)) <= 1e-13 * max(1.0, np.max(np.abs(S)))
        # The constant: −½ for LegS (MATH.md §1); 0 for LagT (−½ + ½ on the diagonal).
        if measure == "legs":
            assert abs(c + 0.5) <= 1e-13
        if measure == "lagt":
            assert abs(c) <= 1e-13


def test_lmu_has_no_rank_correction():
    with pytest.raises(ssmkit.SSMUnsupportedError):
        ssmkit.hippo_rank("lmu")
    with pytest.raises(ssmkit.SSMUnsupportedError):
        ssmkit.rank_correction("lmu", 4)


def test_measure_names_are_case_insensitive():
    A1, _ = ssmkit.hippo("LegT", 5, theta=0.7)
    A2, _ = ssmkit.hippo("legt", 5, theta=0.7)
    assert np.array_equal(A1, A2)


def test_integer_like_arguments():
    A, B = ssmkit.hippo("legs", np.int64(5), theta=np.float32(1.0))
    assert A.shape == (5, 5)
    A2, _ = ssmkit.hippo("legt", 5, theta=2)
    assert_rel(A2, legt(5, 2.0)[0], 1e-14, "integer theta")
