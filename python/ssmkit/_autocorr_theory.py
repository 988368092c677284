"""The theory of "Autocorrelation Matters" as functions (re-exported by ``ssmkit.autocorr``).

The model (MATH.md §5): a diagonal single-input single-output SSM ḣ = W h + B x, y = Re(cᵀh),
W = diag(w), N modes w_j = a_j + i b_j, discretized by zero-order hold with step ``dt``:
Ā_j = e^(dt·w_j), B̄_j = dt·φ1(dt·w_j)·B_j. The output is Re(cᵀh) with **no factor 2**: a
conjugate-pair model read out as 2·Re(cᵀh) (``ssmkit.init.diagonal``'s N/2 modes) is this model with
c replaced by 2c, which multiplies every power by 4.

``w``, ``B``, ``c`` are 1-D complex arrays of N entries (complex128; real input is promoted);
``B=None`` means every B_j = 1. ``r`` is the input's autocorrelation r(0…L−1) (R = Toeplitz(r));
it should be a valid autocorrelation (R positive semidefinite), which is not checked. Errors are
:class:`ssmkit.SSMError` subclasses, caller errors also ``ValueError``.

Example::

    from ssmkit import autocorr
    w = 1j * np.pi * np.arange(32)                       # S4D-Lin imaginary parts, Re w = 0
    white = np.r_[1.0, np.zeros(1023)]                    # r(0…L−1) of white noise, L = 1024
    autocorr.critical_timescale(w, white).dt              # Δ* with E_c E_x[y_L²] = 1
    autocorr.timescale_rule(1024, lambda_max=1.0)         # the rule of thumb 1/√(L λ_max)
"""

from __future__ import annotations

import ctypes
from typing import NamedTuple

import numpy as np

from . import _bindings as _b
from ._errors import SSMSizeError, SSMValueError, _check
from ._validate import as_array, as_positive_scalar, as_real_scalar, as_size, empty, require_finite

__all__ = ["output_weights", "output_power", "expected_output_power", "output_power_bound",
           "CriticalTimescale", "critical_timescale", "timescale_rule", "memory_weight", "gram_continuous",
           "gram_discrete", "condition_number", "approximation_error"]


def _vector(x, name: str, kind: str) -> np.ndarray:
    """A non-empty finite 1-D array (complex128 or float64)."""
    a = as_array(x, name, kind=kind)
    if a.ndim != 1 or a.size == 0:
        raise SSMSizeError(f"{name} must be a non-empty 1-D array, got shape {a.shape}")
    require_finite(a, name)
    return a


def _modes(w) -> np.ndarray:
    return _vector(w, "w", "complex")


def _weights(x, name: str, N: int) -> np.ndarray:
    """B or c: N complex entries (a scalar is broadcast)."""
    a = as_array(x, name, kind="complex")
    if a.ndim == 0:
        a = np.full(N, a, dtype=np.complex128)
    if a.shape != (N,):
        raise SSMSizeError(f"{name} must have shape ({N},) like w, got {a.shape}")
    require_finite(a, name)
    return a


def _input_weights(B, N: int):
    return None if B is None else _weights(B, "B", N)


def _scalar_out(call, *args) -> float:
    out = ctypes.c_double()
    _check(call(*args, ctypes.byref(out)))
    return out.value


def output_weights(w, c, dt: float, L: int, B=None) -> np.ndarray:
    """The output's weights on past inputs, ρ_m = Re Σ_j c_j B̄_j e^(dt·w_j·m), m = 0…L−1, so that
    y_L = Σ_m ρ_m x_(L−m). Returns float64 of shape (L,). Modes with Re w > 0 that overflow raise
    :class:`ssmkit.SSMUnstableError`."""
    w = _modes(w)
    c, B = _weights(c, "c", w.size), _input_weights(B, w.size)
    dt, L = as_positive_scalar(dt, "dt"), as_size(L, "L")
    rho = empty((L,), np.float64, "rho")
    _check(_b.lib.ssm_output_weights(w.size, w, B, c, dt, L, rho))
    return rho


