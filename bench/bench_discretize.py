#!/usr/bin/env python3
"""Benchmark: ssmkit.discretize(method="zoh") vs scipy.signal.cont2discrete, and ssmkit.expm vs
scipy.linalg.expm, on the same matrices, in the same process, both single-threaded.

Matrices: a HiPPO LegS matrix scaled by dt, and a random Gaussian matrix / sqrt(N), for
N = 64, 256, 1024. Timing: best of k runs (timeit), each run averaging enough calls to last
>= 0.2 s. Prints a table and writes bench/RESULTS.md.

Fair comparison: run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (see bench/README.md);
the script reports their values.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/bench_discretize.py
"""

from __future__ import annotations

import os
import sys

# Record the environment as given, then force single-threaded BLAS *before* numpy is imported
# (OpenBLAS reads these when it is loaded: numpy's, scipy's and libssmkit's copies alike).
ENV_AS_GIVEN = {k: os.environ.get(k) for k in (
    "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
    "MKL_NUM_THREADS", "SSMKIT_LIBRARY")}
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
             "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import contextlib  # noqa: E402
import datetime  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import timeit  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "python"))

import ssmkit  # noqa: E402

try:
    import scipy  # noqa: E402
    import scipy.linalg  # noqa: E402
    from scipy.signal import cont2discrete  # noqa: E402
except ImportError:  # pragma: no cover
    sys.exit("this benchmark needs scipy (pip install scipy)")

try:
    import threadpoolctl  # noqa: E402
except ImportError:
    threadpoolctl = None


# ------------------------------------------------------------------------------------------------
# Machine description
# ------------------------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def uname() -> str:
    try:
        return subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return " ".join(platform.uname())


def numpy_blas() -> str:
    try:
        config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        return f"{blas.get('name')} {blas.get('version', '')}".strip()
    except Exception:
        return "unknown"


def ssmkit_blas() -> str:
    """The BLAS libssmkit links against, from ldd."""
    try:
        out = subprocess.run(["ldd", ssmkit.library_path()], capture_output=True,
                             text=True).stdout
    except OSError:
        return "unknown (no ldd)"
    libs = [line.split("=>")[-1].split("(")[0].strip() for line in out.splitlines()
            if any(k in line for k in ("blas", "lapack"))]
    return ", ".join(libs) or "none found by ldd"


def thread_report() -> list[str]:
    if threadpoolctl is None:
        return ["threadpoolctl not installed: thread counts forced through the environment "
                "variables only"]
    rows = []
    for info in threadpoolctl.threadpool_info():
        rows.append(f"{info.get('internal_api')} {info.get('version')} "
                    f"({Path(info.get('filepath', '?')).name}): "
                    f"{info.get('num_threads')} thread(s)")
    return rows or ["threadpoolctl found no thread pools"]


def build_type() -> str:
    path = ssmkit.library_path()
    if "/debug/" in path:
        return "debug (SwiftPM; expect the Swift parts to be slower than a release build)"
    if "/release/" in path:
        return "release (SwiftPM)"
    return "unknown (not a SwiftPM build folder)"


# ------------------------------------------------------------------------------------------------
# Timing
# ------------------------------------------------------------------------------------------------


def best_time(fn, repeat: int, min_time: float) -> float:
    """Best of `repeat` runs, each the mean of enough calls to last >= min_time seconds."""
    timer = timeit.Timer(fn)
    number = 1
    while True:
        elapsed = timer.timeit(number)
        if elapsed >= min_time or number >= 1 << 20:
            break
        number *= 2 if elapsed > min_time / 10 else 10
    runs = [elapsed / number] + [t / number for t in timer.repeat(repeat=repeat - 1,
                                                                   number=number)]
    return min(runs)


