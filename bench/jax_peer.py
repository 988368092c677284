"""What bench_compute.py and bench_train.py share for their JAX rows: installing jax once (or saying
why not), and running a JAX child process (XLA reads its flags and sizes its thread pools once per
process, so each thread setting gets its own child, which prints one JSON line)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

# JAX on one core: XLA's Eigen pool off, and the child pinned to one CPU (XLA knows no
# `intra_op_parallelism_threads` flag: with `--` it aborts "Unknown flag", without it is ignored).
JAX_ONE_THREAD_FLAGS = "--xla_cpu_multi_thread_eigen=false"


def jax_available(install: bool) -> tuple[bool, str]:
    """Whether jax imports, after one `pip install "jax[cpu]"` if `install`; else why not."""
    if importlib.util.find_spec("jax") is not None:
        return True, ""
    if not install:
        return False, "jax is not installed (and --no-jax-install was given)"
    print('jax not found: trying `python3 -m pip install --quiet "jax[cpu]"` once', flush=True)
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "jax[cpu]"],
                          capture_output=True, text=True)
    importlib.invalidate_caches()
    if done.returncode == 0 and importlib.util.find_spec("jax") is not None:
        return True, ""
    last = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return False, f'`pip install "jax[cpu]"` failed (exit {done.returncode}: {last})'


def run_jax_child(script: str, setting: str, child_args: list[str], label: str) -> dict:
    """Runs `script --jax-child setting *child_args` on the CPU ("one": one core) and returns the
    JSON object it printed last. Raises RuntimeError with the child's last error line."""
    env = dict(os.environ, JAX_PLATFORMS="cpu")
    if setting == "one":
        env["XLA_FLAGS"] = " ".join(filter(None, [env.get("XLA_FLAGS"), JAX_ONE_THREAD_FLAGS]))
    done = subprocess.run([sys.executable, script, "--jax-child", setting, *child_args], env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"JAX child ({label}) exited {done.returncode}: "
                           + (done.stderr.strip().splitlines() or ["no output"])[-1])
    return json.loads(done.stdout.strip().splitlines()[-1])
