#!/usr/bin/env python3
"""Benchmark: SSMKit's compute and init functions against numpy/scipy and JAX doing the same work, in
one run (issue 3): diagonal kernel, scan, convolution, FFT, DPLR, in float64 and float32, plus the
kernel's peak memory. numpy/scipy run single-threaded (their BLAS forced to 1 thread) unless a row
says workers=2; JAX runs jitted on the CPU in float64, in child processes, once on one core and
once with its default threads. SSMKit runs with its default thread count (all cores) and, for
reference, with 1 thread. Writes its section of bench/RESULTS.md.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/bench_compute.py [--quick] [--out FILE]
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
import gc  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import NamedTuple  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.fft  # noqa: E402
import scipy.linalg  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "python"))

import ssmkit  # noqa: E402
from ssmkit import compute, init  # noqa: E402
import jax_peer  # noqa: E402
from jax_peer import JAX_ONE_THREAD_FLAGS, jax_available  # noqa: E402
from bench_discretize import write_section, best_time, build_type, cpu_model, numpy_blas, thread_report, uname  # noqa: E402

# Sizes of the rows (the issue's): kernel H × N/2 modes × L; scan and convolution H × N/2 × L.
KERNEL_H, KERNEL_N2, KERNEL_L = 64, 32, 16384
SCAN_H, SCAN_N2, SCAN_L = 256, 32, 4096
KERNEL_WORK = f"diagonal kernel H={KERNEL_H}, N/2={KERNEL_N2}, L={KERNEL_L}"
SCAN_WORK = f"diagonal scan H={SCAN_H}, N/2={SCAN_N2}, L={SCAN_L}"
CONV_WORK = f"causal convolution H={SCAN_H}, L={SCAN_L}"
VANDERMONDE_CHUNK = 8          # channels per exp-Vandermonde block (numpy and JAX)
# Kernel peak memory: (H, N/2, L); peers are measured only where `peers` is True.
MEMORY_SIZES = [(64, 32, 16384, True), (64, 32, 65536, True), (512, 32, 16384, True)]


class Row(NamedTuple):
    work: str
    peer: str
    t: float          # ssmkit, default threads (s)
    t1: float         # ssmkit, 1 thread (s)
    tp: float         # peer (s)
    err: float        # norm-wise relative difference ssmkit vs peer


# ------------------------------------------------------------------------------------------------
# Inputs (shared by the rows, the JAX child and the memory child: same seeds, same arrays)
# ------------------------------------------------------------------------------------------------


def kernel_inputs(H=KERNEL_H, N2=KERNEL_N2):
    """z = Δλ (S4D-Lin-like modes, Δ log-uniform in [1e-3, 1e-1]) and w = C·B̄, both (H, N/2)."""
    rng = np.random.default_rng(0)
    lam = np.tile(-0.5 + 1j * np.pi * np.arange(N2), (H, 1))
    z = np.exp(rng.uniform(np.log(1e-3), np.log(1e-1), (H, 1))) * lam
    w = rng.standard_normal((H, N2)) + 1j * rng.standard_normal((H, N2))
    return z, w


def scan_inputs():
    """A discretized S4D-Lin layer, its input u (1, H, L), skip D (H,) and its kernel K (H, L)."""
    rng = np.random.default_rng(2)
    d = init.diagonal("lin", 2 * SCAN_N2, SCAN_H, B="random", seed=1)
    dt = init.timescale(SCAN_H, seed=2)
    lb, bb = ssmkit.discretize_diag(d.Lambda, d.B, np.repeat(dt[:, None], SCAN_N2, axis=1))
    u = rng.standard_normal((1, SCAN_H, SCAN_L))
    D = rng.standard_normal(SCAN_H)
    K = compute.kernel(np.log(lb), d.C * bb, SCAN_L)
    return dict(lb=lb, bb=bb, C=d.C, u=u, D=D, K=K)


def rel_err(a, b) -> float:
    """Norm-wise relative difference ‖a − b‖ / ‖b‖, computed in double precision."""
    a, b = (np.asarray(x) for x in (a, b))
    a, b = (x.astype(np.result_type(x, np.float64)) for x in (a, b))
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


def ssmkit_times(fn, repeat, min_time):
    """(default threads, 1 thread) best times of an SSMKit call."""
    t = best_time(fn, repeat, min_time)
    compute.set_threads(1)
    try:
        t1 = best_time(fn, repeat, min_time)
    finally:
        compute.set_threads(0)
    return t, t1


# ------------------------------------------------------------------------------------------------
# numpy / scipy peers (dtype follows the inputs: complex64/float32 gives the float32 rows)
# ------------------------------------------------------------------------------------------------


def numpy_running_power(z, w, L, complex_dtype=np.complex128):
    H = z.shape[0]
    lam_bar = np.exp(z).astype(complex_dtype)
    K = np.empty((H, L), np.float32 if complex_dtype == np.complex64 else np.float64)
    p = w.astype(complex_dtype)
    for ell in range(L):
        K[:, ell] = 2 * p.real.sum(1)
        p *= lam_bar
    return K


def numpy_vandermonde(z, w, L):
    """Chunked over channels: the full (H, N/2, L) complex array would take H·N/2·L·16 bytes."""
    H = z.shape[0]
    K = np.empty((H, L))
    ell = np.arange(L)
    for h in range(0, H, VANDERMONDE_CHUNK):
        s = slice(h, h + VANDERMONDE_CHUNK)
        K[s] = 2 * np.einsum("hn,hnl->hl", w[s], np.exp(z[s, :, None] * ell)).real
    return K


def numpy_scan(lb, bb, C, D, u):
    """x_k = λ̄ x_(k−1) + B̄ u_k, y_k = 2 Re(C x_k) + D u_k, vectorized over (batch, H, N/2)."""
    cdt = np.complex64 if u.dtype == np.float32 else np.complex128
    lb, bb, C, D = lb.astype(cdt), bb.astype(cdt), C.astype(cdt), D.astype(u.dtype)
    B, H, L = u.shape
    x = np.zeros((B, H, lb.shape[1]), cdt)
    y = np.empty_like(u)
    for k in range(L):
        x = lb * x + bb * u[:, :, k, None]
        y[:, :, k] = 2 * np.einsum("hn,bhn->bh", C, x).real + D * u[:, :, k]
    return y


def scipy_convolve(u, K, D, workers=1):
    L = u.shape[-1]
    n = 2 * L
    spectrum = scipy.fft.rfft(u, n, workers=workers) * scipy.fft.rfft(K, n, workers=workers)
    return scipy.fft.irfft(spectrum, n, workers=workers)[..., :L] + D.astype(u.dtype)[:, None] * u


# ------------------------------------------------------------------------------------------------
# Row families (float64 unless named otherwise)
# ------------------------------------------------------------------------------------------------


def kernel_rows(repeat, min_time, ours):
    z, w = kernel_inputs()
    L = KERNEL_L
    run = lambda: compute.kernel(z, w, L)  # noqa: E731
    reference = numpy_vandermonde(z, w, L)
    err = rel_err(run(), reference)
    ours[KERNEL_WORK] = t, t1 = ssmkit_times(run, repeat, min_time)
    slow = max(2, repeat // 2)
    return [Row(KERNEL_WORK, "numpy running power", t, t1,
                best_time(lambda: numpy_running_power(z, w, L), slow, min_time), err),
            Row(KERNEL_WORK, "numpy exp-Vandermonde (chunked)", t, t1,
                best_time(lambda: numpy_vandermonde(z, w, L), slow, min_time), err)]


def scan_rows(repeat, min_time, ours, s):
    args = (s["lb"], s["bb"], s["C"], s["D"], s["u"])
    run = lambda: compute.scan(s["lb"], s["bb"], s["C"], s["u"], D=s["D"])  # noqa: E731
    err = rel_err(run(), numpy_scan(*args))
    ours[SCAN_WORK] = t, t1 = ssmkit_times(run, repeat, min_time)
    return [Row(SCAN_WORK, "numpy vectorized loop", t, t1,
                best_time(lambda: numpy_scan(*args), 2, min_time), err)]


def conv_rows(repeat, min_time, ours, s):
    u, K, D = s["u"], s["K"], s["D"]
    run = lambda: compute.convolve(u, K, D)  # noqa: E731
    err = rel_err(run(), scipy_convolve(u, K, D))
    ours[CONV_WORK] = t, t1 = ssmkit_times(run, repeat, min_time)
    return [Row(CONV_WORK, f"scipy.fft rfft/irfft (workers={k})", t, t1,
                best_time(lambda: scipy_convolve(u, K, D, workers=k), repeat, min_time), err)
            for k in (1, 2)]


def fft_rows(repeat, min_time):
    rng = np.random.default_rng(1)
    rows = []
    for label, shape, real, workers in [("rfft 256×8192", (256, 8192), True, (1, 2)),
                                        ("fft 1×65536", (1, 65536), False, (1,)),
                                        ("fft 1×4096", (1, 4096), False, (1,)),
                                        ("rfft 64×3000", (64, 3000), True, (1,))]:
        x = rng.standard_normal(shape) if real else rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
        ours = (lambda: compute.rfft(x)) if real else (lambda: compute.fft(x))
        peer_fn = scipy.fft.rfft if real else scipy.fft.fft
        err = rel_err(ours(), peer_fn(x, workers=1))
        t, t1 = ssmkit_times(ours, repeat, min_time)
        for k in workers:
            rows.append(Row(label, f"scipy.fft (workers={k})", t, t1,
                            best_time(lambda: peer_fn(x, workers=k), repeat, min_time), err))
    return rows


def dplr_rows(repeat, min_time):
    N = 1024
    A, _ = ssmkit.hippo("legs", N)
    P = ssmkit.rank_correction("legs", N)
    S = A + P.T @ P
    Hm = -0.5j * (S - S.T)
    ours = lambda: init.dplr("legs", N)  # noqa: E731
    peer = lambda: scipy.linalg.eigh(Hm)  # noqa: E731
    w = np.sort(scipy.linalg.eigh(Hm, eigvals_only=True))[N // 2:]
    err = rel_err(ours().Lambda.imag, w)
    t = best_time(ours, 3, min_time)
    return [Row(f"LegS DPLR N={N}", "scipy.linalg.eigh of −iK (default driver)", t, t,
                best_time(peer, 3, min_time), err)]


def float32_rows(repeat, min_time, s):
    """float32 kernel, scan and convolution against numpy (complex64) and scipy.fft (float32).
    Returns the rows and, per work, the errors of SSMKit's and the peer's float32 results relative
    to SSMKit's float64 one."""
    z, w = kernel_inputs()
    u32, K32, D = s["u"].astype(np.float32), s["K"].astype(np.float32), s["D"]
    lb, bb, C = s["lb"], s["bb"], s["C"]
    cases = [
        (KERNEL_WORK + " (float32)", "numpy running power (complex64)", max(2, repeat // 2),
         lambda: compute.kernel(z, w, KERNEL_L, dtype=np.float32),
         lambda: numpy_running_power(z, w, KERNEL_L, np.complex64),
         compute.kernel(z, w, KERNEL_L)),
        (SCAN_WORK + " (float32)", "numpy vectorized loop (complex64)", 2,
         lambda: compute.scan(lb, bb, C, u32, D=D),
         lambda: numpy_scan(lb, bb, C, D, u32),
         compute.scan(lb, bb, C, u32.astype(np.float64), D=D)),
        (CONV_WORK + " (float32)", "scipy.fft rfft/irfft float32 (workers=1)", repeat,
         lambda: compute.convolve(u32, K32, D),
         lambda: scipy_convolve(u32, K32, D),
         compute.convolve(u32.astype(np.float64), K32.astype(np.float64), D)),
    ]
    rows, accuracy = [], []
    for work, peer, peer_repeat, run, peer_run, exact in cases:
        mine, theirs = run(), peer_run()
        assert mine.dtype == np.float32 and theirs.dtype == np.float32, (work, mine.dtype, theirs.dtype)
        t, t1 = ssmkit_times(run, repeat, min_time)
        rows.append(Row(work, peer, t, t1, best_time(peer_run, peer_repeat, min_time), rel_err(mine, theirs)))
        accuracy.append((work, peer, rel_err(mine, exact), rel_err(theirs, exact)))
    return rows, accuracy


# ------------------------------------------------------------------------------------------------
# JAX rows: computed in a child process per thread setting (XLA reads its flags and sizes its
# thread pools once per process). The child prints one JSON line; SSMKit's times come from the
# parent's own rows for the same work.
# ------------------------------------------------------------------------------------------------


def jax_child(setting: str, repeat: int, min_time: float) -> dict:
    """Runs in the child: times the four JAX programs and checks them against SSMKit."""
    if setting == "one":
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    import jax
    import jax.numpy as jnp
    from jax import lax
    jax.config.update("jax_enable_x64", True)

    def running_power(lam_bar, w, L):
        def step(p, _):
            return p * lam_bar, 2 * p.real.sum(axis=1)
        return lax.scan(step, w, None, length=L)[1].T

    def vandermonde(z, w, L):
        H, N2 = z.shape
        ell = jnp.arange(L)

        def block(zw):
            zc, wc = zw
            return 2 * jnp.einsum("hn,hnl->hl", wc, jnp.exp(zc[:, :, None] * ell)).real
        blocks = (z.reshape(-1, VANDERMONDE_CHUNK, N2), w.reshape(-1, VANDERMONDE_CHUNK, N2))
        return lax.map(block, blocks).reshape(H, L)

    def scan(lb, bb, C, D, u):
        def step(x, uk):       # uk: (batch, H)
            x = lb * x + bb * uk[..., None]
            return x, 2 * jnp.einsum("hn,bhn->bh", C, x).real + D * uk
        x0 = jnp.zeros(u.shape[:-1] + lb.shape[-1:], lb.dtype)
        return jnp.moveaxis(lax.scan(step, x0, jnp.moveaxis(u, -1, 0))[1], 0, -1)

    def convolve(u, K, D):
        L = u.shape[-1]
        n = 2 * L
        return jnp.fft.irfft(jnp.fft.rfft(u, n) * jnp.fft.rfft(K, n), n)[..., :L] + D[:, None] * u

    z, w = kernel_inputs()
    s = scan_inputs()
    L = KERNEL_L
    programs = [
        (KERNEL_WORK, "lax.scan running power", jax.jit(running_power, static_argnums=2),
         (np.exp(z), w, L), compute.kernel(z, w, L)),
        (KERNEL_WORK, "exp-Vandermonde einsum (chunked, lax.map)", jax.jit(vandermonde, static_argnums=2),
         (z, w, L), compute.kernel(z, w, L)),
        (SCAN_WORK, "lax.scan over time", jax.jit(scan),
         (s["lb"], s["bb"], s["C"], s["D"], s["u"]), compute.scan(s["lb"], s["bb"], s["C"], s["u"], D=s["D"])),
        (CONV_WORK, "jnp.fft rfft/irfft", jax.jit(convolve),
         (s["u"], s["K"], s["D"]), compute.convolve(s["u"], s["K"], s["D"])),
    ]
    rows = []
    for work, peer, fn, args, exact in programs:
        args = [a if isinstance(a, int) else jnp.asarray(a) for a in args]
        call = lambda: fn(*args).block_until_ready()  # noqa: E731
        result = np.asarray(call())          # warm-up: compiles
        c0, w0 = time.process_time(), time.perf_counter()
        tp = best_time(call, repeat, min_time)
        cpu_per_wall = (time.process_time() - c0) / (time.perf_counter() - w0)
        rows.append(dict(work=work, peer=peer, tp=tp, err=rel_err(exact, result), cpu=cpu_per_wall))
    return dict(version=jax.__version__, devices=[str(d) for d in jax.devices()],
                cpus=len(os.sched_getaffinity(0)), xla_flags=os.environ.get("XLA_FLAGS"), rows=rows)


def run_jax_child(setting: str, repeat: int, min_time: float) -> dict:
    return jax_peer.run_jax_child(str(Path(__file__).resolve()), setting,
                                  ["--repeat", str(repeat), "--min-time", str(min_time)], setting)


def jax_rows(repeat, min_time, ours, install: bool):
    """JAX rows for both thread settings, and lines for the results header."""
    ok, why = jax_available(install)
    if not ok:
        print(f"JAX rows skipped: {why}", flush=True)
        return [], [f"- JAX rows: skipped: {why}"]
    rows, notes = [], []
    for setting, label in (("one", "1 core"), ("default", "default threads")):
        try:
            child = run_jax_child(setting, repeat, min_time)
        except (RuntimeError, ValueError) as error:
            print(f"JAX rows ({label}) skipped: {error}", flush=True)
            notes.append(f"- JAX ({label}): skipped: {error}")
            continue
        cpu = ", ".join(f"{r['cpu']:.2f}" for r in child["rows"])
        notes.append(f"- JAX {child['version']} ({label}): devices {', '.join(child['devices'])}, "
                     f"{child['cpus']} CPU(s) in its affinity mask, XLA_FLAGS=`{child['xla_flags']}`; "
                     f"process CPU time / wall time while timing the rows: {cpu}")
        for r in child["rows"]:
            t, t1 = ours[r["work"]]
            rows.append(Row(r["work"], f"JAX jit {r['peer']} ({label})", t, t1, r["tp"], r["err"]))
    return rows, notes


# ------------------------------------------------------------------------------------------------
# Kernel peak memory: each measurement in a fresh child process. The child resets its peak RSS
# (VmHWM, by writing 5 to /proc/self/clear_refs), makes one call, and reports VmHWM − VmRSS before.
# ------------------------------------------------------------------------------------------------


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def memory_child(impl: str, H: int, N2: int, L: int) -> dict:
    """Peak RSS growth of a first and a second call (the first also pays one-time costs: thread
    start-up, lazily loaded code and tables)."""
    z, w = kernel_inputs(H, N2)
    calls = {"ssmkit": lambda: compute.kernel(z, w, L),
             "ssmkit-f32": lambda: compute.kernel(z, w, L, dtype=np.float32),
             "running": lambda: numpy_running_power(z, w, L),
             "vandermonde": lambda: numpy_vandermonde(z, w, L)}
    growth = []
    for _ in range(2):
        gc.collect()
        before = _status_kib("VmRSS")
        Path("/proc/self/clear_refs").write_text("5")
        K = calls[impl]()
        growth.append((_status_kib("VmHWM") - before) * 1024)
        output = K.nbytes
        del K
    return dict(growth=growth, output=output)


def run_memory_child(impl: str, H: int, N2: int, L: int) -> dict:
    # A fixed mmap threshold keeps glibc from raising it (so large blocks are mmapped and their
    # pages counted when touched, the same way in every child).
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_="131072")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--memory-child", impl, str(H), str(N2), str(L)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _mib(nbytes: float) -> str:
    return f"{nbytes / 2**20:.2f}"


