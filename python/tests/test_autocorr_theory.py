"""ssmkit.autocorr's theory functions (MATH.md §4–§5) against numpy/scipy oracles: dense ρᵀRρ with
scipy.linalg.toeplitz, the exact and a Monte Carlo expectation over the readout c, the bound,
brute-force checks of the critical timescale, numpy.linalg.cond / eigvalsh for κ, numpy.linalg.lstsq
for the approximation error, and the issue's "Must show" shapes. Tolerances: fp64 1e-10 relative
unless a reason is written next to a looser one."""

import ctypes

import numpy as np
import pytest
from scipy.linalg import toeplitz

import ssmkit
import test_bindings
from ssmkit import _bindings as b
from ssmkit import _autocorr_theory, autocorr

W = np.array([-0.3, -0.5 + 1j, -0.1 + 7j, 0.0, 2j])
B = np.array([1.0, 0.5 - 1j, 2 + 0.3j, 1.0, 0.3 + 0.3j])
C = np.array([1 + 1j, -0.3, 0.7j, 0.2, -1 + 0.5j])


def white(L):
    return np.r_[1.0, np.zeros(L - 1)]


def processes(L):
    k = np.arange(L)
    return {"white": white(L), "constant": np.ones(L), "ar1": 0.9 ** k, "ar1_negative": (-0.6) ** k,
            "power_law": (1.0 + k) ** -0.4}


def b_bar(w, B, dt):
    """B̄ = dt·φ1(dt·w)·B with numpy (φ1(0) = 1)."""
    z = dt * np.asarray(w, complex)
    safe = np.where(z == 0, 1, z)
    return dt * np.where(z == 0, 1, np.expm1(safe) / safe) * B


def vandermonde(w, dt, L):
    """V[m, j] = e^(dt·w_j·m)."""
    return np.exp(dt * np.outer(np.arange(L), w))


def rho_numpy(w, B, c, dt, L):
    return np.real(vandermonde(w, dt, L) @ (c * b_bar(w, B, dt)))


def expected_numpy(w, B, dt, r):
    """½ Σ_j |B̄_j|² v_jᴴ R v_j with a dense Toeplitz R."""
    R = toeplitz(r)
    V = vandermonde(w, dt, len(r))
    forms = np.real(np.einsum("mj,mn,nj->j", V.conj(), R, V))
    return 0.5 * np.sum(np.abs(b_bar(w, B, dt)) ** 2 * forms)


def rel(a, b):
    return abs(a - b) / abs(b)


def test_output_weights_match_numpy():
    for dt, L in [(0.07, 300), (1.3, 17), (1e-3, 1)]:
        rho = autocorr.output_weights(W, C, dt, L, B=B)
        assert rho.shape == (L,) and rho.dtype == np.float64
        expected = rho_numpy(W, B, C, dt, L)
        # Powers to a few tens of ulps (the diagonal kernel's table); terms are O(1).
        assert np.max(np.abs(rho - expected)) <= 1e-13 * max(1.0, np.max(np.abs(expected)))
    # B=None is B = 1.
    assert np.array_equal(autocorr.output_weights(W, C, 0.1, 20), autocorr.output_weights(W, C, 0.1, 20, B=np.ones(5)))


@pytest.mark.parametrize("L", [1, 2, 97, 256])
def test_output_power_is_the_dense_quadratic_form(L):
    for name, r in processes(L).items():
        R = toeplitz(r)
        rho = rho_numpy(W, B, C, 0.05, L)
        dense = rho @ R @ rho
        reversed_ = rho[::-1] @ R @ rho[::-1]   # ρ̃ᵀRρ̃ = ρᵀRρ: R is persymmetric
        assert rel(reversed_, dense) <= 1e-12, name
        assert rel(autocorr.output_power(W, C, 0.05, r, B=B), dense) <= 1e-10, name


