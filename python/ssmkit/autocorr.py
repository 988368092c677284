"""Autocorrelation-aware initialization (MATH.md §4–§5, after "Autocorrelation Matters", Liu & Li,
ICLR 2025): estimators of an input's autocorrelation, the theory of a diagonal SSM's output power
and conditioning as functions, and :func:`recommend`, which turns sample data into a timescale,
a real-part choice, an imaginary-part spacing and ready-to-use initial arrays.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np

from . import init
from ._autocorr_estimators import (LambdaMax, LongMemoryFit, acf, lambda_max, long_memory_exponent, toeplitz,
                                   toeplitz_matvec)
from ._autocorr_theory import (CriticalTimescale, approximation_error, condition_number, critical_timescale,
                               expected_output_power, gram_continuous, gram_discrete, memory_weight, output_power,
                               output_power_bound, output_weights, timescale_rule)
from ._errors import SSMSizeError, SSMValueError
from .systems import _read_text
from ._validate import as_size

__all__ = ["acf", "toeplitz", "toeplitz_matvec", "lambda_max", "LambdaMax", "long_memory_exponent", "LongMemoryFit",
           "output_weights", "output_power", "expected_output_power", "output_power_bound", "critical_timescale",
           "CriticalTimescale", "timescale_rule", "memory_weight", "gram_continuous", "gram_discrete",
           "condition_number", "approximation_error", "Recommendation", "recommend", "load_series"]

#: Below this first-token weight at initialization (with Re λ = −½ and the recommended Δ) the
#: recommender advises zero real parts: the default would forget the start of the sequence.
FORGETTING_THRESHOLD = 0.1


class Recommendation(NamedTuple):
    """What :func:`recommend` finds; ``report()`` prints it."""

    L: int                  #: sequence length the model will see
    dt: float               #: recommended Δ: the critical timescale of zero-real-part modes
    dt_rule: float          #: the rule Δ = 1/√(L·λ_max(R)) (κ = 1), R of the normalized autocorrelation
    lambda_max: float       #: λ_max of R (ρ(0) = 1: 1 for white noise, up to L for a constant input)
    regime: str             #: "white", "short memory", "long memory" or "near-constant"
    alpha: float            #: long-memory exponent of a power-law fit ρ(k) ≈ c·k^(−α) (nan if not fitted)
    rho: np.ndarray         #: the sample autocorrelation ρ(0…L−1) (biased, centered)
    bandwidth: int          #: K of the taper (1 − k/(2K))₊ applied to ρ for R
    real_part: float        #: recommended Re λ: 0.0 or −0.5
    advice: str             #: why that real part
    memory_negative: float  #: first-token weight at init with Re λ = −½ and Δ = dt
    imag_spacing: float     #: recommended spacing s of Im λ_n = s·n (π: S4D-Lin, smaller to avoid aliasing)
    condition: float        #: κ of the modes' discrete Gram matrix over L steps of Δ = dt
    init: init.Diagonal     #: the recommended modes (H channels × N/2 pairs), ready for set_ssm
    dt_array: np.ndarray    #: (H,) filled with dt

    def to_s4d(self) -> dict:
        """The recommendation in state-spaces/s4's ``S4DKernel`` parameters (:func:`ssmkit.init.to_s4d`).
        S4D stores log(−Re λ), so zero real parts cannot be expressed there: use SSMKit's models
        (``real="direct"`` or ``"clamped"``) or any parameterization that stores Re λ directly."""
        if self.real_part >= 0:
            raise SSMValueError("S4D stores log(−Re λ): the recommended zero real parts need a direct Re λ "
                                "(train.Model(..., real=\"clamped\") with set_ssm(k, r.init.Lambda, r.init.B, r.init.C, dt=r.dt_array))")
        return init.to_s4d(self.init, self.dt_array)

    def report(self) -> str:
        alpha = "" if np.isnan(self.alpha) else f", fitted long-memory exponent α = {self.alpha:.3f}"
        return "\n".join([
            f"sequence length L = {self.L}; regime: {self.regime}{alpha}",
            f"λ_max of the autocorrelation matrix: {self.lambda_max:.6g} (white noise 1, constant input L; "
            f"ρ tapered beyond lag {self.bandwidth})",
            f"recommended Δ = {self.dt:.6g} (critical timescale, expected output power ½ per mode); "
            f"rule 1/√(L·λ_max) = {self.dt_rule:.6g}",
            f"real parts: {self.real_part:g} — {self.advice}",
            f"imaginary parts: s·n with s = {self.imag_spacing:.6g} (κ of the discrete Gram matrix {self.condition:.3g})",
            f"init: {self.init.Lambda.shape[0]} channel(s) × {self.init.Lambda.shape[1]} modes; "
            "use model.set_ssm(k, r.init.Lambda, r.init.B, r.init.C, dt=r.dt_array) or init.to_s5(...)",
        ])


def load_series(path) -> np.ndarray:
    """Sequences from a file: .npy (1-D: one sequence; 2-D: rows are sequences) or .csv / .txt
    (columns are sequences, time runs down the rows; a non-numeric first line is a header; empty
    cells are missing values, NaN). Errors: SSMValueError naming the file and what is wrong."""
    p = Path(path)
    if not p.is_file():
        raise SSMValueError(f"{p}: no such file")
    suffix = p.suffix.lower()
    if suffix in (".csv", ".txt"):
        # The text reader of systems.load_trajectory, with empty cells kept as missing values.
        x = _read_text(str(p), suffix, missing=True, what="series file").T
        return x[0] if x.shape[0] == 1 else x
    if suffix != ".npy":
        raise SSMValueError(f"{p}: unknown format {suffix!r} (use .npy, .csv or .txt)")
    try:
        x = np.load(p, allow_pickle=False)
    except (OSError, ValueError) as error:
        raise SSMValueError(f"{p}: cannot read it ({error})") from None
    if x.dtype.kind not in "fiu":
        raise SSMValueError(f"{p}: the data must be numbers, got dtype {x.dtype}")
    return x.astype(np.float64)


def _regime(rho: np.ndarray, lmax: float, present: int) -> tuple[str, float]:
    """The regime of a sample autocorrelation ρ(0…L−1) from `present` values (documented in
    :func:`recommend`) and the fitted long-memory exponent (nan when not fitted)."""
    L = rho.size
    if lmax >= L / 2:
        return "near-constant", float("nan")
    K = min(20, L - 1)
    if K < 1 or np.max(np.abs(rho[1:K + 1])) < 4 / np.sqrt(present):
        return "white", float("nan")
    alpha = float("nan")
    kmax = L // 4
    if kmax >= 8 and np.all(rho[1:L // 8 + 1] > 0):
        fit = long_memory_exponent(rho, 2, kmax)
        if fit.r_squared >= 0.9 and fit.alpha <= 1:
            return "long memory", fit.alpha
        alpha = fit.alpha
    return "short memory", alpha


def recommend(x, L: int | None = None, N: int = 64, H: int = 1, seed: int = 0) -> Recommendation:
    """A timescale and initialization for an SSM that will read sequences like ``x``.

    ``x``: one sequence (1-D) or a batch (count, length); NaN marks missing values. ``L``: the
    sequence length the model will see (default: the data's length; at most that). ``N``: state
    size (N/2 conjugate-pair modes), ``H`` channels of the returned init.

    Steps (MATH.md §4–§5): the biased, centered sample autocorrelation ρ(0…L−1) (positive
    semidefinite, so Toeplitz(ρ) is a valid correlation matrix), tapered for R by (1 − k/(2K))₊ with
    K the first lag where |ρ| falls below the noise level 2/√n (n values present), so that the
    estimation noise of many long lags does not inflate λ_max; λ_max(R) by Lanczos; the regime (from
    the untapered ρ) —
    near-constant when λ_max ≥ L/2, white when every |ρ(k)|, 1 ≤ k ≤ 20, is below 4/√n (n values
    present), long memory when ρ stays positive to lag L/8 and a power law fits lags 2…L/4 with
    R² ≥ 0.9 and α ≤ 1, else short memory; the real parts: 0 when Re λ = −½ would leave the first
    token a weight below FORGETTING_THRESHOLD at initialization, else −½; the imaginary spacing π
    (S4D-Lin) unless the highest frequency would pass Nyquist, π/Δ, then 0.9·π/((N/2 − 1)Δ); and
    Δ: the critical timescale of zero-real-part modes with that spacing (the paper's setting; damped
    modes level off and may never reach the target), where the expected output power of a readout
    c ~ CN(0, I) is ½ per mode (white noise then gives Δ ≈ 1/√L, the rule with κ = 1), found by
    iterating once on the spacing. Errors: SSMValueError / SSMSizeError for data that cannot give
    an estimate (all missing, constant, too short, wrong shape)."""
    data = np.asarray(x, dtype=np.float64) if not isinstance(x, np.ndarray) else x.astype(np.float64, copy=False)
    if data.ndim == 1:
        data = data[None, :]
    if data.ndim != 2 or data.shape[1] < 8 or data.shape[0] < 1:
        raise SSMSizeError(f"x must be one sequence or a batch (count, length) with length ≥ 8, got shape {np.shape(x)}")
    if np.isinf(data).any():
        raise SSMValueError("x holds infinite values")
    present = int(np.sum(~np.isnan(data)))
    if present < 8:
        raise SSMValueError(f"x holds only {present} values that are not NaN: too few to estimate an autocorrelation")
    length = data.shape[1]
    L = length if L is None else as_size(L, "L")
    if L < 2 or L > length:
        raise SSMValueError(f"L = {L} must be between 2 and the data's length {length}")
    N = as_size(N, "N")
    if N < 2 or N % 2:
        raise SSMValueError(f"N = {N} must be even and ≥ 2 (N/2 conjugate-pair modes)")
    M = N // 2
    rho = acf(data, lags=L, biased=True, center=True, normalize=True)
    # R is built from a tapered ρ: past the lag K where |ρ̂| first falls inside the noise band 2/√n,
    # the sample ACF is noise (~1/√n per lag), and summed over many lags that noise alone would
    # inflate λ_max (one AR(1) sequence, φ = 0.9, L = 10⁶: 122 instead of 19). The Bartlett taper
    # (1 − k/(2K))₊ keeps R positive semidefinite (Schur product of two such Toeplitz sequences).
    noise = 2 / np.sqrt(present)
    inside = np.nonzero(np.abs(rho[1:]) < noise)[0]
    bandwidth = int(inside[0]) + 1 if inside.size else L
    lags = np.arange(L)
    tapered = rho * np.clip(1 - lags / (2 * bandwidth), 0, None)
    # A Ritz value is a lower bound on λ_max; when the top eigenvalues cluster (AR(1) with φ near 1
    # at very large L) Lanczos converges slowly, and a few digits are all the rule needs: accept it.
    lmax = lambda_max(tapered, tol=1e-10, max_iter=300, full_output=True).value
    regime, alpha = _regime(rho, lmax, present)
    rule = timescale_rule(L, lmax)

    def solve(real: float, spacing: float) -> float:
        w = real + 1j * spacing * np.arange(M)
        return critical_timescale(w, tapered, target=0.5 * M).dt

    spacing = np.pi
    dt = solve(0.0, spacing)
    if M > 1 and spacing * (M - 1) * dt >= np.pi:
        spacing = 0.9 * np.pi / ((M - 1) * dt)
        dt = solve(0.0, spacing)
    forgetting = float(memory_weight([-0.5], dt, L)[0])
    if forgetting < FORGETTING_THRESHOLD:
        real = 0.0
        advice = (f"with Re λ = −½ the first token's weight at initialization would be {forgetting:.3g} "
                  f"(e^(−Δ(L−1)/2)): zero real parts keep it at 1")
    else:
        real = -0.5
        advice = f"Re λ = −½ keeps the first token's weight at {forgetting:.3g}: the usual S4D real parts are fine"
    w = real + 1j * spacing * np.arange(M)
    condition = condition_number(gram_discrete(w, dt, L)) if M > 1 else 1.0
    modes = init.diagonal("lin", N, H, real_part=real, imag_scale=spacing / np.pi, seed=seed)
    return Recommendation(L=L, dt=dt, dt_rule=rule, lambda_max=lmax, regime=regime, alpha=alpha, rho=rho, bandwidth=bandwidth,
                          real_part=real, advice=advice, memory_negative=forgetting, imag_spacing=float(spacing),
                          condition=float(condition), init=modes, dt_array=np.full(H, dt))
