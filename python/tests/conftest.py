"""Shared helpers for the ssmkit tests.

Tolerance convention: ``rel_err(actual, expected)`` is the max-norm relative error
max|actual - expected| / max|expected|; fp64 checks use 1e-12 unless a reason is written next to
a looser one.
"""

import os
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR = os.path.dirname(HERE)
REPO_ROOT = os.path.dirname(PYTHON_DIR)
HEADER = os.path.join(REPO_ROOT, "include", "ssmkit.h")

if PYTHON_DIR not in sys.path:
    sys.path.insert(0, PYTHON_DIR)


def pytest_configure(config):
    try:
        import ssmkit  # noqa: F401
    except ImportError as error:
        raise pytest.UsageError(f"cannot import ssmkit: {error}") from None


def rel_err(actual, expected) -> float:
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    if expected.size == 0:
        return 0.0
    scale = float(np.max(np.abs(expected)))
    diff = float(np.max(np.abs(actual - expected)))
    if scale == 0.0:
        return diff
    return diff / scale


def assert_rel(actual, expected, tol=1e-12, what=""):
    err = rel_err(actual, expected)
    assert err <= tol, f"{what}: relative error {err:.3e} > {tol:.1e}"


@pytest.fixture
def restore_allocation_limit():
    import ssmkit

    old = ssmkit.allocation_limit()
    yield old
    ssmkit.set_allocation_limit(old)
