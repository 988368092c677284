"""HiPPO matrices: the continuous systems (A, B) of HiPPO measures and their low-rank corrections.

Formulas: ``include/ssmkit.h`` (``ssm_measure_t``) and MATH.md §1, with r_n = sqrt(2n + 1).
"""

from __future__ import annotations

import ctypes

import numpy as np

from . import _bindings as _b
from ._errors import _check
from ._validate import as_name, as_positive_scalar, as_size, choice, empty

__all__ = ["hippo", "rank_correction", "hippo_rank", "measure_code", "MEASURES", "CONVENTIONS"]

#: Measure names the library knows (parsed by ``ssm_measure_from_name``, case-insensitive).
MEASURES = ("legs", "legt", "lmu", "lagt", "fout")
#: HiPPO scaling conventions: ``ssm_convention_t``.
CONVENTIONS = {"paper": _b.SSM_CONVENTION_PAPER, "s4": _b.SSM_CONVENTION_S4}


def measure_code(measure: str) -> int:
    """The ``ssm_measure_t`` value of a measure name, parsed by the library.

    Raises
    ------
    SSMValueError
        Unknown name (the library's message lists the known ones).
    """
    code = ctypes.c_int32(-1)
    _check(_b.lib.ssm_measure_from_name(as_name(measure, "measure"), ctypes.byref(code)))
    return code.value


def _options(theta, convention) -> _b.ssm_hippo_options_t:
    options = _b.ssm_hippo_options_t()
    _check(_b.lib.ssm_hippo_options_default(ctypes.byref(options)))
    options.theta = as_positive_scalar(theta, "theta")
    options.convention = choice(convention, "convention", CONVENTIONS)
    return options


def hippo(measure: str, N: int, theta: float = 1.0, convention: str = "paper"):
    """The continuous HiPPO system (A, B) of a measure.

    Parameters
    ----------
    measure : {"legs", "legt", "lmu", "lagt", "fout"}
        The HiPPO measure (case-insensitive).
    N : int
        State size, N >= 1 ("fout": N odd).
    theta : float, default 1.0
        Window length θ > 0 (used by "legt", "lmu", "fout").
    convention : {"paper", "s4"}, default "paper"
        "paper": the formulas of MATH.md §1. "s4": state-spaces/s4's ``transition()`` scaling
        (LegT halved; "fout" is not available in this convention).

    Returns
    -------
    A : ndarray of float64, shape (N, N)
    B : ndarray of float64, shape (N,)

    Raises
    ------
    SSMValueError
        Unknown measure or convention, θ not finite and positive.
    SSMSizeError
        N < 1, or N even for "fout".
    SSMUnsupportedError
        "fout" with convention "s4".

    Examples
    --------
    >>> A, B = hippo("legs", 4)
    >>> A.shape, B.shape
    ((4, 4), (4,))
    """
    code = measure_code(measure)
    N = as_size(N, "N")
    options = _options(theta, convention)
    A = empty((N, N), np.float64, "A")
    B = empty((N,), np.float64, "B")
    _check(_b.lib.ssm_hippo(code, N, ctypes.byref(options), A, B))
    return A, B


def hippo_rank(measure: str) -> int:
    """The rank r of a measure's low-rank correction (1 for legs, lagt, fout; 2 for legt).

    Raises SSMUnsupportedError for "lmu" (no normal-plus-low-rank form).
    """
    code = measure_code(measure)
    rank = ctypes.c_int64(-1)
    _check(_b.lib.ssm_hippo_rank(code, ctypes.byref(rank)))
    return rank.value


def rank_correction(measure: str, N: int, theta: float = 1.0, convention: str = "paper"):
    """The low-rank correction P such that S = A + PᵀP is normal (c·I plus skew-symmetric).

    Parameters
    ----------
    measure, N, theta, convention
        As for :func:`hippo`.

    Returns
    -------
    P : ndarray of float64, shape (r, N)
        Rows p_i with S = A + Σ_i p_i p_iᵀ = A + P.T @ P; r = :func:`hippo_rank` (1 or 2).

    Raises
    ------
    SSMUnsupportedError
        "lmu" (a diagonal rescaling of LegT without a normal-plus-low-rank form).
    Others as :func:`hippo`.
    """
    code = measure_code(measure)
    N = as_size(N, "N")
    options = _options(theta, convention)
    rank = ctypes.c_int64(-1)
    _check(_b.lib.ssm_hippo_rank(code, ctypes.byref(rank)))
    P = empty((rank.value, N), np.float64, "P")
    _check(_b.lib.ssm_hippo_rank_correction(code, N, ctypes.byref(options), P))
    return P
