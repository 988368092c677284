"""Running SSMs: convolution kernels, scans, causal FFT convolution, Fourier transforms.

The transforms follow ``numpy.fft``: same signatures (``n``, ``axis``, ``norm``), same scaling and
the same output shapes, computed by libssmkit (mixed-radix Stockham when n has no prime factor above 7,
Bluestein otherwise).
"""

from __future__ import annotations

import operator

import numpy as np

from . import _bindings as _b
from ._errors import SSMSizeError, SSMTypeError, SSMValueError, _check
from ._validate import as_array, as_dtype, as_size, empty, precision

__all__ = ["kernel", "kernel_dense", "kernel_dplr", "scan", "scan_dense", "scan_dt", "convolve", "set_threads", "threads", "fft", "ifft", "rfft", "irfft"]

_NORMS = ("backward", "ortho", "forward")


def _scale(norm, n: int, inverse: bool) -> float:
    """The factor to apply on top of the library's numpy "backward" scaling."""
    if norm is None or norm == "backward":
        return 1.0
    if norm == "ortho":
        return float(np.sqrt(n)) if inverse else 1.0 / float(np.sqrt(n))
    if norm == "forward":
        return float(n) if inverse else 1.0 / n
    raise SSMValueError(f"norm must be one of {_NORMS} or None, got {norm!r}")


def _axis(axis, a: np.ndarray) -> int:
    """``axis`` as an index into ``a.shape`` (negative counts from the end)."""
    try:
        axis = operator.index(axis)
    except TypeError:
        raise SSMTypeError(f"axis must be an integer, got {axis!r}") from None
    if not -a.ndim <= axis < a.ndim:
        raise SSMSizeError(f"axis {axis} is out of range for x of shape {a.shape}")
    return axis % a.ndim


def _prepare(x, n, axis: int, *, kind: str, length_of_n):
    """``x`` with ``axis`` moved last, cropped or zero-padded to ``length_of_n(n)``; and the axis.
    Finiteness is checked by the library (its message names the flat index of the entry)."""
    a = as_array(x, "x", kind=kind)   # at least 1-D: a scalar is a sequence of one
    axis = _axis(axis, a)
    if axis != a.ndim - 1:
        a = np.moveaxis(a, axis, -1)
    n = as_size(n, "n") if n is not None else None
    length = length_of_n(n) if n is not None else a.shape[-1]
    if length < 1:
        raise SSMSizeError(f"x has {a.shape[-1]} points along axis {axis}; the transform needs at least 1")
    if a.shape[-1] > length:
        a = a[..., :length]
    elif a.shape[-1] < length:
        pad = [(0, 0)] * (a.ndim - 1) + [(0, length - a.shape[-1])]
        a = np.pad(a, pad)
    return np.ascontiguousarray(a), axis


def _finish(out: np.ndarray, axis: int, factor: float) -> np.ndarray:
    if factor != 1.0:
        out *= factor
    return out if axis == out.ndim - 1 else np.moveaxis(out, -1, axis)


def _plain(x, dtype, n, axis, norm) -> bool:
    """The common call — a C-contiguous array of ``dtype``, last axis, no n, default norm — which
    skips the general argument handling (a few µs that matter for small transforms)."""
    return (n is None and norm is None and (axis == -1 or axis == getattr(x, "ndim", 0) - 1)
            and type(x) is np.ndarray and x.dtype == dtype and x.ndim >= 1 and x.size >= 1
            and x.flags.c_contiguous)


