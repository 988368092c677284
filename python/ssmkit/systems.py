"""Dynamical systems: ODE integration and the named test signals of MATH.md §9.

Trajectories are float64 arrays of shape (steps, d): the samples at t0 + k·dt, k = 0 … steps − 1,
row 0 the initial state. ODEs are integrated by "dopri" (adaptive Dormand–Prince 5(4); steps land
on every sample time; default rtol 1e-10, atol 1e-12) or "rk4" (classical Runge–Kutta 4: 8 substeps
per sample in :func:`simulate`, one in :func:`integrate`).

>>> import ssmkit.systems as sy
>>> x = sy.simulate("lorenz", steps=1000, dt=0.01)          # (1000, 3)
>>> u = sy.simulate("filtered_noise", steps=10_000, dt=1e-3, seed=1)
"""

from __future__ import annotations

import ctypes
import os

import numpy as np

from . import _bindings as _b
from ._errors import SSMNullError, SSMSizeError, SSMTypeError, SSMValueError, _check
from ._validate import (as_array, as_positive_scalar, as_real_scalar, as_size, choice, empty,
                        require_finite)

__all__ = ["SYSTEMS", "simulate", "integrate", "load_trajectory"]

_METHODS = {"rk4": _b.SSM_ODE_RK4, "dopri": _b.SSM_ODE_DOPRI}

_CODES = {"van_der_pol_1d": _b.SSM_SYSTEM_VAN_DER_POL_1D, "bernoulli": _b.SSM_SYSTEM_BERNOULLI,
          "filtered_noise": _b.SSM_SYSTEM_FILTERED_NOISE, "sine_cubed": _b.SSM_SYSTEM_SINE_CUBED,
          "linear": _b.SSM_SYSTEM_LINEAR, "van_der_pol": _b.SSM_SYSTEM_VAN_DER_POL, "lorenz": _b.SSM_SYSTEM_LORENZ,
          "lotka_volterra": _b.SSM_SYSTEM_LOTKA_VOLTERRA, "pendulum": _b.SSM_SYSTEM_PENDULUM,
          "linear_ode": _b.SSM_SYSTEM_LINEAR_ODE, "sum_of_sines": _b.SSM_SYSTEM_SUM_OF_SINES}

# The keyword names of each system's parameter vector, in the library's order (include/ssmkit.h).
_NAMES = {"van_der_pol_1d": ("mu",), "bernoulli": (), "filtered_noise": ("tau", "sigma"), "sine_cubed": (),
          "linear": ("a", "b"), "van_der_pol": ("mu",), "lorenz": ("sigma", "rho", "beta"),
          "lotka_volterra": ("alpha", "beta", "gamma", "delta"), "pendulum": ("omega2", "damping"),
          "linear_ode": ("A",), "sum_of_sines": ("amplitudes", "frequencies", "phases")}

_DESCRIPTIONS = {
    "van_der_pol_1d": "the authors' 1-D 'Van der Pol' dx/dt = mu (1 - x^2) sin t",
    "bernoulli": "y' = -cos(5t) y + sin(t) sqrt(max(y, 0))",
    "filtered_noise": "white noise (std sigma) through an alpha filter with time constant tau (seeded)",
    "sine_cubed": "u(t) = sin^3 t + |sin t|^3",
    "linear": "u(t) = a + b t",
    "van_der_pol": "x'' = mu (1 - x^2) x' - x as (x, x')",
    "lorenz": "Lorenz-63",
    "lotka_volterra": "x' = alpha x - beta x y, y' = delta x y - gamma y",
    "pendulum": "theta'' = -omega2 sin(theta) - damping theta' as (theta, theta')",
    "linear_ode": "dx/dt = A x (A required, d x d)",
    "sum_of_sines": "u(t) = sum_i amplitudes[i] sin(frequencies[i] t + phases[i])",
}


def _defaults(code: int):
    """(default parameters, dimension, default x0) from the library; linear_ode has none (None)."""
    n = ctypes.c_int64()
    _check(_b.lib.ssm_system_defaults(code, ctypes.byref(n), None, None))
    if code == _b.SSM_SYSTEM_LINEAR_ODE:
        return np.zeros(0), None, None
    d = ctypes.c_int64()
    _check(_b.lib.ssm_system_dimension(code, n.value, ctypes.byref(d)))
    params, x0 = np.zeros(n.value), np.zeros(d.value)
    _check(_b.lib.ssm_system_defaults(code, ctypes.byref(n), params, x0))
    return params, d.value, x0


def _table() -> dict:
    table = {}
    for name, code in _CODES.items():
        params, d, x0 = _defaults(code)
        if name == "sum_of_sines":
            named = {"amplitudes": params[0::3].tolist(), "frequencies": params[1::3].tolist(),
                     "phases": params[2::3].tolist()}
        elif name == "linear_ode":
            named = {"A": None}
        else:
            named = dict(zip(_NAMES[name], params.tolist()))
        table[name] = {"dimension": d, "parameters": named, "x0": None if x0 is None else x0.tolist(),
                       "description": _DESCRIPTIONS[name]}
    return table


