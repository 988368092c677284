"""Discretization of continuous systems: dense (scipy.signal.cont2discrete semantics) and
closed forms for diagonal complex systems.

Formulas: ``include/ssmkit.h`` (``ssm_method_t``) and MATH.md §6.
"""

from __future__ import annotations

import ctypes

import numpy as np

from . import _bindings as _b
from ._errors import SSMSizeError, SSMValueError, _check
from ._validate import (as_array, as_name, as_positive_scalar, as_real_scalar, choice, empty,
                        require_finite)

__all__ = ["discretize", "discretize_diag", "method_code", "METHODS", "OUTPUT_CONVENTIONS"]

#: Method names the library knows (parsed by ``ssm_method_from_name``, case-insensitive), with
#: the aliases "tustin" (bilinear), "forward_diff"/"forward" (euler), "backward" (backward_diff).
METHODS = ("zoh", "foh", "gbt", "bilinear", "euler", "backward_diff", "impulse", "zoh_a_euler_b")
#: Output conventions of dense discretization: ``ssm_output_convention_t``.
OUTPUT_CONVENTIONS = {"scipy": _b.SSM_OUTPUT_SCIPY, "state_only": _b.SSM_OUTPUT_STATE_ONLY}


def method_code(method: str) -> int:
    """The ``ssm_method_t`` value of a method name, parsed by the library.

    Raises SSMValueError for an unknown name (the library's message lists the known ones).
    """
    code = ctypes.c_int32(-1)
    _check(_b.lib.ssm_method_from_name(as_name(method, "method"), ctypes.byref(code)))
    return code.value


def _alpha(code: int, alpha, method: str) -> float:
    """The GBT parameter: required for "gbt", refused for the other methods."""
    if code == _b.SSM_METHOD_GBT:
        if alpha is None:
            raise SSMValueError("alpha is required for method 'gbt' (a number in [0, 1])")
        value = as_real_scalar(alpha, "alpha")
        if not 0.0 <= value <= 1.0:
            raise SSMValueError(f"alpha = {value!r} must lie in [0, 1]")
        return value
    if alpha is not None:
        raise SSMValueError(f"alpha is only used by method 'gbt', not by method {method!r} "
                            f"(got alpha = {alpha!r}; leave it None)")
    return 0.5


def _matrix(x, name: str, rows: int | None, columns: int | None, shape_text: str) -> np.ndarray:
    """A real matrix argument; 0-d and 1-d inputs are promoted as documented in discretize()."""
    a = as_array(x, name, kind="real")
    if a.ndim == 0:
        a = a.reshape(1, 1)
    elif a.ndim == 1:
        # A 1-D B is a column (n,) -> (n, 1); a 1-D C or D is a row.
        a = a.reshape(-1, 1) if name == "B" else a.reshape(1, -1)
    if a.ndim != 2 or (rows is not None and a.shape[0] != rows) or \
            (columns is not None and a.shape[1] != columns):
        raise SSMSizeError(f"{name} must have shape {shape_text}, got {np.shape(x)}")
    require_finite(a, name)
    return a


