"""Initializing SSMs: the diagonal-plus-low-rank (DPLR) form of HiPPO matrices.

(Diagonal schemes — S4D, LRU, Mamba — timescales and exporters to peer layouts come next.)
"""

from __future__ import annotations

import ctypes
from typing import NamedTuple

import numpy as np

from . import _bindings as _b
from ._errors import _check
from ._hippo import _options, measure_code
from ._validate import as_size, empty

__all__ = ["DPLR", "dplr"]


class DPLR(NamedTuple):
    """The DPLR form of a HiPPO matrix: V* A V = diag(Lambda) − Σ_i P[i] P[i]*, B̃ = V* B."""

    Lambda: np.ndarray  #: (M,) complex128, c + iω with ω ascending
    P: np.ndarray       #: (r, M) complex128, rows p̃_i = V* p_i
    B: np.ndarray       #: (M,) complex128, B̃ = V* B
    V: np.ndarray       #: (N, M) complex128, orthonormal eigenvectors of the normal part (columns)
    error: float        #: ‖S V − V Λ‖_F / ‖S‖_F over all N modes (the reconstruction error)


def dplr(measure: str, N: int, theta: float = 1.0, convention: str = "paper", pairs: bool = True) -> DPLR:
    """The DPLR form of a HiPPO measure (MATH.md §2), as state-spaces/s4's ``nplr``.

    The normal part S = A + Σ p_i p_iᵀ = c·I + K (K skew-symmetric) is diagonalized in float64 by
    LAPACK's Hermitian eigensolver on −iK (never A itself, whose eigenvectors are ill-conditioned).

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
