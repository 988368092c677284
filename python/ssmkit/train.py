"""Training SSMs natively on CPU: models, optimizers, a ``fit`` loop with a progress bar and a
history, and a plot helper. Gradients are analytic (MATH.md §8), computed by libssmkit.

Layouts (numpy convention, batch first):

- ``Model("diagonal", H=..., M=...)``: a layer of H diagonal SSMs; u and y ``(batch, H, L)``.
- ``Model("deep", inputs=..., H=..., M=..., outputs=..., depth=...)``: u ``(batch, L, inputs)``;
  outputs ``(batch, L, outputs)`` without pooling, ``(batch, outputs)`` with ``pooling="last"`` or
  ``"mean"`` (class logits for ``objective="cross_entropy"``).
- ``Model.dense(Ad, Bd, Cd, Dd)``: u ``(batch, L, m)``, y ``(batch, L, p)``.

Diagonal and deep models compute their activations in float64 (default) or float32
(``dtype="float32"``: about twice as fast; parameters, gradients and optimizer state stay
float64). Inputs and outputs are float64 arrays either way.

Example::

    model = train.Model("diagonal", H=1, M=16)
    d = init.diagonal("lin", 32, 1)
    model.set_ssm(0, d.Lambda, d.B, d.C, dt=[0.05])
    opt = train.Optimizer(model, "adam", lr=1e-2)
    history = train.fit(model, opt, u, targets=y, epochs=50, batch_size=16)
    history.plot()
"""

from __future__ import annotations

import ctypes
import sys
import time

import numpy as np

from . import _bindings as _b
from ._errors import SSMSizeError, SSMValueError, _check
from ._validate import as_array, as_name, as_size, choice, empty

__all__ = ["Model", "Optimizer", "Trainer", "History", "fit", "plot_history", "input_process", "autocorrelation",
           "memory_weights", "memory_target", "delayed_recall", "sinusoid_task"]

_KINDS = {"diagonal": _b.SSM_MODEL_DIAGONAL, "deep": _b.SSM_MODEL_DEEP}
_REAL = {"direct": _b.SSM_REAL_DIRECT, "clamped": _b.SSM_REAL_DIRECT_CLAMPED, "neg_exp": _b.SSM_REAL_NEG_EXP,
         "neg_softplus": _b.SSM_REAL_NEG_SOFTPLUS}
_POOLING = {"none": _b.SSM_POOL_NONE, "last": _b.SSM_POOL_LAST, "mean": _b.SSM_POOL_MEAN}
_OBJECTIVES = {"mse": _b.SSM_LOSS_MSE, "cross_entropy": _b.SSM_LOSS_CROSS_ENTROPY}
_DT = {"exp": _b.SSM_DT_EXP, "softplus": _b.SSM_DT_SOFTPLUS}
_PATHS = {"convolution": _b.SSM_PATH_CONVOLUTION, "scan": _b.SSM_PATH_SCAN}
_RULES = {"sgd": _b.SSM_OPT_SGD, "adam": _b.SSM_OPT_ADAM, "adamw": _b.SSM_OPT_ADAMW}
_STOPS = {_b.SSM_STOP_COMPLETED: "completed", _b.SSM_STOP_CANCELLED: "cancelled", _b.SSM_STOP_NON_FINITE: "non-finite"}


class _Handle:
    """An owned C handle: ``close()``, context manager, freed on garbage collection."""

    _free = None

    def __init__(self):
        self._h = ctypes.c_void_p()

    @property
    def handle(self) -> ctypes.c_void_p:
        if not self._h:
            raise SSMValueError(f"this {type(self).__name__} is closed")
        return self._h

    def close(self) -> None:
        if getattr(self, "_h", None):
            type(self)._free(self._h)
            self._h = ctypes.c_void_p()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass


def _path_bytes(path) -> bytes:
    """A str or os.PathLike path as UTF-8 for the library (NUL and other types refused)."""
    import os
    return as_name(os.fspath(path), "path")


def _precision(dtype) -> int:
    """The ssm_precision_t of a dtype argument ("float64", "float32" or a numpy float dtype)."""
    try:
        d = np.dtype(dtype)
    except TypeError:
        d = None
    if d == np.float64:
        return _b.SSM_PRECISION_FLOAT64
    if d == np.float32:
        return _b.SSM_PRECISION_FLOAT32
    raise SSMValueError(f"dtype must be float64 or float32, got {dtype!r}")


