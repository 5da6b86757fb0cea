r"""Lesson 05, Multi-label vs multi-class: the figures and the threshold explorer.

The math lives in the math modules: the data sets in :mod:`helpers.datasets`,
the gradient of either head and the training loop in :mod:`helpers.training`,
precision, recall, F1 and the lesson's summaries in :mod:`helpers.metrics`
(with their 0/0 conventions). Here: the figures, the explorer's view (drawn
once, then updated in place) and :func:`threshold_explorer`, a thin widget
wrapper around :func:`helpers.metrics.precision_recall_at`.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np

from .. import plots
from .._validate import binary_array, probability_matrix
from ..losses import HEADS
from ..metrics import precision_recall_at, threshold_curve

__all__ = [
    "plot_datasets",
    "plot_label_probabilities",
    "plot_metrics_comparison",
    "plot_row_sums",
    "plot_threshold_tradeoff",
    "draw_threshold_view",
    "update_threshold_view",
    "ThresholdView",
    "threshold_readout",
    "threshold_explorer",
]

HEAD_COLORS = {"sigmoid": plots.PALETTE["blue"], "softmax": plots.PALETTE["vermillion"]}
METRIC_COLORS = {
    "precision": plots.PALETTE["blue"],
    "recall": plots.PALETTE["orange"],
    "F1": plots.PALETTE["black"],
}
LABEL_COLORS = [plots.PALETTE["green"], plots.PALETTE["purple"], plots.PALETTE["vermillion"]]


# -- figures ---------------------------------------------------------------------------

# One colour-blind-safe (colour, marker) pair per label combination. Combinations
# that lie side by side in the data get contrasting colours: {1} (orange squares)
# borders {0, 1} (purple diamonds), not the similar vermillion.
_COMBO_STYLE = {
    (): (plots.PALETTE["black"], "x"),
    (0,): (plots.PALETTE["blue"], "o"),
    (1,): (plots.PALETTE["orange"], "s"),
    (2,): (plots.PALETTE["green"], "^"),
    (0, 1): (plots.PALETTE["purple"], "D"),
    (0, 2): (plots.PALETTE["vermillion"], "v"),
    (1, 2): (plots.PALETTE["sky"], "P"),
    (0, 1, 2): (plots.PALETTE["yellow"], "*"),
}
_CLASS_STYLE = [
    (plots.PALETTE["blue"], "o"),
    (plots.PALETTE["orange"], "s"),
    (plots.PALETTE["green"], "^"),
]


def _combo_name(combo, empty="no label"):
    return empty if not combo else "{" + ", ".join(str(j) for j in combo) + "}"


def _edge(marker):
    """Marker edges that keep overlapping points apart (an unfilled "x" keeps its colour)."""
    if marker == "x":
        return {"linewidths": 1.0}
    if marker == "*":
        return {"edgecolors": "black", "linewidths": 0.5}
    if marker == "P":  # a thin plus: a white edge would eat it
        return {"edgecolors": "face", "linewidths": 0.5}
    return {"edgecolors": "white", "linewidths": 0.5}


def _scatter_groups(ax, X, groups, title, legend_title, **legend):
    """A scatter per (rows, size, colour, marker, label) group; axis labels; a legend below."""
    for rows, size, color, marker, label in groups:
        ax.scatter(
            X[rows, 0],
            X[rows, 1],
            s=size,
            c=color,
            marker=marker,
            alpha=0.9,
            label=label,
            **_edge(marker),
        )
    ax.set(title=title, xlabel="feature $x_1$", ylabel="feature $x_2$")
    ax.legend(
        title=legend_title,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        fontsize=10,
        title_fontsize=10,
        markerscale=1.4,
        **legend,
    )


def plot_datasets(X_ml, Y_ml, X_mc, y_mc):
    """Scatter plots: multi-label data (one style per label combination), multi-class data."""
    Y_ml = binary_array(Y_ml, "Y_ml")
    if Y_ml.shape[1] != 3:
        raise ValueError("plot_datasets draws three labels")
    fig, (ax_ml, ax_mc) = plots.figure(1, 2, figsize=(10.5, 5.4))
    combos = [tuple(np.flatnonzero(row)) for row in Y_ml]
    groups = []
    for combo, (color, marker) in _COMBO_STYLE.items():
        idx = [i for i, c in enumerate(combos) if c == combo]
        if idx:
            size = {"*": 60, "P": 40}.get(marker, 30)
            groups.append((idx, size, color, marker, f"{_combo_name(combo)} ({len(idx)})"))
    _scatter_groups(
        ax_ml,
        X_ml,
        groups,
        "Multi-label: any subset of labels {0, 1, 2}",
        "true labels (count)",
        ncols=4,
        columnspacing=1.0,
        handletextpad=0.3,
    )
    groups = []
    for j, (color, marker) in enumerate(_CLASS_STYLE):
        m = y_mc == j
        groups.append((m, 30, color, marker, f"class {j} ({int(m.sum())})"))
    _scatter_groups(
        ax_mc,
        X_mc,
        groups,
        "Multi-class: exactly one class of {0, 1, 2}",
        "true class (count)",
        ncols=3,
    )
    for ax in (ax_ml, ax_mc):
        ax.set_aspect("equal", adjustable="datalim")
    return fig


def plot_label_probabilities(p_sigmoid, p_softmax, y, threshold=0.5):
    """Per-label probabilities of both heads on a few multi-label examples (one panel each).

    Parameters
    ----------
    p_sigmoid, p_softmax : ndarray of shape (m, k)
        Outputs of the sigmoid head and the softmax head on the same m examples.
    y : ndarray of shape (m, k)
        Their true labels (drawn as a ✓ under each true label).
    """
    y = binary_array(y, "y")
    m, k = y.shape
    fig, axes = plots.figure(1, m, figsize=(2.7 * m + 0.8, 3.6), sharey=True)
    axes = np.atleast_1d(axes)
    x = np.arange(k)
    width = 0.38
    for i, ax in enumerate(axes):
        for offset, (head, p) in zip(
            (-width / 2, width / 2), (("sigmoid", p_sigmoid), ("softmax", p_softmax))
        ):
            ax.bar(x + offset, p[i], width, color=HEAD_COLORS[head], label=f"{head} head")
            for xi, v in zip(x + offset, p[i]):
                ax.text(xi, v + 0.02, f"{v:.2f}", ha="center", va="bottom", fontsize=7)
        ax.axhline(threshold, color="black", ls="--", lw=0.8)
        ax.set_xticks(x, [f"label {j}\n{'✓ true' if y[i, j] else '-'}" for j in range(k)])
        truth = _combo_name(tuple(np.flatnonzero(y[i])), empty="none")
        ax.set_title(f"example {i}: true labels: {truth}", fontsize=9)
        ax.set_ylim(0, 1.12)
        ax.grid(axis="x", visible=False)
    axes[0].set_ylabel("predicted probability")
    axes[0].text(k - 0.5, threshold + 0.02, f"threshold {threshold}", ha="right", fontsize=7)
    axes[0].legend(loc="upper right", fontsize=8)
    return fig


def plot_metrics_comparison(results):
    """Grouped bars: each head on each data set.

    Parameters
    ----------
    results : dict
        ``{data_set_title: {head: {metric: value}}}``, e.g. from
        :func:`helpers.metrics.multilabel_summary` and
        :func:`helpers.metrics.multiclass_summary`; one panel per
        data set. Each head keeps its colour and its place in every panel
        (sigmoid left, softmax right, whatever the order in ``results``); each
        bar is labelled with its value to 3 decimals, as the lesson prints it.
    """
    fig, axes = plots.figure(1, len(results), figsize=(11.5, 4.6))
    axes = np.atleast_1d(axes)
    for ax, (title, by_head) in zip(axes, results.items()):
        heads = [head for head in HEADS if head in by_head]
        metrics = list(by_head[heads[0]])
        x = np.arange(len(metrics))
        width = 0.8 / len(HEADS)
        for head in heads:
            values = [by_head[head][name] for name in metrics]
            pos = x + (HEADS.index(head) - (len(HEADS) - 1) / 2) * width
            ax.bar(pos, values, width, color=HEAD_COLORS[head], label=f"{head} head")
            for xi, v in zip(pos, values):
                ax.text(xi, v + 0.01, f"{v:.3f}", ha="center", va="bottom", fontsize=7)
        ax.set_xticks(x, [textwrap.fill(name, 14) for name in metrics], fontsize=8)
        ax.set(title=title, ylabel="fraction (higher is better)", ylim=(0, 1.07))
        ax.set_yticks(np.linspace(0.0, 1.0, 6))
        ax.grid(axis="x", visible=False)
    handles = [plt.Rectangle((0, 0), 1, 1, color=HEAD_COLORS[h]) for h in HEADS]
    fig.legend(handles, [f"{h} head" for h in HEADS], loc="outside upper center", ncols=len(HEADS))
    return fig


def plot_row_sums(p_sigmoid, p_softmax):
    """Histogram of the row sums of sigmoid outputs, with the softmax rows' sum marked."""
    p_sigmoid = probability_matrix(p_sigmoid, "p_sigmoid")
    p_softmax = probability_matrix(p_softmax, "p_softmax")
    fig, ax = plots.figure(figsize=(7.0, 3.4))
    sums = p_sigmoid.sum(axis=1)
    counts, _, _ = ax.hist(
        sums,
        bins=np.arange(0.0, p_sigmoid.shape[1] + 0.05, 0.05),
        color=HEAD_COLORS["sigmoid"],
        edgecolor="white",
        linewidth=0.5,
        zorder=2,
        label="sigmoid head: sum of the 3 outputs",
    )
    soft = p_softmax.sum(axis=1)
    ax.axvline(  # behind the bars, so it hides none of them
        float(np.median(soft)),
        color=HEAD_COLORS["softmax"],
        lw=2.5,
        zorder=1,
        label="softmax head: every row sums to 1",
    )
    ax.set(
        title="Exclusive classes: outputs per example, summed",
        xlabel="sum of the outputs of one example",
        ylabel="number of test examples",
        xlim=(0, 2.5),
        ylim=(0, 1.12 * max(counts.max(), 1)),
    )
    ax.legend(loc="upper right", fontsize=8)
    return fig


