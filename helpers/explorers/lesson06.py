r"""Lesson 06, calibration on real data: figures and the temperature explorer.

Pure functions first (what the temperature explorer shows, its readout), then the
figures, then the ipywidgets wrapper. The numbers come from
:mod:`helpers.calibration`; nothing here trains or fits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import plots
from ..calibration import ReliabilityBins, expected_calibration_error, reliability_bins
from ..recalibration import temperature_nll
from ..softmax import softmax

__all__ = [
    "TemperatureState",
    "temperature_state",
    "temperature_readout",
    "draw_reliability",
    "plot_digits",
    "plot_training",
    "plot_reliability_pair",
    "plot_temperature_sweep",
    "plot_label_metrics",
    "TemperatureView",
    "temperature_explorer",
]

BLUE, ORANGE, GREEN = plots.PALETTE["blue"], plots.PALETTE["orange"], plots.PALETTE["green"]
VERMILLION, BLACK = plots.PALETTE["vermillion"], plots.PALETTE["black"]


# -- what the explorer shows (pure) ---------------------------------------------------------


@dataclass(frozen=True)
class TemperatureState:
    """Everything the temperature explorer shows for one temperature."""

    T: float
    bins: ReliabilityBins
    ece: float
    nll: float
    accuracy: float
    confidence: float  # mean largest probability


def temperature_state(z, y, T, n_bins=15):
    """The reliability bins, ECE, NLL, accuracy and mean confidence of ``softmax(z / T)``.

    Parameters
    ----------
    z : ndarray of shape (n, k)
        Logits on held-out examples.
    y : ndarray of int, shape (n,)
    T : float > 0
    n_bins : int

    Returns
    -------
    TemperatureState

    Examples
    --------
    >>> s = temperature_state(np.array([[2.0, 0.0], [0.0, 1.0]]), np.array([0, 0]), 1.0, 2)
    >>> round(s.accuracy, 3), round(s.confidence, 3), s.bins.count.tolist()
    (0.5, 0.806, [0, 2])
    """
    p = softmax(np.asarray(z, dtype=np.float64) / T, axis=1)
    return TemperatureState(
        T=float(T),
        bins=reliability_bins(p, y, n_bins),
        ece=expected_calibration_error(p, y, n_bins),
        nll=temperature_nll(z, y, T),
        accuracy=float(np.mean(np.argmax(p, axis=1) == np.asarray(y))),
        confidence=float(p.max(axis=1).mean()),
    )


def temperature_readout(state):
    """One line of text: T, accuracy, mean confidence, ECE and NLL (what the explorer prints)."""
    verdict = (
        "overconfident"
        if state.confidence > state.accuracy + 0.005
        else "underconfident"
        if state.confidence < state.accuracy - 0.005
        else "confidence matches accuracy"
    )
    return (
        f"T = {state.T:.2f}: accuracy {state.accuracy:.3f}, mean confidence "
        f"{state.confidence:.3f} ({verdict}), ECE {state.ece:.3f}, NLL {state.nll:.3f}"
    )


# -- figures -------------------------------------------------------------------------------


def draw_reliability(ax, bins, title="", color=BLUE, counts=True):
    """A reliability diagram on ``ax``: accuracy per confidence bin against the diagonal.

    Filled bars show each bin's accuracy; an outlined, hatched bar spans from the
    accuracy to the bin's mean confidence (the gap; below the diagonal when the
    model is overconfident). With ``counts`` each bin's number of examples is
    written above it. Empty bins are left out. Returns ``(accuracy_bars, gap_bars,
    count_texts)``.
    """
    left, width = bins.edges[:-1], np.diff(bins.edges)
    full = bins.count > 0
    acc = np.where(full, bins.accuracy, 0.0)
    conf = np.where(full, bins.confidence, 0.0)
    bars = ax.bar(left, acc, width, align="edge", color=color, edgecolor="white", label="accuracy")
    gaps = ax.bar(
        left,
        conf - acc,
        width,
        bottom=acc,
        align="edge",
        fill=False,
        hatch="///",
        edgecolor=VERMILLION,
        linewidth=1.0,
        label="gap to the mean confidence",
    )
    texts = []
    if counts:
        for x, w, a, c, n in zip(left, width, acc, conf, bins.count):
            texts.append(
                ax.text(
                    x + w / 2,
                    max(a, c) + 0.01,
                    str(n) if n else "",
                    ha="center",
                    va="bottom",
                    fontsize=6,
                    color="dimgray",
                )
            )
    ax.plot([0, 1], [0, 1], color=BLACK, ls="--", lw=1, label="calibrated")
    ax.set(xlim=(0, 1), ylim=(0, 1.08), xlabel="confidence (largest probability)")
    ax.set_ylabel("accuracy in the bin")
    ax.set_title(title, fontsize=10)
    return bars, gaps, texts


def plot_digits(X, y, n=20):
    """The first ``n`` images of ``X`` (8x8 pixel rows) with their digit as title."""
    cols = 10
    rows = int(np.ceil(n / cols))
    fig, axes = plots.figure(rows, cols, figsize=(7.0, 0.85 * rows + 0.2))
    for i, ax in enumerate(np.ravel(axes)):
        ax.axis("off")
        if i < n:
            ax.imshow(np.asarray(X[i]).reshape(8, 8), cmap="gray_r", vmin=0)
            ax.set_title(str(int(y[i])), fontsize=9)
    return fig


def plot_training(history):
    """Per epoch on held-out data: accuracy against mean confidence (left), ECE and NLL (right)."""
    epochs = np.arange(1, len(history["accuracy"]) + 1)
    fig, (ax1, ax2) = plots.figure(1, 2, figsize=(8.0, 3.3))
    ax1.plot(epochs, history["accuracy"], color=BLUE, label="accuracy")
    ax1.plot(epochs, history["confidence"], color=ORANGE, label="mean confidence")
    ax1.set(xlabel="epoch", ylabel="held-out fraction", ylim=(0.4, 1.0))
    ax1.set_title("confidence catches up with accuracy", fontsize=10)
    ax1.legend(loc="lower right")
    ax2.plot(epochs, history["ece"], color=VERMILLION, label="ECE")
    ax2.plot(epochs, history["nll"], color=GREEN, label="NLL")
    ax2.set(xlabel="epoch", ylabel="held-out value", ylim=(0, None))
    ax2.set_title("calibration error and NLL", fontsize=10)
    ax2.legend(loc="upper right")
    return fig


def plot_reliability_pair(states, titles):
    """Reliability diagrams side by side, one per :class:`TemperatureState`, ECE in the title.

    Small grey numbers: how many examples each bin holds.
    """
    fig, axes = plots.figure(1, len(states), figsize=(3.6 * len(states), 3.9), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, state, title in zip(axes, states, titles):
        draw_reliability(ax, state.bins, f"{title}\nECE {state.ece:.3f}, NLL {state.nll:.3f}")
    for ax in axes[1:]:
        ax.set_ylabel("")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=8)
    return fig


def plot_temperature_sweep(z_val, y_val, z_test, y_test, T_fit, temperatures=None, n_bins=15):
    """NLL (validation and test) and test ECE as functions of T, with the fitted T marked."""
    if temperatures is None:
        temperatures = np.geomspace(0.25, 4.0, 61)
    nll_val = [temperature_nll(z_val, y_val, T) for T in temperatures]
    nll_test = [temperature_nll(z_test, y_test, T) for T in temperatures]
    ece = [
        expected_calibration_error(softmax(z_test / T, axis=1), y_test, n_bins)
        for T in temperatures
    ]
    fig, (ax1, ax2) = plots.figure(1, 2, figsize=(8.0, 3.3))
    ax1.plot(temperatures, nll_val, color=GREEN, label="validation NLL (fitted on)")
    ax1.plot(temperatures, nll_test, color=GREEN, ls="--", label="test NLL")
    ax2.plot(temperatures, ece, color=VERMILLION, label="test ECE")
    for ax in (ax1, ax2):
        ax.set_xscale("log")
        ax.axvline(1.0, color="grey", lw=0.8)
        ax.axvline(T_fit, color=BLACK, lw=1, ls=":", label=f"fitted T = {T_fit:.2f}")
        ax.set_xticks([0.25, 0.5, 1, 2, 4], ["0.25", "0.5", "1", "2", "4"])
        ax.set_xticks([], minor=True)
        ax.set_xlabel("temperature T (log scale)")
        ax.legend(fontsize=8)
    ax1.set_ylabel("NLL")
    ax2.set_ylabel("ECE")
    ax1.set_title("the NLL has one minimum in T", fontsize=10)
    ax2.set_title("sharper (T < 1) or softer (T > 1)", fontsize=10)
    return fig


def plot_label_metrics(results, label_names):
    """Per-label precision, recall and F1 (rows) for several settings (bars)."""
    metrics = ("precision", "recall", "F1")
    fig, axes = plots.figure(1, 3, figsize=(9.5, 3.2), sharey=True)
    k = len(label_names)
    x = np.arange(k)
    width = 0.8 / len(results)
    colors = [BLUE, ORANGE, GREEN, VERMILLION]
    for ax, metric in zip(axes, metrics):
        for i, (name, scores) in enumerate(results.items()):
            ax.bar(
                x - 0.4 + (i + 0.5) * width,
                scores[metric],
                width,
                color=colors[i % 4],
                hatch=plots.HATCHES[i % 4],  # orange and vermillion look alike to deutans
                edgecolor="white",
                label=name,
            )
        ax.set_xticks(x, label_names)
        ax.set_title(metric, fontsize=10)
        ax.set_ylim(0.4, 1.0)
        ax.grid(axis="x", visible=False)
    axes[0].set_ylabel("on the test split")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(results), fontsize=8)
    return fig


# -- the explorer --------------------------------------------------------------------------


def _draw_temperature_view(state, ax):
    handles = (*draw_reliability(ax, state.bins), ax)
    ax.legend(loc="upper left", fontsize=7)
    _update_temperature_view(handles, state)
    return handles


def _update_temperature_view(handles, state):
    bars, gaps, texts, ax = handles
    full = state.bins.count > 0
    acc = np.where(full, state.bins.accuracy, 0.0)
    conf = np.where(full, state.bins.confidence, 0.0)
    for bar, gap, text, a, c, n in zip(bars, gaps, texts, acc, conf, state.bins.count):
        bar.set_height(a)
        gap.set_y(a)
        gap.set_height(c - a)
        text.set_y(max(a, c) + 0.01)
        text.set_text(str(n) if n else "")
    ax.set_title(f"T = {state.T:.2f}: ECE {state.ece:.3f}", fontsize=10)


class TemperatureView(plots.LivePlot):
    """The explorer's reliability diagram: drawn once, then its bars updated in place."""

    def __init__(self, n_bins):
        self.n_bins = n_bins
        super().__init__(
            (4.6, 4.0), (0.15, 0.13, 0.8, 0.78), _draw_temperature_view, _update_temperature_view
        )


def temperature_explorer(z, y, n_bins=15, T_fit=None):
    """A temperature slider redrawing the reliability diagram, ECE and NLL (needs a live kernel).

    Parameters
    ----------
    z : ndarray of shape (n, k)
        Logits on held-out examples.
    y : ndarray of int, shape (n,)
    n_bins : int
    T_fit : float, optional
        A fitted temperature, named in the readout.

    Returns
    -------
    ipywidgets.VBox
    """
    view = TemperatureView(n_bins)
    note = "" if T_fit is None else f" (the fitted temperature is {T_fit:.2f})"

    def update(T):
        state = temperature_state(z, y, T, n_bins)
        view.show(state)
        return f"{temperature_readout(state)}{note}"

    return plots.slider_explorer(update, "T", value=1.0, min=0.2, max=3.0, step=0.05)
