"""python -m ssmkit: the demo runs, stays under 80 columns and shows what it promises."""

import os
import subprocess
import sys

import ssmkit

from conftest import PYTHON_DIR


def run(*args):
    return subprocess.run([sys.executable, "-m", "ssmkit", *args], capture_output=True,
                          text=True, env=dict(os.environ, PYTHONPATH=PYTHON_DIR), timeout=300)


def test_demo():
    r = run("demo")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert max(len(line) for line in lines) < 80
    for label in ("LegS, N = 8", "LegT, N = 8", "LagT, N = 8", "FouT, N = 9"):
        assert label in r.stdout
    assert r.stdout.count("max|S + S^T - 2cI|") == 4
    # The normal-part residuals printed are round-off.
    residuals = [float(line.rsplit("=", 1)[1]) for line in lines if "2cI| =" in line]
    assert len(residuals) == 4 and max(residuals) < 1e-12
    for method in ("zoh", "foh", "bilinear", "euler", "backward_diff", "impulse"):
        assert sum(line.split()[1:2] == [method] for line in lines) == 3  # three dt values
    assert "dScipy" in r.stdout
    # Every scipy difference in the table is round-off.
    rows = [line.split() for line in lines if line[:8].strip().endswith(("e-03", "e-02", "e-01"))]
    assert len(rows) == 18 and max(float(row[-1]) for row in rows) < 1e-12


def test_version_and_help():
    r = run("version")
    assert r.returncode == 0 and ssmkit.__version__ in r.stdout
    r = run()
    assert r.returncode == 2 and "demo" in r.stdout
    r = run("nonsense")
    assert r.returncode == 2
