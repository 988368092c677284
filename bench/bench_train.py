#!/usr/bin/env python3
"""Benchmark: one training step (forward + backward + Adam update) of SSMKit's deep S4D model against
a JAX jit implementation of the same model on the CPU (issue 4): H = 64 channels, N = 64 state size
(M = 32 conjugate-pair modes), L = 1024, batch 16, one input and one output per step, MSE loss;
depth 1 and depth 2. Both start from the same parameter values (SSMKit's, mapped into JAX's
pytree), and the script checks that they agree on the loss, the gradient and the first Adam update
before it times anything. Writes its section ("train") of bench/RESULTS.md.

SSMKit runs with float32 activations (`Model(dtype="float32")`: the issue's setting) and float64
ones; each is compared with JAX in the same precision (float64: `jax_enable_x64`, a separate child
process). JAX runs in child processes, once on one core and once with its default threads; SSMKit
with its default thread count and with `compute.set_threads(1)`.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/bench_train.py [--quick] [--out FILE]
"""

from __future__ import annotations

import os
import sys

ENV_AS_GIVEN = {k: os.environ.get(k) for k in
                ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "SSMKIT_LIBRARY", "XLA_FLAGS")}
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import NamedTuple  # noqa: E402

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "python"))

import ssmkit  # noqa: E402
from ssmkit import compute, init, train  # noqa: E402
import jax_peer  # noqa: E402
from jax_peer import JAX_ONE_THREAD_FLAGS, jax_available  # noqa: E402
from bench_discretize import write_section, best_time, build_type, cpu_model, numpy_blas, thread_report, uname  # noqa: E402

# The issue's sizes.
H, N, L, BATCH = 64, 64, 1024, 16
M = N // 2
DEPTHS = (1, 2)
LR = 1e-3
BETAS, EPS = (0.9, 0.999), 1e-8
LN_EPS = 1e-5                     # DeepSSMModel.layerNormEpsilon
DELAY = 32                        # the targets: the input delayed by DELAY steps
PRECISIONS = ("float64", "float32")   # SSMKit's activations
JAX_SETTINGS = [("float32", "one"), ("float32", "default"), ("float64", "one"), ("float64", "default")]
THREAD_LABEL = {"one": "1 core", "default": "default threads"}


def work_name(depth: int) -> str:
    return f"deep S4D train step, depth {depth} (H={H}, N={N}, L={L}, batch {BATCH})"


class Row(NamedTuple):
    work: str
    precision: str    # of SSMKit's activations and of the peer
    peer: str
    t: float          # ssmkit, default threads (s)
    t1: float         # ssmkit, 1 thread (s)
    tp: float         # peer (s)
    loss_diff: float  # |loss_jax − loss_ssmkit| / |loss_ssmkit|
    grad_diff: float  # ‖g_jax − g_ssmkit‖ / ‖g_ssmkit‖
    step_diff: float  # same for the parameter change of the first Adam step


# ------------------------------------------------------------------------------------------------
# The SSMKit model and the batch (the parent and every JAX child build the same ones)
# ------------------------------------------------------------------------------------------------


def ssmkit_model(depth: int, dtype: str = "float64") -> train.Model:
    """The deep model, SSM layers from S4D-Lin (B = 1) and log-uniform Δ; dense weights from seed 0;
    activations in `dtype` (parameters float64 either way)."""
    model = train.Model("deep", H=H, M=M, inputs=1, outputs=1, depth=depth, pooling="none", objective="mse",
                        dtype=dtype)
    for k in range(depth):
        d = init.diagonal("lin", N, H, seed=k)
        rng = np.random.default_rng(100 + k)
        model.set_ssm(k, d.Lambda, d.B, d.C, D=rng.standard_normal(H), dt=init.timescale(H, seed=5 + k))
    return model


def ssmkit_optimizer(model: train.Model) -> train.Optimizer:
    """Plain Adam (no weight decay, no clipping, constant rate): what the JAX step does."""
    return train.Optimizer(model, "adam", lr=LR, weight_decay=0.0, betas=BETAS, eps=EPS)


def batch():
    """u (batch, L, 1) standard normal; targets: u delayed by DELAY steps (a memory task)."""
    rng = np.random.default_rng(0)
    u = rng.standard_normal((BATCH, L, 1))
    y = np.zeros_like(u)
    y[:, DELAY:] = u[:, :-DELAY]
    return u, y


