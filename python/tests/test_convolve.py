"""ssmkit.compute.convolve: causal FFT convolution with the skip term against numpy's direct
convolution and the scan; bad input."""

import numpy as np
import pytest

import ssmkit
from ssmkit import compute, init


@pytest.mark.parametrize("batch,H,L", [(1, 1, 1), (1, 2, 5), (2, 3, 64), (3, 4, 1000), (1, 2, 4097)])
def test_matches_direct_convolution(batch, H, L):
    rng = np.random.default_rng(L)
    u = rng.standard_normal((batch, H, L))
    K = rng.standard_normal((H, L))
    D = rng.standard_normal(H)
    y = compute.convolve(u, K, D)
    ref = np.array([[np.convolve(u[b, h], K[h])[:L] + D[h] * u[b, h] for h in range(H)] for b in range(batch)])
    assert np.linalg.norm(y - ref) <= 1e-12 * np.linalg.norm(ref)
    assert np.array_equal(compute.convolve(u[0], K), compute.convolve(u, K)[0])


def test_kernel_convolution_equals_scan():
    H, N2, L = 4, 8, 3000
    d = init.diagonal("inv", 2 * N2, H, B="random", seed=4)
    dt = init.timescale(H, seed=5)
    lb, bb = ssmkit.discretize_diag(d.Lambda, d.B, np.repeat(dt[:, None], N2, axis=1))
    u = np.random.default_rng(2).standard_normal((2, H, L))
    D = np.arange(1.0, H + 1)
    y_scan = compute.scan(lb, bb, d.C, u, D=D)
    y_conv = compute.convolve(u, compute.kernel(np.log(lb), d.C * bb, L), D)
    assert np.linalg.norm(y_scan - y_conv) <= 1e-10 * np.linalg.norm(y_scan)


def test_bad_input():
    u = np.zeros((2, 8))
    with pytest.raises(ssmkit.SSMSizeError):
        compute.convolve(u, np.zeros((2, 7)))
    with pytest.raises(ssmkit.SSMSizeError):
        compute.convolve(np.zeros(8), np.zeros(8))
    with pytest.raises(ssmkit.SSMSizeError):
        compute.convolve(u, np.zeros((2, 8)), D=np.zeros(3))
    with pytest.raises(ssmkit.SSMValueError, match="K"):
        compute.convolve(u, np.full((2, 8), np.nan))
    assert compute.convolve(np.zeros((0, 2, 8)), np.zeros((2, 8))).shape == (0, 2, 8)