def _complex(x, n, axis, norm, inverse: bool):
    if _plain(x, np.complex128, n, axis, norm):
        length = x.shape[-1]
        out = empty(x.shape, np.complex128, "the transform")
        function = _b.lib.ssm_ifft if inverse else _b.lib.ssm_fft
        _check(function(x.size // length, length, x, out))
        return out
    a, axis = _prepare(x, n, axis, kind="complex", length_of_n=lambda n: n)
    length = a.shape[-1]
    out = empty(a.shape, np.complex128, "the transform")
    rows = a.size // length
    if rows:
        function = _b.lib.ssm_ifft if inverse else _b.lib.ssm_fft
        _check(function(rows, length, a.reshape(rows, length), out.reshape(rows, length)))
    return _finish(out, axis, _scale(norm, length, inverse))


def fft(x, n=None, axis=-1, norm=None):
    """Discrete Fourier transform along ``axis``, X_k = Σ_j x_j e^(−2πi jk/n) (``numpy.fft.fft``).

    ``n`` crops or zero-pads the input along ``axis``; ``norm`` is "backward" (default, no
    scaling), "ortho" (1/√n) or "forward" (1/n). Returns complex128. Any length n ≥ 1.
    Raises SSMValueError for NaN/Inf input (numpy would propagate it).
    """
    return _complex(x, n, axis, norm, inverse=False)


def ifft(x, n=None, axis=-1, norm=None):
    """Inverse DFT along ``axis``, scaled by 1/n by default (``numpy.fft.ifft``); as :func:`fft`."""
    return _complex(x, n, axis, norm, inverse=True)


def rfft(x, n=None, axis=-1, norm=None):
    """DFT of real input along ``axis``: the n//2 + 1 non-negative frequencies (``numpy.fft.rfft``).

    Complex input is rejected (SSMTypeError) rather than silently losing its imaginary part.
    """
    if _plain(x, np.float64, n, axis, norm):
        length = x.shape[-1]
        out = empty(x.shape[:-1] + (length // 2 + 1,), np.complex128, "the transform")
        _check(_b.lib.ssm_rfft(x.size // length, length, x, out))
        return out
    a, axis = _prepare(x, n, axis, kind="real", length_of_n=lambda n: n)
    length = a.shape[-1]
    out = empty(a.shape[:-1] + (length // 2 + 1,), np.complex128, "the transform")
    rows = a.size // length
    if rows:
        _check(_b.lib.ssm_rfft(rows, length, a.reshape(rows, length), out.reshape(rows, length // 2 + 1)))
    return _finish(out, axis, _scale(norm, length, inverse=False))


def irfft(x, n=None, axis=-1, norm=None):
    """Inverse of :func:`rfft` (``numpy.fft.irfft``): n real outputs along ``axis``, by default
    n = 2·(m − 1) for m input points. The input is cropped or zero-padded to n//2 + 1 points; the
    imaginary parts of the zero and (even n) Nyquist frequencies are ignored, as numpy does.
    """
    a = as_array(x, "x", kind="complex")
    m = a.shape[_axis(axis, a)]
    length = as_size(n, "n") if n is not None else 2 * (m - 1)
    if length < 1:
        raise SSMSizeError(f"irfft of {m} points needs n ≥ 1 (the default n = 2·(m − 1) = {length}); pass n")
    a, axis = _prepare(a, length, axis, kind="complex", length_of_n=lambda n: n // 2 + 1)
    out = empty(a.shape[:-1] + (length,), np.float64, "the transform")
    rows = out.size // length
    if rows:
        _check(_b.lib.ssm_irfft(rows, length, a.reshape(rows, length // 2 + 1), out.reshape(rows, length)))
    return _finish(out, axis, _scale(norm, length, inverse=True))


def set_threads(n: int = 0) -> None:
    """Threads the kernel, scan and convolution functions use (0: all cores, the default)."""
    n = as_size(n, "n", minimum=0)
    _check(_b.lib.ssm_set_threads(min(n, 2**31 - 1)))


def threads() -> int:
    """The thread count in effect."""
    return int(_b.lib.ssm_threads())


def kernel(z, w, L: int, pairs: bool = True, dtype=None) -> np.ndarray:
    """Convolution kernel of a diagonal SSM: K[..., l] = f·Re Σ_n w[..., n]·exp(l·z[..., n]).

    Parameters
    ----------
    z : array_like, complex, shape (..., N)
        log λ̄ per mode: Δλ for zero-order hold (``discretize_diag``'s λ̄ = exp(Δλ)).
    w : array_like, complex, same shape as z
        Per-mode weights C·B̄.
    L : int
        Kernel length.
    pairs : bool, default True
        Conjugate-pair modes (S4D, S5): f = 2. False: f = 1.
    dtype : float32 or float64, optional
        Precision of K. Default: float32 when z and w are both single precision (complex64 or
        float32), else float64. z and w are used in float64 either way.

    Returns
    -------
    ndarray of ``dtype``, shape (..., L)

    Every power exp(l·z) is evaluated in float64 from the exact multiple (a blocked table, no
    running product), so K is accurate to a few ulps per term at any L, with no (…, N, L) buffer.
    In float32 the table and the block products are float32: K is within about 1e-7 of the float64
    kernel, relative to its largest entry.
    """
    out_dtype = as_dtype(dtype) or precision(z, w)
    zz = as_array(z, "z", kind="complex")
    ww = as_array(w, "w", kind="complex")
    if zz.shape != ww.shape:
        raise SSMSizeError(f"z and w must have the same shape, got {zz.shape} and {ww.shape}")
    L = as_size(L, "L")
    lead, N = zz.shape[:-1], zz.shape[-1]
    H = int(np.prod(lead)) if lead else 1
    out = empty(lead + (L,), out_dtype, "K")
    if H == 0:
        return out
    if N == 0:
        out[...] = 0.0
        return out
    function = _b.lib.ssm_kernel_diag_f32 if out_dtype is np.float32 else _b.lib.ssm_kernel_diag
    _check(function(H, N, L, zz.reshape(H, N), ww.reshape(H, N), 1 if pairs else 0, out.reshape(H, L)))
    return out


def kernel_dplr(Lambda, P, B, C, dt, L: int, Q=None, pairs: bool = True) -> np.ndarray:
    """Convolution kernel of diagonal-plus-low-rank SSMs as S4 computes it: A = diag(Λ) − P Q*
    (Q defaults to P), bilinear discretization with step dt, K[..., l] = Re(C Ā^l B̄), l < L, by
    Cauchy sums at the roots of unity, Woodbury and one inverse FFT (C̃ = C(I − Ā^L) from C).

    Parameters
    ----------
    Lambda : array_like, complex, shape (H, N) or (N,)
        Diagonal part (e.g. :func:`ssmkit.init.dplr`'s ``Lambda``).
    P : array_like, complex, shape (H, rank, N), (rank, N) or (N,)
        Low-rank factor, one row per column of P (``init.dplr``'s ``P``); shared by all channels
        when it has no H axis. ``Q`` likewise (default: P).
    B, C : array_like, complex, shape (H, N) or (N,)
    dt : float or array_like, shape (H,)
        Steps, each > 0.
    L : int
    pairs : bool, default True
        The modes are one of each conjugate pair of a real system (``init.dplr(pairs=True)``):
        K is that real system's kernel. False: K is the real part over the modes given.

    Returns
    -------
    ndarray of float64, shape (H, L), or (L,) when Lambda, B, C are 1-D and dt a scalar.

    Modes with Re λ = 0 whose λ̄^L is close to 1 are ill-conditioned in this method, and λ = 0 is
    singular (SSMSingularError): use :func:`kernel` or :func:`kernel_dense` for those.
    """
    lam = as_array(Lambda, "Lambda", kind="complex")
    if lam.ndim not in (1, 2):
        raise SSMSizeError(f"Lambda must have shape (H, N) or (N,), got {lam.shape}")
    N = lam.shape[-1]
    steps = as_array(dt, "dt")
    if np.ndim(dt) == 0:
        steps = steps.reshape(())
    single = lam.ndim == 1 and steps.ndim == 0
    H = lam.shape[0] if lam.ndim == 2 else (steps.shape[0] if steps.ndim == 1 else 1)

    def channels(x, name, shape):
        a = as_array(x, name, kind="complex")
        try:
            return np.ascontiguousarray(np.broadcast_to(a, (H,) + shape))
        except ValueError:
            raise SSMSizeError(f"{name} must have shape {shape} or {(H,) + shape}, got {a.shape}") from None

    lam = channels(lam, "Lambda", (N,))
    Pa = as_array(P, "P", kind="complex")
    rank = 1 if Pa.ndim == 1 else Pa.shape[-2] if Pa.ndim >= 2 else 0
    if rank < 1:
        raise SSMSizeError(f"P must have shape (N,), (rank, N) or (H, rank, N) with rank ≥ 1, got {Pa.shape}")
    Pa = channels(Pa.reshape(Pa.shape[:-1] + (1, N)) if Pa.ndim == 1 else Pa, "P", (rank, N))
    Qa = None if Q is None else channels(as_array(Q, "Q", kind="complex").reshape(-1, rank, N)
                                         if np.ndim(Q) == 1 else Q, "Q", (rank, N))
    Bb, Cc = channels(B, "B", (N,)), channels(C, "C", (N,))
    try:
        steps = np.ascontiguousarray(np.broadcast_to(steps, (H,)))
    except ValueError:
        raise SSMSizeError(f"dt must be a scalar or have shape ({H},), got {steps.shape}") from None
    L = as_size(L, "L")
    out = empty((H, L), np.float64, "K")
    _check(_b.lib.ssm_kernel_dplr(H, N, rank, L, lam, Pa, Qa, Bb, Cc, steps, 1 if pairs else 0, out))
    return out[0] if single else out


def _dense_system(Ad, Bd, Cd):
    """Ad (N, N), Bd (N, m) and Cd (p, N) as C-contiguous float64, vectors taken as m = 1 / p = 1;
    and whether both B and C were vectors (a SISO system)."""
    A = as_array(Ad, "Ad")
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise SSMSizeError(f"Ad must be square, got shape {A.shape}")
    N = A.shape[0]
    B = as_array(Bd, "Bd")
    C = as_array(Cd, "Cd")
    siso = B.ndim == 1 and C.ndim == 1
    B2 = B.reshape(N, 1) if B.ndim == 1 and B.shape[0] == N else B
    C2 = C.reshape(1, -1) if C.ndim == 1 else C
    if B2.ndim != 2 or B2.shape[0] != N:
        raise SSMSizeError(f"Bd must have shape ({N},) or ({N}, m), got {B.shape}")
    if C2.ndim != 2 or C2.shape[1] != N:
        raise SSMSizeError(f"Cd must have shape ({N},) or (p, {N}), got {C.shape}")
    return A, np.ascontiguousarray(B2), np.ascontiguousarray(C2), siso


def kernel_dense(Ad, Bd, Cd, L: int) -> np.ndarray:
    """Convolution kernel of a dense discrete system: K[l] = Cd·Ad^l·Bd, l < L (Krylov sequence).

    Ad (N, N), Bd (N,) or (N, m), Cd (N,) or (p, N). Returns (L,) for a SISO system given as
    vectors, else (L, p, m).
    """
    A, B2, C2, siso = _dense_system(Ad, Bd, Cd)
    N, m, p = A.shape[0], B2.shape[1], C2.shape[0]
    L = as_size(L, "L")
    K = empty((L, p, m), np.float64, "K")
    if N and m and p:
        _check(_b.lib.ssm_kernel_dense(N, m, p, L, A, B2, C2, K))
    return K[:, 0, 0] if siso else K


def scan_dense(Ad, Bd, Cd, u, Dd=None, x0=None, return_state: bool = False):
    """Run a dense discrete system: x_k = Ad x_(k−1) + Bd u_k, y_k = Cd x_k + Dd u_k.

    Ad (N, N), Bd (N, m), Cd (p, N), Dd (p, m) optional; u (..., L, m) with leading batch
    dimensions; x0 (..., N) optional. Returns y (..., L, p) (and the final state (..., N)).
    """
    A, B, C, _ = _dense_system(Ad, Bd, Cd)
    N, m, p = A.shape[0], B.shape[1], C.shape[0]
    D = None
    if Dd is not None:
        D = as_array(Dd, "Dd")
        if D.shape != (p, m):
            raise SSMSizeError(f"Dd must have shape ({p}, {m}), got {D.shape}")
    uu = as_array(u, "u")
    if uu.ndim < 2 or uu.shape[-1] != m:
        raise SSMSizeError(f"u must have shape (..., L, m={m}), got {uu.shape}")
    lead, L = uu.shape[:-2], uu.shape[-2]
    batch = int(np.prod(lead)) if lead else 1
    x = None
    if x0 is not None:
        x = as_array(x0, "x0")
        if x.shape != lead + (N,):
            raise SSMSizeError(f"x0 must have shape {lead + (N,)}, got {x.shape}")
    y = empty(lead + (L, p), np.float64, "y")
    final = empty(lead + (N,), np.float64, "the final state")
    if batch and L and N and m and p:
        _check(_b.lib.ssm_scan_dense(batch, N, m, p, L, A, B, C, D, uu.reshape(batch, L, m),
                                     None if x is None else x.reshape(batch, N), y.reshape(batch, L, p),
                                     final.reshape(batch, N)))
    else:
        y[...] = 0.0 if D is None else uu @ D.T
        final[...] = 0.0 if x is None else x
    return (y, final) if return_state else y


def _scan_arguments(lam, B, C, u, D, x0, names, real_dtype=np.float64):
    """Checked arrays for the scans: (λ, B, C) (H, N) complex, u (..., H, L) in ``real_dtype``,
    D (H,), x0 (..., H, N)."""
    lam = as_array(lam, names[0], kind="complex")
    if lam.ndim != 2:
        raise SSMSizeError(f"{names[0]} must have shape (H, N), got {lam.shape}")
    H, N = lam.shape
    Bb = as_array(B, names[1], kind="complex")
    Cc = as_array(C, "C", kind="complex")
    for name, a in ((names[1], Bb), ("C", Cc)):
        if a.shape != (H, N):
            raise SSMSizeError(f"{name} must have shape {(H, N)} like {names[0]}, got {a.shape}")
    uu = as_array(u, "u", real_dtype=real_dtype)
    if uu.ndim < 2 or uu.shape[-2] != H:
        raise SSMSizeError(f"u must have shape (..., H={H}, L), got {uu.shape}")
    lead = uu.shape[:-2]
    Dd = None
    if D is not None:
        Dd = as_array(D, "D")
        if Dd.shape != (H,):
            raise SSMSizeError(f"D must have shape ({H},), got {Dd.shape}")
    x = None
    if x0 is not None:
        x = as_array(x0, "x0", kind="complex")
        if x.shape != lead + (H, N):
            raise SSMSizeError(f"x0 must have shape {lead + (H, N)}, got {x.shape}")
    return lam, Bb, Cc, uu, Dd, x


def _run_scan(call, lam, uu, Dd, x, return_state):
    H, N = lam.shape
    lead, L = uu.shape[:-2], uu.shape[-1]
    batch = int(np.prod(lead)) if lead else 1
    y = empty(uu.shape, uu.dtype, "y")
    final = empty(lead + (H, N), np.complex128, "the final state")
    if batch and L and N:
        call(batch, H, N, L, uu.reshape(batch, H, L), None if x is None else x.reshape(batch, H, N),
             y.reshape(batch, H, L), final.reshape(batch, H, N))
    else:   # an empty batch, no steps or no modes: y = D u, the state stays x0
        y[...] = 0.0 if Dd is None else Dd[:, None] * uu
        final[...] = 0 if x is None else x
    return (y, final) if return_state else y


def scan(lambda_bar, B_bar, C, u, D=None, x0=None, pairs: bool = True, return_state: bool = False):
    """Run a diagonal SSM by its recurrence, per channel h:
    x_k = λ̄ ⊙ x_(k−1) + B̄ u_k,  y_k = f·Re(C·x_k) + D u_k  (f = 2 with ``pairs``, else 1).

    Parameters
    ----------
    lambda_bar, B_bar, C : array_like, complex, shape (H, N)
        Discrete modes (e.g. from :func:`ssmkit.discretize_diag`) and output weights.
    u : array_like, real, shape (..., H, L)
        Inputs; leading dimensions are a batch.
    D : array_like, shape (H,), optional
        Skip term (default 0).
    x0 : array_like, complex, shape (..., H, N), optional
        Initial state (default 0); its batch shape must match u's.
    return_state : bool
        Also return the final state, shape (..., H, N).

    Returns
    -------
    y : ndarray, shape (..., H, L), float32 if u is float32 (else float64); and the final state
    (complex128) if ``return_state``. The state is float64 in both precisions, so a float32 y is
    the float64 result rounded once (a float32 state with |λ̄| = 1 would drift by ~√L ulps).
    """
    real_dtype = precision(u)
    lam, Bb, Cc, uu, Dd, x = _scan_arguments(lambda_bar, B_bar, C, u, D, x0, ("lambda_bar", "B_bar"), real_dtype)
    function = _b.lib.ssm_scan_diag_f32 if real_dtype is np.float32 else _b.lib.ssm_scan_diag

    def call(batch, H, N, L, u2, x2, y2, f2):
        _check(function(batch, H, N, L, lam, Bb, Cc, Dd, 1 if pairs else 0, u2, x2, y2, f2))
    return _run_scan(call, lam, uu, Dd, x, return_state)


def scan_dt(Lambda, B, C, u, dt, method: str = "zoh", alpha=None, D=None, x0=None, pairs: bool = True,
            return_state: bool = False):
    """The scan with a step per time index (selective SSMs): at step k every mode is discretized
    with dt[..., h, k] by ``method`` ("zoh", "zoh_a_euler_b" — Mamba's rule —, "bilinear", "euler",
    "backward_diff", or "gbt" with ``alpha``), then x_k = Ā_k ⊙ x_(k−1) + B̄_k u_k,
    y_k = f·Re(C·x_k) + D u_k. Lambda, B, C (H, N) continuous; u and dt (..., H, L); others as
    :func:`scan` (float32 when u and dt are both float32)."""
    from ._discretize import method_code
    real_dtype = precision(u, dt)
    lam, Bb, Cc, uu, Dd, x = _scan_arguments(Lambda, B, C, u, D, x0, ("Lambda", "B"), real_dtype)
    steps = as_array(dt, "dt", real_dtype=real_dtype)
    if steps.shape != uu.shape:
        raise SSMSizeError(f"dt must have u's shape {uu.shape}, got {steps.shape}")
    code = method_code(method)
    a = 0.5 if alpha is None else float(alpha)

    function = _b.lib.ssm_scan_diag_dt_f32 if real_dtype is np.float32 else _b.lib.ssm_scan_diag_dt

    def call(batch, H, N, L, u2, x2, y2, f2):
        _check(function(batch, H, N, L, code, a, lam, Bb, Cc, Dd, 1 if pairs else 0,
                        steps.reshape(batch, H, L), u2, x2, y2, f2))
    return _run_scan(call, lam, uu, Dd, x, return_state)


def convolve(u, K, D=None) -> np.ndarray:
    """Causal convolution with a skip term, per channel: y[..., h, k] = Σ_(j ≤ k) K[h, j]·u[..., h, k − j]
    + D[h]·u[..., h, k], by FFT (zero-padded to a power of two ≥ 2L − 1, no wrap-around).

    Parameters
    ----------
    u : array_like, shape (..., H, L)
    K : array_like, shape (H, L)   (e.g. :func:`kernel`)
    D : array_like, shape (H,), optional

    Returns
    -------
    ndarray, shape (..., H, L): float32 when u and K are both float32 (float32 transforms: within
    about 3e-7 of the float64 result relative to its largest entry, as scipy.fft in float32), else
    float64.
    """
    real_dtype = precision(u, K)
    uu = as_array(u, "u", real_dtype=real_dtype)
    KK = as_array(K, "K", real_dtype=real_dtype)
    if uu.ndim < 2:
        raise SSMSizeError(f"u must have shape (..., H, L), got {uu.shape}")
    H, L = uu.shape[-2:]
    if KK.shape != (H, L):
        raise SSMSizeError(f"K must have shape (H, L) = {(H, L)} like u's last two axes, got {KK.shape}")
    Dd = None
    if D is not None:
        Dd = as_array(D, "D")
        if Dd.shape != (H,):
            raise SSMSizeError(f"D must have shape ({H},), got {Dd.shape}")
    y = empty(uu.shape, real_dtype, "y")
    batch = uu.size // (H * L) if H * L else 0
    if batch:
        function = _b.lib.ssm_convolve_f32 if real_dtype is np.float32 else _b.lib.ssm_convolve
        _check(function(batch, H, L, KK, uu.reshape(batch, H, L), Dd, y.reshape(batch, H, L)))
    return y