def test_expected_output_power_exact_and_monte_carlo():
    L, dt = 96, 0.09
    for name, r in processes(L).items():
        expected = autocorr.expected_output_power(W[:3], dt, r, B=B[:3])
        assert rel(expected, expected_numpy(W[:3], B[:3], dt, r)) <= 1e-10, name
        # Exact average over c ~ CN(0, I) from the output power at c = e_j and c = i·e_j.
        exact = 0.0
        for j in range(3):
            for unit in (1, 1j):
                e = np.zeros(3, complex)
                e[j] = unit
                exact += 0.5 * autocorr.output_power(W[:3], e, dt, r, B=B[:3])
        assert rel(expected, exact) <= 1e-10, name
    # Monte Carlo over c (AR(1) input): 40 000 draws, relative standard error about 1/√(40000/2) ≈ 0.7 %;
    # the check allows 5 standard errors.
    rng = np.random.default_rng(5)
    r = processes(L)["ar1"]
    K = 40_000
    c = (rng.standard_normal((3, K)) + 1j * rng.standard_normal((3, K))) / np.sqrt(2)
    rho = np.real(vandermonde(W[:3], dt, L) @ (b_bar(W[:3], B[:3], dt)[:, None] * c))
    powers = np.einsum("mk,mn,nk->k", rho, toeplitz(r), rho)
    mean, sem = powers.mean(), powers.std() / np.sqrt(K)
    assert abs(mean - autocorr.expected_output_power(W[:3], dt, r, B=B[:3])) <= 5 * sem


@pytest.mark.parametrize("L,dt", [(1, 0.3), (64, 0.01), (1000, 0.002)])
def test_single_zero_mode_closed_forms(L, dt):
    # ½Δ²L for white noise, ½Δ²L² for a constant input.
    assert rel(autocorr.expected_output_power([0], dt, white(L)), 0.5 * dt**2 * L) <= 1e-14
    assert rel(autocorr.expected_output_power([0], dt, np.ones(L)), 0.5 * dt**2 * L**2) <= 1e-13


def test_bound_holds_and_is_tight():
    L = 60
    for name, r in processes(L).items():
        lam_max = np.linalg.eigvalsh(toeplitz(r))[-1]
        for dt in (0.01, 0.1, 1.0):
            power = autocorr.output_power(W, C, dt, r, B=B)
            bound = autocorr.output_power_bound(W, C, dt, L, lam_max, B=B)
            assert np.isclose(bound, dt**2 * L * lam_max * np.sum(np.abs(C * B)) ** 2, rtol=1e-14, atol=0)
            assert power <= bound * (1 + 1e-12), (name, dt)
    # Tight: w = 0, c_j B_j > 0, constant input (λ_max = L).
    w0, B0, c0 = np.zeros(2), np.array([2, 1j]), np.array([0.5, -3j])
    power = autocorr.output_power(w0, c0, 0.01, np.ones(L), B=B0)
    assert rel(power, autocorr.output_power_bound(w0, c0, 0.01, L, L, B=B0)) <= 1e-12
    with pytest.raises(ssmkit.SSMValueError, match="Re w"):
        autocorr.output_power_bound([0.1], [1], 0.1, L, 1.0)


def test_critical_timescale_brute_force():
    L = 256
    w = np.array([0, -0.5 + 3j, 9j, -0.2])
    for name, r in processes(L).items():
        for target in (0.01, 1.0, 30.0):
            res = autocorr.critical_timescale(w, r, B=B[:4], target=target)
            assert isinstance(res, autocorr.CriticalTimescale) and res.iterations >= 0
            assert rel(expected_numpy(w, B[:4], res.dt, r), target) <= 1e-10, (name, target)
            # No earlier root: the power stays below the target on a fine grid up to Δ*.
            grid = np.geomspace(1e-8, res.dt * (1 - 1e-6), 400)
            below = [expected_numpy(w, B[:4], d, r) for d in grid]
            assert max(below) < target, (name, target)


def test_critical_timescale_closed_forms_and_missing_roots():
    for L in (16, 1000):
        assert rel(autocorr.critical_timescale([0], white(L)).dt, np.sqrt(2 / L)) <= 1e-14
        assert rel(autocorr.critical_timescale([0], np.ones(L)).dt, np.sqrt(2) / L) <= 1e-14
    # Re w < 0 saturates at ½|B/w|² r(0) = ½ < 1.
    with pytest.raises(ssmkit.SSMNotConvergedError, match="stays below"):
        autocorr.critical_timescale([-1.0], white(64))
    with pytest.raises(ssmkit.SSMNotConvergedError, match="already"):
        autocorr.critical_timescale([0], white(64), dt_min=10, dt_max=20)
    with pytest.raises(ssmkit.SSMValueError, match="dt_min"):
        autocorr.critical_timescale([0], white(64), dt_min=1, dt_max=0.5)
    with pytest.raises(ssmkit.SSMValueError, match="Re w"):
        autocorr.critical_timescale([0.1], white(64))