def rel_diff(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


def matrices(N: int, dt: float):
    A_legs, _ = ssmkit.hippo("legs", N)
    rng = np.random.default_rng(N)
    A_rand = rng.standard_normal((N, N)) / np.sqrt(N)
    return {"LegS": A_legs, "random": A_rand}


def run(sizes, dt: float, repeat: int, min_time: float):
    rows = []
    for N in sizes:
        for name, A in matrices(N, dt).items():
            rng = np.random.default_rng(N + 1)
            B = rng.standard_normal((N, 1))
            C = rng.standard_normal((1, N))
            D = np.zeros((1, 1))
            M = A * dt if name == "LegS" else A  # random: ‖A‖ ≈ 2, so expm squares

            ours = ssmkit.expm(M)
            theirs = scipy.linalg.expm(M)
            t_ours = best_time(lambda: ssmkit.expm(M), repeat, min_time)
            t_theirs = best_time(lambda: scipy.linalg.expm(M), repeat, min_time)
            rows.append(("expm", f"{name}·dt" if name == "LegS" else name, N, t_ours, t_theirs,
                         rel_diff(ours, theirs)))
            print_row(rows[-1])

            ours = ssmkit.discretize(A, B, C, D, dt, method="zoh")
            theirs = cont2discrete((A, B, C, D), dt, method="zoh")[:4]
            diff = max(rel_diff(x, y) for x, y in zip(ours, theirs))
            t_ours = best_time(lambda: ssmkit.discretize(A, B, C, D, dt, method="zoh"), repeat,
                               min_time)
            t_theirs = best_time(lambda: cont2discrete((A, B, C, D), dt, method="zoh"), repeat,
                                 min_time)
            rows.append(("zoh", name, N, t_ours, t_theirs, diff))
            print_row(rows[-1])
    return rows


HEADER = f"{'work':<6}{'matrix':<10}{'N':>6}{'ssmkit ms':>12}{'scipy ms':>12}" \
         f"{'speedup':>9}{'max rel diff':>14}"


def print_row(row):
    work, name, N, t_ours, t_theirs, diff = row
    print(f"{work:<6}{name:<10}{N:>6}{t_ours * 1e3:>12.3f}{t_theirs * 1e3:>12.3f}"
          f"{t_theirs / t_ours:>8.2f}x{diff:>14.1e}", flush=True)


def write_results(path: Path, rows, args, started: datetime.datetime, threads) -> None:
    env_lines = [f"- `{k}`: {'unset' if v is None else f'`{v}`'}" for k, v in ENV_AS_GIVEN.items()]
    unfair = [k for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if ENV_AS_GIVEN[k]]
    lines = [
        "## Discretization and matrix exponential",
        "",
        "Written by `bench/bench_discretize.py` (do not edit by hand; rerun it).",
        "",
        f"- date: {started.isoformat(timespec='seconds')}",
        f"- machine: `{uname()}`",
        f"- CPU: {cpu_model()} ({os.cpu_count()} logical CPUs)",
        f"- Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}",
        f"- numpy's BLAS: {numpy_blas()}",
        f"- libssmkit: {ssmkit.library_version()} at `{ssmkit.library_path()}`, "
        f"build {build_type()}",
        f"- libssmkit's BLAS/LAPACK (ldd): {ssmkit_blas()}",
        "- threads: OPENBLAS/OMP/MKL_NUM_THREADS forced to 1 before numpy was imported"
        + ("; threadpoolctl limited every pool to 1" if threadpoolctl else ""),
        *[f"  - {r}" for r in threads],
        "- environment as given:",
        *[f"  {line}" for line in env_lines],
    ]
    if unfair:
        lines.append(f"- **warning**: {', '.join(unfair)} set: they slow a current numpy/scipy "
                     "OpenBLAS; rerun with them unset for a fair comparison (bench/README.md).")
    lines += [
        "",
        f"Timing: best of {args.repeat} runs, each averaging enough calls to last ≥ "
        f"{args.min_time} s. dt = {args.dt}. `zoh`: ssmkit.discretize(method=\"zoh\") vs "
        "scipy.signal.cont2discrete(method=\"zoh\") with B N×1, C 1×N, D 1×1; `expm`: "
        "ssmkit.expm vs scipy.linalg.expm of the same matrix: A·dt for LegS, A itself for "
        "random (Gaussian/√N, ‖A‖₂ ≈ 2). Speedup = scipy time / ssmkit time (> 1: ssmkit faster). "
        "max rel diff = max |ssmkit − scipy| / max |scipy| over all outputs.",
        "",
        "| work | matrix | N | ssmkit (ms) | scipy (ms) | speedup | max rel diff |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for work, name, N, t_ours, t_theirs, diff in rows:
        lines.append(f"| {work} | {name} | {N} | {t_ours * 1e3:.3f} | {t_theirs * 1e3:.3f} | "
                     f"{t_theirs / t_ours:.2f}x | {diff:.1e} |")
    write_section(path, "discretize", "\n".join(lines) + "\n")


def write_section(path: Path, name: str, text: str) -> None:
    """Puts ``text`` into ``path`` between the markers of section ``name``, replacing that section
    only: bench/RESULTS.md holds one section per benchmark script, each rewritten by its own run."""
    start, end = f"<!-- {name}: start (written by a script; rerun it, do not edit) -->", f"<!-- {name}: end -->"
    block = f"{start}\n{text.rstrip()}\n{end}\n"
    old = path.read_text() if path.exists() else "# Benchmark results\n\n"
    if start in old and end in old:
        before, rest = old.split(start, 1)
        new = before + block + rest.split(end, 1)[1].lstrip("\n")
    else:
        new = old.rstrip("\n") + "\n\n" + block
    path.write_text(new)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[64, 256, 1024])
    parser.add_argument("--dt", type=float, default=1e-2)
    parser.add_argument("--repeat", type=int, default=5, help="k of best-of-k (default 5)")
    parser.add_argument("--min-time", type=float, default=0.2,
                        help="seconds each timed run lasts at least (default 0.2)")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)

    started = datetime.datetime.now().astimezone()
    print(f"libssmkit {ssmkit.library_version()}: {ssmkit.library_path()} [{build_type()}]")
    print(f"numpy {np.__version__} ({numpy_blas()}), scipy {scipy.__version__}")
    for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        v = ENV_AS_GIVEN[k]
        print(f"{k} = {v!r}" + ("  <- set: unset it for a fair run (bench/README.md)" if v
                                else ""))
    for r in thread_report():
        print(r)
    print()
    print(HEADER)
    print("-" * len(HEADER))
    limiter = threadpoolctl.threadpool_limits(limits=1) if threadpoolctl \
        else contextlib.nullcontext()
    with limiter:
        threads = thread_report()  # inside the limits, as the timings ran
        rows = run(args.sizes, args.dt, args.repeat, args.min_time)
    if not args.no_write:
        write_results(args.output, rows, args, started, threads)
        print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
