"""Initializing SSMs: the DPLR form of HiPPO matrices, diagonal schemes (S4D, LRU, Mamba-2) and
timescales. (Exporters to peer layouts come next.)
"""

from __future__ import annotations

import ctypes
from typing import NamedTuple

import numpy as np

from . import _bindings as _b
from ._errors import SSMValueError, _check
from ._hippo import _options, measure_code
from ._validate import as_name, as_real_scalar, as_size, choice, empty

__all__ = ["DPLR", "dplr", "Diagonal", "diagonal", "SCHEMES", "timescale", "dt_to_param", "param_to_dt"]

#: Diagonal scheme names (``ssm_diag_scheme_t``).
SCHEMES = ("legs", "lin", "inv", "real", "random", "lru", "mamba2")
_B_INITS = {"ones": _b.SSM_B_ONES, "hippo": _b.SSM_B_HIPPO, "random": _b.SSM_B_RANDOM}


class DPLR(NamedTuple):
    """The DPLR form of a HiPPO matrix: V* A V = diag(Lambda) − Σ_i P[i] P[i]*, B̃ = V* B."""

    Lambda: np.ndarray  #: (M,) complex128, c + iω with ω ascending
    P: np.ndarray       #: (r, M) complex128, rows p̃_i = V* p_i
    B: np.ndarray       #: (M,) complex128, B̃ = V* B
    V: np.ndarray       #: (N, M) complex128, orthonormal eigenvectors of the normal part (columns)
    error: float        #: ‖S V − V Λ‖_F / ‖S‖_F over all N modes (the reconstruction error)


def dplr(measure: str, N: int, theta: float = 1.0, convention: str = "paper", pairs: bool = True) -> DPLR:
    """The DPLR form of a HiPPO measure (MATH.md §2), as state-spaces/s4's ``nplr``.

    The normal part S = A + Σ p_i p_iᵀ = c·I + K (K skew-symmetric) is diagonalized in float64 by a
    real skew-symmetric eigensolver (Householder reduction of K to tridiagonal form, LAPACK's
    dstevd; never A itself, whose eigenvectors are ill-conditioned).

    Parameters
    ----------
    measure : {"legs", "legt", "lagt", "fout"}
        "lmu" has no normal-plus-low-rank form (SSMUnsupportedError).
    N : int
        State size (even with ``pairs``; "fout" needs N odd, so ``pairs=False``).
    theta, convention
        As :func:`ssmkit.hippo`.
    pairs : bool, default True
        Keep the M = N/2 modes with Im λ > 0 (the rest are their conjugates), as S4/S4D do;
        False keeps all M = N modes.

    Returns
    -------
    DPLR
        ``(Lambda, P, B, V, error)``; S ≈ V diag(Lambda) V* (pairs: S ≈ 2·Re(V diag(Lambda) V*)
        when c is real, i.e. V Λ V* plus its conjugate).
    """
    code = measure_code(measure)
    N = as_size(N, "N")
    options = _options(theta, convention)
    rank = ctypes.c_int64(0)
    _check(_b.lib.ssm_hippo_rank(code, ctypes.byref(rank)))
    M = N // 2 if pairs else N
    Lambda = empty((M,), np.complex128, "Lambda")
    P = empty((rank.value, M), np.complex128, "P")
    B = empty((M,), np.complex128, "B")
    V = empty((N, M), np.complex128, "V")
    error = np.full(1, np.nan)
    _check(_b.lib.ssm_dplr(code, N, ctypes.byref(options), 1 if pairs else 0, Lambda, P, B, V, error))
    return DPLR(Lambda, P, B, V, float(error[0]))


class Diagonal(NamedTuple):
    """A diagonal initialization for H channels × M modes (M = N/2; Mamba-2: M = 1)."""

    Lambda: np.ndarray  #: (H, M) complex128; continuous-time λ, except LRU's discrete λ̄
    B: np.ndarray       #: (H, M) complex128
    C: np.ndarray       #: (H, M) complex128, complex normal (parts of variance ½)
    gamma: np.ndarray   #: (H, M) float64; LRU's √(1 − |λ̄|²), 1 for the other schemes