def discretize(A, B, C, D, dt, method: str = "zoh", alpha=None, convention: str = "scipy"):
    """Discretize ẋ = A x + B u, y = C x + D u with step dt (scipy.signal.cont2discrete semantics).

    Parameters
    ----------
    A : array_like, shape (n, n)
        State matrix, n >= 1 (a scalar is a 1×1 matrix).
    B : array_like, shape (n, m) or (n,)
        Input matrix, m >= 1; a 1-D B is one input column (n, 1).
    C : array_like, shape (p, n) or (n,), or None
        Output matrix; a 1-D C is one output row (1, n). None means no outputs (p = 0).
    D : array_like, shape (p, m), or None
        Feedthrough; None means zeros. A 1-D D is a row (1, m); a scalar is 1×1.
    dt : float
        Step Δ > 0, finite.
    method : str, default "zoh"
        "zoh", "foh", "gbt", "bilinear" ("tustin"), "euler" ("forward_diff"), "backward_diff",
        "impulse" (case-insensitive; parsed by the library). "zoh_a_euler_b" is diagonal-only.
    alpha : float, optional
        The GBT parameter in [0, 1]: required for method "gbt", must be None otherwise.
    convention : {"scipy", "state_only"}, default "scipy"
        "scipy": (Cd, Dd) exactly as scipy.signal.cont2discrete (GBT: Cd = C(I − αΔA)⁻¹,
        Dd = D + αC·Bd; FOH and IMPULSE change Dd; IMPULSE needs D = 0). "state_only": only the
        state update is discretized, Cd = C, Dd = D (the SSM libraries' convention).

    Returns
    -------
    Ad : ndarray of float64, shape (n, n)
    Bd : ndarray of float64, shape (n, m)
    Cd : ndarray of float64, shape (p, n)
    Dd : ndarray of float64, shape (p, m)

    Raises
    ------
    SSMSizeError
        Shapes that do not fit together.
    SSMValueError
        NaN/Inf entries, dt <= 0, unknown method or convention, alpha missing or outside [0, 1],
        "impulse" with D != 0 in the "scipy" convention.
    SSMUnsupportedError
        "zoh_a_euler_b" (diagonal systems only: use :func:`discretize_diag`).
    SSMSingularError
        I − α·dt·A is singular.
    SSMUnstableError
        The result overflows.
    """
    code = method_code(method)
    alpha_value = _alpha(code, alpha, method)
    convention_code = choice(convention, "convention", OUTPUT_CONVENTIONS)
    A = _matrix(A, "A", None, None, "(n, n)")
    n = A.shape[0]
    if A.shape[1] != n or n < 1:
        raise SSMSizeError(f"A must be a non-empty square matrix (n, n), got shape {A.shape}")
    B = _matrix(B, "B", n, None, f"(n, m) or (n,) with n = {n}")
    m = B.shape[1]
    if m < 1:
        raise SSMSizeError(f"B must have at least one column, got shape {B.shape}")
    if C is None:
        if D is not None and np.size(D) > 0:
            raise SSMSizeError("D is given but C is None (no outputs); pass both or neither")
        p = 0
    else:
        C = _matrix(C, "C", None, n, f"(p, n) or (n,) with n = {n}")
        p = C.shape[0]
        if D is None:
            D = np.zeros((p, m))
        else:
            d = as_array(D, "D", kind="real")
            if d.ndim == 1 and m == 1 and p != 1 and d.shape[0] == p:
                d = d.reshape(p, 1)  # one input: a 1-D D of length p is a column
            D = _matrix(d, "D", p, m, f"(p, m) = ({p}, {m})")
    dt = as_positive_scalar(dt, "dt")

    options = _b.ssm_discretize_options_t()
    _check(_b.lib.ssm_discretize_options_default(ctypes.byref(options)))
    options.method = code
    options.alpha = alpha_value
    options.convention = convention_code

    Ad = empty((n, n), np.float64, "Ad")
    Bd = empty((n, m), np.float64, "Bd")
    Cd = empty((p, n), np.float64, "Cd")
    Dd = empty((p, m), np.float64, "Dd")
    if p == 0:
        # The header allows NULL C, D, Cd, Dd when p = 0.
        status = _b.lib.ssm_discretize(n, m, 0, A, B, None, None, dt, ctypes.byref(options),
                                       Ad, Bd, None, None)
    else:
        status = _b.lib.ssm_discretize(n, m, p, A, B, C, D, dt, ctypes.byref(options),
                                       Ad, Bd, Cd, Dd)
    _check(status)
    return Ad, Bd, Cd, Dd


