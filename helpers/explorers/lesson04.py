r"""Lesson 04, Two classes: softmax equals sigmoid: the figures and the decision-boundary explorer.

The math the figures show lives in the math modules: the toy data in
:mod:`helpers.datasets`, the two gradient-descent loops (two-class softmax with
cross-entropy, sigmoid with binary cross-entropy) in :mod:`helpers.training`,
:func:`helpers.metrics.agreement` for printed comparisons. Here:
:func:`boundary_view`, the pure function that computes what the explorer shows,
the static figures, and :func:`two_class_explorer`, a thin widget wrapper.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.ticker import FuncFormatter

from .._validate import check_int, features_and_binary_labels, finite_array, two_class_params
from ..datasets import toy_blobs
from ..metrics import agreement
from ..models import two_class_to_sigmoid
from ..plots import PALETTE, LivePlot, figure
from ..sigmoid import sigmoid
from ..softmax import softmax
from ..training import SigmoidRun, SoftmaxRun, run_gap

__all__ = [
    "BoundaryView",
    "boundary_view",
    "boundary_readout",
    "BoundaryPlot",
    "draw_boundaries",
    "plot_failed_attempt",
    "plot_decision_boundaries",
    "plot_training",
    "two_class_explorer",
]

#: Class 0 and class 1 in every figure of the lesson (Okabe-Ito blue and orange).
CLASS_COLORS = (PALETTE["blue"], PALETTE["orange"])
CLASS_MARKERS = ("o", "^")
#: Where an exact zero is drawn on a log axis.
LOG_FLOOR = 1e-18


# -- the decision-boundary explorer ---------------------------------------------------


@dataclass(frozen=True)
class BoundaryView:
    """What the decision-boundary figure and explorer show for softmax parameters ``W``, ``b``.

    ``p_softmax[i, j]`` and ``p_sigmoid[i, j]`` are P(class 1) at the point
    ``(xs[j], ys[i])``. A line is a (2, 2) array of its two end points inside
    the box, or None when the model has no boundary there.
    """

    W: np.ndarray  # (2, 2) softmax weights, one row per class
    b: np.ndarray  # (2,)
    w: np.ndarray  # (2,) converted sigmoid weights (class 1)
    b_sigmoid: float
    xs: np.ndarray  # (m,)
    ys: np.ndarray  # (m,)
    p_softmax: np.ndarray  # (m, m)
    p_sigmoid: np.ndarray  # (m, m)
    line_softmax: np.ndarray | None  # where z0 = z1
    line_sigmoid: np.ndarray | None  # where w . x + b' = 0
    max_gap: float  # max |p_softmax - p_sigmoid| over the grid


def _segment_in_box(a, c, box) -> np.ndarray | None:
    """End points of the line ``a[0] x + a[1] y + c = 0`` inside ``box`` = (x0, x1, y0, y1)."""
    x0, x1, y0, y1 = box
    points = []
    if a[1] != 0:
        for x in (x0, x1):
            y = -(c + a[0] * x) / a[1]
            if y0 <= y <= y1:
                points.append((x, y))
    if a[0] != 0:
        for y in (y0, y1):
            x = -(c + a[1] * y) / a[0]
            if x0 <= x <= x1:
                points.append((x, y))
    if len(points) < 2:
        return None
    pts = np.array(points)  # corners can appear twice: keep the two farthest apart
    dist = np.linalg.norm(pts[:, None] - pts[None], axis=-1)
    i, j = np.unravel_index(np.argmax(dist), dist.shape)
    return None if dist[i, j] == 0 else pts[[i, j]]


def boundary_view(W, b, box=(-4.0, 4.0, -4.0, 4.0), resolution: int = 81) -> BoundaryView:
    """Both models' probabilities on a grid and both decision boundaries, for 2-D inputs.

    Parameters
    ----------
    W : array_like of shape (2, 2)
        Softmax weights, one row per class (two input features).
    b : array_like of shape (2,)
    box : (x_min, x_max, y_min, y_max)
    resolution : int >= 2
        Grid points per axis.

    Returns
    -------
    BoundaryView
        The softmax model evaluated directly, the sigmoid model through
        ``helpers.two_class_to_sigmoid(W, b, positive=1)``.

    Examples
    --------
    >>> view = boundary_view([[0.0, 0.0], [1.0, 0.0]], [0.0, 0.0], resolution=5)
    >>> view.w, view.b_sigmoid, view.line_sigmoid.tolist(), view.max_gap < 1e-15
    (array([1., 0.]), 0.0, [[-0.0, -4.0], [-0.0, 4.0]], True)
    """
    W, b = two_class_params(W, b, 2)
    box = finite_array(box, "box")
    if box.shape != (4,) or not (box[0] < box[1] and box[2] < box[3]):
        raise ValueError(f"box must be (x_min, x_max, y_min, y_max) with min < max, got {box}")
    resolution = check_int(resolution, "resolution", 2)
    w, b_sig = two_class_to_sigmoid(W, b, positive=1)
    xs = np.linspace(box[0], box[1], resolution)
    ys = np.linspace(box[2], box[3], resolution)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)  # (m*m, 2), row-major in y
    p_softmax = softmax(grid @ W.T + b)[:, 1].reshape(resolution, resolution)
    p_sigmoid = sigmoid(grid @ w + b_sig).reshape(resolution, resolution)
    return BoundaryView(
        W=W,
        b=b,
        w=w,
        b_sigmoid=b_sig,
        xs=xs,
        ys=ys,
        p_softmax=p_softmax,
        p_sigmoid=p_sigmoid,
        line_softmax=_segment_in_box(W[0] - W[1], b[0] - b[1], box),
        line_sigmoid=_segment_in_box(w, b_sig, box),
        max_gap=float(np.abs(p_softmax - p_sigmoid).max()),
    )


def _vec(v) -> str:
    return "(" + ", ".join(f"{x:+.2f}" for x in v) + ")"


def boundary_readout(view: BoundaryView) -> str:
    """One line: the softmax parameters, the converted sigmoid parameters, how the two agree.

    Examples
    --------
    >>> text = boundary_readout(boundary_view([[0.0, 0.0], [1.0, 0.0]], [0.0, 0.0], resolution=5))
    >>> for part in text.replace(";", "  ->  ").split("  ->  "):
    ...     print(part.strip())
    softmax w0 = (+0.00, +0.00), w1 = (+1.00, +0.00), b0 = +0.00, b1 = +0.00
    sigmoid (class 1) w' = (+1.00, +0.00), b' = +0.00
    p_softmax vs p_sigmoid: equal to rounding (max |difference| < 1e-12)
    """
    W, b = view.W, view.b
    return (
        f"softmax w0 = {_vec(W[0])}, w1 = {_vec(W[1])}, b0 = {b[0]:+.2f}, b1 = {b[1]:+.2f}"
        f"  ->  sigmoid (class 1) w' = {_vec(view.w)}, b' = {view.b_sigmoid:+.2f};"
        f"  p_softmax vs p_sigmoid: {agreement(view.p_softmax, view.p_sigmoid)}"
    )


def _crosses_half(p) -> bool:
    return bool(p.min() < 0.5 < p.max())


class BoundaryPlot:
    """The boundary figure on one Axes: built once, then updated in place by :meth:`render`.

    The data, the legend and the axes are drawn once; a slider step only swaps
    the shading and the two 0.5 contours, which keeps a redraw fast.
    """

    def __init__(self, ax, X=None, y=None, box=(-4.0, 4.0, -4.0, 4.0), legend: bool = True):
        from matplotlib.lines import Line2D
        from matplotlib.ticker import MaxNLocator

        self.ax = ax
        self.box = tuple(float(v) for v in box)
        self.image = ax.imshow(
            np.full((2, 2), 0.5),
            extent=self.box,
            origin="lower",
            cmap="cividis",
            vmin=0.0,
            vmax=1.0,
            alpha=0.3,
            interpolation="nearest",  # cheap to resample on every slider step
        )
        handles = []
        if X is not None:
            X, y = features_and_binary_labels(X, y)
            for k in (0, 1):
                pts = X[y == k]
                handles.append(
                    ax.scatter(
                        pts[:, 0],
                        pts[:, 1],
                        s=32,  # large enough to tell circles from triangles
                        c=CLASS_COLORS[k],
                        marker=CLASS_MARKERS[k],
                        edgecolors="white",
                        linewidths=0.4,
                        label=f"class {k}",
                    )
                )
        handles += [
            Line2D([], [], color=PALETTE["black"], lw=4, label="softmax: p = 0.5"),
            Line2D([], [], color=PALETTE["vermillion"], lw=1.8, ls="--", label="sigmoid: p = 0.5"),
        ]
        ax.set(
            xlim=self.box[:2],
            ylim=self.box[2:],
            xlabel="feature $x_1$",
            ylabel="feature $x_2$",
            aspect="equal",
        )
        for axis in (ax.xaxis, ax.yaxis):  # few tick labels: text is the slow part of a redraw
            axis.set_major_locator(MaxNLocator(5))
        if legend:
            ax.legend(handles=handles, loc="upper left", fontsize=8, framealpha=0.85, frameon=True)
        self.contours = []

    def render(self, view: BoundaryView) -> BoundaryPlot:
        """Show ``view``: the softmax model's P(class 1) as shading and both 0.5 contours."""
        self.image.set_data(view.p_softmax)
        self.image.set_extent((view.xs[0], view.xs[-1], view.ys[0], view.ys[-1]))
        for contour in self.contours:
            contour.remove()
        self.contours = []
        styles = (
            (view.p_softmax, {"colors": PALETTE["black"], "linewidths": 4}),
            (
                view.p_sigmoid,
                {"colors": PALETTE["vermillion"], "linewidths": 1.8, "linestyles": "--"},
            ),
        )
        for p, style in styles:
            if _crosses_half(p):  # a constant 1/2 (equal rows) has no boundary to draw
                self.contours.append(self.ax.contour(view.xs, view.ys, p, levels=[0.5], **style))
        return self


