"""ssmkit.compute.fft/ifft/rfft/irfft against numpy.fft: every length 1…4097 (primes, powers of two
and everything between), numpy's signature (n, axis, norm), batches and bad input."""

import numpy as np
import pytest

import ssmkit
from ssmkit import compute


def rel(a, b):
    scale = np.linalg.norm(b)
    return np.linalg.norm(a - b) / (scale if scale > 0 else 1.0)


def test_every_length_up_to_4097():
    # Norm-wise relative error 1e-12 (measured: ≤ 1e-15 on this range; Bluestein lengths ~1e-15).
    rng = np.random.default_rng(42)
    worst = 0.0
    for n in range(1, 4098):
        z = rng.standard_normal(n) + 1j * rng.standard_normal(n)
        r = rng.standard_normal(n)
        R = np.fft.rfft(r)
        errors = (rel(compute.fft(z), np.fft.fft(z)), rel(compute.ifft(z), np.fft.ifft(z)),
                  rel(compute.rfft(r), R), rel(compute.irfft(R, n), np.fft.irfft(R, n)))
        assert max(errors) <= 1e-12, (n, errors)
        worst = max(worst, *errors)
    assert worst > 0   # the comparison is not vacuous


@pytest.mark.parametrize("n", [8192, 65536, 65537, 100003, 3 * 2**14])
def test_large_lengths(n):
    rng = np.random.default_rng(n)
    z = rng.standard_normal(n) + 1j * rng.standard_normal(n)
    assert rel(compute.fft(z), np.fft.fft(z)) <= 1e-12
    r = rng.standard_normal(n)
    assert rel(compute.irfft(compute.rfft(r), n), r) <= 1e-12


def test_exact_values():
    # Impulses, constants and the real-input symmetries hold exactly or to rounding.
    assert np.array_equal(compute.fft([1.0]), np.array([1.0 + 0j]))
    assert np.allclose(compute.fft(np.eye(1, 8, 0)[0]), np.ones(8), rtol=0, atol=0)
    X = compute.rfft(np.arange(7.0))
    assert X[0] == 21 and X[0].imag == 0
    X = compute.rfft(np.arange(8.0))
    assert X[0].imag == 0 and X[4].imag == 0 and abs(X[4].real - (-4)) <= 1e-14
    t = np.arange(64)
    X = compute.fft(np.exp(2j * np.pi * 5 * t / 64))
    assert abs(X[5] - 64) <= 1e-12 and np.max(np.abs(np.delete(X, 5))) <= 1e-12


def test_numpy_signature():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 10, 7))
    z = x + 1j * rng.standard_normal(x.shape)
    for axis in (0, 1, -1):
        assert rel(compute.fft(z, axis=axis), np.fft.fft(z, axis=axis)) <= 1e-14
        assert rel(compute.rfft(x, axis=axis), np.fft.rfft(x, axis=axis)) <= 1e-14
    for n in (1, 4, 7, 16):   # crop and zero-pad
        assert rel(compute.fft(z, n=n), np.fft.fft(z, n=n)) <= 1e-14
        assert rel(compute.ifft(z, n=n, axis=1), np.fft.ifft(z, n=n, axis=1)) <= 1e-14
        assert rel(compute.rfft(x, n=n), np.fft.rfft(x, n=n)) <= 1e-14
        X = np.fft.rfft(x)
        assert rel(compute.irfft(X, n=n), np.fft.irfft(X, n=n)) <= 1e-14
    X = np.fft.rfft(x, axis=1)
    assert rel(compute.irfft(X, axis=1), np.fft.irfft(X, axis=1)) <= 1e-14   # default n = 2(m − 1)
    for norm in (None, "backward", "ortho", "forward"):
        assert rel(compute.fft(z, norm=norm), np.fft.fft(z, norm=norm)) <= 1e-14
        assert rel(compute.ifft(z, norm=norm), np.fft.ifft(z, norm=norm)) <= 1e-14
        assert rel(compute.rfft(x, norm=norm), np.fft.rfft(x, norm=norm)) <= 1e-14
        assert rel(compute.irfft(z, 9, norm=norm), np.fft.irfft(z, 9, norm=norm)) <= 1e-14


def test_dtypes_and_empty_batches():
    assert compute.fft([1, 2, 3]).dtype == np.complex128
    assert np.array_equal(compute.fft(3.0), [3.0 + 0j])   # a scalar is a sequence of one
    assert compute.rfft(np.arange(4, dtype=np.float32)).dtype == np.complex128
    assert compute.irfft([1, 2, 3]).dtype == np.float64
    assert compute.fft(np.zeros((0, 5))).shape == (0, 5)
    assert compute.rfft(np.zeros((0, 6))).shape == (0, 4)
    assert compute.irfft(np.zeros((2, 0, 4)), axis=-1).shape == (2, 0, 6)
    # Non-contiguous input is copied, never misread.
    z = (np.arange(40.0) + 1j).reshape(5, 8)[:, ::2]
    assert rel(compute.fft(z), np.fft.fft(z)) <= 1e-14


def test_input_not_modified():
    z = np.arange(6.0) + 1j
    copy = z.copy()
    compute.fft(z)
    compute.ifft(z)
    assert np.array_equal(z, copy)


def test_bad_input():
    with pytest.raises(ssmkit.SSMValueError, match="x"):
        compute.fft([1.0, np.nan])
    with pytest.raises(ssmkit.SSMValueError):
        compute.rfft([1.0, np.inf, 2.0])
    with pytest.raises(ssmkit.SSMTypeError):
        compute.rfft([1 + 1j, 2])
    with pytest.raises(ssmkit.SSMSizeError):
        compute.fft(np.zeros(0))
    with pytest.raises(ssmkit.SSMSizeError):
        compute.fft(np.zeros(4), axis=2)
    with pytest.raises(ssmkit.SSMSizeError):
        compute.fft(np.zeros(4), n=0)
    with pytest.raises(ssmkit.SSMSizeError):
        compute.irfft([1.0])           # default n = 0
    with pytest.raises(ssmkit.SSMValueError):
        compute.fft(np.zeros(4), norm="unitary")
    with pytest.raises(ValueError):   # caller errors are ValueErrors too
        compute.fft([np.nan])


def test_c_layer_rejects_bad_calls_without_crashing():
    from ssmkit import _bindings as b
    x = np.zeros(4, dtype=np.complex128)
    assert b.lib.ssm_fft(1, 4, None, x) == b.SSM_ERR_NULL
    assert b.lib.ssm_fft(1, -4, x, x) == b.SSM_ERR_SIZE
    assert b.lib.ssm_irfft(1 << 40, 1 << 40, x, np.zeros(4)) == b.SSM_ERR_SIZE
    assert b.lib.ssm_fft(1, 4, x, x) == b.SSM_OK   # in place
