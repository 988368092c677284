"""ssmkit.train: models, gradients against finite differences through the wrapper, optimizers,
fit (convergence, cancel, divergence), layouts, and bad hyperparameters."""

import numpy as np
import pytest

import ssmkit
from ssmkit import init, train


def diagonal_model(M=4, H=1, real="direct", path="convolution", dtype="float64"):
    model = train.Model("diagonal", H=H, M=M, real=real, path=path, dtype=dtype)
    d = init.diagonal("lin", 2 * M, H, B="random", seed=3, real_part=-0.3)
    model.set_ssm(0, d.Lambda, d.B, d.C, D=np.full(H, 0.2), dt=np.full(H, 0.05))
    return model


def deep_model(pooling="none", objective="mse", outputs=2, dtype="float64"):
    model = train.Model("deep", H=3, M=2, inputs=2, outputs=outputs, depth=2, pooling=pooling, objective=objective, seed=1,
                        dtype=dtype)
    for k in range(2):
        d = init.diagonal("lin", 4, 3, B="random", seed=k, real_part=-0.4)
        model.set_ssm(k, d.Lambda, d.B, d.C, D=[0.1, 0.2, 0.3], dt=[0.05, 0.1, 0.2])
    return model


@pytest.mark.parametrize("make,shape", [(lambda: diagonal_model(H=2), (3, 2, 20)),
                                        (lambda: diagonal_model(H=2, path="scan", real="neg_exp"), (3, 2, 20)),
                                        (lambda: deep_model(), (3, 20, 2))])
def test_gradient_matches_finite_differences_through_the_wrapper(make, shape):
    model = make()
    rng = np.random.default_rng(0)
    u = rng.standard_normal(shape)
    y = model(u)
    target = rng.standard_normal(y.shape)
    loss, metric, g = model.loss_and_gradient(u, targets=target)
    assert np.isclose(loss, np.mean((y - target) ** 2), rtol=1e-13)
    p0 = model.parameters
    for i in range(0, p0.size, 3):
        h = 1e-5 * max(1.0, abs(p0[i]))
        values = []
        for sign in (1, -1):
            p = p0.copy()
            p[i] += sign * h
            model.parameters = p
            values.append(np.mean((model(u) - target) ** 2))
        model.parameters = p0
        numeric = (values[0] - values[1]) / (2 * h)
        assert abs(numeric - g[i]) <= 1e-6 * max(abs(g[i]), 1e-2 * np.abs(g).max()), i


@pytest.mark.parametrize("make,shape", [(lambda d: diagonal_model(H=5, dtype=d), (3, 5, 40)),
                                        (lambda d: diagonal_model(H=2, path="scan", dtype=d), (3, 2, 40)),
                                        (lambda d: deep_model(dtype=d), (3, 40, 2))])
def test_float32_activations_match_float64(make, shape):
    """A float32 model's outputs, loss and gradient against the same model in float64 (checked
    against finite differences above): float32 rounding, 1e-5 of the largest entry."""
    m64, m32 = make("float64"), make(np.float32)
    assert m32.dtype == np.float32 and m64.dtype == np.float64
    rng = np.random.default_rng(2)
    u = rng.standard_normal(shape)
    y64, y32 = m64(u), m32(u)
    assert np.abs(y32 - y64).max() <= 1e-5 * np.abs(y64).max()
    target = rng.standard_normal(y64.shape)
    l64, _, g64 = m64.loss_and_gradient(u, targets=target)
    l32, _, g32 = m32.loss_and_gradient(u, targets=target)
    assert abs(l32 - l64) <= 1e-5 * l64
    assert np.abs(g32 - g64).max() <= 1e-5 * np.abs(g64).max()
    assert not np.array_equal(g32, g64)   # it did compute in float32


def test_bad_dtype_is_refused():
    for bad in ("float16", "int32", np.complex64, "nonsense"):
        with pytest.raises(ssmkit.SSMValueError, match="dtype"):
            train.Model("diagonal", dtype=bad)


def test_teacher_student_fit_and_history():
    rng = np.random.default_rng(1)
    teacher = diagonal_model(M=2)
    u = rng.standard_normal((256, 1, 64))
    y = teacher(u)
    student = train.Model("diagonal", H=1, M=4)
    d = init.diagonal("lin", 8, 1)
    student.set_ssm(0, d.Lambda, d.B, d.C, dt=0.05)
    opt = train.Optimizer(student, "adam", lr=2e-2, weight_decay=0, warmup=10, total_steps=8 * 40)
    history = train.fit(student, opt, u, targets=y, epochs=40, batch_size=32, progress=False)
    assert history.stop == "completed" and len(history.losses) == 8 * 40 and opt.steps == 320
    means = history.epoch_means(history.metrics)
    assert means[0] > 0.1 and means[-1] < 1e-2, means[[0, -1]]
    assert "completed" in history.message


