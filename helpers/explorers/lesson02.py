r"""Lesson 02, Softmax: the figures and the three explorers.

Softmax maps :math:`\mathbb{R}^k \to \mathbb{R}^k`, so no single curve shows it.
This module draws it four ways: for :math:`k = 2` as a heatmap over
:math:`(z_0, z_1)`; for :math:`k = 3` on the probability simplex (a triangle);
as probabilities against the temperature; and as the "shifted sigmoid"
:math:`\operatorname{softmax}(z)_i = \sigma(z_i - \operatorname{LSE}(z_{j \ne i}))`.

Each explorer is a pure function that computes what the picture shows
(``temperature_view``, ``shifted_sigmoid``, ``simplex_view``), a ``draw_...``
function that puts it on a Matplotlib Axes, and a thin ipywidgets wrapper
(``..._explorer()``). The math comes from :mod:`helpers`; nothing here is an
exercise answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import check_positive, finite_vector, positive_vector
from ..plots import LINESTYLES, PALETTE, LivePlot, figure, live_figure, numbers
from ..scaling import standardize_sigmoid
from ..sigmoid import sigmoid
from ..softmax import logsumexp, softmax

__all__ = [
    "explorer_canvas",
    "LivePlot",
    "update_temperature_bars",
    "update_shifted_sigmoid_panel",
    "update_simplex",
    "TemperatureView",
    "temperature_view",
    "draw_temperature_bars",
    "temperature_explorer",
    "temperature_curves",
    "plot_temperature_curves",
    "softmax2_grid",
    "plot_softmax2_heatmap",
    "ShiftedSigmoid",
    "shifted_sigmoid",
    "draw_shifted_sigmoid",
    "plot_shifted_sigmoid",
    "draw_shifted_sigmoid_panel",
    "shifted_sigmoid_explorer",
    "simplex_xy",
    "SimplexView",
    "simplex_view",
    "draw_simplex",
    "plot_simplex",
    "simplex_explorer",
    "three_squashers",
    "plot_three_squashers",
    "Saturation",
    "saturation_curves",
    "plot_saturation",
]

CLASS_COLORS = [PALETTE["blue"], PALETTE["orange"], PALETTE["green"], PALETTE["purple"]]
_GREY = "#777777"


def _entropy(p: np.ndarray) -> float:
    """Entropy in nats, with 0 log 0 = 0."""
    nz = p[p > 0]
    return float(-(nz * np.log(nz)).sum())


# ------------------------------------------------------- explorer plumbing


def explorer_canvas(figsize, rect=(0.13, 0.2, 0.82, 0.7)):
    """One Figure and Axes that an explorer redraws on every slider move (fixed layout)."""
    return live_figure(figsize, lambda fig: fig.add_axes(rect))


# --------------------------------------------------- explorer 1: temperature


@dataclass(frozen=True)
class TemperatureView:
    """What the temperature explorer shows for logits ``z`` at temperature ``T``."""

    z: np.ndarray  # (k,) logits
    temperature: float
    p: np.ndarray  # (k,) softmax(z / T)
    entropy: float  # nats; 0 for one-hot, log k for uniform
    winner: int  # argmax, the class that T -> 0 picks

    def readout(self) -> str:
        return (
            f"T = {self.temperature:.3g}: p = {numbers(self.p, '.3f')}, sum = {self.p.sum():.3f}, "
            f"entropy = {self.entropy:.3f} nats (uniform: {np.log(self.p.size):.3f})"
        )


def temperature_view(z, temperature) -> TemperatureView:
    """Probabilities ``softmax(z / T)`` and what to say about them.

    Parameters
    ----------
    z : sequence of float, shape (k,)
    temperature : float > 0

    Examples
    --------
    >>> v = temperature_view([2.0, 1.0, 0.1], 1.0)
    >>> v.p.round(3), v.winner
    (array([0.659, 0.242, 0.099]), 0)
    """
    z = finite_vector(z, "z")
    t = check_positive(temperature, "temperature")
    p = softmax(z, temperature=t)
    return TemperatureView(z, t, p, _entropy(p), int(np.argmax(z)))


def draw_temperature_bars(view: TemperatureView, ax) -> dict:
    """Bar chart of the probabilities, the logits as tick labels, the uniform level dashed.

    Returns the artists, for :func:`update_temperature_bars`.
    """
    k = view.p.size
    x = np.arange(k)
    colors = [CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(k)]
    bars = ax.bar(x, view.p, color=colors, width=0.6)
    ax.axhline(1 / k, color=_GREY, ls="--", lw=1)
    ax.text(k - 0.55, 1 / k + 0.02, f"uniform 1/{k}", color=_GREY, ha="right", fontsize=8)
    labels = [ax.text(i, 0, "", ha="center", va="bottom", fontsize=9) for i in range(k)]
    ax.set_xticks(x)
    ax.set_yticks([0, 0.5, 1])  # few tick labels: text is what makes a redraw slow
    ax.set_xlim(-0.6, k - 0.4)
    ax.set_ylim(0, 1.08)
    ax.set_xlabel("class, with its logit")
    ax.set_ylabel("softmax(z / T)")
    handles = {"bars": bars, "labels": labels, "title": ax.set_title("")}
    update_temperature_bars(handles, view)
    return handles


def update_temperature_bars(handles: dict, view: TemperatureView) -> None:
    """Move the bars, their value labels, the logits under them and the title to ``view``."""
    for bar, label, v in zip(handles["bars"], handles["labels"], view.p):
        bar.set_height(v)
        label.set_y(min(v + 0.03, 0.97))
        label.set_text(f"{v:.3f}")
    handles["bars"][0].axes.set_xticklabels([f"z{i} = {zi:.2f}" for i, zi in enumerate(view.z)])
    handles["title"].set_text(f"T = {view.temperature:.3g}, entropy {view.entropy:.2f} nats")


def _logit_and_temperature_sliders(z, temperature):
    """One slider per logit (-5 to 5) and a log-scale slider for T (0.01 to 100)."""
    import ipywidgets as widgets

    sliders = {
        f"z{i}": widgets.FloatSlider(
            value=float(v), min=-5.0, max=5.0, step=0.1, description=f"z{i}"
        )
        for i, v in enumerate(z)
    }
    sliders["temperature"] = widgets.FloatLogSlider(
        value=temperature, base=10, min=-2, max=2, step=0.05, description="T"
    )
    return sliders


def temperature_explorer(z=(2.0, 1.0, 0.1), temperature=1.0):
    """Sliders for three logits and the temperature (log scale) over the bar chart."""
    import ipywidgets as widgets

    sliders = _logit_and_temperature_sliders(z, temperature)
    readout = widgets.HTML()
    live = LivePlot(
        (6.0, 3.2), (0.11, 0.17, 0.85, 0.72), draw_temperature_bars, update_temperature_bars
    )

    def draw(temperature, **zs):
        view = temperature_view([zs[f"z{i}"] for i in range(len(z))], temperature)
        readout.value = view.readout()
        live.show(view)

    out = widgets.interactive_output(draw, sliders)
    return widgets.VBox(
        [widgets.HBox(list(sliders.values())[:3]), sliders["temperature"], out, readout]
    )


def temperature_curves(z, temperatures) -> np.ndarray:
    """``softmax(z / T)`` for every ``T`` in ``temperatures``: shape (len(temperatures), k).

    Examples
    --------
    >>> temperature_curves([1.0, 0.0], [1e-3, 1e3]).round(3)
    array([[1. , 0. ],
           [0.5, 0.5]])
    """
    z = finite_vector(z, "z")
    ts = positive_vector(temperatures, "temperatures")
    return softmax(z[None, :] / ts[:, None], axis=1)  # (n_T, k)


def plot_temperature_curves(z=(2.0, 1.0, 0.1), temperatures=None):
    """Probabilities of a fixed logit vector against T (log axis). Returns the Figure."""
    ts = np.logspace(-2, 2, 241)
    if temperatures is not None:
        ts = positive_vector(temperatures, "temperatures")
    z = finite_vector(z, "z")
    P = temperature_curves(z, ts)
    fig, ax = figure(figsize=(7.0, 3.8))
    for i in range(z.size):
        style = LINESTYLES[i % 4]  # a second cue: blue and green look alike to tritanopes
        ax.plot(
            ts, P[:, i], style, color=CLASS_COLORS[i % 4], lw=2, label=f"class {i} (z = {z[i]:g})"
        )
    ax.axhline(1 / z.size, color=_GREY, ls="--", lw=1, label=f"uniform 1/{z.size}")
    ax.axvline(1.0, color=_GREY, ls=":", lw=1)
    ax.text(1.05, 0.93, "T = 1: plain softmax", color=_GREY, fontsize=9)
    ax.text(0.011, 0.80, "T → 0:\none-hot argmax", fontsize=9)
    ax.text(12, 0.45, "T → ∞: uniform", fontsize=9)
    ax.set_xscale("log")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("temperature T (log scale)")
    ax.set_ylabel("probability softmax(z / T)")
    ax.set_title(f"Temperature sharpens or flattens: z = {numbers(z)}")
    # free space above the curves: clear of the uniform line and below the T = 1 label
    ax.legend(loc="upper right", bbox_to_anchor=(1.0, 0.92))
    return fig


# ------------------------------------------------------------- k = 2 heatmap


def softmax2_grid(z0, z1) -> np.ndarray:
    """``softmax([z0, z1])[0]`` on the grid: shape (len(z1), len(z0)), rows follow ``z1``.

    Examples
    --------
    >>> softmax2_grid([0.0, 1.0], [0.0]).round(4)
    array([[0.5   , 0.7311]])
    """
    z0 = finite_vector(z0, "z0")
    z1 = finite_vector(z1, "z1")
    Z = np.stack(np.broadcast_arrays(z0[None, :], z1[:, None]), axis=-1)  # (n1, n0, 2)
    return softmax(Z, axis=-1)[..., 0]


def plot_softmax2_heatmap(lim: float = 6.0, n: int = 241):
    """Heatmap of softmax(z)_0 over (z0, z1), with contour lines. Returns the Figure."""
    g = np.linspace(-lim, lim, n)
    S = softmax2_grid(g, g)
    fig, ax = figure(figsize=(5.6, 4.6))
    im = ax.imshow(S, origin="lower", extent=(-lim, lim, -lim, lim), vmin=0, vmax=1, aspect="equal")
    levels = [0.05, 0.25, 0.5, 0.75, 0.95]
    cs = ax.contour(g, g, S, levels=levels, colors="white", linewidths=1)
    ax.clabel(cs, fmt="%.2f", fontsize=8)
    ax.grid(False)
    ax.set_xlabel(r"logit $z_0$")
    ax.set_ylabel(r"logit $z_1$")
    ax.set_title(r"$k = 2$: $\mathrm{softmax}(z)_0$ depends only on $z_0 - z_1$")
    fig.colorbar(im, ax=ax, label=r"$\mathrm{softmax}(z)_0 = \sigma(z_0 - z_1)$")
    return fig


# ----------------------------------------------- explorer 2: shifted sigmoid


@dataclass(frozen=True)
class ShiftedSigmoid:
    """softmax(z)_0 as a function of z_0 alone, the other logits held fixed."""

    grid: np.ndarray  # (m,) values of z_0
    p: np.ndarray  # (m,) softmax([z_0, *others])[0]
    others: np.ndarray  # (k - 1,) the fixed logits
    midpoint: float  # logsumexp(others): where p = 1/2

    def readout(self) -> str:
        return (
            f"others = {numbers(self.others, '.2f')}: midpoint LSE(others) = {self.midpoint:.3f} "
            f"(max(others) = {self.others.max():.3f}); slope there = 1/4"
        )


def shifted_sigmoid(others, grid) -> ShiftedSigmoid:
    """softmax(z)_0 along ``grid`` of z_0 values, with ``others`` fixed.

    Parameters
    ----------
    others : sequence of float, shape (k - 1,)
        The logits of the other classes.
    grid : sequence of float, shape (m,)
        Values of z_0.

    Examples
    --------
    >>> v = shifted_sigmoid([0.0, 0.0], [np.log(2.0)])
    >>> round(v.midpoint, 6), v.p.round(6)
    (0.693147, array([0.5]))
    """
    others = finite_vector(others, "others")
    grid = finite_vector(grid, "grid")
    Z = np.column_stack([grid, np.broadcast_to(others, (grid.size, others.size))])  # (m, k)
    p = softmax(Z, axis=1)[:, 0]
    return ShiftedSigmoid(grid, p, others, float(logsumexp(others)))


def draw_shifted_sigmoid(view: ShiftedSigmoid, ax, color=None, label=None) -> None:
    """The curve, its midpoint (dashed) and the point (midpoint, 1/2)."""
    color = color or PALETTE["blue"]
    label = label or f"others = {numbers(view.others)}"
    ax.plot(view.grid, view.p, color=color, lw=2, label=label)
    ax.axvline(view.midpoint, color=color, ls="--", lw=1)
    ax.plot([view.midpoint], [0.5], "o", color=color, ms=6)
    ax.set_xlabel(r"$z_0$ (the other logits fixed)")
    ax.set_ylabel(r"$\mathrm{softmax}(z)_0$")
    ax.set_ylim(-0.02, 1.02)


def draw_shifted_sigmoid_panel(view: ShiftedSigmoid, ax) -> dict:
    """What the explorer shows: the curve, its midpoint, and σ(z0) (all others at -inf).

    Returns the artists, for :func:`update_shifted_sigmoid_panel`.
    """
    ax.plot(view.grid, sigmoid(view.grid), color=_GREY, ls=":", lw=1.5)
    ax.text(
        0.02,
        0.9,
        "dotted: σ(z0), all other logits at -∞",
        color=_GREY,
        fontsize=8,
        transform=ax.transAxes,
    )  # a label, not a legend: legends are slow to redraw
    color = PALETTE["blue"]
    (curve,) = ax.plot(view.grid, view.p, color=color, lw=2)
    handles = {
        "curve": curve,
        "midline": ax.axvline(view.midpoint, color=color, ls="--", lw=1),
        "midpoint": ax.plot([view.midpoint], [0.5], "o", color=color, ms=6)[0],
        "title": ax.set_title(""),
    }
    ax.set_xlim(view.grid[0], view.grid[-1])
    ax.set_ylim(-0.02, 1.02)
    ax.set_xticks(np.linspace(view.grid[0], view.grid[-1], 5))
    ax.set_yticks([0, 0.5, 1])  # few tick labels: text is what makes a redraw slow
    ax.set_xlabel(r"$z_0$ (the other logits fixed)")
    ax.set_ylabel(r"$\mathrm{softmax}(z)_0$")
    update_shifted_sigmoid_panel(handles, view)
    return handles


def update_shifted_sigmoid_panel(handles: dict, view: ShiftedSigmoid) -> None:
    """Move the curve and its midpoint to ``view``."""
    handles["curve"].set_data(view.grid, view.p)
    handles["midline"].set_xdata([view.midpoint, view.midpoint])
    handles["midpoint"].set_data([view.midpoint], [0.5])
    handles["title"].set_text(f"a sigmoid in z0 with midpoint LSE(others) = {view.midpoint:.2f}")


def plot_shifted_sigmoid(others_list=((0.0, 0.0), (2.0, 1.0), (-1.0, -3.0)), lim: float = 8.0):
    """Left: softmax(z)_0 against z0 for several fixed others; right: all collapse onto σ.

    Returns the Figure.
    """
    grid = np.linspace(-lim, lim, 401)
    fig, (ax1, ax2) = figure(1, 2, figsize=(9.0, 3.8))
    # On the right the curves coincide exactly: a wide pale band, then dashes whose gaps
    # the next curve fills, so every one of them stays visible.
    styles = [
        dict(lw=8.0, alpha=0.35, ls="-"),
        dict(lw=3.5, ls=(0, (4, 4))),
        dict(lw=3.5, ls=(4, (4, 4))),
        dict(lw=2.0, ls=(0, (1, 2))),
    ]
    for c, style, others in zip(CLASS_COLORS, styles, others_list):
        view = shifted_sigmoid(others, grid)
        draw_shifted_sigmoid(
            view, ax1, color=c, label=f"others = {list(others)}, LSE = {view.midpoint:.2f}"
        )
        ax2.plot(grid - view.midpoint, view.p, color=c, label=f"others = {list(others)}", **style)
    ax2.plot(grid, sigmoid(grid), color="black", ls=":", lw=1.2, label=r"$\sigma(u)$")
    ax2.set_xlim(-lim, lim)
    ax1.set_title("Each curve is a sigmoid; dashed: its midpoint")
    ax1.legend(loc="upper left", fontsize=8)
    ax2.set_xlabel(r"$u = z_0 - \mathrm{logsumexp}(\mathrm{others})$")
    ax2.set_ylabel(r"$\mathrm{softmax}(z)_0$")
    ax2.set_title(r"Shifted by its midpoint, every curve is $\sigma(u)$")
    ax2.legend(loc="upper left", fontsize=8, handlelength=3.5)
    return fig


def shifted_sigmoid_explorer(others=(1.0, -1.0)):
    """Sliders for the other two logits; the curve of softmax(z)_0 against z0 moves."""
    import ipywidgets as widgets

    sliders = {
        f"z{i + 1}": widgets.FloatSlider(
            value=float(v), min=-5.0, max=5.0, step=0.1, description=f"z{i + 1}"
        )
        for i, v in enumerate(others)
    }
    readout = widgets.HTML()
    grid = np.linspace(-10, 10, 201)
    live = LivePlot(
        (6.5, 3.2),
        (0.1, 0.17, 0.87, 0.72),
        draw_shifted_sigmoid_panel,
        update_shifted_sigmoid_panel,
    )

    def draw(**zs):
        view = shifted_sigmoid([zs[f"z{i + 1}"] for i in range(len(others))], grid)
        readout.value = view.readout()
        live.show(view)

    out = widgets.interactive_output(draw, sliders)
    return widgets.VBox([widgets.HBox(list(sliders.values())), out, readout])


# --------------------------------------------------- explorer 3: the simplex

_VERTICES = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])  # class 0, 1, 2


def simplex_xy(p) -> np.ndarray:
    """Cartesian point of 3-class probabilities ``p`` (shape (..., 3)) in the triangle.

    Class 0 sits at (0, 0), class 1 at (1, 0), class 2 at (1/2, sqrt(3)/2); the
    uniform distribution at the centre.

    Examples
    --------
    >>> simplex_xy([1 / 3, 1 / 3, 1 / 3]).round(4)
    array([0.5   , 0.2887])
    """
    p = np.asarray(p, dtype=np.float64)
    if p.ndim < 1 or p.shape[-1] != 3:
        raise ValueError(f"p must have 3 probabilities along its last axis, got shape {p.shape}")
    if (p < -1e-12).any() or not np.allclose(p.sum(axis=-1), 1.0, atol=1e-9):
        raise ValueError("p must be probabilities: non-negative, summing to 1 along the last axis")
    return p @ _VERTICES  # (..., 2)


@dataclass(frozen=True)
class SimplexView:
    """A logit vector at one temperature, and its path as T runs from cold to hot."""

    z: np.ndarray  # (3,)
    temperature: float
    p: np.ndarray  # (3,)
    xy: np.ndarray  # (2,) the point
    temperatures: np.ndarray  # (n,)
    path: np.ndarray  # (n, 2) the points softmax(z / T) for all temperatures

    def readout(self) -> str:
        z, p = numbers(self.z, ".2f"), numbers(self.p, ".3f")
        return f"z = {z}, T = {self.temperature:.3g}: p = {p}"


def simplex_view(z, temperature=1.0, temperatures=None) -> SimplexView:
    """Where ``softmax(z / T)`` sits on the 3-class simplex, and its temperature path.

    Examples
    --------
    >>> v = simplex_view([0.0, 0.0, 0.0])
    >>> v.xy.round(4)
    array([0.5   , 0.2887])
    """
    z = finite_vector(z, "z", size=3)
    t = check_positive(temperature, "temperature")
    ts = np.logspace(-2, 2, 121)
    if temperatures is not None:
        ts = positive_vector(temperatures, "temperatures")
    p = softmax(z, temperature=t)
    path = simplex_xy(temperature_curves(z, ts))
    return SimplexView(z, t, p, simplex_xy(p), ts, path)


def _draw_triangle(ax) -> None:
    tri = np.vstack([_VERTICES, _VERTICES[:1]])
    ax.plot(tri[:, 0], tri[:, 1], color="black", lw=1.2)
    offsets = [(-0.04, -0.05, "right"), (1.04, -0.05, "left"), (0.5, 0.90, "center")]
    for i, (x, y, ha) in enumerate(offsets):
        ax.text(
            x,
            y,
            f"class {i}\n(p{i} = 1)" if i < 2 else f"class {i} (p{i} = 1)",
            ha=ha,
            va="top" if i < 2 else "bottom",
            color=CLASS_COLORS[i],
            fontsize=9,
        )
    ax.plot([0.5], [np.sqrt(3) / 6], "+", color=_GREY, ms=10, mew=1.5)
    ax.set_aspect("equal")
    ax.set_xlim(-0.22, 1.22)
    ax.set_ylim(-0.14, 1.02)
    ax.grid(False)
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)


def draw_simplex(view: SimplexView, ax) -> dict:
    """Triangle, the temperature path (■: the cold end) and the current point.

    Returns the artists, for :func:`update_simplex`.
    """
    _draw_triangle(ax)
    handles = {
        "path": ax.plot([], [], color=PALETTE["sky"], lw=2, label="path, T from 0.01 to 100")[0],
        "start": ax.plot([], [], "s", color=PALETTE["sky"], ms=5)[0],
        "point": ax.plot([], [], "o", color=PALETTE["vermillion"], ms=9, label="softmax(z / T)")[0],
        "title": ax.set_title(""),
    }
    ax.set_xlabel("3-class probability simplex (+ = uniform)")
    ax.legend(loc="upper right", fontsize=8)
    update_simplex(handles, view)
    return handles


def update_simplex(handles: dict, view: SimplexView) -> None:
    """Move the path, the point and the title to ``view``."""
    handles["path"].set_data(view.path[:, 0], view.path[:, 1])
    handles["start"].set_data(view.path[:1, 0], view.path[:1, 1])
    handles["point"].set_data([view.xy[0]], [view.xy[1]])
    handles["title"].set_text(f"T = {view.temperature:.3g}: p = {numbers(view.p, '.2f')}")


def plot_simplex(lim: float = 4.0, n: int = 9):
    """Left: a grid of logits (z2 = 0) mapped onto the triangle; right: temperature paths.

    Returns the Figure.
    """
    fig, (ax1, ax2) = figure(1, 2, figsize=(10.5, 4.6))
    _draw_triangle(ax1)
    g = np.linspace(-lim, lim, n)
    fine = np.linspace(-lim, lim, 101)
    for a in g:  # lines of constant z0, and of constant z1
        for pts in (
            np.column_stack([np.full_like(fine, a), fine, np.zeros_like(fine)]),
            np.column_stack([fine, np.full_like(fine, a), np.zeros_like(fine)]),
        ):
            xy = simplex_xy(softmax(pts, axis=1))
            ax1.plot(xy[:, 0], xy[:, 1], color=_GREY, lw=0.6)
    A, B = np.meshgrid(g, g)
    Z = np.stack([A.ravel(), B.ravel(), np.zeros(A.size)], axis=1)  # (n*n, 3)
    P = softmax(Z, axis=1)
    xy = simplex_xy(P)
    colors = [CLASS_COLORS[i] for i in P.argmax(axis=1)]
    ax1.scatter(xy[:, 0], xy[:, 1], c=colors, s=14, zorder=3)
    ax1.set_title(f"Logits z = (z0, z1, 0), z0, z1 in [{-lim:g}, {lim:g}]")
    ax1.set_xlabel("colour: the class with the largest probability")

    _draw_triangle(ax2)
    for c, z in zip(
        [PALETTE["vermillion"], PALETTE["purple"], PALETTE["blue"]],
        [(2.0, 1.0, 0.1), (0.0, 3.0, 2.5), (-1.0, 0.0, 2.0)],
    ):
        view = simplex_view(z)
        ax2.plot(view.path[:, 0], view.path[:, 1], color=c, lw=2, label=f"z = {list(z)}")
        ax2.plot(*view.path[0], "s", color=c, ms=6)
        ax2.plot(*view.xy, "o", color=c, ms=7)
    for ax in (ax1, ax2):
        ax.set_xlim(-0.26, 1.26)  # room for the corner labels
    ax2.set_title("As T grows: from a corner (■, T = 0.01) to the centre")
    ax2.set_xlabel("● marks T = 1")
    # in the empty space left of the triangle, away from the corner labels and the title
    ax2.legend(loc="center left", bbox_to_anchor=(0.0, 0.6), fontsize=8)
    return fig


def simplex_explorer(z=(2.0, 1.0, 0.1), temperature=1.0):
    """Sliders for three logits and T; the point softmax(z / T) moves on the triangle."""
    import ipywidgets as widgets

    sliders = _logit_and_temperature_sliders(z, temperature)
    readout = widgets.HTML()
    live = LivePlot((5.2, 4.4), (0.02, 0.08, 0.96, 0.84), draw_simplex, update_simplex)

    def draw(z0, z1, z2, temperature):
        view = simplex_view([z0, z1, z2], temperature)
        readout.value = view.readout()
        live.show(view)

    out = widgets.interactive_output(draw, sliders)
    return widgets.VBox(
        [widgets.HBox(list(sliders.values())[:3]), sliders["temperature"], out, readout]
    )


# ------------------------------------------- three things learners confuse


def three_squashers(x, ddof: int = 0) -> dict[str, np.ndarray]:
    """The three maps into (0, 1) that share a name in forums, applied to one vector.

    Returns a dict with keys ``"sigmoid"`` (σ(x)), ``"standardize_sigmoid"``
    (σ((x - mean) / std)) and ``"softmax"`` (softmax(x)), each of shape (n,).

    Examples
    --------
    >>> {k: v.round(3) for k, v in three_squashers([1.0, 2.0, 3.0], ddof=1).items()}
    ... # doctest: +NORMALIZE_WHITESPACE
    {'sigmoid': array([0.731, 0.881, 0.953]),
     'standardize_sigmoid': array([0.269, 0.5  , 0.731]),
     'softmax': array([0.09 , 0.245, 0.665])}
    """
    x = finite_vector(x, "x")
    return {
        "sigmoid": sigmoid(x),
        "standardize_sigmoid": standardize_sigmoid(x, ddof=ddof),
        "softmax": softmax(x),
    }


def plot_three_squashers(x, ddof: int = 0):
    """The three maps on one data set, one marker series each, sums in the legend.

    Returns the Figure.
    """
    x = finite_vector(x, "x")
    out = three_squashers(x, ddof=ddof)
    names = {
        "sigmoid": "σ(x), elementwise",
        "standardize_sigmoid": f"σ((x - mean) / std), ddof={ddof}",
        "softmax": "softmax(x)",
    }
    markers = {"sigmoid": "o", "standardize_sigmoid": "s", "softmax": "^"}
    colors = {
        "sigmoid": PALETTE["blue"],
        "standardize_sigmoid": PALETTE["orange"],
        "softmax": PALETTE["green"],
    }
    fig, ax = figure(figsize=(8.0, 3.8))
    idx = np.arange(x.size)
    # Markers only: the axis lists the values in order, not to scale, so lines between
    # them would suggest a curve. Each map is shifted sideways so equal values stay visible.
    for shift, (key, values) in zip((-0.2, 0.0, 0.2), out.items()):
        ax.plot(
            idx + shift,
            values,
            ls="none",
            marker=markers[key],
            color=colors[key],
            ms=7,
            alpha=0.9,
            label=f"{names[key]}: sum = {values.sum():.3f}",
        )
    ax.set_xticks(idx, [f"{v:g}" for v in x])
    ax.set_xlabel("value of the measure x (in order, not to scale)")
    ax.set_ylabel("output")
    ax.set_ylim(-0.05, 1.12)
    ax.set_title("Three different maps into (0, 1) on the same data")
    ax.legend(loc="upper left", fontsize=8, ncols=1)
    return fig


# ------------------------------------- which saturates faster, sigmoid or softmax?


@dataclass(frozen=True)
class Saturation:
    """softmax(z)_0 along its own logit z_0, with k - 1 competitors at 0, for several k."""

    grid: np.ndarray  # (m,) values of z_0
    ks: tuple  # the class counts k
    p: np.ndarray  # (len(ks), m): softmax([z_0, 0, ..., 0])[0]
    tail: np.ndarray  # (len(ks), m): 1 - p, summed from the other classes (no cancellation)
    shifts: np.ndarray  # (len(ks),): LSE of the k - 1 competitors, log(k - 1)

    def readout(self) -> str:
        lines = []
        for k, shift in zip(self.ks, self.shifts):
            z99 = np.log(0.99 / 0.01) + shift  # logit(0.99) + shift: where s_0 = 0.99
            lines.append(
                f"k = {k:>4}: shift LSE(competitors) = log(k - 1) = {shift:.3f}, "
                f"s_0 = 0.99 at z_0 = {z99:.3f}"
            )
        return "\n".join(lines)


def saturation_curves(ks=(2, 10, 1000), grid=None) -> Saturation:
    r"""softmax(z)_0 against z_0 with the other k - 1 logits at 0, computed by softmax itself.

    Each curve is :math:`\sigma(z_0 - \log(k - 1))`: the sigmoid, shifted by the
    log-sum-exp of the competitors, with the same exponential tail
    :math:`1 - s_0 \approx e^{-(z_0 - \log(k - 1))}`.

    Parameters
    ----------
    ks : sequence of int >= 2
        Class counts.
    grid : sequence of float, shape (m,), optional
        Values of z_0 (default: 401 points from -6 to 22).

    Examples
    --------
    >>> v = saturation_curves((2, 10), [0.0, np.log(9.0)])
    >>> v.shifts.round(4), v.p.round(4)
    (array([0.    , 2.1972]), array([[0.5, 0.9],
           [0.1, 0.5]]))
    """
    ks = tuple(int(k) for k in ks)
    if not ks or min(ks) < 2:
        raise ValueError(f"ks must all be integers >= 2 (one class has no competitor), got {ks}")
    grid = np.linspace(-6.0, 22.0, 401) if grid is None else finite_vector(grid, "grid")
    p, tail = [], []
    for k in ks:
        Z = np.zeros((grid.size, k))  # (m, k): the competitors at 0
        Z[:, 0] = grid
        s = softmax(Z, axis=1)
        p.append(s[:, 0])
        tail.append(s[:, 1:].sum(axis=1))  # 1 - s_0 without cancelling against 1
    shifts = np.log(np.array(ks, dtype=np.float64) - 1.0)
    return Saturation(grid, ks, np.array(p), np.array(tail), shifts)


def plot_saturation(ks=(2, 10, 1000)):
    """Left: s_0 against z_0 for each k, midpoints dashed; right: 1 - s_0 on a log axis.

    Returns the Figure.
    """
    view = saturation_curves(ks)
    fig, (ax1, ax2) = figure(1, 2, figsize=(9.0, 3.8))
    for c, k, p, tail, shift in zip(CLASS_COLORS, view.ks, view.p, view.tail, view.shifts):
        # every curve is sigma(z_0 - shift): the tails are parallel lines on a log axis
        label = f"k = {k}: shift {shift:.2f}"
        ax1.plot(view.grid, p, color=c, lw=2, label=label)
        ax1.axvline(shift, color=c, ls="--", lw=1)
        ax2.semilogy(view.grid, tail, color=c, lw=2, label=f"k = {k}")
    ax1.set_xlim(-6, 16)
    ax1.set_xlabel(r"$z_0$ (the other $k - 1$ logits at 0)")
    ax1.set_ylabel(r"$s_0 = \mathrm{softmax}(z)_0$")
    ax1.set_title("The same S shape, moved right by log(k - 1)")
    ax1.legend(loc="lower right", fontsize=8, title="shift = log(k - 1)", title_fontsize=8)
    # The sigmoid's own tail e^{-z}, as a wide pale band: the k = 2 curve runs inside it.
    ref = view.grid[view.grid >= 3]
    ax2.semilogy(
        ref, np.exp(-ref), color="black", lw=7, alpha=0.18, label=r"$e^{-z_0}$, the tail of σ"
    )
    ax2.set_ylim(1e-10, 2.0)
    ax2.set_xlabel(r"$z_0$")
    ax2.set_ylabel(r"$1 - s_0$ (log scale)")
    ax2.set_title("Parallel tails: the same exponential rate")
    ax2.legend(loc="lower left", fontsize=8)
    return fig