def _mask_undefined(curve):
    """Precision with NaN where nothing is predicted positive (0/0), so plots leave a gap."""
    return np.where(curve.predicted > 0, curve.precision, np.nan)


def plot_threshold_tradeoff(curve, label_names=None, mark=0.5):
    """Precision, recall and F1 against the threshold, one panel per label.

    Where nothing is predicted positive, precision is 0/0 and is not drawn.
    """
    k = curve.precision.shape[1]
    names = label_names or [f"label {j}" for j in range(k)]
    fig, axes = plots.figure(1, k, figsize=(3.6 * k, 3.5), sharey=True)
    axes = np.atleast_1d(axes)
    prec = _mask_undefined(curve)
    for j, ax in enumerate(axes):
        t = curve.thresholds
        ax.plot(t, prec[:, j], color=METRIC_COLORS["precision"], label="precision")
        ax.plot(t, curve.recall[:, j], color=METRIC_COLORS["recall"], ls="--", label="recall")
        ax.plot(t, curve.f1[:, j], color=METRIC_COLORS["F1"], ls=":", label="F1")
        ax.axvline(mark, color="grey", lw=0.8)
        ax.set(title=names[j], xlabel="threshold", xlim=(0, 1), ylim=(0, 1.05))
    axes[0].set_ylabel("score on the test set")
    axes[0].legend(loc="lower left", fontsize=8)
    return fig


