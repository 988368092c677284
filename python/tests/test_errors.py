"""Bad input through Python: each class of mistake raises the right exception class with a message
naming the argument, the process survives, and the library's own checks (reached through the raw
bindings) report the right status."""

import ctypes
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import ssmkit
from ssmkit import _bindings as b

from conftest import PYTHON_DIR

A2 = np.array([[-1.0, 0.5], [0.0, -2.0]])
B2 = np.ones((2, 1))
C2 = np.ones((1, 2))
D2 = np.zeros((1, 1))


def raises(cls, match, fn, *args, **kwargs):
    """Calls fn and checks the exception's class, that caller errors are ValueErrors, and that
    the message contains `match` (case-insensitive)."""
    with pytest.raises(cls) as info:
        fn(*args, **kwargs)
    error = info.value
    assert isinstance(error, ssmkit.SSMError)
    if error.code < 0 and error.code != -6:
        assert isinstance(error, ValueError)
    assert match.lower() in str(error).lower(), (match, str(error))
    assert error.status.startswith("SSM_"), error.status
    return error


# --- exception classes --------------------------------------------------------------------------


def test_exception_hierarchy():
    for cls in (ssmkit.SSMNullError, ssmkit.SSMSizeError, ssmkit.SSMValueError,
                ssmkit.SSMTypeError, ssmkit.SSMUnsupportedError, ssmkit.SSMMemoryError):
        assert issubclass(cls, ValueError) and issubclass(cls, ssmkit.SSMCallerError)
    assert issubclass(ssmkit.SSMMemoryError, MemoryError)
    assert issubclass(ssmkit.SSMTypeError, TypeError)
    for cls in (ssmkit.SSMSingularError, ssmkit.SSMUnstableError, ssmkit.SSMNotConvergedError):
        assert issubclass(cls, ArithmeticError) and not issubclass(cls, ValueError)
    assert issubclass(ssmkit.SSMInternalError, RuntimeError)
    assert not issubclass(ssmkit.SSMInternalError, ValueError)
    assert issubclass(ssmkit.SSMIOError, OSError) and not issubclass(ssmkit.SSMIOError, ValueError)


def test_error_for_status_maps_every_code():
    from ssmkit._errors import error_for_status

    expected = {-1: ssmkit.SSMNullError, -2: ssmkit.SSMSizeError, -3: ssmkit.SSMValueError,
                -4: ssmkit.SSMUnsupportedError, -5: ssmkit.SSMMemoryError,
                -6: ssmkit.SSMInternalError, -7: ssmkit.SSMIOError, 1: ssmkit.SSMNotConvergedError,
                2: ssmkit.SSMSingularError, 3: ssmkit.SSMUnstableError}
    for code, cls in expected.items():
        e = error_for_status(code, "msg")
        assert type(e) is cls and e.code == code and str(e) == "msg"
        assert e.status == b.status_string(code)
    assert type(error_for_status(-99, "x")) is ssmkit.SSMCallerError
    assert type(error_for_status(99, "x")) is ssmkit.SSMNumericalError


def test_errors_pickle():
    import pickle

    e = ssmkit.SSMSizeError("N = 0 must be at least 1")
    f = pickle.loads(pickle.dumps(e))
    assert type(f) is type(e) and f.code == -2 and str(f) == str(e) and f.status == e.status


def test_c_error_carries_code_status_and_last_error():
    e = raises(ssmkit.SSMSizeError, "N", ssmkit.hippo, "fout", 4)  # checked only by the library
    assert e.code == -2 and e.status.startswith("SSM_ERR_SIZE")
    assert "ssm_hippo" in str(e)  # the library's message names the function


# --- None and wrong types -----------------------------------------------------------------------