def test_classification_and_pooled_layouts():
    model = deep_model(pooling="last", objective="cross_entropy", outputs=3)
    u = np.random.default_rng(2).standard_normal((5, 20, 2))
    assert model(u).shape == (5, 3)
    loss, accuracy, g = model.loss_and_gradient(u, labels=[0, 1, 2, 0, 1])
    assert loss > 0 and 0 <= accuracy <= 1 and g.shape == (model.parameter_count,)
    with pytest.raises(ssmkit.SSMValueError, match="label"):
        model.loss_and_gradient(u, labels=[0, 1, 2, 0, 7])
    with pytest.raises(ssmkit.SSMValueError, match="pooling"):
        train.Model("deep", objective="cross_entropy")


def test_cancel_keeps_a_consistent_model_and_divergence_stops_cleanly():
    rng = np.random.default_rng(3)
    model = diagonal_model()
    u = rng.standard_normal((64, 1, 32))
    y = diagonal_model(M=2)(u)
    opt = train.Optimizer(model, "adam", lr=1e-2)
    h = train.fit(model, opt, u, targets=y, epochs=5, batch_size=8, progress=False, callback=lambda p: p.step >= 3)
    assert h.stop == "cancelled" and len(h.losses) == 3 and opt.steps == 3
    assert np.all(np.isfinite(model.parameters))
    sgd = train.Optimizer(model, "sgd", lr=1e4, momentum=0.0)
    h = train.fit(model, sgd, u, targets=y, epochs=20, batch_size=8, progress=False)
    assert h.stop == "non-finite" and "stopped before applying it" in h.message
    assert np.all(np.isfinite(model.parameters))


def test_an_error_mid_run_keeps_the_steps_before_it():
    """A batch whose mask selects nothing is an error when it is reached; the steps before it stay
    applied and in the history, and the message says where the run stopped."""
    rng = np.random.default_rng(4)
    model = diagonal_model()
    u = rng.standard_normal((6, 1, 16))
    y = diagonal_model(M=2)(u)
    mask = np.ones_like(y)
    mask[4] = 0
    opt = train.Optimizer(model, "adam", lr=1e-2)
    before = model.parameters
    trainer = train.Trainer(model, opt, u, targets=y, mask=mask, batch_size=1, seed=5)
    with pytest.raises(ssmkit.SSMValueError, match="mask"):
        trainer.run(2, progress=False)
    h = trainer.history()
    done = len(h.losses)
    assert done == opt.steps and done < 12
    assert f"after {done} recorded step" in h.message
    assert np.array_equal(model.parameters, before) == (done == 0)


def test_bad_hyperparameters_and_data():
    model = diagonal_model()
    with pytest.raises(ssmkit.SSMValueError, match="learning rate"):
        train.Optimizer(model, "adam", lr=0)
    with pytest.raises(ssmkit.SSMValueError, match="learning rate"):
        train.Optimizer(model, "adam", lr=-1)
    with pytest.raises(ssmkit.SSMValueError, match="rule"):
        train.Optimizer(model, "lion")
    opt = train.Optimizer(model, "adam")
    u = np.zeros((0, 1, 10))
    with pytest.raises(ssmkit.SSMValueError, match="empty"):
        train.fit(model, opt, u, targets=np.zeros((0, 1, 10)), progress=False)
    with pytest.raises(ssmkit.SSMSizeError, match="targets"):
        train.fit(model, opt, np.zeros((4, 1, 10)), targets=np.zeros((4, 1, 9)), progress=False)
    bad = np.zeros((4, 1, 10))
    bad[1, 0, 3] = np.nan
    with pytest.raises(ssmkit.SSMValueError, match="not finite"):
        train.fit(model, opt, bad, targets=np.zeros((4, 1, 10)), progress=False)
    with pytest.raises(ssmkit.SSMSizeError, match="batch_size"):
        train.fit(model, opt, np.zeros((4, 1, 10)), targets=np.zeros((4, 1, 10)), batch_size=0, progress=False)
    model.close()
    with pytest.raises(ssmkit.SSMValueError, match="closed"):
        model.parameters