def parameter_groups(depth: int) -> list[tuple[str, tuple[int, ...]]]:
    """SSMKit's flat parameter layout (DeepSSMModel.parameters), row-major, as (name, shape)."""
    groups = []
    for k in range(depth):
        groups += [(f"ssm{k}.a", (H, M)), (f"ssm{k}.b", (H, M)), (f"ssm{k}.B", (H, M, 2)),
                   (f"ssm{k}.C", (H, M, 2)), (f"ssm{k}.D", (H,)), (f"ssm{k}.s", (H,))]
    groups += [("enc.W", (H, 1)), ("enc.b", (H,))]
    for k in range(depth):
        groups += [(f"blk{k}.W", (H, H)), (f"blk{k}.b", (H,)), (f"blk{k}.gamma", (H,)), (f"blk{k}.beta", (H,))]
    groups += [("dec.W", (1, H)), ("dec.b", (1,))]
    return groups


def unflatten(flat: np.ndarray, depth: int) -> dict:
    out, offset = {}, 0
    for name, shape in parameter_groups(depth):
        size = int(np.prod(shape))
        out[name] = flat[offset:offset + size].reshape(shape)
        offset += size
    if offset != flat.size:
        raise ValueError(f"layout covers {offset} parameters, the model has {flat.size}")
    return out


def flatten(tree: dict, depth: int) -> np.ndarray:
    return np.concatenate([np.asarray(tree[name], np.float64).ravel() for name, _ in parameter_groups(depth)])


def library_origin() -> str:
    """Where the library came from when it is a private copy (build_type() cannot tell): whether it
    is byte-identical to the repository's release or debug build at the start of the run."""
    import hashlib
    path = Path(ssmkit.library_path())
    if "/release/" in str(path) or "/debug/" in str(path):
        return ""
    digest = lambda f: hashlib.sha256(f.read_bytes()).hexdigest()  # noqa: E731
    mine = digest(path)
    for kind in ("release", "debug"):
        build = HERE.parent / ".build" / kind / "libssmkit.so"
        if build.exists() and digest(build) == mine:
            return f" (a copy, byte-identical to `.build/{kind}/libssmkit.so` at the start of the run)"
    return " (a copy; it matches neither `.build/release` nor `.build/debug` now: rebuilt since the copy?)"


def float32_checks() -> list[str]:
    """SSMKit float32 against float64 at the initial parameters: loss and gradient differences."""
    u, y = batch()
    lines = []
    for depth in DEPTHS:
        l64, _, g64 = ssmkit_model(depth, "float64").loss_and_gradient(u, targets=y)
        l32, _, g32 = ssmkit_model(depth, "float32").loss_and_gradient(u, targets=y)
        lines.append(f"- SSMKit float32 against float64, depth {depth}: |Δloss|/|loss| {abs(l32 - l64) / abs(l64):.1e}, "
                     f"‖Δg‖/‖g‖ {rel_err(g32, g64):.1e}")
    return lines


def rel_err(a, b) -> float:
    a, b = (np.asarray(x, np.float64) for x in (a, b))
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


# ------------------------------------------------------------------------------------------------
# SSMKit timing (parent)
# ------------------------------------------------------------------------------------------------


def timed(fn, repeat: int, min_time: float) -> tuple[float, float]:
    """best_time of fn, and the process CPU time / wall time while timing (how many cores it kept busy)."""
    c0, w0 = time.process_time(), time.perf_counter()
    t = best_time(fn, repeat, min_time)
    return t, (time.process_time() - c0) / (time.perf_counter() - w0)


def ssmkit_times(depth: int, dtype: str, repeat: int, min_time: float) -> tuple[float, float, float, list[float]]:
    """(default threads, 1 thread) best time of loss_and_gradient + Adam step, the first loss, and
    CPU time / wall time of both timings, activations in `dtype`."""
    model = ssmkit_model(depth, dtype)
    opt = ssmkit_optimizer(model)
    u, y = batch()

    def step():
        loss, _, g = model.loss_and_gradient(u, targets=y)
        opt.step(g)
        return loss

    first = step()                           # warm-up (thread pool, FFT plans)
    t, cpu = timed(step, repeat, min_time)
    compute.set_threads(1)
    try:
        step()
        t1, cpu1 = timed(step, repeat, min_time)
    finally:
        compute.set_threads(0)
    return t, t1, first, [cpu, cpu1]