@pytest.mark.parametrize("call,name", [
    (lambda: ssmkit.hippo(None, 4), "measure"),
    (lambda: ssmkit.hippo("legs", None), "N"),
    (lambda: ssmkit.hippo("legs", 4, theta=None), "theta"),
    (lambda: ssmkit.hippo("legs", 4, convention=None), "convention"),
    (lambda: ssmkit.expm(None), "M"),
    (lambda: ssmkit.discretize(None, B2, C2, D2, 0.1), "A"),
    (lambda: ssmkit.discretize(A2, None, C2, D2, 0.1), "B"),
    (lambda: ssmkit.discretize(A2, B2, C2, D2, None), "dt"),
    (lambda: ssmkit.discretize(A2, B2, C2, D2, 0.1, method=None), "method"),
    (lambda: ssmkit.discretize_diag(None, None, 0.1), "lam"),
    (lambda: ssmkit.discretize_diag([-1 + 0j], None, None), "dt"),
])
def test_none(call, name):
    raises(ssmkit.SSMNullError, name, call)


@pytest.mark.parametrize("call,name", [
    (lambda: ssmkit.hippo(3, 4), "measure"),
    (lambda: ssmkit.hippo("legs", 2.5), "N"),
    (lambda: ssmkit.hippo("legs", "8"), "N"),
    (lambda: ssmkit.hippo("legs", True), "N"),
    (lambda: ssmkit.hippo("legs", 4, theta="1"), "theta"),
    (lambda: ssmkit.hippo("legs", 4, theta=1j), "theta"),
    (lambda: ssmkit.expm("abc"), "M"),
    (lambda: ssmkit.expm([[1, 2], [3]]), "M"),
    (lambda: ssmkit.expm(np.array([[object()]])), "M"),
    (lambda: ssmkit.discretize(A2 + 0j, B2, C2, D2, 0.1), "A"),
    (lambda: ssmkit.discretize(A2, B2, C2, D2, "0.1"), "dt"),
    (lambda: ssmkit.discretize(A2, B2, C2, D2, 0.1, method=0), "method"),
    (lambda: ssmkit.discretize(A2, B2, C2, D2, 0.1, convention=1), "convention"),
    (lambda: ssmkit.discretize(A2, B2, C2, D2, 0.1, method="gbt", alpha="half"), "alpha"),
    (lambda: ssmkit.discretize_diag(["a"], None, 0.1), "lam"),
    (lambda: ssmkit.discretize_diag([-1 + 0j], None, 0.1 + 0j), "dt"),
    (lambda: ssmkit.set_allocation_limit(1.5), "bytes"),
])
def test_wrong_types(call, name):
    e = raises(ssmkit.SSMTypeError, name, call)
    assert isinstance(e, TypeError) and isinstance(e, ValueError)


# --- sizes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("N", [0, -1, -(2**40)])
def test_nonpositive_sizes(N):
    raises(ssmkit.SSMSizeError, "N", ssmkit.hippo, "legs", N)
    raises(ssmkit.SSMSizeError, "N", ssmkit.rank_correction, "legs", N)


def test_overflowing_sizes_public():
    raises(ssmkit.SSMSizeError, "N", ssmkit.hippo, "legs", 2**63)
    # Fits int64 but the (N, N) output cannot exist: NumPy refuses it before any C call.
    e = raises(ssmkit.SSMSizeError, "A", ssmkit.hippo, "legs", 2**62)
    assert "too large" in str(e)


