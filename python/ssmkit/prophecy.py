"""HiPPO-Prophecy: next-value prediction of any signal in context, without training (MATH.md §9).

A HiPPO memory (LegT or FouT with a window θ, or the time-varying LegS) holds the recent history of
a signal; a fixed readout turns the state into an estimate of u'(t); an output rule (Euler or the
authors' trapezoid) turns that into the next value. The whole is a fixed-weight discrete SSM whose
output at sample k is û_(k+1). Multi-dimensional signals use one SSM per coordinate (same weights).

Example::

    # The recommended configuration (docs/prophecy.md); the defaults are the authors' time readout.
    p = prophecy.Predictor(N=8, W=20, dt=0.01, readout="space", state_input="plain")
    pred = p.predict(u)                       # u (T,), (T, d) or (batch, T, d)
    prophecy.normalized_error(pred, u, burn_in=500)   # one-step MSE / variance
    Ad, Bd, Cd, Dd = p.ssm()                  # the same predictor for compute.scan_dense
    p.rollout_radius()                        # > 1: closed-loop rollout diverges
    p.rollout(u[:500], steps=100)             # feeding predictions back
    prophecy.baseline(u, "polynomial", order=2)   # baselines: persistence, polynomial, parrot

Layout: samples u_k = u(k·dt); pred has the shape of u and pred[..., k, :] predicts u[..., k+1, :].
The state starts at zero with the history before the first sample taken as zero.
"""

from __future__ import annotations

import ctypes

import numpy as np

from . import _bindings as _b
from ._errors import SSMNullError, SSMSizeError, SSMValueError, _check
from ._validate import as_array, as_positive_scalar, as_size, choice, empty, require_finite
from .train import _Handle

__all__ = ["Predictor", "baseline", "normalized_error"]

_BASES = {"legt": _b.SSM_PROPHECY_LEGT, "fout": _b.SSM_PROPHECY_FOUT, "legs": _b.SSM_PROPHECY_LEGS}
_READOUTS = {"time": _b.SSM_READOUT_TIME, "space": _b.SSM_READOUT_SPACE}
_INPUTS = {"average": _b.SSM_STATE_INPUT_AVERAGE, "plain": _b.SSM_STATE_INPUT_PLAIN}
_RULES = {"euler": _b.SSM_RULE_EULER, "trapezoid": _b.SSM_RULE_TRAPEZOID}
_METHODS = {"bilinear": _b.SSM_METHOD_BILINEAR, "zoh": _b.SSM_METHOD_ZOH}
_BASELINES = {"persistence": _b.SSM_BASELINE_PERSISTENCE, "polynomial": _b.SSM_BASELINE_POLYNOMIAL,
              "parrot": _b.SSM_BASELINE_PARROT}


def _as_trajectories(u, name="u"):
    """u as a C-contiguous float64 (batch, T, d) view, and its original shape."""
    a = as_array(u, name)
    if a.ndim not in (1, 2, 3):
        raise SSMSizeError(f"{name} must have shape (T,), (T, d) or (batch, T, d), got {a.shape}")
    require_finite(a, name)
    shape = a.shape
    a3 = a.reshape(1, -1, 1) if a.ndim == 1 else (a.reshape((1,) + shape) if a.ndim == 2 else a)
    return np.ascontiguousarray(a3), shape


def normalized_error(pred, u, burn_in=0) -> float:
    """The normalized one-step error of predictions ``pred`` of ``u`` (the same shape, (T,), (T, d) or
    (batch, T, d); pred[..., k, :] predicts u[..., k+1, :]): the mean of
    (pred[..., b:-1, :] − u[..., b+1:, :])² over all entries divided by the mean, over trajectories
    and coordinates, of the variance of u[..., b:, :] in time (b = ``burn_in``). Each coordinate's
    own mean is removed, so offsets between coordinates (Lorenz's z) do not count as signal. For
    persistence on a sine sampled at Δ it is 2(1 − cos ωΔ)."""
    u3, shape = _as_trajectories(u)
    p3, pred_shape = _as_trajectories(pred, "pred")
    if pred_shape != shape:
        raise SSMSizeError(f"pred has shape {pred_shape}, u has shape {shape}: they must match")
    b = as_size(burn_in, "burn_in", minimum=0)
    if u3.shape[1] < b + 2:
        raise SSMSizeError(f"burn_in = {b} leaves fewer than two of the {u3.shape[1]} samples")
    variance = float(np.mean(np.var(u3[:, b:], axis=1)))
    if variance == 0:
        raise SSMValueError("u is constant after the burn-in: there is no variance to normalize by")
    return float(np.mean((p3[:, b:-1] - u3[:, b + 1:]) ** 2)) / variance