# ------------------------------------------------------------------------------------------------
# JAX child: the same model in jax.numpy, its correctness check against SSMKit, and its timing.
# ------------------------------------------------------------------------------------------------


def jax_child(setting: str, precision: str, repeat: int, min_time: float) -> dict:
    if setting == "one":
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    import jax
    import jax.numpy as jnp
    from jax.scipy.special import erfc
    if precision == "float64":
        jax.config.update("jax_enable_x64", True)
    dtype = np.float64 if precision == "float64" else np.float32

    def gelu(x):               # exact GELU x·Φ(x), Φ(x) = erfc(−x/√2)/2 (as DeepSSMModel.swift)
        return 0.5 * x * erfc(-x / np.sqrt(2.0).astype(dtype))

    def ssm_layer(p, k, x):
        """S4D layer on x (batch, H, L): ZOH, Vandermonde kernel, FFT causal convolution, D skip."""
        lam = p[f"ssm{k}.a"] + 1j * p[f"ssm{k}.b"]                          # (H, M)
        Bc = p[f"ssm{k}.B"][..., 0] + 1j * p[f"ssm{k}.B"][..., 1]
        Cc = p[f"ssm{k}.C"][..., 0] + 1j * p[f"ssm{k}.C"][..., 1]
        dz = jnp.exp(p[f"ssm{k}.s"])[:, None] * lam                        # z = Δλ
        w = Cc * Bc * (jnp.exp(dz) - 1) / lam                               # C·B̄, B̄ = B(e^z − 1)/λ
        ell = jnp.arange(L, dtype=dtype)
        K = 2 * jnp.einsum("hn,hnl->hl", w, jnp.exp(dz[:, :, None] * ell)).real   # (H, L)
        n = 2 * L
        y = jnp.fft.irfft(jnp.fft.rfft(x, n) * jnp.fft.rfft(K, n), n)[..., :L]
        return y + p[f"ssm{k}.D"][:, None] * x

    def forward(p, u, depth):
        """u (batch, L, 1) -> y (batch, L, 1); activations channel-first (batch, H, L)."""
        x = jnp.einsum("hi,bli->bhl", p["enc.W"], u) + p["enc.b"][:, None]
        for k in range(depth):
            s = ssm_layer(p, k, x)
            z = x + jnp.einsum("gh,bhl->bgl", p[f"blk{k}.W"], gelu(s)) + p[f"blk{k}.b"][:, None]
            mean = z.mean(axis=1, keepdims=True)
            var = ((z - mean) ** 2).mean(axis=1, keepdims=True)
            x = (z - mean) / jnp.sqrt(var + LN_EPS) * p[f"blk{k}.gamma"][:, None] + p[f"blk{k}.beta"][:, None]
        return jnp.einsum("oh,bhl->blo", p["dec.W"], x) + p["dec.b"]

    def make_step(depth):
        def loss_fn(p, u, y):
            return jnp.mean((forward(p, u, depth) - y) ** 2)

        b1, b2 = BETAS

        def step(p, m, v, t, u, y):
            loss, g = jax.value_and_grad(loss_fn)(p, u, y)
            t = t + 1
            m = jax.tree_util.tree_map(lambda m, g: b1 * m + (1 - b1) * g, m, g)
            v = jax.tree_util.tree_map(lambda v, g: b2 * v + (1 - b2) * g * g, v, g)
            c1, c2 = 1 - b1 ** t, 1 - b2 ** t
            p = jax.tree_util.tree_map(lambda p, m, v: p - LR * (m / c1) / (jnp.sqrt(v / c2) + EPS), p, m, v)
            return p, m, v, t, loss, g
        return jax.jit(loss_fn), jax.jit(step, donate_argnums=(0, 1, 2))

    u64, y64 = batch()
    u, y = jnp.asarray(u64.astype(dtype)), jnp.asarray(y64.astype(dtype))
    rows = []
    for depth in DEPTHS:
        # SSMKit's loss, gradient and first Adam update at its initial parameters (float64).
        model = ssmkit_model(depth)
        p0 = model.parameters
        loss_ref, _, g_ref = model.loss_and_gradient(u64, targets=y64)
        ssmkit_optimizer(model).step(g_ref)
        update_ref = model.parameters - p0

        loss_fn, step = make_step(depth)
        params = {k: jnp.asarray(v.astype(dtype)) for k, v in unflatten(p0, depth).items()}
        zeros = lambda: {k: jnp.zeros_like(v) for k, v in params.items()}  # noqa: E731
        loss_j = float(loss_fn(params, u, y))
        p1, m, v, t, loss_s, g = step(params, zeros(), zeros(), jnp.asarray(0, dtype), u, y)
        g_flat, update = flatten(g, depth), flatten(p1, depth) - p0.astype(dtype).astype(np.float64)
        groups = {}
        for name, (lo, hi) in group_ranges(depth).items():
            if np.linalg.norm(g_ref[lo:hi]) > 0:
                groups[name] = rel_err(g_flat[lo:hi], g_ref[lo:hi])
        check = dict(loss_ssmkit=loss_ref, loss_jax=loss_j, loss_jax_step=float(loss_s),
                     loss_diff=abs(loss_j - loss_ref) / abs(loss_ref),
                     grad_diff=rel_err(g_flat, g_ref), step_diff=rel_err(update, update_ref), groups=groups)

        # Timing: the jitted step (value_and_grad + Adam), compiled above; state carried across calls.
        state = [p1, m, v, t]

        def call():
            p, m, v, t, loss, _ = step(*state, u, y)
            state[:] = [p, m, v, t]
            loss.block_until_ready()

        call()
        tp, cpu = timed(call, repeat, min_time)
        rows.append(dict(depth=depth, tp=tp, cpu=cpu, check=check, steps=int(state[3])))
    return dict(version=jax.__version__, devices=[str(d) for d in jax.devices()], precision=precision,
                cpus=len(os.sched_getaffinity(0)), xla_flags=os.environ.get("XLA_FLAGS"),
                x64=bool(jax.config.jax_enable_x64), rows=rows)