def draw_boundaries(view: BoundaryView, ax, X=None, y=None, legend: bool = True) -> BoundaryPlot:
    """Draw P(class 1) shading, the data and both 0.5 contours on ``ax``."""
    box = (view.xs[0], view.xs[-1], view.ys[0], view.ys[-1])
    return BoundaryPlot(ax, X, y, box=box, legend=legend).render(view)


# -- static figures ------------------------------------------------------------------


def plot_failed_attempt(z1_values=(-2.0, 0.0, 2.0)):
    """softmax([z0, z1])[0] against sigmoid(z0) (left) and against sigmoid(z0 - z1) (right).

    z0 and z1 are the two logits (lesson 04 keeps x for the input features).
    """
    z1_values = finite_array(z1_values, "z1_values")
    if z1_values.ndim != 1 or z1_values.size == 0:
        raise ValueError(f"z1_values must be a non-empty 1-D list, got shape {z1_values.shape}")
    z0 = np.linspace(-8, 8, 321)
    fig, (left, right) = figure(1, 2, figsize=(9.0, 3.6), sharey=True)
    colors = [PALETTE["blue"], PALETTE["orange"], PALETTE["green"], PALETTE["purple"]]
    for ax, shifted in ((left, False), (right, True)):
        for i, z1 in enumerate(z1_values):
            p0 = softmax(np.stack([z0, np.full_like(z0, z1)], axis=-1))[:, 0]
            ax.plot(
                z0 - z1 if shifted else z0,
                p0,
                color=colors[i % len(colors)],
                lw=2.2,
                ls=("-", "--", ":", "-.")[i % 4],
                marker=("o", "s", "^", "D")[i % 4] if shifted else None,
                markevery=(8 + 9 * i, 27),  # staggered, so every curve shows on the shared one
                markersize=5,
                label=f"softmax([z0, {z1:g}])[0]",
            )
        ax.plot(
            z0,
            sigmoid(z0),
            color=PALETTE["black"],
            lw=1,
            label="sigmoid(z0)" if not shifted else "sigmoid(t)",
        )
        ax.set_xlim(-8, 8)
    left.set(
        title="Same numbers in: only z1 = 0 matches sigmoid(z0)",
        xlabel="z0",
        ylabel="probability",
    )
    right.set(title="Against t = z0 - z1: one curve, sigmoid(t)", xlabel="t = z0 - z1")
    left.legend(loc="upper left", fontsize=8)
    right.legend(loc="upper left", fontsize=8)
    return fig


