"""The experiment command runs end to end (quick mode: a smoke test, not the experiments' numbers)."""

import subprocess
import sys

import numpy as np
import pytest

from ssmkit import experiments


@pytest.mark.parametrize("name", sorted(experiments.EXPERIMENTS))
def test_quick_runs_write_table_and_csv(tmp_path, name):
    result = experiments.run(name, out=str(tmp_path), quick=True)
    assert (tmp_path / f"{name}.md").read_text().startswith("# ")
    rows = (tmp_path / f"{name}.csv").read_text().strip().splitlines()
    assert len(rows) >= 3 and "," in rows[0]
    assert isinstance(result["holds"], bool)


def test_unknown_experiment_is_a_clear_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "ssmkit", "experiment", "nope", "--out", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "unknown experiment" in done.stderr


# --- the HiPPO-Prophecy experiments' metric (prophecy_experiments.normalized_error) ---

def test_prophecy_experiments_are_registered():
    from ssmkit import prophecy_experiments
    names = {"prophecy-trained", "prophecy-N", "prophecy-window", "prophecy-dt", "prophecy-systems",
             "prophecy-baselines", "prophecy-authors", "prophecy-rollout"}
    assert names <= set(experiments.EXPERIMENTS) and set(prophecy_experiments.PROPHECY_EXPERIMENTS) == names


def test_normalized_error_by_hand():
    from ssmkit.prophecy_experiments import normalized_error
    u = np.array([[1.0, 10.0], [2.0, 10.0], [4.0, 14.0], [3.0, 12.0], [0.0, 10.0]])
    pred = np.array([[2.0, 11.0], [3.0, 14.0], [4.0, 12.0], [1.0, 9.0], [99.0, 99.0]])   # the last row is unused
    b = 1
    # pred[1:4] against u[2:5]: differences (−1, 0), (1, 0), (1, −1) → mean square 4/6.
    mse = ((-1) ** 2 + 0 + 1 + 0 + 1 + 1) / 6
    # Variances of u[1:] per column: (2, 4, 3, 0) → mean 2.25, (0.0625 + 3.0625 + 0.5625 + 5.0625)/4 = 2.1875;
    # (10, 14, 12, 10) → mean 11.5, (2.25 + 6.25 + 0.25 + 2.25)/4 = 2.75.
    variance = (2.1875 + 2.75) / 2
    assert abs(normalized_error(pred, u, b) - mse / variance) < 1e-15
    assert abs(normalized_error(pred[:, 0], u[:, 0], b) - 1.0 / 2.1875) < 1e-15      # (T,): differences −1, 1, 1


def test_persistence_error_of_a_sine_matches_the_closed_form():
    from ssmkit import prophecy
    from ssmkit.prophecy_experiments import normalized_error
    amp, omega, dt, phase = 1.7, 2.3, 0.01, 0.4
    u = amp * np.sin(omega * dt * np.arange(200_000) + phase)                 # ~730 periods
    closed = 2 * (1 - np.cos(omega * dt)) * (amp ** 2 / 2) / (amp ** 2 / 2)
    measured = normalized_error(prophecy.baseline(u, "persistence"), u, 1000)
    assert abs(measured / closed - 1) < 1e-3