#: name → {"dimension": d (None for linear_ode: from A), "parameters": {keyword: default},
#: "x0": default initial state (None for linear_ode), "description"}.
SYSTEMS = _table()


def _parameters(name: str, params: dict) -> np.ndarray:
    known = _NAMES[name]
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise SSMValueError(f"{name} has no parameter {', '.join(map(repr, unknown))} "
                            f"(its parameters: {', '.join(known) or 'none'})")
    defaults = SYSTEMS[name]["parameters"]
    if name == "linear_ode":
        if params.get("A") is None:
            raise SSMNullError("linear_ode needs A (a d×d matrix): simulate('linear_ode', ..., A=A, x0=x0)")
        A = as_array(params["A"], "A")
        if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] < 1:
            raise SSMSizeError(f"A must be a square d×d matrix, got shape {A.shape}")
        require_finite(A, "A")
        return A.ravel()
    if name == "sum_of_sines":
        amps = as_array(params.get("amplitudes", defaults["amplitudes"]), "amplitudes").ravel()
        freqs = as_array(params.get("frequencies", defaults["frequencies"]), "frequencies").ravel()
        phases = params.get("phases")
        phases = np.zeros_like(amps) if phases is None else as_array(phases, "phases").ravel()
        if not (amps.size == freqs.size == phases.size) or amps.size == 0:
            raise SSMSizeError(f"amplitudes, frequencies and phases must have the same length ≥ 1, got "
                               f"{amps.size}, {freqs.size}, {phases.size}")
        for a, n in ((amps, "amplitudes"), (freqs, "frequencies"), (phases, "phases")):
            require_finite(a, n)
        return np.ascontiguousarray(np.stack([amps, freqs, phases], axis=1).ravel())
    return np.array([as_real_scalar(params.get(k, defaults[k]), k) for k in known], dtype=np.float64)


def simulate(name: str, steps: int, dt: float, x0=None, t0: float = 0.0, method: str = "dopri",
             rtol: float = 1e-10, atol: float = 1e-12, seed: int = 0, **params) -> np.ndarray:
    """A trajectory of the system ``name`` (see :data:`SYSTEMS`), shape (steps, d), float64.

    ``params`` override the defaults by keyword (e.g. ``simulate("lorenz", 1000, 0.01, rho=20)``);
    ``linear_ode`` needs ``A`` and ``x0``; ``sum_of_sines`` takes arrays ``amplitudes``,
    ``frequencies`` and ``phases`` (default zeros). ``x0`` None: the default initial state
    (explicit systems ignore it). ``method`` "dopri" or "rk4"; ``seed`` drives filtered_noise.
    Raises SSMValueError (unknown system, method or parameter, NaN/Inf, dt ≤ 0), SSMSizeError
    (steps < 1, x0 of the wrong length), SSMUnstableError / SSMNotConvergedError (blow-up).
    """
    code = choice(name, "system", _CODES)
    name = name.lower()
    m = choice(method, "method", _METHODS)
    steps = as_size(steps, "steps")
    dt = as_positive_scalar(dt, "dt")
    t0 = as_real_scalar(t0, "t0")
    rtol, atol = as_real_scalar(rtol, "rtol"), as_real_scalar(atol, "atol")
    p = _parameters(name, params)
    d = ctypes.c_int64()
    _check(_b.lib.ssm_system_dimension(code, p.size, ctypes.byref(d)))
    d = d.value
    xx = None
    if x0 is not None:
        xx = as_array(x0, "x0").ravel()
        if xx.size != d:
            raise SSMSizeError(f"x0 must have {d} values for {name}, got shape {np.shape(x0)}")
        require_finite(xx, "x0")
    elif name == "linear_ode":
        raise SSMNullError("linear_ode has no default initial state: give x0")
    out = empty((steps, d), np.float64, "the trajectory")
    _check(_b.lib.ssm_system_simulate(code, p, p.size, xx, t0, dt, steps, m, rtol, atol, int(seed) % 2**64, out))
    return out


