"""HiPPO-Prophecy predictors (MATH.md §9) through the Python wrapper: the issue's Must-shows."""

import numpy as np
import pytest
from numpy.polynomial.legendre import leggauss, legvander

import ssmkit
from ssmkit import compute, prophecy

TWO_PI = 2 * np.pi


def u_sine(s):
    return np.sin(TWO_PI * s)


def du_sine(s):
    return TWO_PI * np.cos(TWO_PI * s)


def legt_coefficients(t, N, theta, q=200):
    """Exact LegT coefficients c_n(t) = (1/θ)∫₀^θ u(t−s) r_n P_n(1 − 2s/θ) ds by Gauss–Legendre."""
    x, w = leggauss(q)
    s = theta * (1 - x) / 2
    r = np.sqrt(2 * np.arange(N) + 1)
    return r * (legvander(x, N - 1).T @ (w * u_sine(t - s))) / 2


def continuous_readout(N, theta, readout="time"):
    """(C, D) of the continuous readout, read off the exported Euler/plain SSM with dt = 1
    (Cd = dt·C, Dd = 1 + dt·D exactly)."""
    with prophecy.Predictor(N=N, window=theta, dt=1.0, readout=readout, state_input="plain", output="euler") as p:
        _, _, Cd, Dd = p.ssm()
    return Cd[0], Dd[0, 0] - 1


def test_time_readout_derivative_from_exact_coefficients():
    errors = {}
    for N in range(4, 17):
        C, D = continuous_readout(N, 0.5)
        assert D == pytest.approx(N * N / 0.5, rel=1e-15)
        worst = 0.0
        for t in np.linspace(1, 3, 17):
            y = C @ legt_coefficients(t, N, 0.5) + D * u_sine(t)
            worst = max(worst, abs(y - du_sine(t)) / TWO_PI)
        errors[N] = worst
    print("time-readout relative derivative errors:", {k: f"{v:.2e}" for k, v in errors.items()})
    assert errors[8] <= 1e-4
    assert errors[12] <= 1e-8
    assert all(errors[N] <= errors[12] for N in range(13, 17))
    assert errors[4] > 1e-2


def test_space_readout():
    C, D = continuous_readout(14, 0.5, "space")
    n = np.arange(14)
    np.testing.assert_allclose(C, np.sqrt(2 * n + 1) * n * (n + 1) / 0.5, rtol=1e-15)
    assert D == 0
    y = C @ legt_coefficients(1.3, 14, 0.5)
    assert abs(y - du_sine(1.3)) / TWO_PI < 1e-8


def test_discrete_averaged_legt_tracks_the_projection():
    dt, theta, N = 1e-4, 0.5, 16
    p = prophecy.Predictor(N=N, window=theta, dt=dt, state_input="average", output="euler")
    T = 20001
    t = np.arange(T) * dt
    u = u_sine(t)
    pred = p.predict(u)
    Ad, Bd, Cd, Dd = p.ssm()
    coefficient_error = derivative_error = 0.0
    for k in (15000, 17500, 20000):  # after the start-up transient of the zero history (t ≥ 3θ)
        _, z = compute.scan_dense(Ad, Bd, Cd, u[:k + 1, None], Dd, return_state=True)
        np.testing.assert_array_equal(z[N], u[k])  # the augmented state holds the last sample
        coefficient_error = max(coefficient_error, np.abs(z[:N] - legt_coefficients(t[k], N, theta)).max())
        derivative_error = max(derivative_error, abs((pred[k] - u[k]) / dt - du_sine(t[k])) / TWO_PI)
    print(f"discrete LegT N=16: coefficient error {coefficient_error:.2e}, derivative error {derivative_error:.2e}")
    assert 0 < coefficient_error <= 1e-6
    assert derivative_error <= 1e-6


def test_guard_rejects_the_authors_configuration():
    with pytest.raises(ssmkit.SSMValueError, match="largest allowed N for this dt and theta is 44"):
        prophecy.Predictor.authors(128, 1000, 0.01)
    with prophecy.Predictor.authors(44, 1000, 0.01) as p:
        assert p.N == 44
    with pytest.raises(ValueError, match="trapezoid"):
        prophecy.Predictor(N=10, W=40, dt=0.01, output="trapezoid")


def signal(batch=2, T=400, d=3, dt=0.01):
    t = np.arange(T) * dt
    rng = np.random.default_rng(5)
    f = rng.uniform(0.5, 4, size=(batch, 1, d))
    ph = rng.uniform(0, 6, size=(batch, 1, d))
    return np.sin(f * t[None, :, None] + ph) + 0.3 * np.cos(2.1 * f * t[None, :, None])


