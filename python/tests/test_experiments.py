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


# --- the HiPPO-Prophecy experiments (their metric, prophecy.normalized_error, is tested in test_prophecy.py) ---

def test_prophecy_experiments_are_registered():
    from ssmkit import prophecy_experiments
    names = {"prophecy-trained", "prophecy-N", "prophecy-window", "prophecy-dt", "prophecy-systems",
             "prophecy-baselines", "prophecy-authors", "prophecy-rollout"}
    assert names <= set(experiments.EXPERIMENTS) and set(prophecy_experiments.PROPHECY_EXPERIMENTS) == names