def test_overflowing_sizes_raw():
    # The library's own checks, before it touches the (tiny) arrays: they must fail first.
    A, B = np.empty((1, 1)), np.empty(1)
    assert b.lib.ssm_hippo(0, 2**62, None, A, B) == b.SSM_ERR_SIZE
    assert "N" in b.last_error()
    assert b.lib.ssm_hippo(0, 2**31, None, A, B) in (b.SSM_ERR_SIZE, b.SSM_ERR_MEMORY)
    assert b.lib.ssm_hippo(0, 2**20, None, A, B) == b.SSM_ERR_MEMORY  # 8 TiB > 4 GiB limit
    assert "allocation limit" in b.last_error()
    assert b.lib.ssm_expm(2**62, A, A) == b.SSM_ERR_SIZE
    assert b.lib.ssm_expm(2**20, A, A) == b.SSM_ERR_MEMORY
    assert b.lib.ssm_expm_complex(2**40, A.astype(complex), A.astype(complex)) in (
        b.SSM_ERR_SIZE, b.SSM_ERR_MEMORY)
    assert b.lib.ssm_hippo_rank_correction(0, 2**62, None, A) == b.SSM_ERR_SIZE
    x = np.empty(1, complex)
    dt = np.array([0.1])
    assert b.lib.ssm_discretize_diag(0, 2**40, 2**40, x, None, dt, 1, 0.5, x, None) in (
        b.SSM_ERR_SIZE, b.SSM_ERR_MEMORY)
    assert b.lib.ssm_discretize(2**62, 1, 1, A, A, A, A, 0.1, None, A, A, A, A) == b.SSM_ERR_SIZE
    assert b.lib.ssm_discretize(1, 2**62, 0, A, A, None, None, 0.1, None, A, A, None,
                                None) == b.SSM_ERR_SIZE
    assert b.lib.ssm_discretize(1, 1, 2**62, A, A, A, A, 0.1, None, A, A, A, A) == b.SSM_ERR_SIZE


def test_negative_and_zero_sizes_raw():
    A = np.empty((1, 1))
    x = np.empty(1, complex)
    dt = np.array([0.1])
    for n in (0, -1, -(2**63)):
        assert b.lib.ssm_expm(n, A, A) == b.SSM_ERR_SIZE
        assert b.lib.ssm_expm_complex(n, x.reshape(1, 1), x.reshape(1, 1)) == b.SSM_ERR_SIZE
        assert b.lib.ssm_hippo(0, n, None, A, A[0]) == b.SSM_ERR_SIZE
        assert b.lib.ssm_discretize(n, 1, 0, A, A, None, None, 0.1, None, A, A, None,
                                    None) == b.SSM_ERR_SIZE
        assert b.lib.ssm_discretize(1, n, 0, A, A, None, None, 0.1, None, A, A, None,
                                    None) == b.SSM_ERR_SIZE
        assert b.lib.ssm_discretize_diag(0, n, 1, x, None, dt, 1, 0.5, x, None) == b.SSM_ERR_SIZE
        assert b.lib.ssm_discretize_diag(0, 1, n, x, None, dt, 1, 0.5, x, None) == b.SSM_ERR_SIZE
    assert b.lib.ssm_discretize(1, 1, -1, A, A, A, A, 0.1, None, A, A, A, A) == b.SSM_ERR_SIZE
    assert "p" in b.last_error()
    # dt_count must be 1, H or H·N.
    lam = np.full((3, 4), -1 + 0j)
    out = np.empty((3, 4), complex)
    for count in (0, 2, 5, 13, -1):
        assert b.lib.ssm_discretize_diag(0, 3, 4, lam, None, np.full(12, 0.1), count, 0.5,
                                         out, None) == b.SSM_ERR_SIZE, count
        assert "dt_count" in b.last_error()


