"""The files every experiment writes: NAME.csv (the numbers), NAME.md (title, summary, table) and
NAME.png (a plot; a note instead when matplotlib is missing), and the log–log slope their claims
fit. Shared by ``experiments`` and ``prophecy_experiments``."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np


def write(out: Path, name: str, title: str, summary: list[str], header: list[str], rows: list[list], plot,
          panels: int = 1) -> None:
    """Writes the three files into ``out``. ``plot(ax)`` draws the figure; with ``panels`` > 1 it gets
    a list of that many side-by-side axes instead."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / f"{name}.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    lines = [f"# {title}", "", *summary, "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        lines.append("| " + " | ".join(f"{v:.4g}" if isinstance(v, float) else str(v) for v in r) + " |")
    (out / f"{name}.md").write_text("\n".join(lines) + "\n")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(1, panels, figsize=(6.4 if panels == 1 else 4.8 * panels, 4))
        plot(ax if panels == 1 else list(ax))
        fig.tight_layout()
        fig.savefig(out / f"{name}.png", dpi=120)
        plt.close(fig)
    except ImportError:
        (out / f"{name}.png.txt").write_text("matplotlib is not installed: no plot (pip install matplotlib)\n")


def log_slope(x, y) -> float:
    """Least-squares slope of log y against log x."""
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])