def integrate(f, x0, dt: float, steps: int, t0: float = 0.0, method: str = "dopri", rtol: float = 1e-10,
              atol: float = 1e-12) -> np.ndarray:
    """Integrates dx/dt = f(t, x) for a Python function ``f(t, x) -> dx`` (x a float64 array of d
    values, dx array-like of d values) from ``x0`` at ``t0``; returns (steps, d), the samples at
    t0 + k·dt. ``method`` "dopri" (adaptive, rtol/atol) or "rk4" (one step of dt per sample).
    An exception raised by ``f`` stops the integration and is re-raised here."""
    if not callable(f):
        raise SSMTypeError(f"f must be callable f(t, x) -> dx, got {type(f).__name__}")
    xx = as_array(x0, "x0")
    if xx.ndim > 1:
        raise SSMSizeError(f"x0 must be a vector, got shape {xx.shape}")
    xx = np.ascontiguousarray(xx.ravel())
    if xx.size < 1:
        raise SSMSizeError("x0 is empty: the state dimension must be at least 1")
    require_finite(xx, "x0")
    d = xx.size
    m = choice(method, "method", _METHODS)
    steps = as_size(steps, "steps")
    dt = as_positive_scalar(dt, "dt")
    t0 = as_real_scalar(t0, "t0")
    rtol, atol = as_real_scalar(rtol, "rtol"), as_real_scalar(atol, "atol")
    failure = []

    def rhs(t, x, dx, _user):
        try:
            state = np.ctypeslib.as_array(x, shape=(d,)).copy()
            value = np.asarray(f(t, state), dtype=np.float64)
            if value.shape not in ((d,), (d, 1), (1, d)) and not (d == 1 and value.size == 1):
                raise SSMSizeError(f"f(t, x) must return {d} values, got shape {value.shape}")
            np.ctypeslib.as_array(dx, shape=(d,))[:] = value.ravel()
            return 0
        except BaseException as error:  # noqa: BLE001 - never let an exception cross into C
            failure.append(error)
            return 1
    fn = _b.ssm_rhs_fn(rhs)
    out = empty((steps, d), np.float64, "the trajectory")
    status = _b.lib.ssm_integrate(d, fn, None, xx, t0, dt, steps, m, rtol, atol, out)
    if failure:
        raise failure[0]
    _check(status)
    return out


def load_trajectory(path) -> np.ndarray:
    """Reads a trajectory file as a float64 array of shape (T, d) (a 1-D file gives (T, 1)).

    ``.npy``: an array of shape (T, d) or (T,) (no pickles). ``.csv`` (comma-separated) or ``.txt``
    (commas or whitespace): one row per time, columns are coordinates, an optional header line of
    column names. Raises SSMValueError saying what is wrong (missing or unreadable file, another
    extension, ragged rows, text that is not a number, NaN/Inf, no rows, more than 2 dimensions).
    """
    p = os.fspath(path)
    ext = os.path.splitext(p)[1].lower()
    if ext not in (".npy", ".csv", ".txt"):
        raise SSMValueError(f"cannot load trajectory {p!r}: unknown extension {ext!r} (expected .npy, .csv or .txt)")
    if not os.path.isfile(p):
        raise SSMValueError(f"cannot load trajectory {p!r}: no such file")
    if ext == ".npy":
        try:
            a = np.load(p, allow_pickle=False)
        except Exception as error:  # a corrupted header, a pickle, a truncated file
            raise SSMValueError(f"cannot load trajectory {p!r}: not a readable .npy file ({error})") from None
        if not isinstance(a, np.ndarray) or a.dtype.kind not in "biuf":
            raise SSMValueError(f"trajectory {p!r} must hold real numbers, got dtype {getattr(a, 'dtype', type(a))}")
        a = a.astype(np.float64)
    else:
        a = _read_text(p, ext)
    if a.ndim == 1:
        a = a[:, None]
    if a.ndim != 2:
        raise SSMValueError(f"trajectory {p!r} must have shape (T, d) or (T,), got {a.shape}")
    if a.shape[0] < 1 or a.shape[1] < 1:
        raise SSMValueError(f"trajectory {p!r} is empty (shape {a.shape})")
    bad = np.argwhere(~np.isfinite(a))
    if bad.size:
        r, c = bad[0]
        raise SSMValueError(f"trajectory {p!r}: row {r}, column {c} is {a[r, c]} (NaN and Inf are rejected)")
    return np.ascontiguousarray(a)


def _read_text(p: str, ext: str, missing: bool = False, what: str = "trajectory") -> np.ndarray:
    """The rows of numbers of a .csv/.txt file (an optional header line first). ``missing``: an empty
    comma-separated field is NaN (a missing value) instead of an error. ``what`` names the file in
    messages."""
    try:
        with open(p, encoding="utf-8") as fh:
            lines = [(i + 1, line.strip()) for i, line in enumerate(fh)]
    except (OSError, UnicodeDecodeError) as error:
        raise SSMValueError(f"cannot load {what} {p!r}: {error}") from None
    lines = [(n, line) for n, line in lines if line]
    sep = "," if ext == ".csv" or any("," in line for _, line in lines[:2]) else None
    rows = []
    for k, (n, line) in enumerate(lines):
        fields = [x.strip() for x in (line.split(sep) if sep else line.split())]
        try:
            rows.append([float("nan") if missing and x == "" else float(x) for x in fields])
        except ValueError:
            if k == 0:
                continue  # a header line of column names
            raise SSMValueError(f"{what} {p!r}, line {n}: {line!r} is not a row of numbers") from None
        if len(rows[-1]) != len(rows[0]):
            raise SSMValueError(f"{what} {p!r}, line {n}: {len(rows[-1])} columns, expected {len(rows[0])}")
    if not rows:
        raise SSMValueError(f"{what} {p!r} has no rows of numbers")
    return np.array(rows, dtype=np.float64)
