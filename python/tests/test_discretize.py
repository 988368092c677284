"""Dense discretization against scipy.signal.cont2discrete, the state-only convention, and the
diagonal closed forms against dense formulas, stability, λ = 0 and per-channel/per-mode steps."""

import numpy as np
import pytest
import scipy.linalg
from scipy.signal import cont2discrete

import ssmkit

from conftest import assert_rel, rel_err

SIZES = [1, 2, 7, 64, 256]
# (m, p, dt): several input/output counts (p = 0: no outputs) and steps.
SHAPES = [(1, 1, 1e-3), (3, 2, 0.05), (2, 0, 0.5), (1, 3, 0.01)]
METHODS = [("zoh", None), ("foh", None), ("impulse", None), ("bilinear", None), ("euler", None),
           ("backward_diff", None), ("gbt", 0.0), ("gbt", 0.25), ("gbt", 0.5), ("gbt", 1.0)]


def system(N, m, p, kind, seed, proper=False):
    rng = np.random.default_rng(seed)
    if kind == "legs":
        A, _ = ssmkit.hippo("legs", N)
    else:
        A = rng.standard_normal((N, N)) / np.sqrt(N) - 0.5 * np.eye(N)
    B = rng.standard_normal((N, m))
    C = rng.standard_normal((p, N))
    D = np.zeros((p, m)) if proper else rng.standard_normal((p, m))
    return A, B, C, D


@pytest.mark.parametrize("N", SIZES)
@pytest.mark.parametrize("method,alpha", METHODS, ids=[f"{m}-{a}" for m, a in METHODS])
@pytest.mark.parametrize("kind", ["random", "legs"])
def test_against_scipy(N, method, alpha, kind):
    for i, (m, p, dt) in enumerate(SHAPES):
        A, B, C, D = system(N, m, p, kind, seed=N * 100 + i, proper=(method == "impulse"))
        ours = ssmkit.discretize(A, B, C if p else None, D if p else None, dt, method=method,
                                 alpha=alpha)
        theirs = cont2discrete((A, B, C, D), dt, method=method, alpha=alpha)[:4]
        # 1e-12 relative for every method and matrix (measured worst: 3.3e-13 for FOH on LegS
        # N=256, dt=0.5, where exp has ‖M‖₁ ≈ 2e4; GBT-family ≤ 6e-15).
        tol = 1e-12
        for name, x, y in zip(("Ad", "Bd", "Cd", "Dd"), ours, theirs):
            assert x.shape == y.shape and x.dtype == np.float64, (name, x.shape, y.shape)
            assert_rel(x, y, tol, f"{method} alpha={alpha} N={N} m={m} p={p} dt={dt} {name}")


@pytest.mark.parametrize("method", ["bilinear", "tustin", "euler", "forward_diff",
                                    "backward_diff", "zoh", "foh", "impulse"])
def test_method_aliases_and_case(method):
    A, B, C, D = system(5, 2, 1, "random", 3, proper=True)
    ours = ssmkit.discretize(A, B, C, D, 0.1, method=method.upper())
    theirs = cont2discrete((A, B, C, D), 0.1, method=method)[:4]
    for x, y in zip(ours, theirs):
        assert_rel(x, y, 1e-12, method)


@pytest.mark.parametrize("method,alpha", METHODS, ids=[f"{m}-{a}" for m, a in METHODS])
def test_state_only_convention(method, alpha):
    A, B, C, D = system(9, 2, 3, "legs", 11)
    if method == "impulse":
        D = D * 3.0  # D ≠ 0 is allowed in the state-only convention
    Ad, Bd, Cd, Dd = ssmkit.discretize(A, B, C, D, 0.02, method=method, alpha=alpha,
                                       convention="state_only")
    assert np.array_equal(Cd, C) and np.array_equal(Dd, D)
    proper = (A, B, C, np.zeros_like(D))
    ref = cont2discrete(proper if method == "impulse" else (A, B, C, D), 0.02, method=method,
                        alpha=alpha)
    assert_rel(Ad, ref[0], 1e-12, "Ad")
    assert_rel(Bd, ref[1], 1e-12, "Bd")