def diagonal(scheme: str = "lin", N: int = 64, H: int = 1, *, real_part=None, real_scale: float = 1.0,
             imag_scale: float = 1.0, B: str = "ones", normalize: bool = False, blocks: int = 1,
             seed: int = 0, r_min: float = 0.0, r_max: float = 1.0, max_phase: float = 2 * np.pi,
             a_min: float = 1.0, a_max: float = 16.0) -> Diagonal:
    """Diagonal SSM initialization (MATH.md §3) for modes n = 0…M−1:

    ========  ==============================================================
    legs      λ = −½ + iω_n (LegS normal part, :func:`dplr`; S4D-LegS)
    lin       λ = −½ + iπn (S4D-Lin)
    inv       λ = −½ + i(N/π)(N/(2n+1) − 1) (S4D-Inv)
    real      λ = −(n+1) (S4D-Real)
    random    λ = −½ + i·exp(z), z ~ N(0, 1)
    lru       discrete λ̄ = r e^{iθ}, r² ~ U(r_min², r_max²), θ ~ U(0, max_phase); γ = √(1 − r²)
    mamba2    one real λ = −a per head, a ~ U(a_min, a_max) (A_log = log a)
    ========  ==============================================================

    Parameters
    ----------
    scheme : str
        One of :data:`SCHEMES` (an "s4d-" prefix is accepted).
    N : int
        State size: even, M = N/2 conjugate-pair modes (mamba2: any N, M = 1).
    H : int
        Channels (mamba2: heads).
    real_part : float, optional
        Replaces every Re λ (0 gives the zero-real-part initialization). S4D schemes only.
    real_scale, imag_scale : float
        Multiply Re λ (after ``real_part``) and Im λ. S4D schemes only.
    B : {"ones", "hippo", "random"}
        B = 1; LegS's B̃ = V*B (per block); or complex normal with parts of variance ½.
    normalize : bool
        S4's B /= sqrt(2 Σ_n |B_n/λ_n|²) per channel (needs λ ≠ 0).
    blocks : int
        S5's block-diagonal LegS: J blocks, each LegS of size N/J (scheme "legs").
    seed : int
        Seed of the generator (xoshiro256** seeded by SplitMix64). Draws in the order λ (random:
        exp(z) per (h, n); lru: two uniforms per (h, n); mamba2: one per head), then B (random:
        re, im per (h, n)), then C (re, im per (h, n)); normals by Box–Muller's cosine branch.
    r_min, r_max, max_phase : float
        The LRU ring.
    a_min, a_max : float
        The Mamba-2 range.

    Returns
    -------
    Diagonal
        ``(Lambda, B, C, gamma)``, each of shape (H, M).
    """
    options = _b.ssm_diag_options_t()
    _check(_b.lib.ssm_diag_options_default(ctypes.byref(options)))
    code = ctypes.c_int32(-1)
    _check(_b.lib.ssm_diag_scheme_from_name(as_name(scheme, "scheme"), ctypes.byref(code)))
    options.scheme = code.value
    options.H = as_size(H, "H")
    options.N = as_size(N, "N")
    if real_part is not None:
        options.override_real = 1
        options.real_part = as_real_scalar(real_part, "real_part")
    options.real_scale = as_real_scalar(real_scale, "real_scale")
    options.imag_scale = as_real_scalar(imag_scale, "imag_scale")
    options.b_init = choice(B, "B", _B_INITS)
    options.normalize = 1 if normalize else 0
    options.blocks = as_size(blocks, "blocks")
    seed = as_size(seed, "seed", minimum=0)
    if seed >= 2**64:
        raise SSMValueError(f"seed = {seed} must be below 2**64")
    options.seed = seed
    options.r_min, options.r_max = as_real_scalar(r_min, "r_min"), as_real_scalar(r_max, "r_max")
    options.max_phase = as_real_scalar(max_phase, "max_phase")
    options.a_min, options.a_max = as_real_scalar(a_min, "a_min"), as_real_scalar(a_max, "a_max")
    modes = ctypes.c_int64(0)
    _check(_b.lib.ssm_diag_modes(ctypes.byref(options), ctypes.byref(modes)))
    shape = (options.H, modes.value)
    Lambda, Bm, C = (empty(shape, np.complex128, name) for name in ("Lambda", "B", "C"))
    gamma = empty(shape, np.float64, "gamma")
    _check(_b.lib.ssm_diag_init(ctypes.byref(options), Lambda, Bm, C, gamma))
    return Diagonal(Lambda, Bm, C, gamma)


_TRANSFORMS = {"exp": _b.SSM_DT_EXP, "softplus": _b.SSM_DT_SOFTPLUS}


def timescale(shape=1, dt_min: float = 1e-3, dt_max: float = 1e-1, seed: int = 0) -> np.ndarray:
    """Log-uniform timescales Δ = exp(U(log dt_min, log dt_max)) of the given shape: (H,) for one per
    channel, (H, M) for one per mode. Drawn in C order from the seeded generator of :func:`diagonal`
    (one uniform per entry)."""
    shape = (shape,) if np.isscalar(shape) else tuple(shape)
    shape = tuple(as_size(s, "shape", minimum=0) for s in shape)
    out = empty(shape, np.float64, "dt")
    seed = as_size(seed, "seed", minimum=0)
    if seed >= 2**64:
        raise SSMValueError(f"seed = {seed} must be below 2**64")
    if out.size:
        _check(_b.lib.ssm_timescales(out.size, as_real_scalar(dt_min, "dt_min"), as_real_scalar(dt_max, "dt_max"),
                                     seed, out.reshape(-1)))
    return out


def _transform(x, transform, inverse: bool, floor: float) -> np.ndarray:
    a = np.ascontiguousarray(x, dtype=np.float64)
    out = empty(a.shape, np.float64, "the result")
    if a.size:
        _check(_b.lib.ssm_dt_transform(choice(transform, "transform", _TRANSFORMS), 1 if inverse else 0,
                                       a.size, a.reshape(-1), as_real_scalar(floor, "floor"), out.reshape(-1)))
    return out


def dt_to_param(dt, transform: str = "exp", floor: float = 0.0) -> np.ndarray:
    """The stored parameter p with transform(p) = Δ: log Δ ("exp"), or the inverse softplus
    Δ + log(−expm1(−Δ)) of max(Δ, floor) ("softplus": Mamba's dt_bias, which uses floor = 1e-4)."""
    return _transform(dt, transform, True, floor)


def param_to_dt(p, transform: str = "exp") -> np.ndarray:
    """Δ = exp(p) or softplus(p) = log(1 + e^p) (evaluated without overflow)."""
    return _transform(p, transform, False, 0.0)