def discretize_diag(lam, B, dt, method: str = "zoh", alpha=None):
    """Closed-form discretization of diagonal complex systems, mode by mode.

    For each mode λ with input weight b and step Δ (MATH.md §6):
    "zoh" Ā = e^{Δλ}, B̄ = Δ·φ1(Δλ)·b with φ1(z) = expm1(z)/z; "bilinear" Ā = (1 + Δλ/2)/(1 − Δλ/2),
    B̄ = Δb/(1 − Δλ/2); "euler" Ā = 1 + Δλ, B̄ = Δb; "backward_diff" Ā = 1/(1 − Δλ), B̄ = Δb/(1 − Δλ);
    "zoh_a_euler_b" (Mamba) Ā = e^{Δλ}, B̄ = Δb; "gbt" with ``alpha``.

    Parameters
    ----------
    lam : array_like, shape (N,) or (H, N)
        Eigenvalues λ (complex; real input is promoted) of H channels with N modes each.
    B : array_like or None
        Input weights b, broadcastable to ``lam``'s shape; None means b = 1.
    dt : float or array_like
        Steps Δ > 0: a scalar (one for all), shape (H,) or (H, 1) with 2-D ``lam`` (one per
        channel), or ``lam``'s shape (one per mode).
    method : str, default "zoh"
        "zoh", "bilinear", "euler", "backward_diff", "gbt", "zoh_a_euler_b" (and the aliases of
        :func:`discretize`). "foh" and "impulse" are unsupported here.
    alpha : float, optional
        The GBT parameter in [0, 1]: required for "gbt", must be None otherwise.

    Returns
    -------
    lam_bar : ndarray of complex128, shape of ``lam``
    B_bar : ndarray of complex128, shape of ``lam``

    Raises
    ------
    SSMSizeError
        Empty ``lam``, ``B`` not broadcastable, ``dt`` of another shape.
    SSMValueError
        NaN/Inf, a step <= 0, unknown method, alpha missing or outside [0, 1].
    SSMUnsupportedError
        "foh" or "impulse".
    SSMSingularError
        1 − α·Δ·λ = 0 for some mode.
    """
    code = method_code(method)
    alpha_value = _alpha(code, alpha, method)
    lam = as_array(lam, "lam", kind="complex")
    if lam.ndim not in (1, 2) or lam.size == 0:
        raise SSMSizeError(f"lam must be a non-empty array of shape (N,) or (H, N), "
                           f"got shape {lam.shape}")
    require_finite(lam, "lam")
    H, N = (1, lam.shape[0]) if lam.ndim == 1 else lam.shape

    if B is None:
        b = None
    else:
        b = as_array(B, "B", kind="complex")
        try:
            b = np.ascontiguousarray(np.broadcast_to(b, lam.shape))
        except ValueError:
            raise SSMSizeError(f"B of shape {b.shape} does not broadcast to lam's shape "
                               f"{lam.shape}") from None
        require_finite(b, "B")

    steps = as_array(dt, "dt", kind="real")
    if steps.ndim == 0 or steps.shape == (1,):
        steps = steps.reshape(1)
    elif steps.shape == lam.shape:
        steps = steps.reshape(-1)
    elif lam.ndim == 2 and steps.shape in ((H,), (H, 1)):
        steps = steps.reshape(H)
    else:
        expected = "a scalar, (H,) or (H, 1), or lam's shape" if lam.ndim == 2 else \
            "a scalar or lam's shape"
        raise SSMSizeError(f"dt must be {expected} (lam has shape {lam.shape}), "
                           f"got shape {steps.shape}")
    require_finite(steps, "dt")
    if not (steps > 0).all():
        i = int(np.argmax(~(steps > 0)))
        raise SSMValueError(f"dt[{i}] = {steps[i]!r} must be positive" if steps.size > 1
                            else f"dt = {steps[0]!r} must be positive")
    steps = np.ascontiguousarray(steps, dtype=np.float64)

    lam_bar = empty(lam.shape, np.complex128, "lam_bar")
    B_bar = empty(lam.shape, np.complex128, "B_bar")
    _check(_b.lib.ssm_discretize_diag(code, H, N, lam, b, steps, steps.size, alpha_value,
                                      lam_bar, B_bar))
    return lam_bar, B_bar