class Model(_Handle):
    """A trainable SSM (see the module docstring for kinds and layouts).

    Parameters
    ----------
    kind : "diagonal" or "deep"
    H, M : channels and modes per channel (conjugate pairs: state size N = 2M)
    inputs, outputs, depth, layer_norm, pooling : the deep model's encoder width, decoder width
        (or classes), blocks, layer norm after each residual, and pooling ("none", "last", "mean")
    objective : "mse" or "cross_entropy" (needs pooling)
    real : how Re λ is stored: "direct" (0 reachable), "clamped" (≤ 0 after every step),
        "neg_exp", "neg_softplus"
    dt_transform : "exp" or "softplus" (how Δ is stored)
    path : "convolution" (kernel + FFT) or "scan" (recurrence)
    seed : the deep model's dense weights (uniform ±1/√fan_in)
    dtype : precision of the activations, "float64" or "float32" (numpy dtypes work too).
        Parameters, gradients and optimizer state are float64 either way; float32 halves the
        activations' memory and runs the FFT convolutions and position-wise products in float32
        (its gradients agree with float64 to about 1e-5 relative).

    The SSM parameters start at zero: set them with :meth:`set_ssm` (any ``ssmkit.init`` scheme).
    """

    _free = staticmethod(lambda h: _b.lib.ssm_model_free(h))

    def __init__(self, kind: str = "diagonal", H: int = 1, M: int = 16, *, inputs: int = 1, outputs: int = 1,
                 depth: int = 2, layer_norm: bool = True, pooling: str = "none", objective: str = "mse",
                 real: str = "direct", dt_transform: str = "exp", path: str = "convolution", seed: int = 0,
                 dtype="float64"):
        super().__init__()
        o = _b.ssm_model_options_t()
        _check(_b.lib.ssm_model_options_default(ctypes.byref(o)))
        o.kind = choice(kind, "kind", _KINDS)
        o.H, o.M = as_size(H, "H"), as_size(M, "M")
        o.inputs, o.outputs, o.depth = as_size(inputs, "inputs"), as_size(outputs, "outputs"), as_size(depth, "depth", minimum=0)
        o.layer_norm = 1 if layer_norm else 0
        o.pooling = choice(pooling, "pooling", _POOLING)
        o.objective = choice(objective, "objective", _OBJECTIVES)
        o.real_param = choice(real, "real", _REAL)
        o.dt_transform = choice(dt_transform, "dt_transform", _DT)
        o.path = choice(path, "path", _PATHS)
        o.seed = int(seed) % 2**64
        o.precision = _precision(dtype)
        _check(_b.lib.ssm_model_create(ctypes.byref(o), ctypes.byref(self._h)))
        self.kind, self.H, self.M = kind.lower(), o.H, o.M
        self.inputs, self.outputs, self.depth = o.inputs, o.outputs, o.depth
        self.pooling, self.objective = pooling.lower(), objective.lower()
        self.dtype = np.dtype(np.float32 if o.precision == _b.SSM_PRECISION_FLOAT32 else np.float64)

    @classmethod
    def dense(cls, Ad, Bd, Cd, Dd=None, train_dynamics: bool = False) -> "Model":
        """A dense discrete SSM x_k = Ad x_(k−1) + Bd u_k, y_k = Cd x_k + Dd u_k with trainable
        (Cd, Dd), and (Ad, Bd) too when ``train_dynamics`` (parameter order Cd, Dd, Ad, Bd).
        Ad (N, N), Bd (N, m), Cd (p, N), Dd (p, m)."""
        A = as_array(Ad, "Ad")
        if A.ndim != 2 or A.shape[0] != A.shape[1]:
            raise SSMSizeError(f"Ad must be square, got shape {A.shape}")
        N = A.shape[0]
        B = as_array(Bd, "Bd")
        B = B.reshape(N, -1) if B.ndim == 1 else B
        C = as_array(Cd, "Cd")
        C = C.reshape(1, -1) if C.ndim == 1 else C
        if B.ndim != 2 or B.shape[0] != N or C.ndim != 2 or C.shape[1] != N:
            raise SSMSizeError(f"Bd must be ({N}, m) and Cd (p, {N}), got {B.shape} and {C.shape}")
        m, p = B.shape[1], C.shape[0]
        D = None if Dd is None else np.ascontiguousarray(as_array(Dd, "Dd").reshape(p, m))
        self = cls.__new__(cls)
        _Handle.__init__(self)
        _check(_b.lib.ssm_model_create_dense(N, m, p, A, np.ascontiguousarray(B), np.ascontiguousarray(C), D,
                                             1 if train_dynamics else 0, ctypes.byref(self._h)))
        self.kind, self.H, self.M, self.inputs, self.outputs, self.depth = "dense", 0, 0, m, p, 0
        self.pooling, self.objective = "none", "mse"
        self.N = N
        return self

    def set_ssm(self, block: int, Lambda, B, C, D=None, dt=None) -> None:
        """Sets the SSM layer of ``block`` (0 for a diagonal model) from continuous modes: Lambda,
        B, C of shape (H, M) (or (M,) for every channel alike), D (H,) and dt (H,) or a scalar."""
        H, M = self.H, self.M
        if self.kind == "dense":
            raise SSMValueError("a dense model has no diagonal SSM layer")

        def modes(x, name):
            a = as_array(x, name, kind="complex")
            try:
                return np.ascontiguousarray(np.broadcast_to(a, (H, M)))
            except ValueError:
                raise SSMSizeError(f"{name} must have shape ({H}, {M}) or ({M},), got {a.shape}") from None
        if dt is None:
            raise SSMValueError("dt is required (one step per channel, or a scalar)")
        steps = np.ascontiguousarray(np.broadcast_to(as_array(dt, "dt"), (H,)))
        Dd = None if D is None else np.ascontiguousarray(np.broadcast_to(as_array(D, "D"), (H,)))
        _check(_b.lib.ssm_model_set_ssm(self.handle, int(block), modes(Lambda, "Lambda"), modes(B, "B"), modes(C, "C"),
                                        Dd, steps))

    @property
    def parameter_count(self) -> int:
        n = ctypes.c_int64()
        _check(_b.lib.ssm_model_parameter_count(self.handle, ctypes.byref(n)))
        return n.value

    @property
    def parameters(self) -> np.ndarray:
        """A copy of every trainable parameter (the optimizer's and checkpoints' layout)."""
        n = self.parameter_count
        out = empty((n,), np.float64, "the parameters")
        _check(_b.lib.ssm_model_get_parameters(self.handle, n, out))
        return out

    @parameters.setter
    def parameters(self, values) -> None:
        v = as_array(values, "parameters").ravel()
        if v.size != self.parameter_count:
            raise SSMSizeError(f"the model has {self.parameter_count} parameters, got {v.size}")
        _check(_b.lib.ssm_model_set_parameters(self.handle, v.size, v))

    def save(self, path, optimizer: "Optimizer | None" = None) -> None:
        """Saves the parameters (and the optimizer's step and moments) as a safetensors file,
        readable by ``safetensors.numpy.load_file`` and numpy. Written atomically."""
        _check(_b.lib.ssm_checkpoint_save(self.handle, None if optimizer is None else optimizer.handle,
                                          _path_bytes(path)))

    def load(self, path, optimizer: "Optimizer | None" = None) -> None:
        """Loads a checkpoint of a model of the same kind and configuration (and the optimizer's
        state, same rule). A corrupted or mismatched file raises before anything changes."""
        _check(_b.lib.ssm_checkpoint_load(self.handle, None if optimizer is None else optimizer.handle,
                                          _path_bytes(path)))

    # --- layouts: Python (batch first, features last) ↔ the library (channel-first) ---

    def _inputs(self, u, name: str = "u"):
        """``u`` in the library's layout, with batch and L."""
        a = as_array(u, name)
        if self.kind == "diagonal":
            if a.ndim == 2:
                a = a[None]
            if a.ndim != 3 or a.shape[1] != self.H:
                raise SSMSizeError(f"{name} must have shape (batch, H={self.H}, L), got {a.shape}")
            return np.ascontiguousarray(a), a.shape[0], a.shape[2]
        if a.ndim == 2 and self.inputs == 1:
            a = a[..., None]
        if a.ndim != 3 or a.shape[2] != self.inputs:
            raise SSMSizeError(f"{name} must have shape (batch, L, {self.inputs}), got {a.shape}")
        batch, L = a.shape[0], a.shape[1]
        return (np.ascontiguousarray(a) if self.kind == "dense" else np.ascontiguousarray(a.transpose(0, 2, 1))), batch, L

    def _output_shape(self, batch: int, L: int):
        if self.kind == "diagonal":
            return (batch, self.H, L)
        if self.kind == "dense":
            return (batch, L, self.outputs)
        return (batch, L, self.outputs) if self.pooling == "none" else (batch, self.outputs)

    def _to_library_outputs(self, y: np.ndarray) -> np.ndarray:
        """Targets/masks in the library's layout (deep, unpooled: channel-first)."""
        return np.ascontiguousarray(y.transpose(0, 2, 1)) if self.kind == "deep" and self.pooling == "none" else y

    def __call__(self, u) -> np.ndarray:
        """The model's outputs for inputs ``u`` (layouts in the module docstring)."""
        uu, batch, L = self._inputs(u)
        shape = self._output_shape(batch, L)
        library = (batch, self.outputs, L) if self.kind == "deep" and self.pooling == "none" else shape
        y = empty(library, np.float64, "y")
        _check(_b.lib.ssm_model_forward(self.handle, batch, L, uu, y))
        return np.ascontiguousarray(y.transpose(0, 2, 1)) if library != shape else y

    forward = __call__

    def _targets(self, batch: int, L: int, targets, mask, labels):
        if self.objective == "cross_entropy":
            if labels is None:
                raise SSMValueError("a cross-entropy model needs labels")
            lab = np.ascontiguousarray(np.asarray(labels), dtype=np.int64).ravel()
            if lab.size != batch:
                raise SSMSizeError(f"labels must have {batch} entries, got {lab.size}")
            return None, None, lab
        if targets is None:
            raise SSMValueError("an MSE model needs targets")
        shape = self._output_shape(batch, L)
        t = as_array(targets, "targets")
        if t.shape != shape:
            raise SSMSizeError(f"targets must have shape {shape}, got {t.shape}")
        m = None
        if mask is not None:
            m = as_array(mask, "mask")
            if m.shape != shape:
                raise SSMSizeError(f"mask must have shape {shape}, got {m.shape}")
            m = self._to_library_outputs(m)
        return self._to_library_outputs(t), m, None

    def loss_and_gradient(self, u, targets=None, labels=None, mask=None):
        """(loss, metric, gradient) of one batch: metric is the accuracy for cross-entropy and the
        loss relative to the targets' mean square for MSE; gradient has ``parameter_count`` entries."""
        uu, batch, L = self._inputs(u)
        t, m, lab = self._targets(batch, L, targets, mask, labels)
        loss, metric = ctypes.c_double(), ctypes.c_double()
        g = empty((self.parameter_count,), np.float64, "the gradient")
        _check(_b.lib.ssm_model_loss_gradient(self.handle, batch, L, uu, t, m, lab, ctypes.byref(loss),
                                              ctypes.byref(metric), g))
        return loss.value, metric.value, g


