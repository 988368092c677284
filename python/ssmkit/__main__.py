"""Command line: ``python -m ssmkit {demo,version,experiment,timescale,prophecy}``.

``demo``     prints the spectra of the HiPPO matrices, the check that each rank correction makes
             A + PᵀP normal, and a table comparing discretization methods (and scipy, if present).
``version``  prints the package and library versions and where the library was loaded from.
``experiment NAME`` runs one of ``ssmkit.experiments`` and writes its table, CSV and plot.
``timescale FILE`` recommends a timescale Δ, real and imaginary parts and init arrays for sequences
             like those in FILE (.npy or .csv), from their autocorrelation (``ssmkit.autocorr.recommend``).
``prophecy --system NAME | --data FILE`` predicts a trajectory one step ahead with a HiPPO-Prophecy
             predictor and prints its normalized error beside persistence's.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

WIDTH = 78


def _rule(title: str, char: str = "=") -> str:
    return f"{title}\n{char * min(len(title), WIDTH)}"


def _format_eigenvalues(values: np.ndarray, indent: str = "  ") -> list[str]:
    """Eigenvalues as wrapped text (real ones without an imaginary part)."""
    values = np.asarray(values)
    order = np.lexsort((values.imag, values.real))
    items = []
    for z in values[order]:
        if abs(z.imag) <= 1e-12 * max(1.0, abs(z)):
            items.append(f"{z.real:.4g}")
        else:
            items.append(f"{z.real:.4g}{z.imag:+.4g}j")
    lines, line = [], indent
    for item in items:
        if len(line) + len(item) + 2 > WIDTH and line.strip():
            lines.append(line.rstrip())
            line = indent
        line += item + "  "
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _demo_hippo(N: int) -> None:
    import ssmkit

    print(_rule("HiPPO matrices (paper convention, theta = 1)"))
    print("Eigenvalues of A, and the normal part S = A + P^T P of the rank")
    print("correction P: S + S^T should be 2c I with c = mean(diag S).")
    print()
    for measure, label in (("legs", "LegS"), ("legt", "LegT"), ("lagt", "LagT"),
                           ("fout", "FouT")):
        n = N if measure != "fout" or N % 2 == 1 else N + 1  # FouT needs N odd
        A, B = ssmkit.hippo(measure, n)
        P = ssmkit.rank_correction(measure, n)
        print(f"{label}, N = {n}: eigenvalues of A")
        for line in _format_eigenvalues(np.linalg.eigvals(A)):
            print(line)
        S = A + P.T @ P
        c = float(np.mean(np.diag(S)))
        residual = float(np.max(np.abs(S + S.T - 2 * c * np.eye(n))))
        print(f"  rank r = {P.shape[0]}; c = {c:.4g}; "
              f"max|S + S^T - 2cI| = {residual:.2e}")
        print()


def _demo_discretize(N: int) -> None:
    import ssmkit

    try:
        from scipy.signal import cont2discrete
    except ImportError:
        cont2discrete = None

    A, B = ssmkit.hippo("legs", N)
    B = B[:, None]
    C = np.ones((1, N)) / N
    D = np.zeros((1, 1))
    methods = ("zoh", "foh", "bilinear", "euler", "backward_diff", "impulse")
    print(_rule(f"Discretization of LegS, N = {N}, m = p = 1 (scipy convention)"))
    print("rho = spectral radius of Ad; dZOH = max|Ad - Ad(zoh)|;")
    if cont2discrete is None:
        print("scipy is not installed: no comparison with scipy.signal.cont2discrete.")
    else:
        print("dScipy = max abs difference of (Ad, Bd, Cd, Dd) to")
        print("scipy.signal.cont2discrete on the same system.")
    print()
    header = f"{'dt':>8}  {'method':<14}{'rho(Ad)':>12}{'dZOH':>12}"
    if cont2discrete is not None:
        header += f"{'dScipy':>12}"
    print(header)
    print("-" * len(header))
    for dt in (1e-3, 1e-2, 1e-1):
        Ad_zoh = ssmkit.discretize(A, B, C, D, dt, method="zoh")[0]
        for method in methods:
            ours = ssmkit.discretize(A, B, C, D, dt, method=method)
            rho = float(np.max(np.abs(np.linalg.eigvals(ours[0]))))
            line = (f"{dt:>8.0e}  {method:<14}{rho:>12.6f}"
                    f"{float(np.max(np.abs(ours[0] - Ad_zoh))):>12.2e}")
            if cont2discrete is not None:
                theirs = cont2discrete((A, B, C, D), dt, method=method)[:4]
                diff = max(float(np.max(np.abs(a - b))) for a, b in zip(ours, theirs))
                line += f"{diff:>12.2e}"
            print(line)
        print()


def _demo(args: argparse.Namespace) -> int:
    import ssmkit

    print(f"SSMKit {ssmkit.__version__} (library {ssmkit.library_version()})")
    print()
    _demo_hippo(args.N)
    _demo_discretize(args.dense_N)
    return 0


def _version(args: argparse.Namespace) -> int:
    import ssmkit

    print(f"ssmkit {ssmkit.__version__}")
    print(f"libssmkit {ssmkit.library_version()} ({ssmkit.library_path()})")
    return 0


def _experiment(args) -> int:
    from . import experiments

    if args.name not in experiments.EXPERIMENTS:
        print(f"error: unknown experiment {args.name!r} (known: {', '.join(experiments.EXPERIMENTS)})", file=sys.stderr)
        return 2
    experiments.run(args.name, out=args.out, quick=args.quick)
    return 0


def _timescale(args) -> int:
    from . import autocorr
    from ._errors import SSMError

    try:
        x = autocorr.load_series(args.file)
        if args.column is not None:
            x = np.atleast_2d(x)
            if not 0 <= args.column < x.shape[0]:
                print(f"error: --column {args.column} is outside 0…{x.shape[0] - 1} (the file has {x.shape[0]} sequence(s))",
                      file=sys.stderr)
                return 2
            x = x[args.column]
        r = autocorr.recommend(x, L=args.L, N=args.N, H=args.H)
    except SSMError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(r.report())
    return 0


def _prophecy(args) -> int:
    from . import prophecy, systems
    from ._errors import SSMError

    try:
        if args.data is not None:
            u = systems.load_trajectory(args.data)
            source = f"{args.data}: {u.shape[0]} samples × {u.shape[1]}"
        else:
            u = systems.simulate(args.system, args.steps, args.dt)
            source = f"{args.system}: {args.steps} steps of Δ = {args.dt:g}, d = {u.shape[1]}"
        if u.shape[0] <= args.burn_in + 1:
            print(f"error: the trajectory has {u.shape[0]} samples, not more than --burn-in {args.burn_in} + 1",
                  file=sys.stderr)
            return 2
        W = None if args.basis == "legs" else args.W      # LegS has no window
        p = prophecy.Predictor(N=args.N, W=W, dt=args.dt, basis=args.basis, readout=args.readout,
                               state_input=args.state_input, output=args.output, d=u.shape[1])
        pred = p.predict(u)
        radius = p.rollout_radius() if args.basis != "legs" else float("nan")
    except SSMError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    b = args.burn_in
    try:
        ours = prophecy.normalized_error(pred, u, b)
        persistence = prophecy.normalized_error(prophecy.baseline(u, "persistence"), u, b)
    except SSMError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(source)
    window = "no window" if args.basis == "legs" else f"W = {args.W}"
    print(f"predictor: {args.basis}, N = {args.N}, {window}, {args.readout} readout, {args.state_input} input, "
          f"{args.output} rule; closed-loop spectral radius {radius:.6g}")
    print(f"normalized one-step MSE after {b} burn-in steps: predictor {ours:.3e}, persistence {persistence:.3e} "
          f"({persistence / ours if ours > 0 else float('inf'):.3g}x)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ssmkit", description="SSMKit: state space model numerics.")
    commands = parser.add_subparsers(dest="command", metavar="command")
    demo = commands.add_parser("demo", help="HiPPO spectra and a discretization comparison")
    demo.add_argument("--N", type=int, default=8, help="HiPPO state size (default 8)")
    demo.add_argument("--dense-N", type=int, default=16,
                      help="state size of the discretized LegS system (default 16)")
    demo.set_defaults(run=_demo)
    version = commands.add_parser("version", help="package and library versions")
    version.set_defaults(run=_version)
    experiment = commands.add_parser("experiment", help="run an experiment (table, CSV, plot)")
    experiment.add_argument("name", help="teacher-student, sinusoid-classification, training, critical-timescale, "
                                          "memory, conditioning, tradeoff, prophecy-trained, prophecy-N, prophecy-window, "
                                          "prophecy-dt, prophecy-systems, prophecy-baselines, prophecy-authors, "
                                          "prophecy-rollout")
    experiment.add_argument("--out", help="output folder (default ssmkit-experiments/NAME)")
    experiment.add_argument("--quick", action="store_true", help="a small smoke run (not the experiment's numbers)")
    experiment.set_defaults(run=_experiment)
    timescale = commands.add_parser("timescale", help="recommend Δ and an initialization from sample data")
    timescale.add_argument("file", help=".npy (rows are sequences) or .csv/.txt (columns are sequences)")
    timescale.add_argument("--L", type=int, default=None, help="sequence length the model will see (default: the data's)")
    timescale.add_argument("--N", type=int, default=64, help="state size (default 64)")
    timescale.add_argument("--H", type=int, default=1, help="channels of the init arrays (default 1)")
    timescale.add_argument("--column", type=int, default=None, help="use only this sequence of the file")
    timescale.set_defaults(run=_timescale)
    pro = commands.add_parser("prophecy", help="one-step prediction of a system or a data file (HiPPO-Prophecy)")
    source = pro.add_mutually_exclusive_group(required=True)
    source.add_argument("--system", help="a name of ssmkit.systems.SYSTEMS, e.g. lorenz, van_der_pol")
    source.add_argument("--data", help=".npy (T, d) or .csv/.txt (columns are coordinates)")
    pro.add_argument("--steps", type=int, default=4000, help="samples to simulate (default 4000)")
    pro.add_argument("--dt", type=float, default=0.01, help="sample spacing Δ (default 0.01)")
    pro.add_argument("--N", type=int, default=8, help="state size (default 8)")
    pro.add_argument("--W", type=int, default=20, help="window in samples, θ = W·Δ (default 20)")
    pro.add_argument("--basis", default="legt", choices=["legt", "fout", "legs"])
    pro.add_argument("--readout", default="space", choices=["time", "space"])
    pro.add_argument("--state-input", default="plain", choices=["plain", "average"])
    pro.add_argument("--output", default="euler", choices=["euler", "trapezoid"])
    pro.add_argument("--burn-in", type=int, default=500, help="samples excluded from the error (default 500)")
    pro.set_defaults(run=_prophecy)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except ImportError as error:  # the library was not found: say how to build it
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