def test_shape_conveniences():
    A, B, C, D = system(4, 1, 1, "random", 5)
    full = ssmkit.discretize(A, B, C, D, 0.1)
    # 1-D B is a column, 1-D C a row, scalar D 1×1.
    short = ssmkit.discretize(A, B[:, 0], C[0], D[0, 0], 0.1)
    for x, y in zip(full, short):
        assert np.array_equal(x, y)
    # D None means zeros; C None means no outputs.
    Ad, Bd, Cd, Dd = ssmkit.discretize(A, B, C, None, 0.1, method="bilinear")
    ref = cont2discrete((A, B, C, np.zeros((1, 1))), 0.1, method="bilinear")
    assert_rel(Dd, ref[3], 1e-12, "Dd")
    Ad, Bd, Cd, Dd = ssmkit.discretize(A, B, None, None, 0.1)
    assert Cd.shape == (0, 4) and Dd.shape == (0, 1)
    assert np.array_equal(Ad, full[0]) and np.array_equal(Bd, full[1])
    # A 0-row C is also "no outputs".
    Ad2, _, Cd2, _ = ssmkit.discretize(A, B, np.zeros((0, 4)), np.zeros((0, 1)), 0.1)
    assert np.array_equal(Ad2, Ad) and Cd2.shape == (0, 4)
    # Scalar system.
    Ad, Bd, Cd, Dd = ssmkit.discretize(-2.0, 1.0, 1.0, 0.0, 0.5)
    assert Ad.shape == (1, 1)
    assert abs(Ad[0, 0] - np.exp(-1.0)) <= 1e-16
    assert abs(Bd[0, 0] - (1 - np.exp(-1.0)) / 2) <= 2e-16


def test_inputs_not_modified():
    A, B, C, D = system(6, 2, 2, "random", 8)
    copies = [x.copy() for x in (A, B, C, D)]
    ssmkit.discretize(A, B, C, D, 0.1, method="foh")
    for x, y in zip((A, B, C, D), copies):
        assert np.array_equal(x, y)


def test_singular_gbt():
    # I − α dt A = 0 for A = I, alpha = 1, dt = 1.
    with pytest.raises(ssmkit.SSMSingularError) as info:
        ssmkit.discretize(np.eye(3), np.ones((3, 1)), None, None, 1.0, method="gbt", alpha=1.0)
    assert not isinstance(info.value, ValueError)
    assert info.value.code == 2 and "SSM_SINGULAR" in info.value.status


def test_overflow_is_unstable():
    with pytest.raises(ssmkit.SSMUnstableError):
        ssmkit.discretize([[1000.0]], [[1.0]], None, None, 1.0)


def test_impulse_needs_zero_d_in_scipy_convention():
    A, B, C, D = system(3, 1, 1, "random", 2)
    with pytest.raises(ssmkit.SSMValueError, match="D"):
        ssmkit.discretize(A, B, C, D + 1.0, 0.1, method="impulse")


def test_zoh_a_euler_b_is_diagonal_only():
    with pytest.raises(ssmkit.SSMUnsupportedError):
        ssmkit.discretize(-np.eye(2), np.ones((2, 1)), None, None, 0.1, method="zoh_a_euler_b")


# --- diagonal closed forms ------------------------------------------------------------------

DIAG_METHODS = [("zoh", None), ("bilinear", None), ("euler", None), ("backward_diff", None),
                ("gbt", 0.3), ("gbt", 0.0), ("gbt", 1.0), ("zoh_a_euler_b", None)]
ALPHA = {"bilinear": 0.5, "euler": 0.0, "backward_diff": 1.0}


def dense_reference(method, alpha, lam, b, dt):
    """Ā, B̄ of diag(lam) from the dense formulas, mode by mode, with scipy (complex)."""
    lam_bar = np.empty_like(lam)
    b_bar = np.empty_like(lam)
    for i, (l, bb, d) in enumerate(zip(lam, b, dt)):
        if method in ("zoh", "zoh_a_euler_b"):
            E = scipy.linalg.expm(np.array([[l, bb], [0, 0]], dtype=complex) * d)
            lam_bar[i] = E[0, 0]
            b_bar[i] = E[0, 1] if method == "zoh" else d * bb
        else:
            a = ALPHA.get(method, alpha)
            lam_bar[i] = np.linalg.solve([[1 - a * d * l]], [1 + (1 - a) * d * l])[0]
            b_bar[i] = np.linalg.solve([[1 - a * d * l]], [d * bb])[0]
    return lam_bar, b_bar


def modes(H, N, seed):
    rng = np.random.default_rng(seed)
    lam = -np.exp(rng.standard_normal((H, N))) + 1j * rng.standard_normal((H, N)) * 5
    b = rng.standard_normal((H, N)) + 1j * rng.standard_normal((H, N))
    return lam, b