def group_ranges(depth: int) -> dict[str, tuple[int, int]]:
    out, offset = {}, 0
    for name, shape in parameter_groups(depth):
        size = int(np.prod(shape))
        out[name] = (offset, offset + size)
        offset += size
    return out


def run_jax_child(setting: str, precision: str, repeat: int, min_time: float) -> dict:
    return jax_peer.run_jax_child(str(Path(__file__).resolve()), setting,
                                  [precision, "--repeat", str(repeat), "--min-time", str(min_time)],
                                  f"{precision}, {setting}")


def jax_rows(repeat, min_time, ours, install: bool):
    """Rows for every (precision, thread setting); header lines; correctness-check lines."""
    ok, why = jax_available(install)
    if not ok:
        print(f"JAX rows skipped: {why}", flush=True)
        return [], [f"- JAX rows: skipped: {why}"], []
    rows, notes, checks = [], [], []
    for precision, setting in JAX_SETTINGS:
        label = f"{precision}, {THREAD_LABEL[setting]}"
        # SSMKit is timed again just before and just after each child, and each row uses the best
        # of those two: both sides of a ratio are measured in the same minute (this VM's speed
        # drifts by tens of percent over minutes).
        around = {d: [ssmkit_times(d, precision, repeat, min_time)] for d in DEPTHS}
        print(f"JAX child ({label}) ...", flush=True)
        try:
            child = run_jax_child(setting, precision, repeat, min_time)
        except (RuntimeError, ValueError) as error:
            print(f"JAX rows ({label}) skipped: {error}", flush=True)
            notes.append(f"- JAX ({label}): skipped: {error}")
            continue
        for d in DEPTHS:
            around[d].append(ssmkit_times(d, precision, repeat, min_time))
        cpu = ", ".join(f"{r['cpu']:.2f}" for r in child["rows"])
        notes.append(f"- JAX {child['version']} ({label}): devices {', '.join(child['devices'])}, "
                     f"jax_enable_x64={child['x64']}, {child['cpus']} CPU(s) in its affinity mask, "
                     f"XLA_FLAGS=`{child['xla_flags']}`; process CPU time / wall time while timing "
                     f"(depth {', '.join(str(d) for d in DEPTHS)}): {cpu}")
        for r in child["rows"]:
            work = work_name(r["depth"])
            t = min(a[0] for a in around[r["depth"]])
            t1 = min(a[1] for a in around[r["depth"]])
            c = r["check"]
            rows.append(Row(work, precision, f"JAX jit {precision} ({THREAD_LABEL[setting]})", t, t1, r["tp"],
                            c["loss_diff"], c["grad_diff"], c["step_diff"]))
            if setting == "default":
                worst = sorted(c["groups"].items(), key=lambda kv: -kv[1])[:3]
                checks.append(f"| {r['depth']} | JAX {precision} | {c['loss_ssmkit']:.12g} | {c['loss_jax']:.12g} | "
                              f"{c['loss_diff']:.1e} | {c['grad_diff']:.1e} | {c['step_diff']:.1e} | "
                              + ", ".join(f"{k} {e:.1e}" for k, e in worst) + " |")
        print("\n".join(table([r for r in rows if r.peer.startswith(f"JAX jit {precision} ({THREAD_LABEL[setting]}")])),
              flush=True)
    return rows, notes, checks


