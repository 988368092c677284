#!/usr/bin/env python3
"""Benchmark: SSMKit's compute and init functions against numpy/scipy doing the same work, in the
same process (issue 3's rows as they land): diagonal kernel, scan, convolution, FFT, DPLR. numpy/scipy run
single-threaded (their BLAS forced to 1 thread); SSMKit runs with its default thread count (all
cores) and, for reference, with 1 thread. Writes bench/RESULTS-compute.md.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/bench_compute.py
"""

from __future__ import annotations

import os
import sys

ENV_AS_GIVEN = {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "SSMKIT_LIBRARY")}
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.fft  # noqa: E402
import scipy.linalg  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "python"))

import ssmkit  # noqa: E402
from ssmkit import compute, init  # noqa: E402
from bench_discretize import best_time, build_type, cpu_model, numpy_blas, thread_report, uname  # noqa: E402


def kernel_rows(repeat, min_time):
    H, N2, L = 64, 32, 16384
    rng = np.random.default_rng(0)
    lam = np.tile(-0.5 + 1j * np.pi * np.arange(N2), (H, 1))
    z = np.exp(rng.uniform(np.log(1e-3), np.log(1e-1), (H, 1))) * lam
    w = rng.standard_normal((H, N2)) + 1j * rng.standard_normal((H, N2))
    lam_bar = np.exp(z)

    def running_power():
        K = np.empty((H, L))
        p = w.copy()
        for l in range(L):
            K[:, l] = 2 * p.real.sum(1)
            p *= lam_bar
        return K

    def vandermonde():   # chunked over channels: the full (H, N, L) array would take 537 MB
        K = np.empty((H, L))
        ell = np.arange(L)
        for h in range(0, H, 8):
            K[h:h + 8] = 2 * np.einsum("hn,hnl->hl", w[h:h + 8], np.exp(z[h:h + 8, :, None] * ell)).real
        return K

    ours = lambda: compute.kernel(z, w, L)  # noqa: E731
    reference = vandermonde()
    error = np.linalg.norm(ours() - reference) / np.linalg.norm(reference)
    t_ours = best_time(ours, repeat, min_time)
    compute.set_threads(1)
    t_one = best_time(ours, repeat, min_time)
    compute.set_threads(0)
    t_run = best_time(running_power, max(2, repeat // 2), min_time)
    t_van = best_time(vandermonde, max(2, repeat // 2), min_time)
    name = f"diagonal kernel H={H}, N/2={N2}, L={L}"
    return [(name, "numpy running power", t_ours, t_one, t_run, error),
            (name, "numpy exp-Vandermonde (chunked)", t_ours, t_one, t_van, error)]


def scan_conv_rows(repeat, min_time):
    H, N2, L = 256, 32, 4096
    rng = np.random.default_rng(2)
    d = init.diagonal("lin", 2 * N2, H, B="random", seed=1)
    dt = init.timescale(H, seed=2)
    lb, bb = ssmkit.discretize_diag(d.Lambda, d.B, np.repeat(dt[:, None], N2, axis=1))
    u = rng.standard_normal((1, H, L))
    D = rng.standard_normal(H)

    def numpy_scan():
        x = np.zeros((1, H, N2), complex)
        y = np.empty((1, H, L))
        for k in range(L):
            x = lb * x + bb * u[:, :, k, None]
            y[:, :, k] = 2 * np.einsum("hn,bhn->bh", d.C, x).real + D * u[:, :, k]
        return y

    ours = lambda: compute.scan(lb, bb, d.C, u, D=D)  # noqa: E731
    ref = numpy_scan()
    err = np.linalg.norm(ours() - ref) / np.linalg.norm(ref)
    t = best_time(ours, repeat, min_time)
    compute.set_threads(1)
    t1 = best_time(ours, repeat, min_time)
    compute.set_threads(0)
    rows = [(f"diagonal scan H={H}, N/2={N2}, L={L}", "numpy vectorized loop", t, t1,
             best_time(numpy_scan, 2, min_time), err)]

    K = compute.kernel(np.log(lb), d.C * bb, L)
    n = 2 * L

    def scipy_conv():
        return scipy.fft.irfft(scipy.fft.rfft(u, n, workers=1) * scipy.fft.rfft(K, n, workers=1), n,
                               workers=1)[..., :L] + D[:, None] * u

    ours = lambda: compute.convolve(u, K, D)  # noqa: E731
    ref = scipy_conv()
    err = np.linalg.norm(ours() - ref) / np.linalg.norm(ref)
    t = best_time(ours, repeat, min_time)
    compute.set_threads(1)
    t1 = best_time(ours, repeat, min_time)
    compute.set_threads(0)
    rows.append((f"causal convolution H={H}, L={L}", "scipy.fft rfft/irfft (workers=1)", t, t1,
                 best_time(scipy_conv, repeat, min_time), err))
    return rows


def fft_rows(repeat, min_time):
    rng = np.random.default_rng(1)
    rows = []
    for label, shape, real in [("rfft 256×8192", (256, 8192), True), ("fft 1×65536", (1, 65536), False),
                               ("fft 1×4096", (1, 4096), False), ("rfft 64×3000", (64, 3000), True)]:
        x = rng.standard_normal(shape) if real else rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
        ours = (lambda: compute.rfft(x)) if real else (lambda: compute.fft(x))
        peer = (lambda: scipy.fft.rfft(x, workers=1)) if real else (lambda: scipy.fft.fft(x, workers=1))
        ref = peer()
        error = np.linalg.norm(ours() - ref) / np.linalg.norm(ref)
        t_ours = best_time(ours, repeat, min_time)
        compute.set_threads(1)
        t_one = best_time(ours, repeat, min_time)
        compute.set_threads(0)
        rows.append((label, "scipy.fft (workers=1)", t_ours, t_one, best_time(peer, repeat, min_time), error))
    return rows


def dplr_rows(repeat, min_time):
    N = 1024
    A, _ = ssmkit.hippo("legs", N)
    P = ssmkit.rank_correction("legs", N)
    S = A + P.T @ P
    H = -0.5j * (S - S.T)
    ours = lambda: init.dplr("legs", N)  # noqa: E731
    peer = lambda: scipy.linalg.eigh(H)  # noqa: E731
    w = np.sort(scipy.linalg.eigh(H, eigvals_only=True))[N // 2:]
    error = np.linalg.norm(ours().Lambda.imag - w) / np.linalg.norm(w)
    t_ours = best_time(ours, 3, min_time)
    return [(f"LegS DPLR N={N}", "scipy.linalg.eigh of −iK (default driver)", t_ours, t_ours,
             best_time(peer, 3, min_time), error)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--min-time", type=float, default=0.2)
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS-compute.md")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    rows = (kernel_rows(args.repeat, args.min_time) + scan_conv_rows(args.repeat, args.min_time)
            + fft_rows(args.repeat, args.min_time) + dplr_rows(args.repeat, args.min_time))
    header = "| work | peer | ssmkit (ms) | ssmkit 1 thread (ms) | peer (ms) | speedup | speedup 1 thread | rel. diff |"
    lines = [header, "|---|---|---:|---:|---:|---:|---:|---:|"]
    for work, peer, t, t1, tp, err in rows:
        lines.append(f"| {work} | {peer} | {t * 1e3:.3f} | {t1 * 1e3:.3f} | {tp * 1e3:.3f} | "
                     f"{tp / t:.2f}x | {tp / t1:.2f}x | {err:.1e} |")
    print("\n".join(lines))
    if not args.no_write:
        text = [
            "# Benchmark: kernels, FFT, DPLR", "",
            "Written by `bench/bench_compute.py` (do not edit by hand; rerun it).", "",
            f"- date: {datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')}",
            f"- machine: `{uname()}`", f"- CPU: {cpu_model()} ({os.cpu_count()} logical CPUs)",
            f"- Python {sys.version.split()[0]}, numpy {np.__version__}, scipy {scipy.__version__}; numpy's BLAS: {numpy_blas()}",
            f"- libssmkit {ssmkit.library_version()} at `{ssmkit.library_path()}`, build {build_type()}; "
            f"ssmkit threads: {compute.threads()} (default), and 1",
            "- peers single-threaded: " + "; ".join(thread_report()),
            "- environment as given: " + ", ".join(f"`{k}`={v}" for k, v in ENV_AS_GIVEN.items()), "",
            "Timing: best of k runs, each averaging enough calls to last ≥ 0.2 s. Speedup = peer time / "
            "ssmkit time. rel. diff: norm-wise relative difference to the peer's result (DPLR: its "
            "frequencies). JAX rows: not yet (issue 3).", "",
        ] + lines + [""]
        args.output.write_text("\n".join(text))
        print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