class Optimizer(_Handle):
    """An optimizer for ``model``'s parameters: "sgd" (momentum, nesterov), "adam" or "adamw".

    The SSM parameters (Re λ, Im λ, B and Δ of every diagonal layer) form their own group with
    ``ssm_lr`` (default: ``lr``) and ``ssm_weight_decay`` (default 0), as s4/S5 train them.
    ``clip_norm`` clips the global gradient norm; the rate warms up linearly over ``warmup`` steps,
    then decays by a cosine to ``lr_floor``·lr at ``total_steps`` (0: constant).
    """

    _free = staticmethod(lambda h: _b.lib.ssm_optimizer_free(h))

    def __init__(self, model: Model, rule: str = "adamw", lr: float = 1e-3, weight_decay: float = 0.01, *,
                 ssm_lr=None, ssm_weight_decay: float = 0.0, momentum: float = 0.9, nesterov: bool = False,
                 betas=(0.9, 0.999), eps: float = 1e-8, clip_norm=None, warmup: int = 0, total_steps: int = 0,
                 lr_floor: float = 0.0):
        super().__init__()
        o = _b.ssm_optimizer_options_t()
        _check(_b.lib.ssm_optimizer_options_default(ctypes.byref(o)))
        o.rule = choice(rule, "rule", _RULES)
        o.learning_rate, o.weight_decay = float(lr), float(weight_decay)
        o.ssm_learning_rate = 0.0 if ssm_lr is None else float(ssm_lr)
        if ssm_lr is not None and not o.ssm_learning_rate > 0:
            raise SSMValueError(f"ssm_lr = {ssm_lr} must be > 0")
        o.ssm_weight_decay = float(ssm_weight_decay)
        o.momentum, o.nesterov = float(momentum), 1 if nesterov else 0
        o.beta1, o.beta2 = (float(x) for x in betas)
        o.epsilon = float(eps)
        o.clip_norm = 0.0 if clip_norm is None else float(clip_norm)
        if clip_norm is not None and not o.clip_norm > 0:
            raise SSMValueError(f"clip_norm = {clip_norm} must be > 0 (or None)")
        o.warmup, o.total_steps = as_size(warmup, "warmup", minimum=0), as_size(total_steps, "total_steps", minimum=0)
        o.lr_floor = float(lr_floor)
        self.model = model
        _check(_b.lib.ssm_optimizer_create(model.handle, ctypes.byref(o), ctypes.byref(self._h)))

    def step(self, gradient) -> float:
        """One update of the model from ``gradient``; returns the gradient norm before clipping."""
        g = as_array(gradient, "gradient").ravel()
        norm = ctypes.c_double()
        _check(_b.lib.ssm_optimizer_step(self.handle, self.model.handle, g.size, g, ctypes.byref(norm)))
        return norm.value

    @property
    def steps(self) -> int:
        n = ctypes.c_int64()
        _check(_b.lib.ssm_optimizer_steps(self.handle, ctypes.byref(n)))
        return n.value


