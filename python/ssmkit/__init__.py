"""SSMKit: state space model numerics (Python face of libssmkit).

NumPy arrays in and out; every computation runs in the C library ``libssmkit`` (found as described
in ``ssmkit._lib``). Errors are :class:`SSMError` subclasses; caller errors are also ``ValueError``.

>>> import ssmkit
>>> A, B = ssmkit.hippo("legs", 8)
>>> Ad, Bd, Cd, Dd = ssmkit.discretize(A, B, None, None, dt=0.01, method="bilinear")
"""

from __future__ import annotations

from ._lib import PACKAGE_VERSION as __version__
from ._lib import SSMKitLibraryError, SSMKitLibraryNotFound, SSMKitVersionMismatch
from . import _bindings
from ._errors import (SSMCallerError, SSMError, SSMInternalError, SSMIOError, SSMMemoryError,
                      SSMNotConvergedError, SSMNullError, SSMNumericalError, SSMSingularError,
                      SSMSizeError, SSMTypeError, SSMUnstableError, SSMUnsupportedError,
                      SSMValueError, _check)
from ._validate import as_size as _as_size
from ._hippo import hippo, hippo_rank, rank_correction
from ._linalg import expm
from ._discretize import discretize, discretize_diag
from . import autocorr, compute, init, prophecy, systems, train

__all__ = [
    "__version__",
    "version",
    "library_version",
    "library_path",
    "set_allocation_limit",
    "allocation_limit",
    "hippo",
    "hippo_rank",
    "rank_correction",
    "expm",
    "discretize",
    "discretize_diag",
    "autocorr",
    "compute",
    "init",
    "systems",
    "train",
    "prophecy",
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
    "SSMKitLibraryError",
    "SSMKitLibraryNotFound",
    "SSMKitVersionMismatch",
]


def version() -> str:
    """The version of this Python package, e.g. "0.1.0" (same as ``ssmkit.__version__``)."""
    return __version__


def library_version() -> str:
    """The version of the loaded libssmkit (``ssm_version_string()``), e.g. "0.1.0"."""
    return _bindings.lib.ssm_version_string().decode()


def library_path() -> str:
    """The file the C library was loaded from."""
    return _bindings.library_path


def set_allocation_limit(bytes: int) -> None:
    """Sets the largest number of bytes one library call may allocate for its work space.

    Outputs are allocated by NumPy and do not count. Default 4 GiB. Process-wide: not
    thread-safe against concurrent calls to itself.

    Parameters
    ----------
    bytes : int
        The limit, > 0.

    Raises
    ------
    SSMValueError
        bytes <= 0 (SSMTypeError if it is not an integer).
    """
    try:
        value = _as_size(bytes, "bytes")
    except SSMSizeError as error:  # the library reports a non-positive limit as SSM_ERR_VALUE
        raise SSMValueError(str(error)) from None
    _check(_bindings.lib.ssm_set_allocation_limit(value))


def allocation_limit() -> int:
    """The current allocation limit in bytes (see :func:`set_allocation_limit`)."""
    return int(_bindings.lib.ssm_allocation_limit())
