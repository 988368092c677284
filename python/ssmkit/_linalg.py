"""Linear algebra: the matrix exponential."""

from __future__ import annotations

import numpy as np

from . import _bindings as _b
from ._errors import SSMSizeError, _check
from ._validate import as_array, empty, require_finite

__all__ = ["expm"]


def expm(M):
    """Matrix exponential exp(M), by scaling and squaring.

    The Padé approximant (degree 3-13) that ``scipy.linalg.expm`` chooses (Al-Mohy & Higham
    2009), or, for non-triangular M where it needs fewer matrix products and no more squarings, a
    Taylor polynomial of degree 4, 8 or 18 (Bader, Blanes & Casas 2019). Backward stable either way;
    results agree with scipy to rounding on well-conditioned input.

    Parameters
    ----------
    M : array_like, shape (n, n)
        A square matrix, n >= 1. Real input (bool, int, float) is computed in float64, complex
        input in complex128.

    Returns
    -------
    ndarray, shape (n, n)
        float64 for real M, complex128 for complex M.

    Raises
    ------
    SSMSizeError
        M is not a non-empty square 2-D array.
    SSMValueError
        M has a NaN or Inf entry.
    SSMUnstableError
        The result overflows.
    SSMMemoryError
        The work space would exceed the allocation limit (:func:`ssmkit.set_allocation_limit`).
    """
    a = as_array(M, "M", kind="auto")
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] < 1:
        raise SSMSizeError(f"M must be a non-empty square 2-D array, got shape {a.shape}")
    require_finite(a, "M")
    n = a.shape[0]
    out = empty((n, n), a.dtype, "exp(M)")
    if a.dtype == np.complex128:
        _check(_b.lib.ssm_expm_complex(n, a, out))
    else:
        _check(_b.lib.ssm_expm(n, a, out))
    return out