def baseline(u, method="persistence", order=1, window=None) -> np.ndarray:
    """One-step baseline predictions of u ((T,), (T, d) or (batch, T, d)), with the predictor's
    convention: pred[..., k, :] = û_(k+1) from u[..., :k+1, :] only; compare pred[..., :-1, :] with
    u[..., 1:, :]. Same shape as u. No history before the first sample is invented.

    method : "persistence" (û_(k+1) = u_k), "polynomial" (per coordinate, the value at k+1 of the
        degree-q polynomial through the last q+1 samples, q = min(order, k):
        Σ_j (−1)^j C(q+1, j+1) u_(k−j); order 1 gives 2u_k − u_(k−1); the first ``order``
        predictions use the highest order available) or "parrot" (context parroting over all d
        coordinates: for k ≥ window, the earlier window u_(j−m+1…j), j < k, nearest in Euclidean
        distance to u_(k−m+1…k) gives û_(k+1) = u_(j+1), ties to the most recent j; persistence for
        k < window; cost O(T²·window·d), fine for T up to ~10⁴).
    order : polynomial order, 0…20 (used by "polynomial" only).
    window : parroting window m ≥ 1 in samples (required by "parrot", rejected otherwise).
    """
    code = choice(method, "method", _BASELINES)
    if code == _b.SSM_BASELINE_PARROT:
        if window is None:
            raise SSMNullError("method 'parrot' needs window= (the window length in samples)")
        parameter = as_size(window, "window")
    else:
        if window is not None:
            raise SSMValueError(f"window={window!r} is only used by method 'parrot'")
        parameter = as_size(order, "order", minimum=0) if code == _b.SSM_BASELINE_POLYNOMIAL else 0
    a3, shape = _as_trajectories(u)
    out = empty(shape, np.float64, "the predictions")
    batch, T, d = a3.shape
    if batch and T and d:
        _check(_b.lib.ssm_baseline_predict(code, parameter, batch, T, d, a3, out.reshape(batch, T, d)))
    return out