# ------------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------------


def table(rows):
    lines = ["| work | precision | peer | ssmkit (ms) | ssmkit, 1 thread (ms) | peer (ms) | speedup "
             "| speedup 1 thread | loss rel. diff | gradient rel. diff | Adam update rel. diff |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r.work} | {r.precision} | {r.peer} | {r.t * 1e3:.1f} | {r.t1 * 1e3:.1f} | {r.tp * 1e3:.1f} | "
                     f"{r.tp / r.t:.2f}x | {r.tp / r.t1:.2f}x | {r.loss_diff:.1e} | {r.grad_diff:.1e} | "
                     f"{r.step_diff:.1e} |")
    return lines


CHECK_HEADER = ["| depth | peer | SSMKit loss (float64) | peer loss | loss rel. diff | gradient rel. diff "
                "| Adam update rel. diff | worst parameter groups (gradient rel. diff) |",
                "|---:|---|---:|---:|---:|---:|---:|---|"]


def write_results(path, args, rows, ours, notes, checks, own_checks, origin):
    threads = compute.threads()
    text = [
        "## Training step: deep S4D model against JAX (issue 4)", "",
        "Written by `bench/bench_train.py` (do not edit by hand; rerun it).", "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')}"
        + (" (**--quick**: fewer, shorter repeats; do not publish)" if args.quick else ""),
        f"- machine: `{uname()}`", f"- CPU: {cpu_model()} ({os.cpu_count()} logical CPUs)",
        f"- Python {sys.version.split()[0]}, numpy {np.__version__}; numpy's BLAS: {numpy_blas()}",
        f"- libssmkit {ssmkit.library_version()} at `{ssmkit.library_path()}`{origin}, build {build_type()}; "
        f"ssmkit threads: {threads} (default), and 1 (`compute.set_threads(1)`); OpenBLAS forced to 1 thread; "
        "process CPU time / wall time while timing SSMKit (default threads, 1 thread): "
        + "; ".join(f"depth {d} {p} {c[0]:.2f}, {c[1]:.2f}" for (d, p), (*_, c) in ours.items()),
        *own_checks,
        "- " + "; ".join(thread_report()),
        *notes,
        "- environment as given: " + ", ".join(f"`{k}`={v}" for k, v in ENV_AS_GIVEN.items()), "",
        f"Work: one training step of `train.Model(\"deep\", H={H}, M={M}, inputs=1, outputs=1, depth=d, "
        f"pooling=\"none\", objective=\"mse\")` on a batch of {BATCH} sequences of length {L} (u standard "
        f"normal, targets u delayed by {DELAY} steps): forward, MSE loss, gradient of every parameter, "
        f"Adam update (lr {LR}, betas {BETAS}, eps {EPS}, no weight decay). SSM layers: S4D-Lin "
        f"(`init.diagonal(\"lin\", {N}, {H}, seed=k)`), Δ from `init.timescale({H}, seed=5+k)`. "
        "SSMKit: `model.loss_and_gradient(u, targets=y)` + `opt.step(g)` through the Python wrapper, "
        "with float64 activations (`dtype=\"float64\"`) and with float32 activations (`dtype=\"float32\"`: "
        "float32 transforms and products; parameters, gradients and Adam state float64). "
        "Each JAX row is timed against SSMKit in the same precision. JAX: the same architecture and "
        "parameterization written in `jax.numpy` (Vandermonde kernel by `einsum` of C·B̄ with exp(z·l), "
        "causal convolution by `jnp.fft.rfft/irfft` with n = 2L, exact GELU, layer norm over channels), "
        "`jax.value_and_grad` + a hand-written Adam in one `jax.jit` (parameters and moments donated), "
        "in **float32** (the issue's setting) and in **float64** (`jax_enable_x64`), each in its own "
        "child process, on 1 core (`XLA_FLAGS=" + JAX_ONE_THREAD_FLAGS + "` and the process pinned to one "
        "CPU) and with JAX's default threads. Compile time excluded (warm-up calls).", "",
        f"Timing: best of {args.repeat} runs, each averaging enough steps to last ≥ {args.min_time} s; "
        "parameters keep training across the timed steps. In the table SSMKit's times are the best of two "
        "such timings taken just before and just after that JAX child ran (the first lines above are "
        "from the start of the run). Speedup = peer time / SSMKit time (> 1: SSMKit "
        "faster; the issue's target is ≥ 2x against JAX float32); \"speedup 1 thread\" uses SSMKit's 1-thread "
        "time. The diff columns compare JAX with SSMKit at the same initial parameters (SSMKit's flat "
        "parameters mapped into JAX's pytree): |Δloss|/|loss|, ‖Δg‖/‖g‖ over all parameters, and "
        "‖Δu‖/‖u‖ for the parameter change u of the first Adam step. Float32 rows: JAX float32 "
        "against SSMKit float64; there the gradient difference is the meaningful check, the update's "
        "is dominated by rounding p + u in float32 (|Im λ| up to π·31 ≈ 97: half an ulp is ~4e-6, "
        f"against steps of about lr = {LR}); the SSMKit float32 gradient's own difference from float64 is "
        "listed above the table.", "",
        *table(rows), "",
        "### Correctness check (JAX default-thread children)", "",
        *CHECK_HEADER, *checks, "",
    ]
    write_section(path, "train", "\n".join(text))
    print(f"\nwrote {path}")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="k of best-of-k (default 5)")
    parser.add_argument("--min-time", type=float, default=0.5, help="seconds per timed run (default 0.5)")
    parser.add_argument("--quick", action="store_true", help="development run: --repeat 2 --min-time 0.1")
    parser.add_argument("--output", "--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--no-jax", action="store_true", help="skip the JAX rows")
    parser.add_argument("--no-jax-install", action="store_true", help="do not pip-install jax if missing")
    parser.add_argument("--jax-child", nargs=2, metavar=("SETTING", "PRECISION"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.min_time = 2, 0.1
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.jax_child:
        setting, precision = args.jax_child
        print(json.dumps(jax_child(setting, precision, args.repeat, args.min_time)))
        return 0

    origin = library_origin()
    print(f"libssmkit {ssmkit.library_version()}: {ssmkit.library_path()}{origin} [{build_type()}], "
          f"{compute.threads()} threads by default", flush=True)
    ours = {}
    for depth in DEPTHS:
        for precision in PRECISIONS:
            ours[(depth, precision)] = t, t1, loss, cpu = ssmkit_times(depth, precision, args.repeat, args.min_time)
            print(f"SSMKit {precision} depth {depth}: {t * 1e3:.1f} ms/step (default threads), {t1 * 1e3:.1f} ms/step "
                  f"(1 thread); first loss {loss:.6g}; CPU/wall {cpu[0]:.2f}, {cpu[1]:.2f}", flush=True)
    own_checks = float32_checks()
    print("\n".join(own_checks), flush=True)
    if args.no_jax:
        rows, notes, checks = [], ["- JAX rows: skipped (--no-jax)"], []
    else:
        rows, notes, checks = jax_rows(args.repeat, args.min_time, ours, not args.no_jax_install)
    rows.sort(key=lambda r: r.work)
    print("\n".join([""] + table(rows) + [""] + CHECK_HEADER + checks + [""] + notes), flush=True)
    if not args.no_write:
        write_results(args.output, args, rows, ours, notes, checks, own_checks, origin)
    return 0


if __name__ == "__main__":
    sys.exit(main())