def test_dense_model_trains_its_readout():
    rng = np.random.default_rng(4)
    N = 4
    A = np.diag([0.9, 0.8, 0.7, 0.5])
    B = np.ones((N, 1))
    C_true = rng.standard_normal((1, N))
    u = rng.standard_normal((64, 40, 1))
    truth = train.Model.dense(A, B, C_true, np.zeros((1, 1)))
    y = truth(u)
    model = train.Model.dense(A, B, np.zeros((1, N)), np.zeros((1, 1)))
    assert model.parameter_count == N + 1
    opt = train.Optimizer(model, "adam", lr=5e-2, weight_decay=0)
    h = train.fit(model, opt, u, targets=y, epochs=150, batch_size=16, progress=False)
    # Close poles make C poorly identifiable (correlated states): the fit, not C itself, is checked.
    means = h.epoch_means(h.metrics)
    assert means[0] > 0.3 and means[-1] < 1e-3, means[[0, -1]]
    assert np.allclose(model(u), y, atol=0.1 * np.abs(y).max())


def test_checkpoints_round_trip_resume_and_reject_bad_files(tmp_path):
    rng = np.random.default_rng(5)
    u = rng.standard_normal((64, 20, 2))
    y = rng.standard_normal((64, 20, 2))
    model = deep_model()
    opt = train.Optimizer(model, "adamw", lr=1e-2)
    train.fit(model, opt, u, targets=y, epochs=2, batch_size=16, progress=False)
    path = tmp_path / "ckpt.safetensors"
    model.save(path, optimizer=opt)
    # Readable by numpy alone (8-byte header length, JSON header, little-endian data).
    import json
    raw = path.read_bytes()
    n = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8:8 + n])
    assert header["__metadata__"]["ssmkit.model_kind"] == "deep_ssm_model"
    blocks = [k for k in header if k.startswith("parameters.")]
    total = sum(int(np.prod(header[k]["shape"])) for k in blocks)
    assert total == model.parameter_count
    # Resuming from the checkpoint continues exactly like the original.
    twin, twin_opt = deep_model(), None
    twin_opt = train.Optimizer(twin, "adamw", lr=1e-2)
    twin.load(path, optimizer=twin_opt)
    assert np.array_equal(twin.parameters, model.parameters) and twin_opt.steps == opt.steps
    h1 = train.fit(model, opt, u, targets=y, epochs=1, batch_size=16, seed=9, progress=False)
    h2 = train.fit(twin, twin_opt, u, targets=y, epochs=1, batch_size=16, seed=9, progress=False)
    assert np.array_equal(h1.losses, h2.losses) and np.array_equal(model.parameters, twin.parameters)
    # The safetensors package reads it too, when installed.
    try:
        from safetensors.numpy import load_file
    except ImportError:
        load_file = None
    if load_file is not None:
        tensors = load_file(str(path))
        assert tensors["optimizer.step"].item() == opt.steps - 4
    # Mismatches and damaged files: clear errors, the model unchanged.
    before = twin.parameters
    other = diagonal_model()
    with pytest.raises(ssmkit.SSMValueError, match="deep_ssm_model"):
        other.load(path)
    for cut in (0, 7, 8 + n // 2, len(raw) - 3):
        damaged = tmp_path / f"cut{cut}.safetensors"
        damaged.write_bytes(raw[:cut])
        with pytest.raises(ssmkit.SSMError):
            twin.load(damaged)
    garbage = tmp_path / "garbage.safetensors"
    garbage.write_bytes((10**12).to_bytes(8, "little") + b"{}")
    with pytest.raises(ssmkit.SSMError):
        twin.load(garbage)
    with pytest.raises(ssmkit.SSMIOError):
        twin.load(tmp_path / "missing.safetensors")
    assert np.array_equal(twin.parameters, before)


def test_hostile_optimizer_step_is_refused(tmp_path):
    import json
    model = diagonal_model()
    opt = train.Optimizer(model, "adam")
    path = tmp_path / "c.safetensors"
    model.save(path, optimizer=opt)
    raw = bytearray(path.read_bytes())
    n = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8:8 + n])
    begin = 8 + n + header["optimizer.step"]["data_offsets"][0]
    raw[begin:begin + 8] = (2**63 - 1).to_bytes(8, "little")
    path.write_bytes(bytes(raw))
    with pytest.raises(ssmkit.SSMValueError, match="optimizer.step"):
        model.load(path, optimizer=opt)
    assert opt.steps == 0
