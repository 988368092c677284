"""ssmkit.systems: every ODE system against scipy's DOP853 (rtol 1e-12, atol 1e-14), the explicit
systems against their formulas, filtered noise's recipe and seeding, the Python-callback integrator,
load_trajectory round trips and bad files, and bad arguments."""

import numpy as np
import pytest

import ssmkit
from ssmkit import systems

scipy_integrate = pytest.importorskip("scipy.integrate")


def reference(f, x0, dt, steps, t0=0.0):
    t = t0 + dt * np.arange(steps)
    sol = scipy_integrate.solve_ivp(f, (t[0], t[-1]), np.asarray(x0, float), method="DOP853", t_eval=t,
                                    rtol=1e-12, atol=1e-14)
    assert sol.success
    return sol.y.T


# name, params (keywords), right-hand side for scipy with the documented defaults.
ODES = [
    ("van_der_pol_1d", {}, lambda t, x: 7 * (1 - x**2) * np.sin(t)),
    ("bernoulli", {}, lambda t, y: -np.cos(5 * t) * y + np.sin(t) * np.sqrt(np.maximum(y, 0))),
    ("van_der_pol", {"mu": 1.5}, lambda t, x: [x[1], 1.5 * (1 - x[0] ** 2) * x[1] - x[0]]),
    ("lorenz", {}, lambda t, x: [10 * (x[1] - x[0]), x[0] * (28 - x[2]) - x[1], x[0] * x[1] - 8 / 3 * x[2]]),
    ("lotka_volterra", {}, lambda t, x: [1.5 * x[0] - x[0] * x[1], x[0] * x[1] - 3 * x[1]]),
    ("pendulum", {"damping": 0.3}, lambda t, x: [x[1], -np.sin(x[0]) - 0.3 * x[1]]),
]


@pytest.mark.parametrize("name,params,f", ODES, ids=[o[0] for o in ODES])
@pytest.mark.parametrize("method", ["dopri", "rk4"])
def test_ode_systems_match_scipy(name, params, f, method):
    # Horizon t ∈ [0, 1] (100 samples of 0.01): short enough that Lorenz's chaos amplifies errors by
    # only a few times. DOPRI at rtol 1e-10 accumulates about 1e-9 relative over ~100 steps; RK4 with
    # 8 substeps (h = 1.25e-3) has a global error ~ h⁴·|x⁽⁵⁾| ≲ 1e-7 relative on these systems.
    x = systems.simulate(name, steps=101, dt=0.01, method=method, **params)
    ref = reference(f, systems.SYSTEMS[name]["x0"], 0.01, 101)
    assert x.shape == ref.shape == (101, systems.SYSTEMS[name]["dimension"])
    tol = 1e-8 if method == "dopri" else 1e-6
    assert np.max(np.abs(x - ref)) <= tol * max(1.0, np.max(np.abs(ref)))


def test_linear_ode_matches_expm():
    A = np.array([[-0.5, 2.0, 0.0], [-2.0, -0.5, 0.3], [0.0, 0.1, -1.0]])
    x0 = np.array([1.0, -1.0, 0.5])
    x = systems.simulate("linear_ode", steps=21, dt=0.1, A=A, x0=x0)
    scipy_linalg = pytest.importorskip("scipy.linalg")
    ref = np.array([scipy_linalg.expm(A * 0.1 * k) @ x0 for k in range(21)])
    assert np.max(np.abs(x - ref)) <= 1e-9


def test_explicit_systems_follow_formulas():
    t = 0.3 + 0.05 * np.arange(200)
    u = systems.simulate("sine_cubed", steps=200, dt=0.05, t0=0.3)
    assert np.max(np.abs(u[:, 0] - (np.sin(t) ** 3 + np.abs(np.sin(t)) ** 3))) <= 1e-15
    lin = systems.simulate("linear", steps=200, dt=0.05, t0=0.3, a=2.0, b=-0.5)
    assert np.max(np.abs(lin[:, 0] - (2 - 0.5 * t))) <= 1e-14
    s = systems.simulate("sum_of_sines", steps=200, dt=0.05, t0=0.3, amplitudes=[1, 0.5], frequencies=[2, 7],
                         phases=[0.1, -1])
    assert np.max(np.abs(s[:, 0] - (np.sin(2 * t + 0.1) + 0.5 * np.sin(7 * t - 1)))) <= 1e-14


def test_filtered_noise_recipe_and_seed():
    a = systems.simulate("filtered_noise", steps=2000, dt=1e-3, seed=5)
    assert np.array_equal(a, systems.simulate("filtered_noise", steps=2000, dt=1e-3, seed=5))
    assert not np.array_equal(a, systems.simulate("filtered_noise", steps=2000, dt=1e-3, seed=6))
    assert a[0, 0] == 0.0 and np.all(np.isfinite(a))
    # Scaling σ scales the output exactly (the same draws): the recipe is linear in the noise.
    b = systems.simulate("filtered_noise", steps=2000, dt=1e-3, seed=5, sigma=3.0)
    assert np.allclose(b, 3 * a, rtol=1e-12, atol=1e-15)
    # The output is smooth: consecutive samples move by far less than white noise of σ = 1 would.
    assert np.std(np.diff(a[:, 0])) < 1e-3


