"""Exceptions raised by ssmkit, one class per C status code.

Every non-zero status of a C call becomes an :class:`SSMError` subclass carrying the status
``code``, its static description ``status`` (``ssm_status_string``) and the library's detailed
message (``ssm_last_error``: which argument, which value, what was expected).

Hierarchy::

    SSMError(Exception)
    +-- SSMCallerError(SSMError, ValueError)      negative codes: the arguments are wrong
    |   +-- SSMNullError                          SSM_ERR_NULL  (-1): a required argument is None/NULL
    |   +-- SSMSizeError                          SSM_ERR_SIZE  (-2): a size/shape is out of range
    |   +-- SSMValueError                         SSM_ERR_VALUE (-3): NaN/Inf, out of range, unknown name
    |   |   +-- SSMTypeError(..., TypeError)      an argument of the wrong Python type or dtype
    |   +-- SSMUnsupportedError                   SSM_ERR_UNSUPPORTED (-4)
    |   +-- SSMMemoryError(..., MemoryError)      SSM_ERR_MEMORY (-5): above the allocation limit
    +-- SSMInternalError(SSMError, RuntimeError)  SSM_ERR_INTERNAL (-6): a bug in SSMKit, report it
    +-- SSMIOError(SSMError, OSError)             SSM_ERR_IO (-7): a file could not be read or written
    +-- SSMNumericalError(SSMError, ArithmeticError)  positive codes: a numerical outcome
        +-- SSMNotConvergedError                  SSM_NOT_CONVERGED (1)
        +-- SSMSingularError                      SSM_SINGULAR (2)
        +-- SSMUnstableError                      SSM_UNSTABLE (3)

So ``except ValueError`` catches every caller error (including bad Python types, which are also
``TypeError``), while numerical outcomes are ``ArithmeticError``, not ``ValueError``.
``SSMInternalError`` is negative in C but is not the caller's fault, so it is a ``RuntimeError``.
"""

from __future__ import annotations

__all__ = [
    "SSMError",
    "SSMCallerError",
    "SSMNullError",
    "SSMSizeError",
    "SSMValueError",
    "SSMTypeError",
    "SSMUnsupportedError",
    "SSMMemoryError",
    "SSMInternalError",
    "SSMIOError",
    "SSMNumericalError",
    "SSMNotConvergedError",
    "SSMSingularError",
    "SSMUnstableError",
    "error_for_status",
]


class SSMError(Exception):
    """A failed SSMKit call.

    Attributes
    ----------
    code : int
        The C status code (``SSM_ERR_*`` < 0, or a positive numerical outcome).
    status : str
        ``ssm_status_string(code)``, e.g. ``"SSM_ERR_SIZE: a size is out of range or overflows"``.
    message : str
        The detailed message: ``ssm_last_error()`` for failures inside the library, or the Python
        check that failed (naming the argument).
    """

    #: The status code this class stands for (subclasses override it).
    default_code: int = 0

    def __init__(self, message: str, code: int | None = None, status: str | None = None):
        self.code = self.default_code if code is None else int(code)
        self.message = message
        self.status = status if status is not None else _status_string(self.code)
        super().__init__(message)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):  # picklable (multiprocessing) although __init__ takes extra arguments
        return (type(self), (self.message, self.code, self.status))


class SSMCallerError(SSMError, ValueError):
    """A caller error (negative status): some argument is wrong."""

    default_code = -3


class SSMNullError(SSMCallerError):
    """SSM_ERR_NULL: a required argument is None (NULL in C)."""

    default_code = -1


class SSMSizeError(SSMCallerError):
    """SSM_ERR_SIZE: a size or shape is negative, zero where it must not be, mismatched or too big."""

    default_code = -2


class SSMValueError(SSMCallerError):
    """SSM_ERR_VALUE: a value is NaN/Inf, out of range, or an unknown name."""

    default_code = -3


class SSMTypeError(SSMValueError, TypeError):
    """An argument has the wrong Python type or dtype (reported as SSM_ERR_VALUE)."""


class SSMUnsupportedError(SSMCallerError):
    """SSM_ERR_UNSUPPORTED: a valid combination of arguments that is not supported."""

    default_code = -4


class SSMMemoryError(SSMCallerError, MemoryError):
    """SSM_ERR_MEMORY: the work would exceed the allocation limit, or allocation failed."""

    default_code = -5


class SSMInternalError(SSMError, RuntimeError):
    """SSM_ERR_INTERNAL: a bug in SSMKit; please report it with the message."""

    default_code = -6


class SSMIOError(SSMError, OSError):
    """SSM_ERR_IO: a file could not be opened, read, written or renamed."""

    default_code = -7


class SSMNumericalError(SSMError, ArithmeticError):
    """A numerical outcome (positive status): the arguments were valid but the math failed."""

    default_code = 0


class SSMNotConvergedError(SSMNumericalError):
    """SSM_NOT_CONVERGED: an iterative method did not converge."""

    default_code = 1


class SSMSingularError(SSMNumericalError):
    """SSM_SINGULAR: a matrix that must be inverted is singular to working precision."""

    default_code = 2


class SSMUnstableError(SSMNumericalError):
    """SSM_UNSTABLE: the result overflowed or the system is unstable where it must not be."""

    default_code = 3


_BY_CODE: dict[int, type[SSMError]] = {
    -1: SSMNullError,
    -2: SSMSizeError,
    -3: SSMValueError,
    -4: SSMUnsupportedError,
    -5: SSMMemoryError,
    -6: SSMInternalError,
    -7: SSMIOError,
    1: SSMNotConvergedError,
    2: SSMSingularError,
    3: SSMUnstableError,
}


def _status_string(code: int) -> str:
    from ._bindings import status_string  # late: the library loads on first use

    return status_string(code)


def error_for_status(code: int, message: str) -> SSMError:
    """The exception for a C status ``code`` (unknown negative codes are caller errors)."""
    cls = _BY_CODE.get(int(code))
    if cls is None:
        cls = SSMCallerError if code < 0 else SSMNumericalError
    return cls(message, code=code)


def _check(status: int) -> None:
    """Raises the exception for a non-zero C status, with ``ssm_last_error()`` as its message.

    Call it right after the C call, on the same thread (the message is per thread).
    """
    if status == 0:
        return
    from ._bindings import last_error

    message = last_error() or _status_string(status)
    raise error_for_status(status, message)