def test_timescale_rule_and_memory_weight():
    assert autocorr.timescale_rule(400, 4.0, kappa=2.0) == 0.05
    assert rel(autocorr.timescale_rule(1024, 1.0), 1 / 32) <= 1e-15
    L = 10_000
    dt = autocorr.timescale_rule(L, 1.0)
    weight = autocorr.memory_weight([-0.5, 0.0, -2.0], dt, L)
    assert rel(weight[0], np.exp(-0.5 * dt * (L - 1))) <= 1e-14 and weight[1] == 1 and weight[2] < 1e-80
    # Complex eigenvalues: their real parts.
    assert np.array_equal(autocorr.memory_weight(np.array([-0.5 + 3j, 1j]), dt, L), weight[:2])


def test_gram_continuous_closed_form_and_integral():
    from scipy.integrate import quad

    w = np.array([-0.5, -0.5 + 3j, -1 + 3.2j, -2 - 1j])
    G = autocorr.gram_continuous(w)
    a, bb = w.real, w.imag
    s = -(a[:, None] + a[None, :])
    closed = 0.5 * (s / (s**2 + (bb[:, None] - bb[None, :]) ** 2) + s / (s**2 + (bb[:, None] + bb[None, :]) ** 2))
    assert np.max(np.abs(G - closed)) <= 1e-15 * np.max(np.abs(closed))
    for j in range(4):
        for k in range(4):
            value, _ = quad(lambda t: np.exp((a[j] + a[k]) * t) * np.cos(bb[j] * t) * np.cos(bb[k] * t), 0, np.inf,
                            epsabs=1e-13, epsrel=1e-12, limit=400)
            assert abs(G[j, k] - value) <= 1e-10, (j, k)
    with pytest.raises(ssmkit.SSMValueError, match="Re w < 0"):
        autocorr.gram_continuous([-1, 2j])


def test_gram_discrete_matches_numpy_and_tends_to_the_continuous():
    w = np.array([-0.5, -0.5 + 3j, -1 + 2j])
    for dt, L in [(0.1, 50), (0.37, 7)]:
        t = dt * np.arange(L)
        phi = np.exp(np.outer(w.real, t)) * np.cos(np.outer(w.imag, t))
        G = autocorr.gram_discrete(w, dt, L)
        assert np.max(np.abs(G - dt * phi @ phi.T)) <= 1e-14 * np.max(np.abs(G))
        assert np.array_equal(G, G.T)
    # Δ → 0, LΔ = 80: the left Riemann sum is G_cont + Δ/2 + O(Δ²) (Euler–Maclaurin with f(0) = 1).
    Gc = autocorr.gram_continuous(w)
    errors = []
    for dt in (0.04, 0.02, 0.01):
        errors.append(np.max(np.abs(autocorr.gram_discrete(w, dt, int(round(80 / dt))) - Gc - dt / 2)))
    # The rest is Δ²·s/12 ≤ Δ²/6 (s ≤ 2): it falls by 4 per halving.
    assert errors[0] <= 0.04**2 / 6 * 1.01 and 3.9 < errors[0] / errors[1] < 4.1 and 3.9 < errors[1] / errors[2] < 4.1


def test_aliasing_makes_the_discrete_gram_singular():
    dt, b0 = 0.1, 1.3
    for other in (b0 + 2 * np.pi / dt, 2 * np.pi / dt - b0):
        w = np.array([-0.2 + 1j * b0, -0.2 + 1j * other])
        kappa = autocorr.condition_number(autocorr.gram_discrete(w, dt, 400))
        assert kappa > 1e12
        assert autocorr.condition_number(autocorr.gram_continuous(w)) < 1.1
    assert autocorr.condition_number(autocorr.gram_discrete([-0.2 + 1j * b0, -0.2 + 1j * (b0 + 1)], dt, 400)) < 10


def test_condition_number_matches_numpy():
    rng = np.random.default_rng(1)
    for n in (1, 3, 10):
        A = rng.standard_normal((n, n))
        for G in (A @ A.T + 0.1 * np.eye(n), A + A.T):
            kappa = autocorr.condition_number(G)
            assert rel(kappa, np.linalg.cond(G)) <= 1e-10
            ev = np.linalg.eigvalsh(G)
            assert rel(kappa, np.max(np.abs(ev)) / np.min(np.abs(ev))) <= 1e-10
    assert autocorr.condition_number(np.diag([1.0, 0.0])) == np.inf
    with pytest.raises(ssmkit.SSMValueError, match="symmetric"):
        autocorr.condition_number([[1.0, 0.5], [0.4, 1.0]])
    with pytest.raises(ssmkit.SSMSizeError):
        autocorr.condition_number(np.ones((2, 3)))


