"""ssmkit.train's task generators through C: autocorrelations against sample estimates, targets
against numpy's direct convolution, delayed recall layout, the sinusoid task, seeds and bad input."""

import numpy as np
import pytest

import ssmkit
from ssmkit import train


def sample_autocorrelation(x, lags):
    x = x - 0  # zero-mean by construction
    return np.array([np.mean(x[:, : x.shape[1] - k] * x[:, k:]) for k in range(lags)])


@pytest.mark.parametrize("kind,parameter", [("white", None), ("ar1", 0.9), ("ar1", -0.5), ("power_law", 0.5),
                                            ("constant", None)])
def test_processes_have_their_autocorrelation(kind, parameter):
    x = train.input_process(kind, 400, 512, parameter=parameter, seed=3)
    assert x.shape == (400, 512)
    rho = train.autocorrelation(kind, 8, parameter=parameter)
    sample = sample_autocorrelation(x, 8)
    # Standard errors of these estimates are below 0.02 at 400 × 512 samples (long memory and the
    # constant process: per-row averages, so a wider margin).
    tol = 0.15 if kind in ("power_law", "constant") else 0.03
    assert np.all(np.abs(sample - rho) < tol), (sample, rho)
    assert rho[0] == 1
    assert np.array_equal(x, train.input_process(kind, 400, 512, parameter=parameter, seed=3))
    assert not np.array_equal(x, train.input_process(kind, 400, 512, parameter=parameter, seed=4))


@pytest.mark.parametrize("kind,parameter", [("exponential", 10.0), ("power_law", 0.7), ("delay", 5)])
def test_memory_targets_match_numpy(kind, parameter):
    x = np.random.default_rng(0).standard_normal((3, 100))
    y = train.memory_target(x, kind, parameter, normalized=True)
    w = train.memory_weights(kind, parameter, 100, normalized=True)
    assert np.isclose(np.sum(w ** 2), 1.0)
    direct = np.stack([np.convolve(row, w)[:100] for row in x])
    assert np.allclose(y, direct, rtol=0, atol=1e-13 * np.abs(direct).max())


def test_delayed_recall_and_sinusoid_layouts():
    inputs, targets, mask = train.delayed_recall(4, 32, length=3, delay=10, seed=1)
    assert inputs.shape == (4, 32, 2) and targets.shape == mask.shape == (4, 32, 1)
    assert np.array_equal(targets[:, 10:13, 0], inputs[:, 0:3, 0])
    assert np.array_equal(mask[:, :, 0].sum(axis=1), [3, 3, 3, 3]) and np.all(inputs[:, 10:13, 1] == 1)
    x, labels = train.sinusoid_task(64, L=128, classes=4, first=8, spacing=8, snr=100.0, seed=2)
    assert x.shape == (64, 128, 1) and labels.shape == (64,) and set(labels) <= {0, 1, 2, 3}
    peaks = np.argmax(np.abs(np.fft.rfft(x[:, :, 0], axis=1)), axis=1)
    assert np.array_equal(peaks, 8 + 8 * labels)


def test_bad_task_arguments():
    with pytest.raises(ssmkit.SSMValueError, match="φ"):
        train.input_process("ar1", 2, 8, parameter=1.0)
    with pytest.raises(ssmkit.SSMValueError, match="parameter"):
        train.input_process("power_law", 2, 8)
    with pytest.raises(ssmkit.SSMValueError, match="kind"):
        train.input_process("pink", 2, 8)
    with pytest.raises(ssmkit.SSMValueError, match="whole number"):
        train.memory_weights("delay", 2.5, 8)
    with pytest.raises(ssmkit.SSMSizeError):
        train.delayed_recall(2, 8, length=3, delay=7)
    with pytest.raises(ssmkit.SSMValueError, match="not finite"):
        train.memory_target([1.0, np.nan], "exponential", 1.0)