@pytest.mark.parametrize("call,name", [
    (lambda: ssmkit.expm(np.ones((2, 3))), "M"),
    (lambda: ssmkit.expm(np.ones(3)), "M"),
    (lambda: ssmkit.expm(np.ones((0, 0))), "M"),
    (lambda: ssmkit.expm(np.ones((2, 2, 2))), "M"),
    (lambda: ssmkit.discretize(np.ones((2, 3)), B2, C2, D2, 0.1), "A"),
    (lambda: ssmkit.discretize(np.ones((0, 0)), np.ones((0, 1)), None, None, 0.1), "A"),
    (lambda: ssmkit.discretize(A2, np.ones((3, 1)), C2, D2, 0.1), "B"),
    (lambda: ssmkit.discretize(A2, np.ones((2, 0)), None, None, 0.1), "B"),
    (lambda: ssmkit.discretize(A2, B2, np.ones((1, 3)), D2, 0.1), "C"),
    (lambda: ssmkit.discretize(A2, B2, C2, np.zeros((2, 1)), 0.1), "D"),
    (lambda: ssmkit.discretize(A2, B2, None, D2, 0.1), "D"),
    (lambda: ssmkit.discretize_diag(np.zeros(0, complex), None, 0.1), "lam"),
    (lambda: ssmkit.discretize_diag(np.zeros((2, 2, 2), complex), None, 0.1), "lam"),
    (lambda: ssmkit.discretize_diag(-np.ones((2, 3)), np.ones(2), 0.1), "B"),
    (lambda: ssmkit.discretize_diag(-np.ones((2, 3)), None, np.ones(3) * 0.1), "dt"),
    (lambda: ssmkit.discretize_diag(-np.ones(3), None, np.ones(2) * 0.1), "dt"),
    (lambda: ssmkit.hippo("fout", 4), "N"),
])
def test_bad_shapes(call, name):
    raises(ssmkit.SSMSizeError, name, call)


# --- allocation limit -----------------------------------------------------------------------------


def test_allocation_limit(restore_allocation_limit):
    assert restore_allocation_limit == 4 << 30  # the header's default
    ssmkit.set_allocation_limit(1024)
    assert ssmkit.allocation_limit() == 1024
    e = raises(ssmkit.SSMMemoryError, "allocation limit", ssmkit.expm, np.eye(64))
    assert isinstance(e, MemoryError) and isinstance(e, ValueError) and e.code == -5
    raises(ssmkit.SSMMemoryError, "allocation limit", ssmkit.hippo, "legs", 64)
    raises(ssmkit.SSMMemoryError, "allocation limit", ssmkit.discretize,
           -np.eye(32), np.ones((32, 1)), None, None, 0.1)
    raises(ssmkit.SSMMemoryError, "allocation limit", ssmkit.discretize_diag,
           -np.ones((8, 64)), None, 0.1)
    # Small problems still fit.
    assert ssmkit.expm(np.zeros((2, 2)))[0, 0] == 1.0
    ssmkit.set_allocation_limit(restore_allocation_limit)
    assert ssmkit.expm(np.eye(64)).shape == (64, 64)


@pytest.mark.parametrize("value", [0, -1, -(2**63)])
def test_allocation_limit_must_be_positive(value, restore_allocation_limit):
    raises(ssmkit.SSMValueError, "bytes", ssmkit.set_allocation_limit, value)
    assert b.lib.ssm_set_allocation_limit(value) == b.SSM_ERR_VALUE
    assert "bytes" in b.last_error()
    assert ssmkit.allocation_limit() == restore_allocation_limit