def memory_rows(sizes):
    """Table lines: per size and implementation, output bytes and peak RSS growth beyond them."""
    impls = [("ssmkit", "compute.kernel float64"), ("ssmkit-f32", "compute.kernel float32"),
             ("running", "numpy running power"),
             ("vandermonde", f"numpy exp-Vandermonde (chunks of {VANDERMONDE_CHUNK} channels)")]
    lines = ["| H | N/2 | L | implementation | output (MiB) | beyond the output, 1st call (MiB) "
             "| beyond the output, 2nd call (MiB) | H·N/2 complex (MiB) | naive (H, N/2, L) complex buffer (MiB) |",
             "|---:|---:|---:|---|---:|---:|---:|---:|---:|"]
    for H, N2, L, peers in sizes:
        for impl, label in impls:
            if not peers and impl in ("running", "vandermonde"):
                continue
            try:
                m = run_memory_child(impl, H, N2, L)
            except (subprocess.CalledProcessError, ValueError) as error:
                why = (getattr(error, "stderr", None) or str(error)).strip().splitlines()[-1]
                line = f"| {H} | {N2} | {L} | {label} | failed: {why} | | | | |"
            else:
                first, second = (g - m["output"] for g in m["growth"])
                line = (f"| {H} | {N2} | {L} | {label} | {_mib(m['output'])} | {_mib(first)} | "
                        f"{_mib(second)} | {_mib(H * N2 * 16)} | {_mib(H * N2 * L * 16)} |")
            print(line, flush=True)
            lines.append(line)
    return lines


