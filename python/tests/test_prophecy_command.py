"""``python -m ssmkit prophecy``: a simulated system, a data file, and clear errors."""

import subprocess
import sys

import numpy as np

from ssmkit import systems


def run(*args):
    return subprocess.run([sys.executable, "-m", "ssmkit", "prophecy", *args], capture_output=True, text=True)


def test_system_and_data_file(tmp_path):
    done = run("--system", "van_der_pol", "--steps", "1500", "--burn-in", "300")
    assert done.returncode == 0, done.stderr
    line = [l for l in done.stdout.splitlines() if l.startswith("normalized")][0]
    ours, persistence = (float(w.rstrip(",")) for w in line.split() if w[0].isdigit() and "e" in w)
    assert ours < 1e-6 and persistence > 100 * ours
    np.save(tmp_path / "u.npy", systems.simulate("lorenz", 1200, 0.005))
    done = run("--data", str(tmp_path / "u.npy"), "--dt", "0.005", "--burn-in", "200")
    assert done.returncode == 0 and "1200 samples × 3" in done.stdout, done.stderr


def test_legs_has_no_window():
    done = run("--system", "van_der_pol", "--steps", "600", "--basis", "legs", "--N", "4", "--burn-in", "300")
    assert done.returncode == 0, done.stderr
    assert "legs, N = 4, no window" in done.stdout and "spectral radius nan" in done.stdout


def test_errors_are_clear(tmp_path):
    done = run("--system", "lorenz", "--N", "128", "--W", "1000", "--output", "trapezoid", "--readout", "time")
    assert done.returncode == 2 and "largest allowed N" in done.stderr
    done = run("--system", "nope")
    assert done.returncode == 2 and "error:" in done.stderr
    done = run("--data", str(tmp_path / "missing.npy"))
    assert done.returncode == 2 and "error:" in done.stderr
    done = run("--system", "lorenz", "--steps", "100", "--burn-in", "500")
    assert done.returncode == 2 and "burn-in" in done.stderr