# --- NaN / Inf --------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_matrices(bad):
    M = A2.copy()
    M[1, 0] = bad
    e = raises(ssmkit.SSMValueError, "M[1, 0]", ssmkit.expm, M)
    assert "not finite" in str(e)
    raises(ssmkit.SSMValueError, "M[0, 1]", ssmkit.expm, np.array([[0, complex(0, bad)], [0, 0]]))
    raises(ssmkit.SSMValueError, "A[1, 0]", ssmkit.discretize, M, B2, C2, D2, 0.1)
    for name, args in (("B", (A2, np.array([[1.0], [bad]]), C2, D2)),
                       ("C", (A2, B2, np.array([[bad, 1.0]]), D2)),
                       ("D", (A2, B2, C2, np.array([[bad]])))):
        raises(ssmkit.SSMValueError, name, ssmkit.discretize, *args, 0.1)
    raises(ssmkit.SSMValueError, "lam[1]", ssmkit.discretize_diag, [-1, complex(bad, 1)], None,
           0.1)
    raises(ssmkit.SSMValueError, "B[0, 1]", ssmkit.discretize_diag, -np.ones((2, 2)),
           [[1, bad], [1, 1]], 0.1)
    raises(ssmkit.SSMValueError, "theta", ssmkit.hippo, "legt", 4, theta=bad)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_raw(bad):
    # The library rejects non-finite input too (C callers have no Python checks).
    M = np.array([[0.0, bad], [0.0, 0.0]])
    out = np.empty((2, 2))
    assert b.lib.ssm_expm(2, M, out) == b.SSM_ERR_VALUE
    assert b.lib.ssm_expm_complex(2, M.astype(complex), out.astype(complex)) == b.SSM_ERR_VALUE
    for i in range(4):
        args = [A2.copy(), B2.copy(), C2.copy(), D2.copy()]
        args[i].flat[0] = bad
        status = b.lib.ssm_discretize(2, 1, 1, *args, 0.1, None, np.empty((2, 2)),
                                      np.empty((2, 1)), np.empty((1, 2)), np.empty((1, 1)))
        assert status == b.SSM_ERR_VALUE, i
        assert "finite" in b.last_error() or "nan" in b.last_error().lower(), b.last_error()
    lam = np.array([complex(bad, 0), -1])
    x = np.empty(2, complex)
    assert b.lib.ssm_discretize_diag(0, 1, 2, lam, None, np.array([0.1]), 1, 0.5, x,
                                     None) == b.SSM_ERR_VALUE
    assert b.lib.ssm_discretize_diag(0, 1, 2, -np.ones(2, complex), lam, np.array([0.1]), 1, 0.5,
                                     x, x.copy()) == b.SSM_ERR_VALUE
    opt = b.ssm_hippo_options_t()
    b.lib.ssm_hippo_options_default(ctypes.byref(opt))
    opt.theta = bad
    assert b.lib.ssm_hippo(1, 3, ctypes.byref(opt), np.empty((3, 3)), np.empty(3)) == \
        b.SSM_ERR_VALUE
    assert "theta" in b.last_error() or "θ" in b.last_error()


# --- steps -------------------------------------------------------------------------------------


@pytest.mark.parametrize("dt", [0.0, -0.1, -np.inf, np.inf, np.nan])
def test_bad_dt(dt):
    raises(ssmkit.SSMValueError, "dt", ssmkit.discretize, A2, B2, C2, D2, dt)
    raises(ssmkit.SSMValueError, "dt", ssmkit.discretize_diag, [-1 + 1j], None, dt)
    # The library too:
    out = [np.empty((2, 2)), np.empty((2, 1)), np.empty((1, 2)), np.empty((1, 1))]
    assert b.lib.ssm_discretize(2, 1, 1, A2, B2, C2, D2, dt, None, *out) == b.SSM_ERR_VALUE
    assert "dt" in b.last_error()
    x = np.empty(1, complex)
    assert b.lib.ssm_discretize_diag(0, 1, 1, np.array([-1 + 1j]), None, np.array([dt]), 1, 0.5,
                                     x, None) == b.SSM_ERR_VALUE
    assert "dt" in b.last_error() or "step" in b.last_error()


def test_bad_dt_per_mode_names_index():
    dt = np.full((2, 3), 0.1)
    dt[1, 2] = -1.0
    raises(ssmkit.SSMValueError, "dt[5]", ssmkit.discretize_diag, -np.ones((2, 3)), None, dt)
    dt = np.array([0.1, 0.0])
    raises(ssmkit.SSMValueError, "dt[1]", ssmkit.discretize_diag, -np.ones((2, 3)), None, dt)


# --- names -----------------------------------------------------------------------------------------