@pytest.mark.parametrize("basis", ["legt", "fout", "legs"])
@pytest.mark.parametrize("state_input,output,disc", [("average", "euler", "bilinear"), ("plain", "trapezoid", "zoh"),
                                                    ("plain", "euler", "zoh")])
def test_streaming_matches_batch(basis, state_input, output, disc):
    """Streaming runs the recurrence sample by sample. Batch prediction runs it too for LegS
    (identical numbers) and in chunks of BLAS products for LegT/FouT (T = 400 here spans 12 chunks
    of 32), which sums the same terms in another order: rounding differences only, bounded by
    1e-13·max|u| (measured 4e-16 at N = 7; 5e-14 at N = 64, W = 200 on Lorenz)."""
    if basis == "legs" and output == "trapezoid":
        pytest.skip("trapezoid is not available for LegS")
    window = dict() if basis == "legs" else dict(W=40)
    u = signal()
    with prophecy.Predictor(N=7, dt=0.01, basis=basis, state_input=state_input, output=output,
                            discretization=disc, d=3, **window) as p:
        pred = p.predict(u)
        for b in range(u.shape[0]):
            p.reset()
            streamed = np.array([p.step(x) for x in u[b]])
            if basis == "legs":
                np.testing.assert_array_equal(streamed, pred[b])
            else:
                assert np.abs(streamed - pred[b]).max() <= 1e-13 * np.abs(u).max()
                assert not np.array_equal(streamed, pred[b])   # the chunked path ran
    # (T,) and (T, d) shapes give the same numbers as the batch layout.
    with prophecy.Predictor(N=7, dt=0.01, basis=basis, state_input=state_input, output=output,
                            discretization=disc, **window) as p:
        np.testing.assert_array_equal(p.predict(u[0]), pred[0])
        np.testing.assert_array_equal(p.predict(u[0, :, 1]), pred[0, :, 1])
        assert isinstance(p.step(0.5), float)


def _recurrence(Ad, Bd, Cd, Dd, u):
    """The exported SSM run sample by sample over u (batch, T, d), all lanes at once."""
    lanes = np.moveaxis(u, 1, 0).reshape(u.shape[1], -1)      # (T, batch·d)
    x = np.zeros((Ad.shape[0], lanes.shape[1]))
    y = np.empty_like(lanes)
    for k in range(lanes.shape[0]):
        x = Ad @ x + Bd * lanes[k]
        y[k] = (Cd @ x)[0] + Dd[0, 0] * lanes[k]
    return np.moveaxis(y.reshape(u.shape[1], u.shape[0], u.shape[2]), 0, 1)


@pytest.mark.parametrize("N,W,batch,T,d,state_input,chunked", [
    (7, 40, 2, 6000, 3, "average", True),    # chunks of 32: 188 chunks in two segments, the last padded
    (16, 40, 1, 1000, 2, "plain", True),     # chunks of 32, the last one 8 samples long
    (64, 200, 1, 3000, 3, "average", True),  # chunks of 128 (the benchmark's predictor)
    (5, 20, 400, 80, 3, "plain", True),      # 1200 lanes: two lane groups (1024 + 176), one chunk per segment
    (1, 10, 350, 70, 3, "average", True),    # N = 1, 1050 lanes in two groups, averaged input
    (40, 100, 1, 159, 1, "average", False),  # T below two chunks of 128: the recurrence only
])
def test_batch_prediction_matches_the_recurrence(N, W, batch, T, d, state_input, chunked):
    """Against a numpy run of the exported SSM. The chunked form sums in another order: bound
    5e-13·max|u| (measured up to 8.4e-14 at N = 64; predictors with N ≫ W amplify rounding more)."""
    rng = np.random.default_rng(N)
    t = 0.01 * np.arange(T)[None, :, None]
    u = np.sin(rng.uniform(0.5, 5, (batch, 1, d)) * t + rng.uniform(0, 6, (batch, 1, d))) \
        + 0.1 * rng.standard_normal((batch, T, d))
    with prophecy.Predictor(N=N, W=W, dt=0.01, state_input=state_input, d=d) as p:
        pred = p.predict(u)
        expected = _recurrence(*p.ssm(), u)
        # Which path ran: streaming is the recurrence, bit for bit equal unless batch ran in chunks.
        streamed = np.array([p.step(x) for x in u[-1]])
    assert np.abs(pred - expected).max() <= 5e-13 * np.abs(u).max()
    assert np.array_equal(streamed, pred[-1]) != chunked


