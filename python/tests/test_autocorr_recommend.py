"""ssmkit.autocorr.recommend and ``python -m ssmkit timescale``: regimes of known processes, the
recommended Δ against the exact theory, the init arrays, files, and bad data."""

import subprocess
import sys

import numpy as np
import pytest

import ssmkit
from ssmkit import autocorr, train


@pytest.mark.parametrize("kind,parameter,regime", [("white", None, "white"), ("ar1", 0.9, "short memory"),
                                                   ("power_law", 0.5, "long memory"), ("constant", None, "near-constant")])
def test_regimes_of_known_processes(kind, parameter, regime):
    x = train.input_process(kind, 64, 1024, parameter, seed=1)
    r = autocorr.recommend(x, N=16, H=3)
    assert r.regime == regime
    assert r.L == 1024 and r.rho.shape == (1024,) and r.rho[0] == pytest.approx(1, abs=1e-12)
    # Zero real parts when −½ would forget the first token: with Δ ∝ L^(−1/2) (white) it does; a
    # constant input gets Δ ∝ 1/L, where e^(−Δ(L−1)/2) stays O(1) and −½ is kept.
    assert (r.real_part == 0.0) == (r.memory_negative < autocorr.FORGETTING_THRESHOLD)
    assert r.real_part == (-0.5 if kind == "constant" else 0.0)
    assert r.init.Lambda.shape == (3, 8) and np.all(r.init.Lambda.real == r.real_part)
    assert np.allclose(r.init.Lambda.imag[0], r.imag_spacing * np.arange(8), rtol=1e-12)
    assert np.all(r.dt_array == r.dt) and r.dt_array.shape == (3,)
    # Δ is the critical timescale of those modes under the sample autocorrelation (½ per mode).
    w = 1j * r.imag_spacing * np.arange(8)
    tapered = r.rho * np.clip(1 - np.arange(1024) / (2 * r.bandwidth), 0, None)
    assert autocorr.expected_output_power(w, r.dt, tapered) == pytest.approx(4.0, rel=1e-9)
    assert r.imag_spacing * 7 * r.dt < np.pi + 1e-12   # below Nyquist
    if r.real_part < 0:
        exported = r.to_s4d()
        assert np.allclose(np.exp(exported["log_dt"]), r.dt, rtol=1e-14) and exported["A_imag"].shape == (3, 8)
    else:
        with pytest.raises(ssmkit.SSMValueError, match="log"):
            r.to_s4d()


def test_white_noise_timescale_close_to_the_exact_one():
    """From 64 × 1024 samples the sample ACF's noise moves Δ by a few percent from the Δ* of the
    exact white autocorrelation (measured 2–4%; asserted 10%)."""
    x = train.input_process("white", 64, 1024, seed=3)
    r = autocorr.recommend(x, N=16)
    exact = autocorr.critical_timescale(1j * r.imag_spacing * np.arange(8), train.autocorrelation("white", 1024),
                                        target=4.0).dt
    assert abs(r.dt - exact) / exact < 0.1
    assert r.dt_rule == pytest.approx(1 / np.sqrt(1024 * r.lambda_max), rel=1e-12)


def test_short_L_keeps_negative_real_parts_and_missing_values_are_allowed():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, 20))
    x[3, 5] = np.nan
    r = autocorr.recommend(x, N=4)
    assert r.L == 20 and np.isfinite(r.dt) and r.dt > 0
    assert (r.real_part == -0.5) == (r.memory_negative >= autocorr.FORGETTING_THRESHOLD)


def test_bad_data_gives_clear_errors(tmp_path):
    with pytest.raises(ssmkit.SSMValueError, match="NaN|not NaN"):
        autocorr.recommend(np.full(100, np.nan))
    with pytest.raises(ssmkit.SSMError):
        autocorr.recommend(np.zeros(100))          # zero variance: no autocorrelation to normalize
    with pytest.raises(ssmkit.SSMSizeError, match="length"):
        autocorr.recommend(np.ones(5))
    with pytest.raises(ssmkit.SSMSizeError, match="shape"):
        autocorr.recommend(np.ones((2, 3, 40)))
    with pytest.raises(ssmkit.SSMValueError, match="infinite"):
        autocorr.recommend(np.r_[np.ones(20), np.inf])
    with pytest.raises(ssmkit.SSMValueError, match="L = 200"):
        autocorr.recommend(np.random.default_rng(1).standard_normal(100), L=200)
    with pytest.raises(ssmkit.SSMValueError, match="N = 7"):
        autocorr.recommend(np.random.default_rng(1).standard_normal(100), N=7)


def test_files_and_the_command_line(tmp_path):
    x = train.input_process("ar1", 8, 256, 0.5, seed=4)
    np.save(tmp_path / "x.npy", x)
    csv = tmp_path / "x.csv"
    lines = ["a,b"] + [f"{x[0, t]:.17g},{'' if t == 7 else format(x[1, t], '.17g')}" for t in range(256)]
    csv.write_text("\n".join(lines) + "\n")
    assert np.array_equal(autocorr.load_series(tmp_path / "x.npy"), x)
    loaded = autocorr.load_series(csv)
    assert loaded.shape == (2, 256) and np.isnan(loaded[1, 7]) and loaded[0, 3] == x[0, 3]
    for name in ("x.npy", "x.csv"):
        done = subprocess.run([sys.executable, "-m", "ssmkit", "timescale", str(tmp_path / name), "--N", "8"],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert "recommended Δ" in done.stdout and "regime" in done.stdout
    (tmp_path / "bad.csv").write_text("1,2\nx,y\n")
    (tmp_path / "x.bin").write_bytes(b"\0\1")
    for name, needle in (("missing.npy", "no such file"), ("x.bin", "unknown format"), ("bad.csv", "")):
        done = subprocess.run([sys.executable, "-m", "ssmkit", "timescale", str(tmp_path / name)],
                              capture_output=True, text=True)
        assert done.returncode == 2 and "error:" in done.stderr and needle in done.stderr, done.stderr
    done = subprocess.run([sys.executable, "-m", "ssmkit", "timescale", str(tmp_path / "x.npy"), "--column", "9"],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "--column 9" in done.stderr