class Predictor(_Handle):
    """A HiPPO-Prophecy one-step predictor.

    Parameters
    ----------
    N : state size (FouT: odd).
    window : the window θ in time units (LegT, FouT), or None to give it in samples with ``W``.
    W : the window in samples (θ = W·dt); default 20 when ``window`` is None too. LegS has no
        window (both must be None).
    dt : sample spacing Δ > 0.
    basis : "legt", "fout" or "legs" (time-varying; predictions invalid for the first ~N² samples;
        no ``ssm()``/``rollout_radius()``).
    readout : LegT only: "time" (the authors': C = eᵀA, D = N²/θ) or "space" (C_n = r_n n(n+1)/θ,
        D = 0). FouT uses C_2m = −2√2·π·m/θ on the sine entries; LegS C_k = eᵀA/k, D_k = N²/k.
    state_input : "average" (x_k = Ā x_(k−1) + B̄ (u_k + u_(k−1))/2) or "plain" (B̄ u_k).
    output : "euler" (û_(k+1) = u_k + Δ(C x + D u)) or "trapezoid" (the authors'; needs
        1 − ΔD/2 > 0: for LegT's time readout N² < 2θ/Δ, else SSMValueError naming the largest N).
    discretization : "bilinear" or "zoh" for (A, B).
    d : coordinates of the streaming state (``step``); ``predict`` takes any d.
    """

    _free = _b.lib.ssm_predictor_free

    def __init__(self, N=8, window=None, W=None, dt=1.0, basis="legt", readout="time",
                 state_input="average", output="euler", discretization="bilinear", d=1, *, _options=None):
        super().__init__()
        if _options is None:
            o = _b.ssm_predictor_options_t()
            _check(_b.lib.ssm_predictor_options_default(ctypes.byref(o)))
            o.basis = choice(basis, "basis", _BASES)
            o.N = as_size(N, "N")
            o.dt = as_positive_scalar(dt, "dt")
            if o.basis == _b.SSM_PROPHECY_LEGS:
                if window is not None or W is not None:
                    raise SSMValueError("basis 'legs' has no window: leave window and W as None")
            elif window is not None and W is not None:
                raise SSMValueError(f"give the window either in time units (window={window!r}) or in samples "
                                    f"(W={W!r}), not both")
            elif window is not None:
                o.theta, o.W = as_positive_scalar(window, "window"), 0
            else:
                o.theta, o.W = 0.0, as_size(20 if W is None else W, "W")
            o.readout = choice(readout, "readout", _READOUTS)
            o.state_input = choice(state_input, "state_input", _INPUTS)
            o.output = choice(output, "output", _RULES)
            o.method = choice(discretization, "discretization", _METHODS)
        else:
            o = _options
        self._options = o
        self._d = as_size(d, "d")
        _check(_b.lib.ssm_predictor_create(ctypes.byref(o), self._d, ctypes.byref(self._h)))

    @classmethod
    def authors(cls, N, T, dt, d=1) -> "Predictor":
        """The authors' exact configuration for a context of T samples: LegT with θ = T·dt (the whole
        context), time readout, trapezoid output, plain input, bilinear. Rejected (SSMValueError)
        when N² ≥ 2T, e.g. their N = 128, T = 1000."""
        o = _b.ssm_predictor_options_t()
        _check(_b.lib.ssm_predictor_options_authors(as_size(N, "N"), as_size(T, "T"), as_positive_scalar(dt, "dt"),
                                                    ctypes.byref(o)))
        return cls(d=d, _options=o)

    @property
    def N(self) -> int:
        return int(self._options.N)

    @property
    def dt(self) -> float:
        return float(self._options.dt)

    @property
    def d(self) -> int:
        """Coordinates of the streaming state."""
        return self._d

    def predict(self, u) -> np.ndarray:
        """One-step predictions of u ((T,), (T, d) or (batch, T, d)): pred[..., k, :] = û_(k+1)
        from u[..., :k+1, :]; compare pred[..., :-1, :] with u[..., 1:, :]. Same shape as u."""
        a3, shape = _as_trajectories(u)
        batch, T, d = a3.shape
        out = empty(shape, np.float64, "the predictions")
        if batch and T and d:
            _check(_b.lib.ssm_predictor_predict(self.handle, batch, T, d, a3, out.reshape(batch, T, d)))
        return out

    def step(self, x):
        """Streaming: consumes the next sample x (a scalar when d = 1, or (d,)) and returns the
        prediction of the sample after it (a float, or (d,)). Matches ``predict`` exactly."""
        a = as_array(x, "x")
        scalar = np.ndim(x) == 0  # (as_array returns at least 1-D)
        if (scalar and self._d != 1) or (not scalar and a.shape != (self._d,)):
            raise SSMSizeError(f"x must be {'a scalar or ' if self._d == 1 else ''}shape ({self._d},), got shape {a.shape}")
        out = np.empty(self._d)
        _check(_b.lib.ssm_predictor_step(self.handle, np.ascontiguousarray(a.reshape(self._d)), out))
        return float(out[0]) if scalar else out

    def reset(self) -> None:
        """Clears the streaming state (zero state, no history)."""
        _check(_b.lib.ssm_predictor_reset(self.handle))

    def ssm(self):
        """The predictor of one coordinate as a discrete SSM (Ad (n, n), Bd (n, 1), Cd (1, n),
        Dd (1, 1)) for ``compute.scan_dense``, whose output y_k is û_(k+1); n = N (plain input) or
        N + 1 (averaged input: the last sample is appended to the state). LegS: SSMUnsupportedError."""
        n = ctypes.c_int64()
        _check(_b.lib.ssm_predictor_state_size(self.handle, ctypes.byref(n)))
        n = n.value
        Ad, Bd, Cd, Dd = np.empty((n, n)), np.empty((n, 1)), np.empty((1, n)), np.empty((1, 1))
        _check(_b.lib.ssm_predictor_ssm(self.handle, Ad, Bd, Cd, Dd))
        return Ad, Bd, Cd, Dd

    def rollout(self, context, steps) -> np.ndarray:
        """Closed-loop rollout: teacher-forces a fresh copy of the predictor on ``context`` ((T,) or
        (T, d)), then feeds each prediction back as the next sample; returns the continuation
        ((steps,) or (steps, d)) predicting u_T, u_(T+1), … . The streaming state is not touched.
        Typically diverges: see ``rollout_radius``."""
        a = as_array(context, "context")
        if a.ndim not in (1, 2) or a.shape[0] < 1 or (a.ndim == 2 and a.shape[1] < 1):
            raise SSMSizeError(f"context must have shape (T,) or (T, d) with T, d ≥ 1, got {a.shape}")
        require_finite(a, "context")
        steps = as_size(steps, "steps", minimum=0)
        T, d = a.shape[0], (a.shape[1] if a.ndim == 2 else 1)
        out = empty((steps,) + a.shape[1:], np.float64, "the rollout")
        _check(_b.lib.ssm_predictor_rollout(self.handle, T, d, a, steps, out if steps else None))
        return out

    def rollout_radius(self) -> float:
        """Spectral radius of closed-loop rollout (predictions fed back as samples); > 1 diverges.
        An eigenvalue 1 of multiplicity m (predictors that extrapolate low-degree polynomials
        exactly) comes out split by about ε^(1/m): read a radius within ~1e-5 of 1 as 1."""
        r = ctypes.c_double()
        _check(_b.lib.ssm_predictor_rollout_radius(self.handle, ctypes.byref(r)))
        return r.value

    def __repr__(self) -> str:
        o = self._options
        names = lambda table, v: next(k for k, x in table.items() if x == v)
        window = f"window={o.theta!r}" if o.theta else f"W={o.W}"
        return (f"Predictor(N={o.N}, {window}, dt={o.dt!r}, basis={names(_BASES, o.basis)!r}, "
                f"readout={names(_READOUTS, o.readout)!r}, state_input={names(_INPUTS, o.state_input)!r}, "
                f"output={names(_RULES, o.output)!r}, discretization={names(_METHODS, o.method)!r})")