def test_integrate_python_callback_matches_exact():
    x = systems.integrate(lambda t, x: np.array([x[1], -x[0]]), [1.0, 0.0], dt=0.1, steps=101)
    t = 0.1 * np.arange(101)
    assert np.max(np.abs(x - np.stack([np.cos(t), -np.sin(t)], axis=1))) <= 1e-9
    y = systems.integrate(lambda t, x: -x, [2.0], dt=0.5, steps=5, method="rk4")
    assert abs(y[1, 0] - 2 * np.exp(-0.5)) < 1e-3  # one RK4 step of h = 0.5: error ~ h⁵/120


def test_integrate_reraises_callback_exceptions():
    class Boom(Exception):
        pass

    def f(t, x):
        if t > 0.3:
            raise Boom("stop here")
        return -x
    with pytest.raises(Boom, match="stop here"):
        systems.integrate(f, [1.0], dt=0.1, steps=10)
    with pytest.raises(ssmkit.SSMSizeError, match="3 values"):
        systems.integrate(lambda t, x: [1.0, 2.0], [1.0, 0.0, 0.0], dt=0.1, steps=3)


def test_load_trajectory_round_trips(tmp_path):
    x = np.random.default_rng(0).normal(size=(50, 3))
    np.save(tmp_path / "a.npy", x)
    assert np.array_equal(systems.load_trajectory(tmp_path / "a.npy"), x)
    np.save(tmp_path / "b.npy", x[:, 0])
    assert np.array_equal(systems.load_trajectory(tmp_path / "b.npy"), x[:, :1])
    np.savetxt(tmp_path / "c.csv", x, delimiter=",", header="x,y,z", comments="")
    assert np.array_equal(systems.load_trajectory(tmp_path / "c.csv"), x)
    np.savetxt(tmp_path / "d.txt", x)
    assert np.array_equal(systems.load_trajectory(str(tmp_path / "d.txt")), x)


@pytest.mark.parametrize("name,content,needle", [
    ("ragged.csv", "1,2\n3\n", "columns"),
    ("words.csv", "a,b\n1,2\nx,y\n", "line 3"),
    ("nan.txt", "1 2\nnan 3\n", "NaN"),
    ("empty.csv", "", "no rows"),
    ("header_only.csv", "a,b\n", "no rows"),
    ("bad.npy", "not numpy", ".npy"),
    ("data.json", "[1, 2]", "extension"),
])
def test_load_trajectory_bad_files(tmp_path, name, content, needle):
    (tmp_path / name).write_text(content)
    with pytest.raises(ssmkit.SSMValueError, match=needle):
        systems.load_trajectory(tmp_path / name)


def test_load_trajectory_missing_and_3d(tmp_path):
    with pytest.raises(ssmkit.SSMValueError, match="no such file"):
        systems.load_trajectory(tmp_path / "missing.npy")
    np.save(tmp_path / "cube.npy", np.zeros((2, 2, 2)))
    with pytest.raises(ssmkit.SSMValueError, match=r"\(T, d\)"):
        systems.load_trajectory(tmp_path / "cube.npy")


def test_bad_arguments():
    with pytest.raises(ssmkit.SSMValueError, match="x0"):
        systems.simulate("lorenz", 10, 0.01, x0=[np.nan, 1, 1])
    with pytest.raises(ssmkit.SSMSizeError, match="steps"):
        systems.simulate("lorenz", 0, 0.01)
    with pytest.raises(ssmkit.SSMValueError, match="dt"):
        systems.simulate("lorenz", 10, 0.0)
    with pytest.raises(ssmkit.SSMValueError, match="dt"):
        systems.simulate("lorenz", 10, -0.1)
    with pytest.raises(ssmkit.SSMValueError, match="unknown system 'rossler'"):
        systems.simulate("rossler", 10, 0.01)
    with pytest.raises(ssmkit.SSMValueError, match="method"):
        systems.simulate("lorenz", 10, 0.01, method="euler")
    with pytest.raises(ssmkit.SSMValueError, match="no parameter 'gamma'"):
        systems.simulate("lorenz", 10, 0.01, gamma=1.0)
    with pytest.raises(ssmkit.SSMSizeError, match="3 values"):
        systems.simulate("lorenz", 10, 0.01, x0=[1, 2])
    with pytest.raises(ssmkit.SSMNullError, match="A"):
        systems.simulate("linear_ode", 10, 0.01, x0=[1])
    with pytest.raises(ssmkit.SSMValueError, match="τ"):
        systems.simulate("filtered_noise", 10, 0.01, tau=0.0)
    with pytest.raises(ssmkit.SSMValueError, match="rtol"):
        systems.simulate("lorenz", 10, 0.01, rtol=0.0)
    with pytest.raises(ssmkit.SSMValueError, match="x0"):
        systems.integrate(lambda t, x: -x, [np.inf], 0.1, 3)
    with pytest.raises(ssmkit.SSMSizeError, match="steps"):
        systems.integrate(lambda t, x: -x, [1.0], 0.1, 0)
    # ẋ = x² blows up at t = 1.
    with pytest.raises(ssmkit.SSMNotConvergedError, match="underflow at t = 0.99999"):
        systems.integrate(lambda t, x: x * x, [1.0], 0.5, 5)
