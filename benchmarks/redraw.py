"""How long one slider move of each explorer takes: a benchmark figure, never a test.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/redraw.py``). For each
explorer it times what one slider move costs: the pure function that computes
the view, updating the matplotlib artists, and rendering the Agg canvas. It
reports the median CPU time of this process over a few moves beside the
100 ms that feels instant when dragging a slider.

The figures are reported, not enforced: a laptop on battery, a shared
JupyterHub node or an emulated CPU is slower than the machine the explorers
were tuned on, and that is not a defect of the course. The exit status is 0
unless an explorer fails to redraw at all.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BOUND = 0.100  # seconds of CPU per slider move that still feels instant


def median_cpu(moves: list[Callable[[], None]], canvas) -> float:
    """Median CPU time of ``move(); canvas.draw()`` after one warm-up draw."""
    moves[0]()
    canvas.draw()  # the first draw creates the artists and the font caches
    times = []
    for move in moves[1:]:
        start = time.process_time()
        move()
        canvas.draw()
        times.append(time.process_time() - start)
    return float(np.median(times))


def lesson01() -> float:
    from helpers.explorers import lesson01 as L

    fig, (top, bottom) = L.explorer_figure()
    params = [(1.0, 0.0), (1.5, 0.5), (-2.0, 1.0), (3.0, -2.0), (0.0, 1.0), (4.9, 4.9)]
    return median_cpu(
        [
            lambda w=w, b=b: L.draw_affine_sigmoid(
                L.affine_sigmoid(w, b), top, bottom, slope_limit=1.35
            )
            for w, b in params
        ],
        fig.canvas,
    )


def lesson02() -> dict[str, float]:
    from helpers.explorers import lesson02 as L

    grid = np.linspace(-10, 10, 201)
    live = {
        "temperature": (
            L.LivePlot(
                (6.0, 3.2),
                (0.11, 0.17, 0.85, 0.72),
                L.draw_temperature_bars,
                L.update_temperature_bars,
            ),
            lambda i: L.temperature_view([2.0, 1.0 - 0.3 * i, 0.1], 0.7 + 0.2 * i),
        ),
        "shifted sigmoid": (
            L.LivePlot(
                (6.5, 3.2),
                (0.1, 0.17, 0.87, 0.72),
                L.draw_shifted_sigmoid_panel,
                L.update_shifted_sigmoid_panel,
            ),
            lambda i: L.shifted_sigmoid([1.0 + 0.5 * i, -1.0], grid),
        ),
        "simplex": (
            L.LivePlot((5.2, 4.4), (0.02, 0.08, 0.96, 0.84), L.draw_simplex, L.update_simplex),
            lambda i: L.simplex_view([2.0, 1.0, 0.1 + 0.4 * i], 0.7),
        ),
    }
    figures = {}
    for name, (plot, view) in live.items():
        moves = [lambda i=i, plot=plot, view=view: plot.render(view(i)) for i in range(6)]
        figures[name] = median_cpu(moves, plot.fig.canvas)
    return figures


def lesson03() -> float:
    from helpers.explorers import lesson03 as E

    fig, ax_bar, ax_heat = E.explorer_figure()
    return median_cpu(
        [
            lambda v=v: E.draw_jacobian(E.jacobian_state([v, 1.0, 0.1, -1.0]), ax_bar, ax_heat)
            for v in np.linspace(-4.0, 4.0, 6)
        ],
        fig.canvas,
    )


def lesson04() -> float:
    from helpers.datasets import toy_blobs
    from helpers.explorers import lesson04 as L

    X, Y = toy_blobs()
    W, b = np.array([[-0.5, 0.25], [1.0, 1.25]]), np.array([0.3, -0.2])
    fig = plt.figure(figsize=(5.6, 4.6))
    plot = L.BoundaryPlot(fig.add_subplot(), X, Y, box=(-4.0, 4.0, -4.0, 4.0), legend=False)
    return median_cpu(
        [
            lambda k=k: plot.render(
                L.boundary_view(W + 0.1 * k, b - 0.2 * k, box=(-4, 4, -4, 4), resolution=61)
            )
            for k in range(6)
        ],
        fig.canvas,
    )


def lesson05() -> float:
    from helpers.datasets import make_multilabel_data
    from helpers.explorers import lesson05 as L
    from helpers.metrics import precision_recall_at, threshold_curve
    from helpers.training import train_linear_head

    X, Y = make_multilabel_data()
    head = train_linear_head(X[:400], Y[:400], "sigmoid", epochs=150, verbose=False)
    p, Y = head.predict_proba(X[400:]), Y[400:]
    view = L.ThresholdView(threshold_curve(p, Y))
    return median_cpu(
        [lambda t=t: view.render(precision_recall_at(p, Y, t)) for t in (0.5, 0.3, 0.4, 0.6, 0.7)],
        view.fig.canvas,
    )


def lesson06() -> float:
    from helpers import data, training
    from helpers.explorers import lesson06 as L

    s = data.digit_splits()
    model = training.train_softmax_regression(s.X_train, s.y_train, epochs=8, lr=0.5)
    z, y = model.logits(s.X_test), s.y_test
    view = L.TemperatureView(15)
    return median_cpu(
        [lambda t=t: view.render(L.temperature_state(z, y, t)) for t in (1.0, 0.5, 0.8, 1.5, 3.0)],
        view.fig.canvas,
    )


def lesson07() -> float:
    from helpers import datasets, loss_surface, with_bias
    from helpers.explorers import lesson07 as L

    X_raw, y = datasets.make_multiclass_data(n=300, seed=6)
    X = with_bias(X_raw)
    W = loss_surface.descent_path(X, y, np.zeros((3, 3)), lr=1.0, steps=3000).W[-1]
    plot = L.SurfacePlot()
    return median_cpu(
        [
            lambda lam=lam: plot.render(L.surface_view(W, X, y, lam))
            for lam in (0, 0.05, 0.1, 0.02, 0.2)
        ],
        plot.fig.canvas,
    )


def main() -> int:
    target = f"{BOUND * 1e3:.0f} ms"
    print(f"Explorer redraw, median CPU time of one slider move (reported; target {target}):")
    figures: dict[str, float] = {}
    for name, bench in [
        ("01 sigma(wx + b)", lesson01),
        ("02", lesson02),
        ("03 Jacobian heatmap", lesson03),
        ("04 decision boundaries", lesson04),
        ("05 threshold", lesson05),
        ("06 reliability diagram", lesson06),
        ("07 loss plane", lesson07),
    ]:
        result = bench()
        if isinstance(result, dict):
            figures.update({f"{name} {k}": v for k, v in result.items()})
        else:
            figures[name] = result
        plt.close("all")
    for name, seconds in figures.items():
        note = "" if seconds <= BOUND else "  (above target on this machine)"
        print(f"  {name:<28} {seconds * 1e3:6.1f} ms{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