# ------------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------------


def table(rows):
    lines = ["| work | peer | ssmkit (ms) | ssmkit 1 thread (ms) | peer (ms) | speedup | speedup 1 thread | rel. diff |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r.work} | {r.peer} | {r.t * 1e3:.3f} | {r.t1 * 1e3:.3f} | {r.tp * 1e3:.3f} | "
                     f"{r.tp / r.t:.2f}x | {r.tp / r.t1:.2f}x | {r.err:.1e} |")
    return lines


def grouped(rows):
    """Rows in first-seen work order, so the JAX rows sit under the numpy/scipy rows of their work."""
    order = list(dict.fromkeys(r.work for r in rows))
    return sorted(rows, key=lambda r: order.index(r.work))


def accuracy_lines(accuracy):
    lines = ["| work | ssmkit float32 | peer float32 |", "|---|---:|---:|"]
    for work, peer, mine, theirs in accuracy:
        lines.append(f"| {work} | {mine:.1e} | {theirs:.1e} ({peer}) |")
    return lines


def write_results(path, args, rows, accuracy, memory, jax_notes):
    slow = [f"{r.work} vs {r.peer}" for r in rows if r.tp < r.t]
    text = [
        "## Kernels, scans, convolution, FFT, DPLR (issue 3)", "",
        "Written by `bench/bench_compute.py` (do not edit by hand; rerun it).", "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')}"
        + (" (**--quick**: fewer, shorter repeats; do not publish)" if args.quick else ""),
        f"- machine: `{uname()}`", f"- CPU: {cpu_model()} ({os.cpu_count()} logical CPUs)",
        f"- Python {sys.version.split()[0]}, numpy {np.__version__}, scipy {scipy.__version__}; numpy's BLAS: {numpy_blas()}",
        f"- libssmkit {ssmkit.library_version()} at `{ssmkit.library_path()}`, build {build_type()}; "
        f"ssmkit threads: {compute.threads()} (default), and 1",
        "- numpy/scipy single-threaded except the `workers=2` rows: " + "; ".join(thread_report()),
        *jax_notes,
        "- environment as given: " + ", ".join(f"`{k}`={v}" for k, v in ENV_AS_GIVEN.items()), "",
        f"Timing: best of {args.repeat} runs (the slow numpy loops: 2), each averaging enough calls to last "
        f"≥ {args.min_time} s. Speedup = peer time / ssmkit time (> 1: ssmkit faster). rel. diff: "
        "norm-wise relative difference to the peer's result (DPLR: its frequencies). JAX rows are in "
        "the table below, under the numpy/scipy rows of the same work (peer column `JAX jit ...`), "
        f"once on 1 core (`XLA_FLAGS={JAX_ONE_THREAD_FLAGS}` and the process pinned to one CPU) and "
        "once with JAX's default threads; jitted, float64, compile excluded by a warm-up call, timed "
        "with `.block_until_ready()`, inputs already JAX arrays. float32 rows are marked `(float32)`.", "",
        *table(rows), "",
        f"Rows where a peer is faster than SSMKit (default threads): {'; '.join(slow) if slow else 'none'}.", "",
        "## float32 accuracy", "",
        "Norm-wise relative error of each float32 result against SSMKit's float64 result for the same "
        "inputs (the float32 scan and convolution: the float64 call on the float32 u and K).", "",
        *accuracy, "",
        "## Kernel peak memory", "",
        "Each line is a fresh process making two calls of `compute.kernel` (or the peer) with "
        "default threads: for each call, peak resident set (VmHWM, reset just before the call "
        "through /proc/self/clear_refs) minus the resident set before the call, minus the bytes of "
        "the K array the call returns. The first call also pays one-time costs (worker threads' "
        "stacks, code and tables loaded on first use); page granularity is included. The last two "
        "columns: the O(H·N) scale of the issue's target, and what an implementation materializing "
        "exp(l·z) for all (h, n, l) would need.", "",
        *memory, "",
    ]
    write_section(path, "compute", "\n".join(text))
    print(f"\nwrote {path}")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="k of best-of-k (default 5)")
    parser.add_argument("--min-time", type=float, default=0.2, help="seconds per timed run (default 0.2)")
    parser.add_argument("--quick", action="store_true",
                        help="development run: --repeat 2 --min-time 0.05, memory at the first size only")
    parser.add_argument("--output", "--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--no-jax", action="store_true", help="skip the JAX rows")
    parser.add_argument("--no-jax-install", action="store_true", help="do not pip-install jax if missing")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory table")
    parser.add_argument("--jax-child", choices=("one", "default"), help=argparse.SUPPRESS)
    parser.add_argument("--memory-child", nargs=4, metavar=("IMPL", "H", "N2", "L"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.min_time = 2, 0.05
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.jax_child:
        print(json.dumps(jax_child(args.jax_child, args.repeat, args.min_time)))
        return 0
    if args.memory_child:
        impl, *sizes = args.memory_child
        print(json.dumps(memory_child(impl, *map(int, sizes))))
        return 0

    ours = {}
    s = scan_inputs()
    rows = (kernel_rows(args.repeat, args.min_time, ours) + scan_rows(args.repeat, args.min_time, ours, s)
            + conv_rows(args.repeat, args.min_time, ours, s) + fft_rows(args.repeat, args.min_time)
            + dplr_rows(args.repeat, args.min_time))
    print("\n".join(table(rows)), flush=True)
    f32, accuracy = float32_rows(args.repeat, args.min_time, s)
    print("\n".join(table(f32) + [""] + accuracy_lines(accuracy)), flush=True)
    jax, jax_notes = ([], ["- JAX rows: skipped (--no-jax)"]) if args.no_jax else \
        jax_rows(args.repeat, args.min_time, ours, not args.no_jax_install)
    print("\n".join(table(jax) + jax_notes), flush=True)
    memory = ["(skipped: --no-memory)"] if args.no_memory else \
        memory_rows(MEMORY_SIZES[:1] if args.quick else MEMORY_SIZES)
    everything = grouped(rows + f32 + jax)
    print("\n".join(table(everything)))
    if not args.no_write:
        write_results(args.output, args, everything, accuracy_lines(accuracy), memory, jax_notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