@pytest.mark.parametrize("method,alpha", DIAG_METHODS, ids=[f"{m}-{a}" for m, a in DIAG_METHODS])
def test_diag_closed_forms_vs_dense(method, alpha):
    H, N = 3, 16
    lam, b = modes(H, N, 4)
    lam[0, 0] = 0.0  # λ = 0 included
    lam[1, 1] = -1e-9 + 1e-9j  # tiny |Δλ|: φ1 must not lose digits
    dt = np.exp(np.random.default_rng(5).uniform(np.log(1e-3), np.log(1e-1), (H, N)))
    lam_bar, b_bar = ssmkit.discretize_diag(lam, b, dt, method=method, alpha=alpha)
    ref_lam, ref_b = dense_reference(method, alpha, lam.ravel(), b.ravel(), dt.ravel())
    # Mode by mode relative error 1e-14: the closed forms and scipy's 2×2 expm/solve are both
    # accurate to a few ulps of each result.
    for x, y, name in ((lam_bar.ravel(), ref_lam, "lam_bar"), (b_bar.ravel(), ref_b, "B_bar")):
        err = np.abs(x - y) / np.abs(y)
        assert np.max(err) <= 1e-14, (name, np.max(err), int(np.argmax(err)))


@pytest.mark.parametrize("method,alpha", [("zoh", None), ("bilinear", None), ("euler", None),
                                          ("backward_diff", None), ("gbt", 0.7)])
def test_diag_equals_dense_discretize_on_real_modes(method, alpha):
    # Real λ: the diagonal closed forms equal ssmkit.discretize on diag(λ) (1-input per mode).
    lam = -np.array([0.1, 0.5, 1.0, 3.0, 10.0, 0.0])
    b = np.array([1.0, -2.0, 0.5, 3.0, 1.0, 2.0])
    dt = 0.05
    lam_bar, b_bar = ssmkit.discretize_diag(lam, b, dt, method=method, alpha=alpha)
    Ad, Bd, _, _ = ssmkit.discretize(np.diag(lam), b, None, None, dt, method=method, alpha=alpha)
    assert_rel(lam_bar.real, np.diag(Ad), 1e-14, "lam_bar")
    assert np.max(np.abs(lam_bar.imag)) == 0.0
    assert_rel(b_bar.real, Bd[:, 0], 1e-14, "B_bar")


@pytest.mark.parametrize("method", ["zoh", "bilinear", "backward_diff", "zoh_a_euler_b"])
def test_diag_stable_for_negative_real_part(method):
    lam, _ = modes(4, 64, 9)
    lam = np.concatenate([lam.ravel(), [-0.5 + 3j, -1e-8 + 1e3j, -1e3 + 1j, -1e-6 + 0j]])
    for dt in [1e-4, 0.1, 1.0, 10.0]:
        lam_bar, _ = ssmkit.discretize_diag(lam, None, dt, method=method)
        assert np.all(np.abs(lam_bar) < 1.0), (method, dt, np.max(np.abs(lam_bar)))
    # |Δ Re λ| below half an ulp of 1: |Ā| < 1 holds in exact arithmetic but may round to 1;
    # it must not exceed 1 by more than the rounding of |·| and the complex division (2 ulps).
    lam_bar, _ = ssmkit.discretize_diag(np.array([-1e-17 + 0j, -1e-17 + 5j]), None, 1e-3,
                                        method=method)
    assert np.all(np.abs(lam_bar) <= 1.0 + 4.5e-16)


def test_bilinear_reference_case():
    # One public library inverts the bilinear formula and gets |Ā| = 1.05 here (MATH.md §6).
    lam, dt = -0.5 + 3j, 0.1
    lam_bar, b_bar = ssmkit.discretize_diag(np.array([lam]), None, dt, method="bilinear")
    expected = (1 + dt * lam / 2) / (1 - dt * lam / 2)
    assert abs(lam_bar[0] - expected) <= 1e-15 * abs(expected)
    assert abs(b_bar[0] - dt / (1 - dt * lam / 2)) <= 1e-15 * abs(b_bar[0])
    assert abs(lam_bar[0]) < 1.0
    assert abs(abs(lam_bar[0]) - abs(expected)) < 1e-15 and abs(expected) < 0.96


@pytest.mark.parametrize("method", ["zoh", "bilinear", "euler", "backward_diff",
                                    "zoh_a_euler_b"])
