r"""Lesson 07, The loss surface of softmax regression: the figures and the weight-decay explorer.

The math lives in :mod:`helpers.loss_surface`. Here: :func:`surface_view`, the
pure function that computes the loss on a plane of weight matrices (what the
explorer draws), its readout, the static figures of the lesson, and
:func:`loss_surface_explorer`, a thin widget wrapper with a slider for the
weight decay :math:`\lambda`.

The plane: :math:`W(t, s) = t\,\hat W + s\,U`, where :math:`\hat W` is a weight
matrix whose rows sum to zero (a direction that changes the predictions: ``t``
scales every logit difference) and :math:`U` adds :math:`1/\sqrt{k}` to every
class's bias (the redundant direction of lesson 04, unit length). The two are
orthogonal, so :math:`\|W(t, s)\|^2 = t^2\|\hat W\|^2 + s^2`.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import NullFormatter

from .. import plots
from ..loss_surface import DescentPath, LogisticFit, softmax_regression_hessian
from ..softmax import log_softmax

__all__ = [
    "SurfaceView",
    "surface_view",
    "surface_readout",
    "draw_surface",
    "plot_surface_pair",
    "plot_separable_runs",
    "plot_newton_vs_gd",
    "SurfacePlot",
    "loss_surface_explorer",
]

BLUE, ORANGE, GREEN, VERMILLION = (
    plots.PALETTE[c] for c in ("blue", "orange", "green", "vermillion")
)
BLACK = plots.PALETTE["black"]


@dataclass(frozen=True)
class SurfaceView:
    """The loss on the plane ``t * W_hat + s * U`` for one weight decay (see the module notes).

    ``loss[i, j]`` is at ``(ts[j], ss[i])``; ``best_t``, ``best_s`` is the grid's lowest
    point; ``flatness`` is the largest spread of the NLL (without the penalty) along
    ``s`` at any ``t``: 0 up to rounding, because ``U`` changes no prediction.
    ``curvature_s`` is ``U^T H U`` for the Hessian ``H`` (penalty included) at ``W_hat``.
    """

    weight_decay: float
    ts: np.ndarray  # (m_t,)
    ss: np.ndarray  # (m_s,)
    loss: np.ndarray  # (m_s, m_t)
    best_t: float
    best_s: float
    best_loss: float
    flatness: float
    curvature_s: float


def _redundant_bias_direction(k: int, d: int) -> np.ndarray:
    U = np.zeros((k, d))
    U[:, -1] = 1.0 / np.sqrt(k)  # the same number added to every class's bias: unit length
    return U


def surface_view(W_hat, X, y, weight_decay=0.0, ts=None, ss=None) -> SurfaceView:
    r"""The mean NLL plus :math:`\tfrac{\lambda}{2}\|W\|^2` on the plane ``t * W_hat + s * U``.

    Parameters
    ----------
    W_hat : ndarray of shape (k, d)
        Rows summing to zero; the last column is the bias (``with_bias(X)``).
    X : ndarray of shape (n, d)
        With the column of ones last.
    y : ndarray of int, shape (n,)
    weight_decay : float >= 0
    ts, ss : ndarray, optional
        Grid values of ``t`` (default 0..2.5, 51 points) and ``s`` (default -3..3, 25 points).

    Returns
    -------
    SurfaceView
    """
    W_hat, X, y = np.asarray(W_hat, float), np.asarray(X, float), np.asarray(y)
    k, d = W_hat.shape
    if not np.allclose(W_hat.sum(axis=0), 0.0, atol=1e-12):
        raise ValueError("W_hat must have rows that sum to zero (centre them: W - W.mean(axis=0))")
    if weight_decay < 0:
        raise ValueError(f"weight_decay must be >= 0, got {weight_decay!r}")
    ts = np.linspace(0.0, 2.5, 51) if ts is None else np.asarray(ts, float)
    ss = np.linspace(-3.0, 3.0, 25) if ss is None else np.asarray(ss, float)
    U = _redundant_bias_direction(k, d)
    Z_hat, Z_u = X @ W_hat.T, X @ U.T  # (n, k) each; every row of Z_u is constant
    rows = np.arange(len(y))
    Z = ts[None, :, None, None] * Z_hat + ss[:, None, None, None] * Z_u  # (m_s, m_t, n, k)
    nll = -log_softmax(Z, axis=-1)[..., rows, y].mean(axis=-1)  # (m_s, m_t)
    penalty = 0.5 * weight_decay * (ts[None, :] ** 2 * np.sum(W_hat**2) + ss[:, None] ** 2)
    loss = nll + penalty
    i, j = np.unravel_index(np.argmin(loss), loss.shape)
    u = U.ravel()
    H = softmax_regression_hessian(W_hat, X, weight_decay)
    return SurfaceView(
        float(weight_decay),
        ts,
        ss,
        loss,
        float(ts[j]),
        float(ss[i]),
        float(loss[i, j]),
        float(np.max(nll.max(axis=0) - nll.min(axis=0))),
        float(u @ H @ u),
    )


def surface_readout(view: SurfaceView) -> str:
    """One line: where the grid's lowest point is and how the loss behaves along ``s``."""
    curvature = round(view.curvature_s, 3) + 0.0  # + 0.0: no "-0.000" from rounding noise
    if view.flatness < 1e-12 and view.weight_decay == 0:
        where = f"t = {view.best_t:.2f} for every s (flat along s: a valley of minima)"
    else:
        where = f"t = {view.best_t:.2f}, s = {view.best_s + 0.0:+.2f} (a single lowest point)"
    return (
        f"lambda = {view.weight_decay:.3f}: lowest grid loss {view.best_loss:.4f} at {where}; "
        f"curvature along s = {curvature:.3f}"
    )


