"""Initializing SSMs: the DPLR form of HiPPO matrices, diagonal schemes (S4D, LRU, Mamba-2),
timescales, and exporters that lay the parameters out as peer libraries store them.
"""

from __future__ import annotations

import ctypes
from typing import NamedTuple

import numpy as np

from . import _bindings as _b
from ._errors import SSMSizeError, SSMValueError, _check
from ._hippo import _options, measure_code
from ._validate import as_name, as_real_scalar, as_size, choice, empty

__all__ = ["DPLR", "dplr", "Diagonal", "diagonal", "SCHEMES", "timescale", "dt_to_param", "param_to_dt",
           "to_s4d", "to_mamba", "to_s5", "to_lru"]

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


# ---------------------------------------------------------------------------------------------
# Exporters: NumPy arrays with the names and shapes peer libraries register as parameters, so a
# PyTorch/JAX model can be initialized with ``param.data.copy_(torch.from_numpy(array))``.
# ---------------------------------------------------------------------------------------------


def _complex2(x, name, shape=None) -> np.ndarray:
    a = np.asarray(x, dtype=np.complex128)
    if shape is not None and a.shape != shape:
        raise SSMSizeError(f"{name} must have shape {shape}, got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise SSMValueError(f"{name} has a non-finite entry")
    return a


def _io_maps(B, C, D, modes: int, label: str):
    """Input map B (modes, H), output map C (H, modes) complex and D (H,) real, checked."""
    Bm = _complex2(B, "B")
    if Bm.ndim != 2 or Bm.shape[0] != modes:
        raise SSMSizeError(f"B must have shape ({label}={modes}, H), got {Bm.shape}")
    H = Bm.shape[1]
    Cm = _complex2(C, "C", (H, modes))
    Dv = np.asarray(D, dtype=np.float64)
    if Dv.shape != (H,):
        raise SSMSizeError(f"D must have shape ({H},), got {Dv.shape}")
    return Bm, Cm, Dv


def _negative_real_log(Lambda, name="Lambda") -> np.ndarray:
    re = np.real(Lambda)
    if not np.all(re < 0):
        raise SSMValueError(f"{name} needs Re λ < 0 for a log(−Re λ) parameter (got max {re.max()}); "
                            "a zero real part has no such parameterization")
    return np.log(-re)


def to_s4d(d: Diagonal, dt) -> dict:
    """state-spaces/s4's standalone ``S4DKernel`` (models/s4/s4d.py): ``log_dt`` (H,), ``log_A_real``
    (H, N/2) with A = −exp(log_A_real) + i·A_imag, ``A_imag`` (H, N/2), and ``C`` (H, N/2, 2) — the
    real view of C·B (that kernel has no separate B: it folds B = 1 into C). Needs Re λ < 0."""
    H, M = d.Lambda.shape
    dt = np.broadcast_to(np.asarray(dt, dtype=np.float64), (H,))
    CB = _complex2(d.C * d.B, "C·B")
    return {"log_dt": dt_to_param(dt, "exp"), "log_A_real": _negative_real_log(d.Lambda),
            "A_imag": np.ascontiguousarray(d.Lambda.imag), "C": np.stack([CB.real, CB.imag], axis=-1)}


def to_mamba(d: Diagonal, dt, floor: float = 1e-4) -> dict:
    """state-spaces/mamba: ``A_log`` with A = −exp(A_log) — shape (H,) for Mamba-2 (one scalar per
    head, scheme "mamba2") or (H, M) for Mamba-1 (e.g. scheme "real": A = −(n+1)) — and ``dt_bias``
    (H,), the inverse softplus of Δ floored at ``floor`` (Mamba's dt_init_floor). Needs real λ < 0."""
    if np.any(d.Lambda.imag != 0):
        raise SSMValueError("Mamba's A is real: use a real scheme (\"real\", \"mamba2\")")
    H, M = d.Lambda.shape
    A_log = _negative_real_log(d.Lambda)
    dt = np.broadcast_to(np.asarray(dt, dtype=np.float64), (H,))
    return {"A_log": A_log[:, 0] if M == 1 else A_log, "dt_bias": dt_to_param(dt, "softplus", floor)}


def to_s5(Lambda, B, C, D, dt) -> dict:
    """lindermanlab/S5's ``S5SSM`` (conjugate-symmetric form, P kept modes, H features):
    ``Lambda_re``, ``Lambda_im`` (P,), ``B`` (P, H, 2) (real view of B̃ = V⁻¹B), ``C`` (H, P, 2),
    ``D`` (H,), ``log_step`` (P, 1). Lambda (P,) continuous; B (P, H) and C (H, P) complex, e.g.
    from :func:`dplr` with ``blocks`` (S5's block-diagonal init) and your own input/output maps."""
    lam = _complex2(Lambda, "Lambda")
    if lam.ndim != 1:
        raise SSMSizeError(f"Lambda must have shape (P,), got {lam.shape}")
    P = lam.shape[0]
    Bm, Cm, Dv = _io_maps(B, C, D, P, "P")
    dt = np.broadcast_to(np.asarray(dt, dtype=np.float64), (P,))
    return {"Lambda_re": lam.real.copy(), "Lambda_im": lam.imag.copy(), "B": np.stack([Bm.real, Bm.imag], -1),
            "C": np.stack([Cm.real, Cm.imag], -1), "D": Dv.copy(), "log_step": dt_to_param(dt, "exp")[:, None]}


def to_lru(d: Diagonal, B, C, D) -> dict:
    """The LRU (Orvieto et al. 2023) parameters for the N modes of one LRU layer (``d`` from scheme
    "lru" with H = 1): ``nu_log``, ``theta_log``, ``gamma_log`` (N,) with λ̄ = exp(−exp(nu_log) +
    i·exp(theta_log)) and γ = exp(gamma_log), ``B_re``, ``B_im`` (N, H), ``C_re``, ``C_im`` (H, N), ``D``
    (H,). B (N, H) and C (H, N) complex are your input/output maps. Needs 0 < |λ̄| < 1, arg λ̄ > 0."""
    if d.Lambda.shape[0] != 1:
        raise SSMSizeError(f"to_lru takes one layer's modes (H = 1), got Lambda of shape {d.Lambda.shape}")
    lam = d.Lambda[0]
    r, theta = np.abs(lam), np.angle(lam)
    if not (np.all(r > 0) and np.all(r < 1) and np.all(theta > 0)):
        raise SSMValueError("LRU parameters need 0 < |λ̄| < 1 and arg λ̄ > 0 for every mode")
    Bm, Cm, Dv = _io_maps(B, C, D, lam.shape[0], "N")
    return {"nu_log": np.log(-np.log(r)), "theta_log": np.log(theta), "gamma_log": np.log(d.gamma[0]),
            "B_re": Bm.real.copy(), "B_im": Bm.imag.copy(), "C_re": Cm.real.copy(), "C_im": Cm.imag.copy(),
            "D": Dv.copy()}