def test_lambda_zero_is_exact(method):
    b = np.array([1.0, 2.5 - 1j, -3j])
    for dt in [1e-3, 0.1, 0.37, 2.0]:
        lam_bar, b_bar = ssmkit.discretize_diag(np.zeros(3), b, dt, method=method)
        assert np.array_equal(lam_bar, np.ones(3, dtype=complex)), (method, dt)
        assert np.array_equal(b_bar, dt * b), (method, dt)
    lam_bar, b_bar = ssmkit.discretize_diag(np.zeros(2), None, 0.25, method="gbt", alpha=0.3)
    assert np.array_equal(lam_bar, np.ones(2)) and np.array_equal(b_bar, np.full(2, 0.25))


def test_zoh_tiny_lambda_phi1():
    # φ1(z) = expm1(z)/z: for |z| ≪ 1, B̄ = Δ b (1 + z/2 + z²/6); a naive (e^z − 1)/z loses
    # ~|log10 z| digits.
    for z in [1e-8, 1e-12, 1e-17, -3e-10 + 2e-10j]:
        lam = np.array([z / 0.1])
        _, b_bar = ssmkit.discretize_diag(lam, None, 0.1, method="zoh")
        expected = 0.1 * (1 + z / 2 + z * z / 6)
        assert abs(b_bar[0] - expected) <= 4e-16 * abs(expected), z  # 2 ulps


def test_diag_per_channel_and_per_mode_steps():
    H, N = 4, 5  # N != H so the shapes are unambiguous; H == N is tested below
    lam, b = modes(H, N, 21)
    dt_h = np.array([1e-3, 1e-2, 0.1, 1.0])
    per_channel = ssmkit.discretize_diag(lam, b, dt_h, method="zoh")
    per_channel_col = ssmkit.discretize_diag(lam, b, dt_h[:, None], method="zoh")
    for h in range(H):
        row = ssmkit.discretize_diag(lam[h], b[h], dt_h[h], method="zoh")
        for x, y in zip(per_channel, row):
            assert np.array_equal(x[h], y)
    for x, y in zip(per_channel, per_channel_col):
        assert np.array_equal(x, y)
    dt_hn = np.exp(np.random.default_rng(2).uniform(-7, 0, (H, N)))
    per_mode = ssmkit.discretize_diag(lam, b, dt_hn, method="bilinear")
    for h in range(H):
        for n in range(N):
            one = ssmkit.discretize_diag(lam[h, n:n + 1], b[h, n:n + 1], dt_hn[h, n],
                                         method="bilinear")
            assert per_mode[0][h, n] == one[0][0] and per_mode[1][h, n] == one[1][0]
    # 1-D lam with per-mode steps.
    one_d = ssmkit.discretize_diag(lam[0], b[0], dt_hn[0], method="bilinear")
    assert np.array_equal(one_d[0], per_mode[0][0])
    # Scalar step = the same step per channel.
    same = ssmkit.discretize_diag(lam, b, 0.1, method="zoh")
    chan = ssmkit.discretize_diag(lam, b, np.full(H, 0.1), method="zoh")
    assert np.array_equal(same[0], chan[0]) and np.array_equal(same[1], chan[1])


def test_diag_square_H_equals_N_per_channel():
    lam, b = modes(3, 3, 30)
    dt = np.array([0.01, 0.1, 1.0])
    lam_bar, _ = ssmkit.discretize_diag(lam, b, dt, method="euler")
    assert np.allclose(lam_bar, 1 + dt[:, None] * lam, rtol=1e-15, atol=0)


def test_diag_b_none_and_broadcast():
    lam, b = modes(2, 6, 40)
    x = ssmkit.discretize_diag(lam, None, 0.2)
    y = ssmkit.discretize_diag(lam, np.ones_like(lam), 0.2)
    assert np.array_equal(x[0], y[0]) and np.array_equal(x[1], y[1])
    z = ssmkit.discretize_diag(lam, b[0], 0.2)  # (N,) broadcast over channels
    w = ssmkit.discretize_diag(lam, np.vstack([b[0], b[0]]), 0.2)
    assert np.array_equal(z[1], w[1])
    # Real input is promoted to complex.
    r = ssmkit.discretize_diag(np.array([-1.0, -2.0]), [1, 2], 0.1)
    assert r[0].dtype == np.complex128 and r[1].dtype == np.complex128