def plot_decision_boundaries(X, y, W, b, title: str | None = None):
    """The toy data, P(class 1) shading, and the 0.5 contours of the softmax and sigmoid models."""
    X, y = features_and_binary_labels(X, y)
    if X.shape[1] != 2:
        raise ValueError(f"X must have two features to be drawn, got shape {X.shape}")
    lo, hi = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    view = boundary_view(W, b, box=(lo[0], hi[0], lo[1], hi[1]), resolution=161)
    fig, ax = figure(figsize=(6.0, 5.0))
    plot = draw_boundaries(view, ax, X, y)
    fig.colorbar(plot.image, ax=ax, label="P(class 1), softmax model", shrink=0.8)
    ax.set_title(
        title or f"Two models, one boundary: w' = {_vec(view.w)}, b' = {view.b_sigmoid:+.2f}",
        fontsize=10,
    )
    return fig


def plot_training(sigmoid_run: SigmoidRun, softmax_same: SoftmaxRun, softmax_half: SoftmaxRun):
    """Loss curves of the three runs (left) and the parameter gap per step, log scale (right)."""
    for run in (softmax_same, softmax_half):
        if run.loss.shape != sigmoid_run.loss.shape:
            raise ValueError("every run must have the same number of steps")
    steps = np.arange(sigmoid_run.loss.size)
    fig, (left, right) = figure(1, 2, figsize=(9.5, 3.8))
    # Left: against step + 1 on a log axis, so that step 0 is drawn (at 1) and the
    # first few steps, where the runs part, are not squeezed into the corner.
    curves = (
        (sigmoid_run, "sigmoid + BCE", {"color": PALETTE["black"], "lw": 4, "alpha": 0.35}),
        (softmax_same, "softmax + CE", {"color": PALETTE["vermillion"], "lw": 1.8}),
        (softmax_half, "softmax + CE", {"color": PALETTE["blue"], "lw": 1.6, "ls": "--"}),
    )
    for run, name, style in curves:
        left.plot(steps + 1, run.loss, label=f"{name}, lr = {run.lr:g}", **style)
    left.set_xscale("log")
    left.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))  # 1, 10, 100
    left.set(
        title="Training loss",
        xlabel="gradient-descent step + 1 (log scale)",
        ylabel="mean cross-entropy",
    )
    left.legend(loc="upper right", fontsize=8)
    for run, color, ls in (
        (softmax_same, PALETTE["vermillion"], "-"),
        (softmax_half, PALETTE["blue"], "--"),
    ):
        gap = np.maximum(run_gap(sigmoid_run, run), LOG_FLOOR)
        right.plot(steps, gap, color=color, lw=1.6, ls=ls, label=f"softmax lr = {run.lr:g}")
    right.set_yscale("log")
    right.set_ylim(LOG_FLOOR / 3, 10)
    eps = np.finfo(np.float64).eps
    right.axhline(eps, color=PALETTE["black"], lw=0.8, ls=":", label=f"float64 eps ({eps:.1e})")
    right.set(
        title="max |w_sigmoid - (w1 - w0)| (bias included)",
        xlabel="gradient-descent step",
        ylabel=f"parameter gap (0 drawn at {LOG_FLOOR:.0e})",
    )
    right.legend(loc="center right", fontsize=8)
    return fig


