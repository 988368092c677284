"""Estimators of autocorrelation (re-exported by ``ssmkit.autocorr``).

The sample autocorrelation of a batch of sequences (by FFT, with missing values as NaN), the
Toeplitz matrix R = E[x xᵀ] it defines, R's products and largest eigenvalue (the λ_max of the
timescale rule Δ = κ/√(L·λ_max(R)), MATH.md §4), and the long-memory exponent of r(k) ≈ c·k^(−α).

Example::

    x = train.input_process("ar1", 64, 4096, parameter=0.9, seed=0)
    r = autocorr.acf(x)                        # ρ(0…L−1), pooled over the 64 rows
    lam = autocorr.lambda_max(r)               # Lanczos, O(L log L) per step
    fit = autocorr.long_memory_exponent(r, 1, 100)
"""

from __future__ import annotations

import ctypes
from typing import NamedTuple

import numpy as np

from . import _bindings as _b
from ._errors import SSMSizeError, SSMValueError, _check
from ._validate import INT64_MAX, as_array, as_real_scalar, as_size, choice, empty, require_finite

__all__ = ["acf", "toeplitz", "toeplitz_matvec", "lambda_max", "LambdaMax", "long_memory_exponent", "LongMemoryFit"]

_METHODS = {"lanczos": _b.SSM_EIGEN_LANCZOS, "dense": _b.SSM_EIGEN_DENSE}


class LambdaMax(NamedTuple):
    """The largest eigenvalue of a Toeplitz autocorrelation matrix and how it was found."""

    value: float       #: λ_max (Lanczos: the largest Ritz value, a lower bound on λ_max)
    iterations: int    #: Lanczos steps, one product with R each (0 for "dense")
    converged: bool    #: whether the residual bound reached tol·|value| (always True for "dense")
    residual: float    #: the residual bound ‖R y − θ y‖: some eigenvalue lies within it (0 for "dense")


class LongMemoryFit(NamedTuple):
    """A power law r(k) ≈ c·k^(−α) fitted on log r against log k."""

    alpha: float       #: the exponent α
    c: float           #: the prefactor c
    lags: int          #: the number of lags in the fit (those of the range with r(k) > 0)
    r_squared: float   #: R² of the log–log fit (1: exact)


def _sequences(x, name: str) -> np.ndarray:
    """``x`` as a float64 (count, L) array from a 1-D (L,) or 2-D (count, L) array; ±Inf rejected."""
    xx = as_array(x, name)
    if xx.ndim not in (1, 2):
        raise SSMSizeError(f"{name} must be 1-D (L,) or 2-D (count, L), got shape {xx.shape}")
    if xx.size == 0:
        raise SSMSizeError(f"{name} must hold at least one value, got shape {xx.shape}")
    infinite = np.isinf(xx)
    if infinite.any():
        where = ", ".join(str(int(i)) for i in np.argwhere(infinite)[0])
        raise SSMValueError(f"{name}[{where}] is infinite (NaN marks a missing value; ±Inf is not allowed)")
    return xx.reshape(1, -1) if xx.ndim == 1 else xx


def _autocorrelation(r, name: str = "r") -> np.ndarray:
    """``r`` as a non-empty, finite, 1-D float64 array r(0), …, r(L − 1)."""
    rr = as_array(r, name)
    if rr.ndim != 1 or rr.size == 0:
        raise SSMSizeError(f"{name} must be a non-empty 1-D array r(0), …, r(L − 1), got shape {rr.shape}")
    require_finite(rr, name)
    return rr


def acf(x, lags: int | None = None, biased: bool = True, center: bool = True, normalize: bool = True,
        return_pairs: bool = False):
    """The sample autocorrelation r(0), …, r(lags − 1) of ``x``, by FFT in O(count·L log L).

    Parameters
    ----------
    x : array_like, shape (L,) or (count, L)
        One sequence, or ``count`` sequences of one stationary process (the estimate pools them).
        NaN entries are missing values; ±Inf is an error.
    lags : int, optional
        How many lags, 1 … L (default L).
    biased : bool, default True
        Divide the lag-k sum by n_0, the number of present values (the classical biased estimator);
        False divides by n_k, the number of pairs (t, t + k) with both values present (unbiased).
    center : bool, default True
        Subtract the mean of all present values of ``x`` (one mean for all rows) first.
    normalize : bool, default True
        Divide by r(0): the autocorrelation ρ with ρ(0) = 1; False gives the autocovariance.
    return_pairs : bool, default False
        Also return n_k, the number of present pairs behind each lag (int64).

    Returns
    -------
    numpy.ndarray, shape (lags,)
        r(k) = S(k)/n_0 (biased) or S(k)/n_k, S(k) the sum of y_t·y_(t+k) over the rows and the pairs
        with both values present (y = x − mean, or x). With nothing missing these are the classical
        estimators. ``(r, pairs)`` if ``return_pairs``.

    Raises SSMValueError when every value is missing, when a lag has no present pair, and when
    normalizing data whose r(0) is 0 (constant data, or all zeros without centering).
    """
    xx = _sequences(x, "x")
    count, L = xx.shape
    K = L if lags is None else as_size(lags, "lags")
    if K > L:
        raise SSMSizeError(f"lags = {K} must be at most L = {L}")
    options = _b.ssm_acf_options_t()
    _check(_b.lib.ssm_acf_options_default(ctypes.byref(options)))
    options.biased, options.centered, options.normalized = int(bool(biased)), int(bool(center)), int(bool(normalize))
    r = empty((K,), np.float64, "acf")
    pairs = empty((K,), np.int64, "pairs")
    _check(_b.lib.ssm_acf(count, L, xx, K, ctypes.byref(options), r, pairs))
    return (r, pairs) if return_pairs else r


