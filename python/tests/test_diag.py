"""ssmkit.init.diagonal: every scheme equals its MATH.md §3 formula; the generator is the documented
xoshiro256** (re-implemented here: same numbers); options; statistics of the random draws; errors."""

import math

import numpy as np
import pytest

import ssmkit
from ssmkit import init

M64 = (1 << 64) - 1


class Xoshiro:
    """xoshiro256** seeded by SplitMix64, uniforms (x >> 11)·2⁻⁵³, Box–Muller cosine normals."""

    def __init__(self, seed):
        x = seed
        s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & M64
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
            s.append(z ^ (z >> 31))
        self.s = s

    def next(self):
        s = self.s
        rotl = lambda v, k: ((v << k) | (v >> (64 - k))) & M64  # noqa: E731
        result = (rotl((s[1] * 5) & M64, 7) * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def uniform(self):
        return (self.next() >> 11) * 2.0**-53

    def normal(self):
        u1, u2 = self.uniform(), self.uniform()
        return math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)


@pytest.mark.parametrize("N", [2, 8, 64])
def test_deterministic_schemes_equal_their_formulas(N):
    n = np.arange(N // 2)
    assert np.array_equal(init.diagonal("lin", N).Lambda[0], -0.5 + 1j * np.pi * n)
    inv = -0.5 + 1j * (N / np.pi) * (N / (2 * n + 1) - 1)
    assert np.allclose(init.diagonal("inv", N).Lambda[0], inv, rtol=1e-15, atol=0)
    assert np.array_equal(init.diagonal("real", N).Lambda[0], -(n + 1.0) + 0j)
    assert np.array_equal(init.diagonal("s4d-legs", N).Lambda[0], init.dplr("legs", N).Lambda)
    d = init.diagonal("lin", N, H=3)
    assert d.Lambda.shape == (3, N // 2) and np.array_equal(d.Lambda[2], d.Lambda[0])
    assert np.array_equal(d.B, np.ones((3, N // 2))) and np.array_equal(d.gamma, np.ones((3, N // 2)))


def test_options_real_part_scales_blocks_hippo_b():
    d = init.diagonal("lin", 16, real_part=0.0, imag_scale=2.0)
    assert np.array_equal(d.Lambda[0], 2j * np.pi * np.arange(8))     # exactly zero real parts
    d = init.diagonal("inv", 16, real_part=-0.1, real_scale=3.0)
    assert np.all(d.Lambda.real == -0.1 * 3.0)
    d = init.diagonal("legs", 16, blocks=4, B="hippo")
    block = init.dplr("legs", 4)
    assert np.array_equal(d.Lambda[0], np.tile(block.Lambda, 4)) and np.array_equal(d.B[0], np.tile(block.B, 4))
    assert np.array_equal(init.diagonal("lin", 8, B="hippo").B[0], init.dplr("legs", 8).B)
    d = init.diagonal("lin", 16, H=2, normalize=True, real_part=-0.25, B="random", seed=3)
    assert np.allclose(2 * np.sum(np.abs(d.B / d.Lambda) ** 2, axis=1), 1.0, rtol=1e-14)


def test_generator_is_the_documented_one():
    # "random": Im λ = exp(z) per (h, n), then B (re, im), then C (re, im), one stream.
    H, N, seed = 2, 6, 12345
    d = init.diagonal("random", N, H, B="random", seed=seed)
    g = Xoshiro(seed)
    M = N // 2
    im = np.array([math.exp(g.normal()) for _ in range(H * M)]).reshape(H, M)
    s = math.sqrt(0.5)
    B = np.array([complex(s * g.normal(), s * g.normal()) for _ in range(H * M)]).reshape(H, M)
    C = np.array([complex(s * g.normal(), s * g.normal()) for _ in range(H * M)]).reshape(H, M)
    assert np.allclose(d.Lambda.imag, im, rtol=1e-15, atol=0) and np.all(d.Lambda.real == -0.5)
    assert np.allclose(d.B, B, rtol=1e-15, atol=1e-16) and np.allclose(d.C, C, rtol=1e-15, atol=1e-16)
    # LRU: two uniforms per (h, n); Mamba-2: one per head.
    d = init.diagonal("lru", 4, 2, seed=7, r_min=0.4, r_max=0.9, max_phase=np.pi)
    g = Xoshiro(7)
    for k in range(4):
        u1, u2 = g.uniform(), g.uniform()
        r = math.sqrt(u1 * (0.81 - 0.16) + 0.16)
        assert abs(d.Lambda.flat[k] - r * complex(math.cos(u2 * math.pi), math.sin(u2 * math.pi))) <= 1e-15
        assert abs(d.gamma.flat[k] - math.sqrt(1 - r * r)) <= 1e-15
    d = init.diagonal("mamba2", 16, 3, seed=9, a_min=2, a_max=4)
    g = Xoshiro(9)
    assert np.allclose(d.Lambda[:, 0], [-(2 + 2 * g.uniform()) for _ in range(3)], rtol=1e-15)
    # Same seed, same numbers; another seed, others.
    assert np.array_equal(init.diagonal("random", 8, 4, seed=1).C, init.diagonal("random", 8, 4, seed=1).C)
    assert not np.array_equal(init.diagonal("random", 8, 4, seed=1).C, init.diagonal("random", 8, 4, seed=2).C)


def test_random_draws_have_the_stated_distributions():
    # 50 000 complex normals: mean 0 and variance ½ per part within 5 standard errors.
    d = init.diagonal("lin", 2000, H=50, B="random", seed=11)
    for x in (d.C.real, d.C.imag, d.B.real, d.B.imag):
        assert abs(x.mean()) <= 5 * math.sqrt(0.5 / x.size)
        assert abs(x.var() - 0.5) <= 5 * 0.5 * math.sqrt(2 / x.size)
    d = init.diagonal("lru", 2000, H=20, seed=5, r_min=0.5, r_max=0.99, max_phase=1.0)
    r2, theta = np.abs(d.Lambda) ** 2, np.angle(d.Lambda)
    assert r2.min() >= 0.25 - 1e-15 and r2.max() <= 0.99**2 + 1e-15
    assert theta.min() >= 0 and theta.max() < 1.0
    assert abs(r2.mean() - (0.25 + 0.9801) / 2) <= 5 * (0.9801 - 0.25) / math.sqrt(12 * r2.size)
    assert np.allclose(d.gamma, np.sqrt(1 - r2), rtol=1e-14)


def test_bad_input():
    with pytest.raises(ssmkit.SSMSizeError):
        init.diagonal("lin", 7)
    with pytest.raises(ssmkit.SSMValueError, match="scheme"):
        init.diagonal("s5", 8)
    with pytest.raises(ssmkit.SSMUnsupportedError):
        init.diagonal("lru", 8, real_part=0.0)
    with pytest.raises(ssmkit.SSMUnsupportedError):
        init.diagonal("lin", 8, blocks=2)
    with pytest.raises(ssmkit.SSMSizeError):
        init.diagonal("legs", 8, blocks=3)
    with pytest.raises(ssmkit.SSMValueError, match="λ"):
        init.diagonal("lin", 8, real_part=0.0, normalize=True)     # λ_0 = 0
    with pytest.raises(ssmkit.SSMValueError):
        init.diagonal("lru", 8, r_min=0.9, r_max=0.5)
    with pytest.raises(ssmkit.SSMValueError):
        init.diagonal("mamba2", 8, a_min=0.0)
    with pytest.raises(ssmkit.SSMValueError):
        init.diagonal("lin", 8, real_part=float("nan"))
    with pytest.raises(ssmkit.SSMValueError):
        init.diagonal("lin", 8, B="zeros")
    with pytest.raises(ssmkit.SSMSizeError):
        init.diagonal("lin", 8, seed=-1)