def test_approximation_error_matches_lstsq():
    dt, L = 0.05, 400
    t = dt * np.arange(L)
    rng = np.random.default_rng(2)
    for w in (np.array([-0.5, -0.5 + 2j, -0.5 + 2.2j]), -0.5 + 1j * np.pi * np.arange(8), -(np.arange(6) + 1.0)):
        phi = np.exp(np.outer(w.real, t)) * np.cos(np.outer(w.imag, t))
        for target in (np.exp(-0.3 * t) * np.cos(1.1 * t), (1 + t) ** -0.7, rng.standard_normal(L)):
            coef, *_ = np.linalg.lstsq(phi.T, target, rcond=None)
            oracle = np.sum((target - phi.T @ coef) ** 2) / np.sum(target**2)
            assert rel(autocorr.approximation_error(w, dt, target), oracle) <= 1e-10
    # A target in the span: zero error up to rounding (the residual is a projection, not target − Φᵀc).
    w = np.array([-0.5, -0.5 + 2j, -0.5 + 2.2j])
    in_span = 3 * np.exp(-0.5 * t) - np.exp(-0.5 * t) * np.cos(2.2 * t)
    assert autocorr.approximation_error(w, dt, in_span) <= 1e-28
    with pytest.raises(ssmkit.SSMValueError, match="zero"):
        autocorr.approximation_error(w, dt, np.zeros(5))


def test_approximation_estimation_tradeoff():
    # MATH.md §5: a target with close frequencies β_k. Placing b_j = β_k: zero error, huge κ; spreading
    # the b_j: smaller κ, larger error.
    dt, L, a = 0.05, 2000, -0.5
    t = dt * np.arange(L)
    beta = np.array([2.0, 2.1, 2.2])
    target = sum(np.exp(a * t) * np.cos(bk * t) for bk in beta)
    placed = a + 1j * beta
    spread = a + 1j * np.array([0.0, 2.1, 4.2])
    assert autocorr.approximation_error(placed, dt, target) <= 1e-26
    assert autocorr.approximation_error(spread, dt, target) > 1e-5   # 1.9e-4 measured
    assert autocorr.condition_number(autocorr.gram_continuous(placed)) > 100 * autocorr.condition_number(
        autocorr.gram_continuous(spread))


def test_must_show_timescale_slopes():
    # The shape: S4D-Lin imaginary parts b_n = πn, N = 32, Re = 0, B = 1, L = 128…2048.
    w = 1j * np.pi * np.arange(32)
    Ls = np.array([128, 256, 512, 1024, 2048])
    white_dt = [autocorr.critical_timescale(w, white(L)).dt for L in Ls]
    constant_dt = [autocorr.critical_timescale(w, np.ones(L)).dt for L in Ls]
    white_slope = np.polyfit(np.log(Ls), np.log(white_dt), 1)[0]
    constant_slope = np.polyfit(np.log(Ls), np.log(constant_dt), 1)[0]
    assert abs(white_slope + 0.5) <= 0.05, white_slope
    assert abs(constant_slope + 1.0) <= 0.02, constant_slope


def test_must_show_conditioning():
    # S4D-Real (a_n = −(n+1), b = 0): κ grows exponentially in N (about ×1000 per two modes) until it
    # reaches 1/ε; S4D-Lin (a = −½, b_n = πn) stays below 3 up to N = 32.
    kappas = [autocorr.condition_number(autocorr.gram_continuous(-(np.arange(N) + 1.0))) for N in (2, 4, 6, 8, 10)]
    assert all(later > 300 * earlier for earlier, later in zip(kappas, kappas[1:])), kappas
    for N in range(1, 33):
        assert autocorr.condition_number(autocorr.gram_continuous(-0.5 + 1j * np.pi * np.arange(N))) < 3