def _names(k, label_names):
    return list(label_names) if label_names is not None else [f"label {j}" for j in range(k)]


def _threshold_title(scores):
    t = scores.threshold
    where = f"threshold {t[0]:.2f}" if np.all(t == t[0]) else "per-label thresholds"
    return f"precision-recall curves, dot at {where}"


def draw_threshold_view(scores, curve, ax, label_names=None):
    """Draw what the threshold explorer shows; return the artists to update.

    Each label's precision-recall curve (every threshold), with a dot at the
    current threshold. Where nothing is predicted, precision is 0/0 and the
    curve is not drawn.

    Returns
    -------
    dict
        The artists :func:`update_threshold_view` moves on a slider change.
    """
    k = scores.precision.size
    names = _names(k, label_names)
    prec = _mask_undefined(curve)
    points = []
    for j in range(k):
        color = LABEL_COLORS[j % len(LABEL_COLORS)]
        ax.plot(curve.recall[:, j], prec[:, j], color=color, label=names[j])
        (point,) = ax.plot(
            [scores.recall[j]], [scores.precision[j]], "o", ms=9, color=color, mec="black"
        )
        points.append(point)
    ax.set_xticks([0.0, 0.5, 1.0])
    ax.set_yticks([0.0, 0.5, 1.0])
    ax.set(xlabel="recall", ylabel="precision", xlim=(0, 1.02), ylim=(0, 1.05))
    ax.set_title(_threshold_title(scores))
    ax.legend(loc="lower left", fontsize=8)
    return {"ax": ax, "points": points}