def output_power(w, c, dt: float, r, B=None) -> float:
    """The output power E[y_L²] = ρ̃ᵀ R ρ̃ = ρᵀ R ρ (ρ of :func:`output_weights` with L = len(r)),
    R = Toeplitz(r), by an O(L log L) FFT Toeplitz product."""
    w = _modes(w)
    c, B = _weights(c, "c", w.size), _input_weights(B, w.size)
    r = _vector(r, "r", "real")
    return _scalar_out(_b.lib.ssm_output_power, w.size, w, B, c, as_positive_scalar(dt, "dt"), r.size, r)


def expected_output_power(w, dt: float, r, B=None) -> float:
    """E_c E_x[y_L²] for a readout c ~ CN(0, I) (independent standard complex normals):
    ½ Σ_j |B̄_j|² v_jᴴ R v_j, v_j = (e^(dt·w_j·m))_(m<L), L = len(r); O(N·L). One mode w = 0, B = 1
    gives ½dt²L for white noise and ½dt²L² for a constant input."""
    w = _modes(w)
    B = _input_weights(B, w.size)
    r = _vector(r, "r", "real")
    return _scalar_out(_b.lib.ssm_expected_output_power, w.size, w, B, as_positive_scalar(dt, "dt"), r.size, r)


def output_power_bound(w, c, dt: float, L: int, lambda_max: float, B=None) -> float:
    """The bound of Theorem 4.1's direction, dt²·L·λ_max(R)·(Σ_j |c_j B_j|)² ≥ E[y_L²], for
    Re w ≤ 0 (else :class:`ssmkit.SSMValueError`); tight for w = 0, c_j B_j > 0 and a constant input.
    ``lambda_max``: the largest eigenvalue of R, computed by the caller."""
    w = _modes(w)
    c, B = _weights(c, "c", w.size), _input_weights(B, w.size)
    return _scalar_out(_b.lib.ssm_output_power_bound, w.size, w, B, c, as_positive_scalar(dt, "dt"),
                       as_size(L, "L"), as_real_scalar(lambda_max, "lambda_max"))


class CriticalTimescale(NamedTuple):
    """The result of :func:`critical_timescale`."""

    dt: float         #: Δ* with E_c E_x[y_L²](Δ*) = target
    iterations: int   #: iterations of Brent's method in the bracketing interval
    evaluations: int  #: evaluations of the expected power in all (grid included)


def critical_timescale(w, r, B=None, target: float = 1.0, dt_min: float = 1e-8,
                       dt_max: float = 1e3) -> CriticalTimescale:
    """The critical timescale Δ* at which :func:`expected_output_power` equals ``target``.

    Solved in log Δ: the power is sampled at Δ_k = dt_min·2^k (the last point dt_max) and the first
    interval where it crosses the target from below is refined by Brent's method (to about 1e-14
    relative in Δ). One real mode w ≤ 0 under white or constant input gives a power increasing in Δ
    (a unique root); oscillating modes need not be monotone, and then this is the smallest root
    unless the power crosses the target and comes back within one factor of 2 below it. Needs
    Re w ≤ 0. The result also says how many Brent iterations and power evaluations it took.

    Raises :class:`ssmkit.SSMNotConvergedError` when [dt_min, dt_max] holds no root (the power
    already exceeds the target at dt_min, or stays below it up to dt_max: modes with Re w < 0
    saturate at ½ Σ_j |B_j/w_j|² r(0)).
    """
    w = _modes(w)
    B = _input_weights(B, w.size)
    r = _vector(r, "r", "real")
    dt, iterations, evaluations = ctypes.c_double(), ctypes.c_int64(), ctypes.c_int64()
    _check(_b.lib.ssm_critical_timescale(w.size, w, B, r.size, r, as_positive_scalar(target, "target"),
                                         as_positive_scalar(dt_min, "dt_min"), as_positive_scalar(dt_max, "dt_max"),
                                         ctypes.byref(dt), ctypes.byref(iterations), ctypes.byref(evaluations)))
    return CriticalTimescale(dt.value, iterations.value, evaluations.value)