@pytest.mark.parametrize("state_input", ["average", "plain"])
@pytest.mark.parametrize("basis,output,disc", [("legt", "euler", "bilinear"), ("legt", "trapezoid", "zoh"),
                                              ("fout", "euler", "bilinear")])
def test_exported_ssm_through_the_dense_scan_reproduces_predict(state_input, basis, output, disc):
    u = signal()
    with prophecy.Predictor(N=7, W=40, dt=0.01, basis=basis, state_input=state_input, output=output,
                            discretization=disc) as p:
        pred = p.predict(u)
        Ad, Bd, Cd, Dd = p.ssm()
    assert Ad.shape == ((8, 8) if state_input == "average" else (7, 7))
    y = compute.scan_dense(Ad, Bd, Cd, np.moveaxis(u, 2, 1)[..., None], Dd)[..., 0]
    y = np.moveaxis(y, 1, 2)
    assert np.abs(y - pred).max() <= 1e-12 * np.abs(pred).max()


def test_rollout_radius():
    with prophecy.Predictor(N=6, W=20, dt=0.01) as p:
        Ad, Bd, Cd, Dd = p.ssm()
        rho = p.rollout_radius()
    M = np.block([[Ad + Bd @ Cd, Bd @ Dd], [Cd, Dd]])
    assert rho == pytest.approx(np.abs(np.linalg.eigvals(M)).max(), rel=1e-10)
    with prophecy.Predictor(N=6, dt=0.01, basis="legs") as p, pytest.raises(ssmkit.SSMUnsupportedError, match="LegS"):
        p.rollout_radius()


def test_rollout_feeds_predictions_back():
    dt = 0.01
    u = np.sin(1.3 * np.arange(600) * dt)
    with prophecy.Predictor(N=6, W=20, dt=dt) as p:
        roll = p.rollout(u[:500], 40)
        Ad, Bd, Cd, Dd = p.ssm()
        assert roll.shape == (40,)
        # Same as iterating the predictor by hand: predict, append, predict, …
        seq = list(u[:500])
        for _ in range(3):
            seq.append(p.predict(np.array(seq))[-1])
        np.testing.assert_allclose(roll[:3], seq[500:503], rtol=1e-13)
        assert abs(roll[0] - u[500]) < 1e-4  # the one-step prediction (Euler error ≈ Δ²ü/2 ≈ 8e-5)
        two = p.rollout(np.stack([u[:500], 2 * u[:500]], axis=1), 5)
        np.testing.assert_allclose(two[:, 1], 2 * two[:, 0], rtol=1e-12)
        assert p.rollout(u[:10], 0).shape == (0,)
        with pytest.raises(ssmkit.SSMSizeError, match="context"):
            p.rollout(np.zeros((2, 2, 2)), 3)
    with prophecy.Predictor(N=4, dt=dt, basis="legs") as p:
        assert p.rollout(u[:100], 4).shape == (4,)


def test_legs_predicts_low_degree_polynomials():
    # The LegS memory of a polynomial of degree < N is exact; sample k sits at t = (k+1)·dt.
    dt = 0.01
    t = (np.arange(3000) + 1) * dt
    u = 1 + 0.1 * t + 0.01 * t ** 2
    with prophecy.Predictor(N=6, dt=dt, basis="legs") as p:
        pred = p.predict(u)
    error = np.abs(pred[2000:-1] - u[2001:]).max()
    assert error < 1e-3 * np.abs(np.diff(u[2000:])).max()


def test_one_step_prediction_beats_persistence():
    dt = 0.01
    t = np.arange(2000) * dt
    u = np.sin(1.3 * t) + 0.5 * np.sin(3.1 * t)
    with prophecy.Predictor(N=8, W=20, dt=dt) as p:
        pred = p.predict(u)
    err = np.mean((pred[200:-1] - u[201:]) ** 2)
    persistence = np.mean((u[200:-1] - u[201:]) ** 2)
    assert err < 1e-3 * persistence  # Euler output: error ≈ (Δ·ü/2)², persistence (Δ·u̇)²