def update_threshold_view(handles, scores):
    """Move the dots of :func:`draw_threshold_view` to new scores (no new artists)."""
    for j, point in enumerate(handles["points"]):
        point.set_data([scores.recall[j]], [scores.precision[j]])
    handles["ax"].title.set_text(_threshold_title(scores))


class ThresholdView(plots.LivePlot):
    """The explorer's figure: drawn once, then updated in place on every slider move.

    A :class:`helpers.plots.LivePlot`; keeping text to a minimum (the numbers are in
    the explorer's readout) keeps a redraw cheap enough for a slider.
    """

    def __init__(self, curve, label_names=None):
        self.curve, self.label_names = curve, label_names
        super().__init__(
            (5.0, 3.8),
            (0.13, 0.14, 0.83, 0.76),
            lambda scores, ax: draw_threshold_view(scores, curve, ax, label_names),
            update_threshold_view,
        )


def threshold_readout(scores, label_names=None):
    """One line per label: threshold, counts, precision, recall, F1 (text the explorer shows)."""
    names = _names(scores.precision.size, label_names)
    return [
        f"{names[j]}: threshold {scores.threshold[j]:.2f}  predicted {scores.predicted[j]:3d}  "
        f"TP {scores.tp[j]:3d}  FP {scores.fp[j]:3d}  FN {scores.fn[j]:3d}  "
        f"precision {scores.precision[j]:.3f}  recall {scores.recall[j]:.3f}  "
        f"F1 {scores.f1[j]:.3f}"
        for j in range(len(names))
    ]


def threshold_explorer(p, y, label_names=None):
    """A threshold slider with per-label precision, recall and F1 (needs a live kernel).

    Parameters
    ----------
    p : ndarray of shape (n, k)
        Sigmoid-head probabilities on held-out examples.
    y : ndarray of shape (n, k)
        Their true 0/1 labels.

    Returns
    -------
    ipywidgets.VBox
        The slider, a text readout (counts, precision, recall and F1 per label)
        and the figure (each label's precision-recall curve with the current point).
    """
    view = ThresholdView(threshold_curve(p, y), label_names)  # the curves do not move

    def update(threshold):
        scores = precision_recall_at(p, y, threshold)
        view.show(scores)
        return "\n".join(threshold_readout(scores, label_names))

    return plots.slider_explorer(update, "threshold", value=0.5, min=0.05, max=0.95, step=0.01)