def test_unknown_names():
    e = raises(ssmkit.SSMValueError, "unknown measure name", ssmkit.hippo, "legx", 4)
    assert "legx" in str(e) and "legs" in str(e)  # the library lists the known ones
    e = raises(ssmkit.SSMValueError, "unknown method name", ssmkit.discretize, A2, B2, C2, D2,
               0.1, method="zoh2")
    assert "zoh2" in str(e) and "bilinear" in str(e)
    raises(ssmkit.SSMValueError, "method", ssmkit.discretize_diag, [-1], None, 0.1,
           method="nope")
    raises(ssmkit.SSMValueError, "convention", ssmkit.hippo, "legs", 4, convention="hippo")
    raises(ssmkit.SSMValueError, "convention", ssmkit.discretize, A2, B2, C2, D2, 0.1,
           convention="matlab")
    raises(ssmkit.SSMValueError, "measure", ssmkit.hippo, "legs\0", 4)
    raises(ssmkit.SSMValueError, "measure", ssmkit.hippo, "", 4)


def test_unknown_enum_values_raw():
    A, B = np.empty((2, 2)), np.empty(2)
    for value in (-1, 5, 2**31 - 1):
        assert b.lib.ssm_hippo(value, 2, None, A, B) == b.SSM_ERR_VALUE
        assert "measure" in b.last_error()
        rank = ctypes.c_int64()
        assert b.lib.ssm_hippo_rank(value, ctypes.byref(rank)) == b.SSM_ERR_VALUE
    opt = b.ssm_hippo_options_t()
    b.lib.ssm_hippo_options_default(ctypes.byref(opt))
    opt.convention = 7
    assert b.lib.ssm_hippo(0, 2, ctypes.byref(opt), A, B) == b.SSM_ERR_VALUE
    assert "convention" in b.last_error()
    dopt = b.ssm_discretize_options_t()
    b.lib.ssm_discretize_options_default(ctypes.byref(dopt))
    dopt.method = 8
    out = [np.empty((2, 2)), np.empty((2, 1)), np.empty((1, 2)), np.empty((1, 1))]
    assert b.lib.ssm_discretize(2, 1, 1, A2, B2, C2, D2, 0.1, ctypes.byref(dopt),
                                *out) == b.SSM_ERR_VALUE
    assert "method" in b.last_error()
    b.lib.ssm_discretize_options_default(ctypes.byref(dopt))
    dopt.convention = -1
    assert b.lib.ssm_discretize(2, 1, 1, A2, B2, C2, D2, 0.1, ctypes.byref(dopt),
                                *out) == b.SSM_ERR_VALUE
    assert "convention" in b.last_error()
    x = np.empty(1, complex)
    assert b.lib.ssm_discretize_diag(-1, 1, 1, np.array([-1 + 0j]), None, np.array([0.1]), 1, 0.5, x,
                                     None) == b.SSM_ERR_VALUE
    code = ctypes.c_int32(-7)
    assert b.lib.ssm_measure_from_name(b"LEGT", ctypes.byref(code)) == 0 and code.value == 1
    assert b.lib.ssm_method_from_name(b"Tustin", ctypes.byref(code)) == 0 and code.value == 3
    assert b.lib.ssm_method_from_name(b"forward", ctypes.byref(code)) == 0 and code.value == 4
    assert b.lib.ssm_method_from_name(b"backward", ctypes.byref(code)) == 0 and code.value == 5
    assert b.lib.ssm_method_from_name(b"", ctypes.byref(code)) == b.SSM_ERR_VALUE


def test_unsupported_combinations():
    raises(ssmkit.SSMUnsupportedError, "", ssmkit.hippo, "fout", 5, convention="s4")
    raises(ssmkit.SSMUnsupportedError, "", ssmkit.rank_correction, "lmu", 5)
    raises(ssmkit.SSMUnsupportedError, "", ssmkit.discretize_diag, [-1], None, 0.1, method="foh")
    raises(ssmkit.SSMUnsupportedError, "", ssmkit.discretize_diag, [-1], None, 0.1,
           method="impulse")


# --- alpha --------------------------------------------------------------------------------------


