"""ssmkit.init.dplr: the DPLR form reconstructs the HiPPO normal part (MATH.md §2) and matches
numpy's eigenvalues; the modal identity V* A V = Λ − Σ p̃ p̃*; bad input."""

import numpy as np
import pytest

import ssmkit
from ssmkit import init


def normal_part(measure, N, **kw):
    A, B = ssmkit.hippo(measure, N, **kw)
    P = ssmkit.rank_correction(measure, N, **kw)
    return A, B, P, A + P.T @ P


@pytest.mark.parametrize("measure,N", [("legs", 64), ("legs", 256), ("legs", 1024), ("legt", 64),
                                       ("legt", 512), ("lagt", 128), ("lagt", 1024)])
def test_pairs_reconstruct_the_normal_part(measure, N):
    A, B, P, S = normal_part(measure, N)
    d = init.dplr(measure, N)
    assert d.Lambda.shape == (N // 2,) and d.V.shape == (N, N // 2) and d.P.shape == (P.shape[0], N // 2)
    # S = V Λ V* + conj(V Λ V*) over the kept modes (S is real): relative 1e-12 (measured ≤ 3e-15).
    half = (d.V * d.Lambda) @ d.V.conj().T
    assert np.linalg.norm(half + half.conj() - S) <= 1e-12 * np.linalg.norm(S)
    assert d.error <= 1e-13
    assert np.linalg.norm(d.V.conj().T @ d.V - np.eye(N // 2)) <= 1e-12
    assert np.all(np.diff(d.Lambda.imag) > 0) and d.Lambda.imag[0] > 0
    # The frequencies are those of numpy's eigenvalues of S (positive half).
    w = np.sort(np.linalg.eigvals(S).imag)[N // 2:]
    assert np.linalg.norm(d.Lambda.imag - w) <= 1e-11 * np.linalg.norm(w)
    assert np.allclose(d.Lambda.real, np.trace(S) / N, rtol=0, atol=1e-14)
    assert np.allclose(d.B, d.V.conj().T @ B, rtol=1e-12, atol=1e-12 * np.abs(B).max())
    assert np.allclose(d.P, P @ d.V.conj(), rtol=1e-12, atol=1e-12 * np.abs(P).max())


@pytest.mark.parametrize("measure,N", [("legs", 33), ("legt", 64), ("fout", 65), ("lagt", 31)])
def test_all_modes_give_the_modal_form(measure, N):
    A, B, P, S = normal_part(measure, N)
    d = init.dplr(measure, N, pairs=False)
    assert d.Lambda.shape == (N,)
    assert np.linalg.norm((d.V * d.Lambda) @ d.V.conj().T - S) <= 1e-12 * np.linalg.norm(S)
    modal = d.V.conj().T @ A @ d.V
    dplr = np.diag(d.Lambda) - d.P.T @ d.P.conj()   # Σ_i p̃_i p̃_i*
    assert np.linalg.norm(modal - dplr) <= 1e-12 * np.linalg.norm(A)


def test_theta_and_s4_convention():
    d1 = init.dplr("legt", 32, theta=2.0)
    d2 = init.dplr("legt", 32, convention="s4")   # s4's LegT is the paper's with window 2θ
    assert np.allclose(d1.Lambda, d2.Lambda, rtol=1e-14, atol=1e-14)
    d3 = init.dplr("legt", 32, theta=1.0)
    assert np.allclose(d3.Lambda.imag, 2 * d1.Lambda.imag, rtol=1e-13)


def test_bad_input():
    with pytest.raises(ssmkit.SSMUnsupportedError):
        init.dplr("lmu", 8)
    with pytest.raises(ssmkit.SSMSizeError, match="odd"):
        init.dplr("fout", 65)            # FouT needs odd N: no conjugate pairs
    with pytest.raises(ssmkit.SSMSizeError):
        init.dplr("legs", 7)
    with pytest.raises(ssmkit.SSMSizeError):
        init.dplr("legs", 0)
    with pytest.raises(ssmkit.SSMValueError):
        init.dplr("legs", 8, theta=float("nan"))
    with pytest.raises(ssmkit.SSMValueError):
        init.dplr("nope", 8)