def toeplitz(r) -> np.ndarray:
    """The (L, L) symmetric Toeplitz matrix R[i, j] = r(|i − j|) of r(0), …, r(L − 1)
    (scipy.linalg.toeplitz(r)). Dense: for small L."""
    rr = _autocorrelation(r)
    L = rr.size
    R = empty((L, L), np.float64, "R")
    _check(_b.lib.ssm_toeplitz(L, rr, R))
    return R


def toeplitz_matvec(r, v) -> np.ndarray:
    """R·v for the symmetric Toeplitz matrix R of r(0), …, r(L − 1) without forming R: O(L log L)
    per vector by circulant embedding. ``v`` has shape (L,) or (count, L) (one product per row);
    the result has the shape of ``v``."""
    rr = _autocorrelation(r)
    vv = as_array(v, "v")
    L = rr.size
    if vv.ndim not in (1, 2) or vv.shape[-1] != L or vv.size == 0:
        raise SSMSizeError(f"v must have shape (L,) or (count, L) with L = len(r) = {L}, got {vv.shape}")
    require_finite(vv, "v")
    out = empty(vv.shape, np.float64, "out")
    _check(_b.lib.ssm_toeplitz_matvec(L, rr, vv.size // L, vv, out))
    return out


def lambda_max(r, method: str = "lanczos", tol: float = 1e-12, max_iter: int = 1000, full_output: bool = False):
    """The largest eigenvalue of the symmetric Toeplitz matrix R of r(0), …, r(L − 1).

    Parameters
    ----------
    r : array_like, shape (L,)
        The first row of R (e.g. from :func:`acf`, or ``train.autocorrelation``).
    method : {"lanczos", "dense"}
        "lanczos": Lanczos with O(L log L) products, any L; it starts from a fixed seeded vector
        (deterministic) and stops when the largest Ritz value θ has a residual bound ≤ tol·|θ|.
        "dense": the dense matrix and LAPACK's dsyevd, O(L³), for checks at small L (≤ 46340).
    tol : float, default 1e-12
        Relative tolerance of the residual bound, in (0, 1) ("lanczos" only).
    max_iter : int, default 1000
        Most Lanczos steps ("lanczos" only).
    full_output : bool, default False
        Return a :class:`LambdaMax` ``(value, iterations, converged, residual)`` instead of the value;
        then a run that does not converge returns ``converged=False`` instead of raising.

    Raises SSMNotConvergedError (without ``full_output``) when max_iter steps do not reach the
    tolerance; the message gives the estimate. Clustered top eigenvalues (AR(1) with φ near 1 at
    large L) converge slowly; separated ones (power laws, constant input, white noise) fast.
    """
    rr = _autocorrelation(r)
    code = choice(method, "method", _METHODS)
    tol = as_real_scalar(tol, "tol")
    max_iter = as_size(max_iter, "max_iter")
    value, iterations, residual = ctypes.c_double(), ctypes.c_int64(), ctypes.c_double()
    status = _b.lib.ssm_toeplitz_lambda_max(rr.size, rr, code, tol, max_iter, ctypes.byref(value),
                                            ctypes.byref(iterations), ctypes.byref(residual))
    if not (full_output and status == _b.SSM_NOT_CONVERGED):
        _check(status)
    result = LambdaMax(value.value, iterations.value, status == 0, residual.value)
    return result if full_output else result.value


def long_memory_exponent(acf, kmin: int = 1, kmax: int | None = None) -> LongMemoryFit:
    """Fits r(k) ≈ c·k^(−α) by least squares on log r(k) against log k, over the lags
    k = kmin … kmax (inclusive) with r(k) > 0; ``acf`` holds r(0), …, r(K − 1) (e.g. from
    :func:`acf`), 1 ≤ kmin ≤ kmax ≤ K − 1 (default K − 1). Returns :class:`LongMemoryFit`
    ``(alpha, c, lags, r_squared)``. SSMValueError with fewer than 3 usable lags."""
    rr = as_array(acf, "acf")
    if rr.ndim != 1:
        raise SSMSizeError(f"acf must be a 1-D array r(0), …, r(K − 1), got shape {rr.shape}")
    K = rr.size
    # Integers of any sign here; the library checks the range and names the bounds.
    kmin = as_size(kmin, "kmin", minimum=-INT64_MAX)
    kmax = K - 1 if kmax is None else as_size(kmax, "kmax", minimum=-INT64_MAX)
    if K == 0:
        raise SSMSizeError("acf is empty; expected r(0), …, r(K − 1)")
    alpha, c, used, r2 = ctypes.c_double(), ctypes.c_double(), ctypes.c_int64(), ctypes.c_double()
    _check(_b.lib.ssm_long_memory_fit(K, rr, kmin, kmax, ctypes.byref(alpha), ctypes.byref(c), ctypes.byref(used),
                                      ctypes.byref(r2)))
    return LongMemoryFit(alpha.value, c.value, used.value, r2.value)