# -- the widget wrapper --------------------------------------------------------------


def two_class_explorer(X=None, y=None):
    """Sliders for the softmax parameters; both decision boundaries and the converted sigmoid.

    Needs a live kernel. What the figure shows is computed by :func:`boundary_view`
    and drawn by :class:`BoundaryPlot`; this wrapper only wires the sliders to them.
    """
    import html

    import ipywidgets as widgets

    if X is None:
        X, y = toy_blobs()
    X, y = features_and_binary_labels(X, y)
    lo, hi = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    box = (lo[0], hi[0], lo[1], hi[1])
    start = {"w0_x": -0.5, "w0_y": 0.0, "w1_x": 1.0, "w1_y": 1.0, "b0": 0.0, "b1": 0.0}
    sliders = {
        name: widgets.FloatSlider(
            value=value,
            min=-3.0,
            max=3.0,
            step=0.1,
            description=name,
            continuous_update=True,
            layout=widgets.Layout(width="260px"),
        )
        for name, value in start.items()
    }
    readout = widgets.HTML()
    key = (
        "<b>Key:</b> class 0 blue circles, class 1 orange triangles; shading P(class 1); "
        "softmax p = 0.5 thick black, converted sigmoid p = 0.5 dashed vermilion."
    )

    def build(fig):
        ax = fig.add_axes((0.12, 0.1, 0.84, 0.8))
        plot = BoundaryPlot(ax, X, y, box=box, legend=False)  # the key is text: faster redraws
        ax.set_title("Softmax (solid) and converted sigmoid (dashed)", fontsize=10)
        return plot

    # BoundaryPlot.render swaps the shading and contours of the artists it drew once
    live = LivePlot((5.6, 4.6), build, lambda view, plot: plot.render(view))

    def draw(w0_x, w0_y, w1_x, w1_y, b0, b1):
        view = boundary_view([[w0_x, w0_y], [w1_x, w1_y]], [b0, b1], box=box, resolution=61)
        lines = boundary_readout(view).replace("  ->  ", "\n").replace(";  ", "\n")
        readout.value = "<pre>" + html.escape(lines) + "</pre>"
        live.show(view)

    out = widgets.interactive_output(draw, sliders)
    columns = widgets.HBox(
        [
            widgets.VBox([sliders["w0_x"], sliders["w0_y"]]),
            widgets.VBox([sliders["w1_x"], sliders["w1_y"]]),
            widgets.VBox([sliders["b0"], sliders["b1"]]),
        ]
    )
    return widgets.VBox([columns, readout, out, widgets.HTML(key)])