def timescale_rule(L: int, lambda_max: float, kappa: float = 1.0) -> float:
    """The rule of thumb Δ = κ/√(L·λ_max(R)) (MATH.md §4): white noise (λ_max = r(0)) gives
    Δ ∝ L^(−½), a constant input (λ_max = L·r(0)) Δ ∝ 1/L."""
    return _scalar_out(_b.lib.ssm_timescale_rule, as_size(L, "L"), as_real_scalar(lambda_max, "lambda_max"),
                       as_real_scalar(kappa, "kappa"))


def memory_weight(a, dt: float, L: int) -> np.ndarray:
    """Memory at initialization: e^(dt·a_j·(L−1)) = |Ā_j|^(L−1), the weight of the first of L inputs
    relative to the last, per mode. ``a``: the real parts a_j (float64, shape (N,)); for a complex
    array (the eigenvalues w) its real parts are used."""
    values = as_array(a, "a", kind="auto")
    values = _vector(values.real if np.iscomplexobj(values) else values, "a", "real")
    weight = empty(values.shape, np.float64, "weight")
    _check(_b.lib.ssm_memory_weight(values.size, values, as_positive_scalar(dt, "dt"), as_size(L, "L"), weight))
    return weight


def gram_continuous(w) -> np.ndarray:
    """The continuous infinite-horizon Gram matrix of the features φ_j(t) = e^(a_j t) cos(b_j t):
    G_jk = ½[s/(s² + (b_j − b_k)²) + s/(s² + (b_j + b_k)²)], s = −(a_j + a_k). Needs every Re w < 0.
    Returns float64 of shape (N, N)."""
    w = _modes(w)
    G = empty((w.size, w.size), np.float64, "G")
    _check(_b.lib.ssm_gram_continuous(w.size, w, G))
    return G


def gram_discrete(w, dt: float, L: int) -> np.ndarray:
    """The discrete finite-window Gram matrix dt·ΦΦᵀ, Φ_jm = φ_j(m·dt), m = 0…L−1: the Riemann sum of
    the continuous one over [0, L·dt] (it tends to :func:`gram_continuous` as dt → 0, L·dt → ∞).
    Singular under aliasing, dt·b_j ≡ ±dt·b_k (mod 2π) with a_j = a_k. Returns (N, N) float64."""
    w = _modes(w)
    G = empty((w.size, w.size), np.float64, "G")
    _check(_b.lib.ssm_gram_discrete(w.size, w, as_positive_scalar(dt, "dt"), as_size(L, "L"), G))
    return G


def condition_number(G) -> float:
    """κ(G) = max|λ|/min|λ| of a symmetric matrix by the symmetric eigensolver (λ_max/λ_min for a
    Gram matrix; equal to ``numpy.linalg.cond(G)``); inf when an eigenvalue is exactly 0. Values near
    1/ε ≈ 4.5e15 and above mean singular to working precision."""
    G = as_array(G, "G")
    if G.ndim != 2 or G.shape[0] != G.shape[1] or G.shape[0] == 0:
        raise SSMSizeError(f"G must be a non-empty square matrix, got shape {G.shape}")
    require_finite(G, "G")
    return _scalar_out(_b.lib.ssm_condition_number, G.shape[0], G)


def approximation_error(w, dt: float, target, rcond: float | None = None) -> float:
    """min_c ‖ρ* − Σ_j c_j φ_j‖² / ‖ρ*‖² for target samples ρ*(m·dt), m = 0…L−1 (L = len(target)), by
    the SVD of Φᵀ; singular values at or below rcond·σ_max count as zero (None: numpy.linalg.lstsq's
    default max(L, N)·ε). The residual is a projection onto the kept left singular vectors, so it is
    accurate even for nearly dependent features."""
    w = _modes(w)
    target = _vector(target, "target", "real")
    rc = -1.0 if rcond is None else as_real_scalar(rcond, "rcond")
    if rc < 0 and rcond is not None:
        raise SSMValueError(f"rcond = {rc!r} must be ≥ 0 (or None for the default)")
    return _scalar_out(_b.lib.ssm_approximation_error, w.size, w, as_positive_scalar(dt, "dt"), target.size,
                       target, rc)