class History:
    """Per-step batch losses and metrics of every ``fit`` on a trainer, and how the last run ended."""

    def __init__(self, losses, metrics, steps_per_epoch: int, stop: str, message: str, metric_name: str):
        self.losses, self.metrics = np.asarray(losses), np.asarray(metrics)
        self.steps_per_epoch, self.stop, self.message, self.metric_name = steps_per_epoch, stop, message, metric_name

    def epoch_means(self, values=None) -> np.ndarray:
        """Mean of ``values`` (default: the losses) over each complete epoch."""
        v = self.losses if values is None else np.asarray(values)
        k = max(self.steps_per_epoch, 1)
        n = len(v) // k
        return v[:n * k].reshape(n, k).mean(axis=1) if n else np.empty(0)

    def plot(self, ax=None, log: bool = True):
        return plot_history(self, ax=ax, log=log)

    def __repr__(self) -> str:
        last = f", last loss {self.losses[-1]:.3g}" if len(self.losses) else ""
        return f"History({len(self.losses)} steps, {self.stop}{last})"


class _Bar:
    """A text progress bar on stderr (tqdm's when it is installed)."""

    def __init__(self, total: int, enabled: bool):
        self.enabled, self.total, self.bar = enabled, total, None
        if enabled:
            try:
                from tqdm.auto import tqdm
                self.bar = tqdm(total=total, unit="step", leave=True)
            except ImportError:
                self.bar = None
        self.last = 0.0

    def update(self, p) -> None:
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(loss=f"{p.loss:.4g}", metric=f"{p.metric:.4g}", refresh=False)
            return
        now = time.monotonic()
        if now - self.last >= 0.2 or p.step == self.total:
            self.last = now
            width = 30
            done = int(width * p.step / max(self.total, 1))
            sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {p.step}/{self.total} epoch {p.epoch} "
                             f"loss {p.loss:.4g} metric {p.metric:.4g}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self.enabled:
            sys.stderr.write("\n")