def draw_surface(ax, view: SurfaceView, levels=None):
    """Contours of ``view.loss`` on ``ax``, the lowest point (or valley floor) marked."""
    if levels is None:
        lo = view.best_loss
        levels = lo + np.array([0.005, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0])
    T, S = np.meshgrid(view.ts, view.ss)
    cs = ax.contour(T, S, view.loss, levels=levels, colors="0.3", linewidths=1.2)
    ax.clabel(cs, fmt="%.2f", fontsize=7)
    if view.weight_decay == 0 and view.flatness < 1e-12:
        ax.axvline(view.best_t, color=VERMILLION, ls="--", lw=1.5, label="valley floor: all minima")
    else:
        ax.plot(
            [view.best_t],
            [view.best_s],
            marker="*",
            ms=12,
            color=VERMILLION,
            ls="none",
            label="the minimum",
        )
    ax.set_xlabel(r"$t$ (scales the logit differences)")
    ax.set_ylabel(r"$s$ (same shift for every class)")
    ax.set_title(rf"$\lambda = {view.weight_decay:g}$", fontsize=10)
    # A framed legend: without the frame the legend's star reads as a second marked point.
    ax.legend(loc="lower right", fontsize=8, frameon=True, framealpha=0.9, edgecolor="0.6")
    return cs


def plot_surface_pair(views):
    """Figure: the loss plane without and with weight decay, side by side."""
    fig, axes = plots.figure(1, len(views), figsize=(4.0 * len(views), 3.6), sharey=True)
    for i, (ax, view) in enumerate(zip(np.atleast_1d(axes), views, strict=True)):
        draw_surface(ax, view)
        if i:
            ax.set_ylabel("")
    return fig


def plot_separable_runs(runs: dict[str, DescentPath]):
    """Figure: ``||W||`` and the mean confidence against the step (log axis), one line per run."""
    fig, (left, right) = plots.figure(1, 2, figsize=(8.0, 3.4))
    styles = [(BLUE, "-", None), (VERMILLION, "--", None), (GREEN, ":", None)]
    for (label, run), (color, ls, _) in zip(runs.items(), styles, strict=False):
        steps = np.arange(1, len(run.weight_norm) + 1)  # step + 1: step 0 sits at 1
        left.plot(steps, run.weight_norm, color=color, ls=ls, lw=2, label=label)
        right.plot(steps, 1 - run.confidence, color=color, ls=ls, lw=2, label=label)
    left.set_xscale("log")
    left.set_xlabel("step + 1")
    left.set_ylabel(r"$\|W\|$")
    left.set_title("size of the weights", fontsize=10)
    right.set_xscale("log")
    right.set_yscale("log")
    right.yaxis.set_minor_formatter(NullFormatter())  # label the decades only
    lowest = min(float(np.min(1 - run.confidence)) for run in runs.values())
    if lowest > 0:  # start the axis at a decade, so that at least two are labelled
        right.set_ylim(bottom=10.0 ** np.floor(np.log10(lowest)))
    right.set_xlabel("step + 1")
    right.set_ylabel("1 - mean max probability")
    right.set_title("distance of the confidence from 1", fontsize=10)
    left.legend(fontsize=8)
    return fig


def plot_newton_vs_gd(fits: dict[str, LogisticFit], tol=None):
    """Figure: the gradient norm against the step, log scale, one line (with markers) per method."""
    fig, ax = plots.figure(figsize=(6.0, 3.4))
    styles = [(VERMILLION, "-", "o"), (BLUE, "--", "s"), (GREEN, ":", "^")]
    for (label, fit), (color, ls, marker) in zip(fits.items(), styles, strict=False):
        steps = np.arange(len(fit.grad_norm))
        every = max(1, len(steps) // 25)
        ax.plot(
            steps,
            np.maximum(fit.grad_norm, 1e-18),
            color=color,
            ls=ls,
            marker=marker,
            markevery=every,
            ms=4,
            lw=1.8,
            label=label,
        )
    if tol is not None:
        ax.axhline(tol, color=BLACK, ls=":", lw=1, label=f"tolerance {tol:g}")
    ax.set_yscale("log")
    ax.set_xscale("symlog", linthresh=10)
    ax.set_xlim(left=0)
    ax.set_xlabel("step (linear to 10, then log)")
    ax.set_ylabel(r"$\|\nabla L\|$")
    ax.legend(fontsize=8)
    return fig


# -- the explorer --------------------------------------------------------------------------


class SurfacePlot:
    """The explorer's figure: one axes, redrawn for each view (contours cannot be updated)."""

    def __init__(self):
        self.fig, self.ax = plots.live_figure(
            (5.2, 4.0), lambda fig: fig.add_axes((0.14, 0.13, 0.8, 0.78))
        )

    def render(self, view: SurfaceView):
        """Draw ``view`` on the cleared axes; shows nothing."""
        with plt.rc_context(plots.STYLE):
            self.ax.clear()
            draw_surface(self.ax, view)

    def show(self, view: SurfaceView):
        from IPython.display import display

        self.render(view)
        display(self.fig)


def loss_surface_explorer(W_hat, X, y, max_decay=0.2):
    """A weight-decay slider redrawing the loss plane and its readout (needs a live kernel).

    Parameters
    ----------
    W_hat, X, y : as for :func:`surface_view`
    max_decay : float
        The slider's largest lambda.

    Returns
    -------
    ipywidgets.VBox
    """
    figure = SurfacePlot()

    def update(lam):
        view = surface_view(W_hat, X, y, lam)
        figure.show(view)
        return surface_readout(view)

    limits = {"value": 0.0, "min": 0.0, "max": max_decay, "step": 0.005}
    return plots.slider_explorer(update, "lambda", readout_format=".3f", **limits)