def test_python_side_checks():
    with pytest.raises(ssmkit.SSMSizeError, match="c must have shape"):
        autocorr.output_weights(W, C[:2], 0.1, 4)
    with pytest.raises(ssmkit.SSMValueError, match="dt"):
        autocorr.output_weights(W, C, 0.0, 4)
    with pytest.raises(ssmkit.SSMValueError, match="not finite"):
        autocorr.output_power(W, C, 0.1, [1.0, np.nan])
    with pytest.raises(ssmkit.SSMSizeError, match="w must be"):
        autocorr.expected_output_power([], 0.1, [1.0])
    with pytest.raises(ssmkit.SSMUnstableError):
        autocorr.output_weights([1.0], [1.0], 1.0, 2000)
    with pytest.raises(ssmkit.SSMValueError, match="rcond"):
        autocorr.approximation_error([-1.0], 0.1, [1.0, 2.0], rcond=-1)


def _raw_calls():
    """(function, arguments, indices of the pointers that must not be NULL)."""
    w, Bc, c = np.array([-1 + 1j, 0j]), np.ones(2, complex), np.array([1 + 0j, 0.5j])
    r, out, G = white(8), np.empty(8), np.empty((2, 2))
    d, i1, i2 = ctypes.c_double(), ctypes.c_int64(), ctypes.c_int64()
    ref = ctypes.byref
    return [
        ("ssm_output_weights", [2, w, Bc, c, 0.1, 8, out], [1, 3, 6]),
        ("ssm_output_power", [2, w, Bc, c, 0.1, 8, r, ref(d)], [1, 3, 6, 7]),
        ("ssm_expected_output_power", [2, w, Bc, 0.1, 8, r, ref(d)], [1, 5, 6]),
        ("ssm_output_power_bound", [2, w, Bc, c, 0.1, 8, 1.0, ref(d)], [1, 3, 7]),
        ("ssm_critical_timescale", [2, w, Bc, 8, r, 1.0, 1e-8, 1e3, ref(d), ref(i1), ref(i2)], [1, 4, 8]),
        ("ssm_timescale_rule", [8, 1.0, 1.0, ref(d)], [3]),
        ("ssm_memory_weight", [2, np.array([-1.0, 0.0]), 0.1, 8, out], [1, 4]),
        ("ssm_gram_continuous", [1, w, G], [1, 2]),
        ("ssm_gram_discrete", [2, w, 0.1, 8, G], [1, 4]),
        ("ssm_condition_number", [2, np.eye(2), ref(d)], [1, 2]),
        ("ssm_approximation_error", [2, w, 0.1, 8, np.ones(8), -1.0, ref(d)], [1, 4, 6]),
    ]


@pytest.mark.parametrize("name,args,pointers", _raw_calls(), ids=[c[0] for c in _raw_calls()])
def test_raw_null_pointers(name, args, pointers):
    # The check of test_bindings: OK with every pointer, SSM_ERR_NULL naming the function without each.
    test_bindings.test_raw_null_pointers_return_err_null(name, args, pointers)


def test_raw_optional_pointers_and_bad_values():
    w, r = np.array([0j]), white(8)
    # B NULL is B = 1; iterations and evaluations may be NULL.
    d = ctypes.c_double()
    assert b.lib.ssm_critical_timescale(1, w, None, 8, r, 1.0, 1e-8, 1e3, ctypes.byref(d), None, None) == 0
    assert rel(d.value, 0.5) <= 1e-14   # ½Δ²·8 = 1
    assert b.lib.ssm_expected_output_power(0, w, None, 0.1, 8, r, ctypes.byref(d)) == b.SSM_ERR_SIZE
    assert b.lib.ssm_expected_output_power(1, w, None, -0.1, 8, r, ctypes.byref(d)) == b.SSM_ERR_VALUE
    assert b.lib.ssm_expected_output_power(1, w, None, np.nan, 8, r, ctypes.byref(d)) == b.SSM_ERR_VALUE
    assert b.lib.ssm_approximation_error(1, np.array([-1 + 0j]), 0.1, 8, np.ones(8), np.inf,
                                         ctypes.byref(d)) == b.SSM_ERR_VALUE
    assert b.lib.ssm_gram_discrete(2**40, w, 0.1, 2**20, np.empty(1)) in (b.SSM_ERR_SIZE, b.SSM_ERR_MEMORY)


def test_all_is_exported():
    names = {"output_weights", "output_power", "expected_output_power", "output_power_bound", "critical_timescale",
             "timescale_rule", "memory_weight", "gram_continuous", "gram_discrete", "condition_number",
             "approximation_error"}
    assert names <= set(_autocorr_theory.__all__) and all(callable(getattr(autocorr, n)) for n in names)