def test_bad_arguments():
    with pytest.raises(ssmkit.SSMSizeError, match="odd"):
        prophecy.Predictor(N=8, dt=0.1, basis="fout")
    with pytest.raises(ValueError, match="basis"):
        prophecy.Predictor(N=8, dt=0.1, basis="legx")
    with pytest.raises(ValueError, match="dt"):
        prophecy.Predictor(N=8, dt=0)
    with pytest.raises(ValueError, match="not both"):
        prophecy.Predictor(N=8, dt=0.1, window=1.0, W=10)
    with pytest.raises(ValueError, match="no window"):
        prophecy.Predictor(N=8, dt=0.1, basis="legs", W=10)
    with pytest.raises(ssmkit.SSMUnsupportedError, match="LegS"):
        prophecy.Predictor(N=8, dt=0.1, basis="legs", output="trapezoid")
    with prophecy.Predictor(N=4, W=10, dt=0.1, d=2) as p:
        with pytest.raises(ValueError, match="not finite"):
            p.predict([0.0, np.nan])
        with pytest.raises(ssmkit.SSMSizeError, match="shape"):
            p.predict(np.zeros((1, 2, 3, 4)))
        with pytest.raises(ssmkit.SSMSizeError, match=r"\(2,\)"):
            p.step(1.0)
        with pytest.raises(ValueError, match="not finite"):
            p.step([1.0, np.inf])
        first = p.step([1.0, 2.0])
        p.reset()
        np.testing.assert_array_equal(p.step([1.0, 2.0]), first)
        assert "Predictor(N=4, W=10" in repr(p)
    p.close()
    with pytest.raises(ValueError, match="closed"):
        p.predict([1.0])


# --- the metric ---

def test_normalized_error_by_hand():
    u = np.array([[1.0, 10.0], [2.0, 10.0], [4.0, 14.0], [3.0, 12.0], [0.0, 10.0]])
    pred = np.array([[2.0, 11.0], [3.0, 14.0], [4.0, 12.0], [1.0, 9.0], [99.0, 99.0]])   # the last row is unused
    b = 1
    # pred[1:4] against u[2:5]: differences (−1, 0), (1, 0), (1, −1) → mean square 4/6.
    mse = ((-1) ** 2 + 0 + 1 + 0 + 1 + 1) / 6
    # Variances of u[1:] per column: (2, 4, 3, 0) → mean 2.25, (0.0625 + 3.0625 + 0.5625 + 5.0625)/4 = 2.1875;
    # (10, 14, 12, 10) → mean 11.5, (2.25 + 6.25 + 0.25 + 2.25)/4 = 2.75.
    variance = (2.1875 + 2.75) / 2
    assert abs(prophecy.normalized_error(pred, u, b) - mse / variance) < 1e-15
    assert abs(prophecy.normalized_error(pred[:, 0], u[:, 0], b) - 1.0 / 2.1875) < 1e-15      # (T,): differences −1, 1, 1


def test_persistence_error_of_a_sine_matches_the_closed_form():
    amp, omega, dt, phase = 1.7, 2.3, 0.01, 0.4
    u = amp * np.sin(omega * dt * np.arange(200_000) + phase)                 # ~730 periods
    closed = 2 * (1 - np.cos(omega * dt)) * (amp ** 2 / 2) / (amp ** 2 / 2)
    measured = prophecy.normalized_error(prophecy.baseline(u, "persistence"), u, 1000)
    assert abs(measured / closed - 1) < 1e-3


def test_normalized_error_checks_its_arguments():
    u = np.sin(np.arange(50.0))
    with pytest.raises(ValueError, match="shape"):
        prophecy.normalized_error(u[:-1], u)
    with pytest.raises(ValueError, match="burn_in"):
        prophecy.normalized_error(u, u, 49)
    with pytest.raises(ValueError, match="constant"):
        prophecy.normalized_error(u, np.ones(50))
    # (batch, T, d): every trajectory's and coordinate's own variance, averaged.
    u3 = np.stack([u, 3 * u + 5])[:, :, None]
    p3 = np.full_like(u3, 7.0)                 # the last sample's prediction is not scored
    p3[:, :-1] = u3[:, 1:] + 0.1
    expected = 0.01 / np.mean([np.var(u), 9 * np.var(u)])
    assert abs(prophecy.normalized_error(p3, u3) - expected) < 1e-15 * expected * 10


def test_batch_predictions_do_not_depend_on_the_batch_or_the_threads():
    """Each lane's BLAS products cover only its own chunks, in fixed blocks: a trajectory's
    predictions are the same bits alone, inside a batch, and on one thread or all."""
    rng = np.random.default_rng(3)
    u = np.cumsum(rng.standard_normal((5, 3000, 2)), axis=1) * 0.01
    with prophecy.Predictor(N=24, W=60, dt=0.01, d=2) as p:
        together = p.predict(u)
        for b in range(5):
            np.testing.assert_array_equal(p.predict(u[b]), together[b])
            np.testing.assert_array_equal(p.predict(u[b, :, 1]), together[b, :, 1])
        compute.set_threads(1)
        try:
            np.testing.assert_array_equal(p.predict(u), together)
        finally:
            compute.set_threads(0)