class Trainer(_Handle):
    """A model, its optimizer and a copy of the training data, trained in shuffled batches."""

    _free = staticmethod(lambda h: _b.lib.ssm_trainer_free(h))

    def __init__(self, model: Model, optimizer: Optimizer, inputs, targets=None, labels=None, mask=None,
                 batch_size: int = 32, seed: int = 0):
        super().__init__()
        uu, count, L = model._inputs(inputs, "inputs")
        t, m, lab = model._targets(count, L, targets, mask, labels)
        self.model, self.optimizer, self.count, self.batch_size = model, optimizer, count, as_size(batch_size, "batch_size")
        _check(_b.lib.ssm_trainer_create(model.handle, optimizer.handle, count, L, uu, t, m, lab, self.batch_size,
                                         int(seed) % 2**64, ctypes.byref(self._h)))

    def run(self, epochs: int = 1, progress: bool = True, callback=None) -> History:
        """Trains ``epochs`` epochs. ``callback(p)`` gets each step's ``ssm_progress_t`` fields as
        attributes (epoch, step, total_steps, loss, metric, gradient_norm, learning_rate_factor,
        seconds) and may return True to stop. A cancelled or diverged run returns normally:
        ``history.stop`` and ``history.message`` say why."""
        epochs = as_size(epochs, "epochs")
        steps_per_epoch = -(-self.count // self.batch_size)
        bar = _Bar(epochs * steps_per_epoch, progress)
        failure = []

        def report(pointer, _user):
            try:
                p = pointer.contents
                bar.update(p)
                return 1 if (callback is not None and callback(p)) else 0
            except BaseException as error:  # noqa: BLE001 - never let an exception cross into C
                failure.append(error)
                return 1
        fn = _b.ssm_progress_fn(report)
        stop = ctypes.c_int32()
        try:
            _check(_b.lib.ssm_trainer_run(self.handle, epochs, fn, None, ctypes.byref(stop)))
        finally:
            bar.close()
        if failure:
            raise failure[0]
        return self.history(_STOPS.get(stop.value, str(stop.value)), steps_per_epoch)

    def history(self, stop: str = "completed", steps_per_epoch: int = 0) -> History:
        n = ctypes.c_int64()
        _check(_b.lib.ssm_trainer_history(self.handle, ctypes.byref(n), None, None))
        losses, metrics = np.empty(n.value), np.empty(n.value)
        if n.value:
            _check(_b.lib.ssm_trainer_history(self.handle, ctypes.byref(n), losses, metrics))
        message = (_b.lib.ssm_trainer_message(self.handle) or b"").decode("utf-8", "replace")
        name = "accuracy" if self.model.objective == "cross_entropy" else "relative loss"
        return History(losses, metrics, steps_per_epoch or -(-self.count // self.batch_size), stop, message, name)


def fit(model: Model, optimizer: Optimizer, inputs, targets=None, labels=None, mask=None, epochs: int = 1,
        batch_size: int = 32, seed: int = 0, progress: bool = True, callback=None) -> History:
    """Trains ``model`` with ``optimizer`` on ``inputs`` and ``targets`` (MSE; ``mask`` weights the
    entries) or ``labels`` (cross-entropy) for ``epochs`` passes in shuffled batches. Returns the
    :class:`History`; see :meth:`Trainer.run` for ``progress`` and ``callback``."""
    with Trainer(model, optimizer, inputs, targets=targets, labels=labels, mask=mask, batch_size=batch_size,
                 seed=seed) as trainer:
        return trainer.run(epochs, progress=progress, callback=callback)


def plot_history(history: History, ax=None, log: bool = True):
    """Plots the per-step losses and their epoch means (matplotlib, an optional dependency)."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("plot_history needs matplotlib: pip install matplotlib") from None
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    steps = np.arange(1, len(history.losses) + 1)
    ax.plot(steps, history.losses, lw=0.8, alpha=0.5, label="batch loss")
    means = history.epoch_means()
    if len(means):
        k = history.steps_per_epoch
        ax.plot(np.arange(1, len(means) + 1) * k, means, "o-", ms=3, label="epoch mean")
    if log and len(history.losses) and np.all(history.losses > 0):
        ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.legend()
    return ax


# --- Tasks and data (seeded: the same arrays from Swift, C and Python) ---

_PROCESSES = {"white": _b.SSM_INPUT_WHITE, "ar1": _b.SSM_INPUT_AR1, "power_law": _b.SSM_INPUT_POWER_LAW,
              "constant": _b.SSM_INPUT_CONSTANT}
_MEMORIES = {"exponential": _b.SSM_MEMORY_EXPONENTIAL, "power_law": _b.SSM_MEMORY_POWER_LAW, "delay": _b.SSM_MEMORY_DELAY}


def _parameter(kind: str, parameter, needs: dict) -> float:
    if kind in needs:
        if parameter is None:
            raise SSMValueError(f"{kind} needs its parameter ({needs[kind]})")
        return float(parameter)
    return 0.0


def input_process(kind: str, count: int, L: int, parameter=None, seed: int = 0) -> np.ndarray:
    """``count`` sequences of length L, shape (count, L), zero mean and unit variance, with
    autocorrelation ρ(k): "white" (δ_k), "ar1" (φ^|k|, parameter φ), "power_law" ((1 + k)^(−α),
    parameter α, exact by circulant embedding), "constant" (1)."""
    code = choice(kind, "kind", _PROCESSES)
    p = _parameter(kind.lower(), parameter, {"ar1": "φ, |φ| < 1", "power_law": "α > 0"})
    count, L = as_size(count, "count"), as_size(L, "L")
    x = empty((count, L), np.float64, "x")
    _check(_b.lib.ssm_input_generate(code, p, count, L, int(seed) % 2**64, x))
    return x


def autocorrelation(kind: str, lags: int, parameter=None) -> np.ndarray:
    """The theoretical ρ(0), …, ρ(lags − 1) of :func:`input_process`'s ``kind``."""
    code = choice(kind, "kind", _PROCESSES)
    p = _parameter(kind.lower(), parameter, {"ar1": "φ, |φ| < 1", "power_law": "α > 0"})
    lags = as_size(lags, "lags")
    rho = empty((lags,), np.float64, "rho")
    _check(_b.lib.ssm_input_autocorrelation(code, p, lags, rho))
    return rho


def memory_weights(kind: str, parameter, L: int, normalized: bool = True) -> np.ndarray:
    """ρ_T(0), …, ρ_T(L − 1) of a target memory: "exponential" e^(−s/τ) (parameter τ), "power_law"
    (1 + s)^(−β) (β), "delay" δ_(s,d) (d); ``normalized``: Σ ρ_T² = 1."""
    code = choice(kind, "kind", _MEMORIES)
    L = as_size(L, "L")
    w = empty((L,), np.float64, "weights")
    _check(_b.lib.ssm_memory_weights(code, float(parameter), 1 if normalized else 0, L, w))
    return w


def memory_target(x, kind: str, parameter, normalized: bool = True) -> np.ndarray:
    """The targets y_t = Σ_(s≤t) ρ_T(t − s) x_s of inputs ``x`` (..., L) for :func:`memory_weights`."""
    xx = as_array(x, "x")
    if xx.ndim < 1 or xx.shape[-1] < 1:
        raise SSMSizeError(f"x must have shape (..., L), got {xx.shape}")
    code = choice(kind, "kind", _MEMORIES)
    L = xx.shape[-1]
    count = xx.size // L
    y = empty(xx.shape, np.float64, "y")
    if count:
        _check(_b.lib.ssm_memory_target(code, float(parameter), 1 if normalized else 0, count, L, xx, y))
    return y


def delayed_recall(count: int, L: int, length: int, delay: int, seed: int = 0):
    """Delayed recall of real values: item i (N(0, 1)) of a pattern of ``length`` M shown at step i
    must be reproduced at step delay + i. Returns ``(inputs, targets, mask)`` shaped (count, L, 2)
    (value, cue), (count, L, 1) and (count, L, 1) — the layouts of a deep model with inputs=2,
    outputs=1, and ``mask`` selects the recall steps for the loss."""
    count, L = as_size(count, "count"), as_size(L, "L")
    length, delay = as_size(length, "length"), as_size(delay, "delay", minimum=0)
    inputs = empty((count, L, 2), np.float64, "inputs")
    targets, mask = empty((count, L, 1), np.float64, "targets"), empty((count, L, 1), np.float64, "mask")
    _check(_b.lib.ssm_delayed_recall(count, L, length, delay, int(seed) % 2**64, inputs, targets, mask))
    return inputs, targets, mask


def sinusoid_task(count: int, L: int = 256, classes: int = 8, first: int = 8, spacing: int = 8, jitter: float = 0.1,
                  snr: float = 1.0, seed: int = 0):
    """Which of ``classes`` frequencies 2π(first + k·spacing)/L a noisy sinusoid has. Returns
    ``(inputs, labels)`` shaped (count, L, 1) and (count,)."""
    count, L, classes = as_size(count, "count"), as_size(L, "L"), as_size(classes, "classes")
    inputs = empty((count, L, 1), np.float64, "inputs")
    labels = empty((count,), np.int64, "labels")
    _check(_b.lib.ssm_sinusoid_task(count, L, classes, as_size(first, "first", minimum=0), as_size(spacing, "spacing"),
                                    float(jitter), float(snr), int(seed) % 2**64, inputs, labels))
    return inputs, labels
