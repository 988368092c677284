"""Argument checks done in Python before any C call, with messages that name the argument.

Only shapes, dtypes, finiteness and ranges: no numerics. The library repeats every check (it must,
for C callers), so these exist for clearer messages and to fail before allocating outputs.
"""

from __future__ import annotations

import math
import numbers
import operator

import numpy as np

from ._errors import SSMMemoryError, SSMNullError, SSMSizeError, SSMTypeError, SSMValueError

INT64_MAX = 2**63 - 1

_REAL_KINDS = "biuf"


def _describe(x) -> str:
    return type(x).__name__


def as_array(x, name: str, *, kind: str = "real", real_dtype=np.float64) -> np.ndarray:
    """``x`` as a C-contiguous ndarray of a numeric dtype.

    kind "real": ``real_dtype`` (float64 unless float32 is asked for; complex input is rejected);
    "auto": complex128 for complex input, float64 otherwise; "complex": complex128. None is
    SSMNullError; non-numeric data SSMTypeError.
    """
    if x is None:
        raise SSMNullError(f"{name} is None; expected an array")
    try:
        a = np.asarray(x)
    except Exception as error:  # ragged lists and the like
        raise SSMTypeError(f"{name} cannot be converted to an array: {error}") from None
    dkind = a.dtype.kind
    if dkind == "c":
        if kind == "real":
            raise SSMTypeError(f"{name} must be real, got dtype {a.dtype}")
        return np.ascontiguousarray(a, dtype=np.complex128)
    if dkind not in _REAL_KINDS:
        raise SSMTypeError(f"{name} must be a numeric array, got dtype {a.dtype} "
                           f"(from {_describe(x)})")
    return np.ascontiguousarray(a, dtype=np.complex128 if kind == "complex" else
                                (real_dtype if kind == "real" else np.float64))


def precision(*arrays) -> type:
    """np.float32 when every array given is single precision (float32 or complex64), else
    np.float64: the precision of a computation follows its sequence-sized inputs, as numpy's does."""
    single = (np.float32, np.complex64)
    return np.float32 if all(np.asarray(a).dtype in single for a in arrays) else np.float64


def as_dtype(dtype, name: str = "dtype") -> type:
    """A requested output precision: float32 or float64 (None passes through)."""
    if dtype is None:
        return None
    try:
        d = np.dtype(dtype)
    except TypeError:
        raise SSMTypeError(f"{name} must be float32 or float64, got {dtype!r}") from None
    if d not in (np.float32, np.float64):
        raise SSMTypeError(f"{name} must be float32 or float64, got {d}")
    return d.type


def require_finite(a: np.ndarray, name: str) -> None:
    """Raises SSMValueError naming the first non-finite entry of ``a``."""
    finite = np.isfinite(a)
    if finite.all():
        return
    index = tuple(int(i) for i in np.argwhere(~finite)[0])
    where = f"{name}[{', '.join(map(str, index))}]" if index else name
    raise SSMValueError(f"{where} = {a[index]!r} is not finite (NaN and Inf are rejected)")


def as_size(x, name: str, *, minimum: int = 1) -> int:
    """``x`` as a Python int in [minimum, 2**63 - 1]; bool and non-integers are SSMTypeError."""
    if x is None:
        raise SSMNullError(f"{name} is None; expected an integer")
    if isinstance(x, (bool, np.bool_)):
        raise SSMTypeError(f"{name} must be an integer, got a bool")
    try:
        value = operator.index(x)
    except TypeError:
        raise SSMTypeError(f"{name} must be an integer, got {_describe(x)} {x!r}") from None
    if value < minimum:
        raise SSMSizeError(f"{name} = {value} must be at least {minimum}")
    if value > INT64_MAX:
        raise SSMSizeError(f"{name} = {value} does not fit in int64_t")
    return value


def as_real_scalar(x, name: str) -> float:
    """``x`` as a finite Python float (None is SSMNullError, strings SSMTypeError)."""
    if x is None:
        raise SSMNullError(f"{name} is None; expected a number")
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        if isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "iuf":
            x = x.item()
        else:
            raise SSMTypeError(f"{name} must be a real number, got {_describe(x)} {x!r}")
    value = float(x)
    if not math.isfinite(value):
        raise SSMValueError(f"{name} = {value!r} is not finite")
    return value


def as_positive_scalar(x, name: str) -> float:
    value = as_real_scalar(x, name)
    if not value > 0:
        raise SSMValueError(f"{name} = {value!r} must be positive")
    return value


def as_name(x, name: str) -> bytes:
    """A string argument (a measure or method name) as bytes for the C parser."""
    if x is None:
        raise SSMNullError(f"{name} is None; expected a string")
    if not isinstance(x, str):
        raise SSMTypeError(f"{name} must be a string, got {_describe(x)} {x!r}")
    if "\0" in x:
        raise SSMValueError(f"{name} = {x!r} contains a NUL character")
    return x.encode("utf-8")


def choice(x, name: str, choices: dict) -> int:
    """Maps a string option (case-insensitive) through ``choices``; unknown names list the known."""
    if x is None:
        raise SSMNullError(f"{name} is None; expected one of {', '.join(map(repr, choices))}")
    if not isinstance(x, str):
        raise SSMTypeError(f"{name} must be a string, got {_describe(x)} {x!r}")
    try:
        return choices[x.lower()]
    except KeyError:
        raise SSMValueError(f"unknown {name} {x!r} (known: {', '.join(map(repr, choices))})") \
            from None


def empty(shape, dtype, what: str) -> np.ndarray:
    """An output array; a shape too large to allocate is SSMSizeError/SSMMemoryError."""
    try:
        return np.empty(shape, dtype=dtype)
    except (ValueError, OverflowError) as error:
        raise SSMSizeError(f"{what} of shape {tuple(shape)} is too large: {error}") from None
    except MemoryError as error:
        raise SSMMemoryError(f"cannot allocate {what} of shape {tuple(shape)}: {error}") from None