@pytest.mark.parametrize("alpha", [-0.1, 1.5, np.nan, np.inf])
def test_alpha_out_of_range(alpha):
    raises(ssmkit.SSMValueError, "alpha", ssmkit.discretize, A2, B2, C2, D2, 0.1, method="gbt",
           alpha=alpha)
    raises(ssmkit.SSMValueError, "alpha", ssmkit.discretize_diag, [-1], None, 0.1, method="gbt",
           alpha=alpha)
    dopt = b.ssm_discretize_options_t()
    b.lib.ssm_discretize_options_default(ctypes.byref(dopt))
    dopt.method, dopt.alpha = b.SSM_METHOD_GBT, alpha
    out = [np.empty((2, 2)), np.empty((2, 1)), np.empty((1, 2)), np.empty((1, 1))]
    assert b.lib.ssm_discretize(2, 1, 1, A2, B2, C2, D2, 0.1, ctypes.byref(dopt),
                                *out) == b.SSM_ERR_VALUE
    assert "alpha" in b.last_error()
    x = np.empty(1, complex)
    assert b.lib.ssm_discretize_diag(b.SSM_METHOD_GBT, 1, 1, np.array([-1 + 0j]), None,
                                     np.array([0.1]), 1, alpha, x, None) == b.SSM_ERR_VALUE
    assert "alpha" in b.last_error()


def test_alpha_only_for_gbt():
    raises(ssmkit.SSMValueError, "alpha is required", ssmkit.discretize, A2, B2, C2, D2, 0.1,
           method="gbt")
    raises(ssmkit.SSMValueError, "alpha", ssmkit.discretize, A2, B2, C2, D2, 0.1,
           method="bilinear", alpha=0.5)
    raises(ssmkit.SSMValueError, "alpha", ssmkit.discretize_diag, [-1], None, 0.1, alpha=0.5)
    # The library ignores alpha for the other methods (header), even out of range.
    x = np.empty(1, complex)
    assert b.lib.ssm_discretize_diag(b.SSM_METHOD_ZOH, 1, 1, np.array([-1 + 0j]), None,
                                     np.array([0.1]), 1, 7.0, x, None) == b.SSM_OK


# --- the process survives -----------------------------------------------------------------------


def test_bad_calls_in_a_subprocess_do_not_crash():
    script = textwrap.dedent("""
        import numpy as np, ssmkit
        from ssmkit import _bindings as b
        A = np.empty((1, 1)); x = np.empty(1, complex)
        statuses = [
            b.lib.ssm_hippo(0, 2**62, None, A, A[0]),
            b.lib.ssm_hippo(0, 2**20, None, A, A[0]),
            b.lib.ssm_expm(2**62, A, A),
            b.lib.ssm_expm(2**40, None, A),
            b.lib.ssm_discretize(2**62, 2**62, 2**62, A, A, A, A, 0.1, None, A, A, A, A),
            b.lib.ssm_discretize(1, 1, 1, None, None, None, None, float("nan"), None,
                                 None, None, None, None),
            b.lib.ssm_discretize_diag(99, 2**62, 2**62, x, x, A[0], 7, float("nan"), x, x),
            b.lib.ssm_discretize_diag(0, 2**30, 2**30, x, None, A[0], 1, 0.5, x, None),
            b.lib.ssm_measure_from_name(None, None),
            b.lib.ssm_hippo_rank(1234, None),
        ]
        errors = 0
        for call in (lambda: ssmkit.hippo("legs", -5), lambda: ssmkit.expm([[np.nan]]),
                     lambda: ssmkit.discretize(None, None, None, None, None),
                     lambda: ssmkit.discretize_diag([[1j]], None, [-1.0])):
            try:
                call()
            except ValueError:
                errors += 1
        print(statuses, errors)
        print("survived")
    """)
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=PYTHON_DIR), timeout=120)
    assert r.returncode == 0, (r.returncode, r.stderr[-2000:])
    assert r.stdout.strip().endswith("survived")
    statuses = eval(r.stdout.splitlines()[0].rsplit("]", 1)[0] + "]")
    assert all(s < 0 for s in statuses), statuses
    assert r.stdout.splitlines()[0].rsplit(" ", 1)[1] == "4"
