"""Lesson 05 explorers: data, gradient, training loop, metrics, figures and the threshold widget."""

from __future__ import annotations

import matplotlib.colors
import numpy as np
import pytest
from matplotlib.figure import Figure

import helpers
from helpers import (
    datasets,
    metrics,
    plots,
    training,
)
from helpers.explorers import lesson05 as L


@pytest.fixture(scope="module")
def scored():
    """Sigmoid-head probabilities on held-out multi-label data, as the lesson makes them."""
    X, Y = datasets.make_multilabel_data()
    head = training.train_linear_head(X[:400], Y[:400], "sigmoid", epochs=150, verbose=False)
    return head.predict_proba(X[400:]), Y[400:]


# -- data ----------------------------------------------------------------------------------


# -- gradient and training -----------------------------------------------------------------


# -- metrics -------------------------------------------------------------------------------

PRED = np.array([[1, 0, 0], [1, 1, 0], [0, 0, 0], [1, 0, 0]])
TRUE = np.array([[1, 1, 0], [0, 1, 0], [0, 0, 0], [1, 0, 0]])


# -- figures -------------------------------------------------------------------------------


def _assert_labeled(fig):
    assert isinstance(fig, Figure)
    for ax in fig.axes:
        assert ax.get_title(), "every panel needs a title"
        assert ax.get_xlabel() or ax.get_xticklabels(), "x axis unlabeled"
    assert any(ax.get_ylabel() for ax in fig.axes), "y axis unlabeled"


def test_every_figure_returns_a_labeled_figure(scored):
    plots.use_course_style()
    X_ml, Y_ml = datasets.make_multilabel_data()
    X_mc, y_mc = datasets.make_multiclass_data()
    p, Y = scored
    q = helpers.softmax(helpers.logit(np.clip(p, 1e-6, 1 - 1e-6)))
    figs = [
        L.plot_datasets(X_ml, Y_ml, X_mc, y_mc),
        L.plot_label_probabilities(p[:4], q[:4], Y[:4]),
        L.plot_metrics_comparison(
            {
                "multi-label": {
                    "sigmoid": metrics.multilabel_summary(p, Y),
                    "softmax": metrics.multilabel_summary(q, Y),
                },
                "multi-class": {
                    "softmax": {"accuracy (argmax)": 0.9},
                    "sigmoid": {"accuracy (argmax)": 0.8},
                },
            }
        ),
        L.plot_row_sums(p, q),
        L.plot_threshold_tradeoff(metrics.threshold_curve(p, Y)),
    ]
    for fig in figs:
        _assert_labeled(fig)
    assert len(figs[0].axes[0].collections) == 8  # one style per label combination present
    assert len(figs[4].axes) == 3


def test_metric_bars_keep_each_head_in_place_and_label_three_decimals():
    plots.use_course_style()
    results = {
        "first": {"sigmoid": {"a": 0.6951, "b": 1.0}, "softmax": {"a": 0.4154, "b": 0.0}},
        "second": {"softmax": {"c": 0.93}, "sigmoid": {"c": 0.925}},  # the other order
    }
    fig = L.plot_metrics_comparison(results)
    for ax in fig.axes:
        bars = ax.patches
        blue, red = plots.PALETTE["blue"].lower(), plots.PALETTE["vermillion"].lower()
        left = min(bars, key=lambda bar: bar.get_x())
        assert matplotlib.colors.to_hex(left.get_facecolor()) == blue  # sigmoid always left
        assert {matplotlib.colors.to_hex(b.get_facecolor()) for b in bars} == {blue, red}
        assert 1.0 < ax.get_ylim()[1] <= 1.1  # fractions: no axis running to 1.2
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["0.695", "1.000", "0.415", "0.000"]
    assert [t.get_text() for t in fig.legends[0].texts] == ["sigmoid head", "softmax head"]


def test_label_probability_titles_name_the_true_labels():
    y = np.array([[0, 0, 0], [1, 1, 0]])
    p = np.full((2, 3), 0.4)
    fig = L.plot_label_probabilities(p, p, y)
    assert [ax.get_title() for ax in fig.axes] == [
        "example 0: true labels: none",
        "example 1: true labels: {0, 1}",
    ]


def test_row_sum_line_stays_behind_the_bars():
    p = np.array([[0.5, 0.3, 0.2], [0.9, 0.6, 0.1], [0.2, 0.2, 0.1]])
    fig = L.plot_row_sums(p, helpers.softmax(p))
    ax = fig.axes[0]
    assert ax.lines[0].get_zorder() < ax.patches[0].get_zorder()
    assert ax.get_ylim()[1] > max(bar.get_height() for bar in ax.patches)


# -- the explorer --------------------------------------------------------------------------


def test_draw_threshold_view_draws_curves_and_current_points(scored):
    p, Y = scored
    fig, ax = plots.figure()
    scores = metrics.precision_recall_at(p, Y, 0.3)
    handles = L.draw_threshold_view(scores, metrics.threshold_curve(p, Y), ax)
    assert len(ax.lines) == 6  # a curve and a current point per label
    assert ax.get_title() == "precision-recall curves, dot at threshold 0.30"
    assert ax.get_xlabel() == "recall" and ax.get_ylabel() == "precision"
    for j, point in enumerate(handles["points"]):
        np.testing.assert_array_equal(point.get_xydata(), [[scores.recall[j], scores.precision[j]]])
    L.update_threshold_view(handles, metrics.precision_recall_at(p, Y, 0.8))
    assert len(ax.lines) == 6 and ax.get_title().endswith("threshold 0.80")


def _pixels(view):
    view.fig.canvas.draw()
    return np.asarray(view.fig.canvas.buffer_rgba()).copy()


def test_updating_in_place_equals_a_fresh_draw(scored):
    p, Y = scored
    curve = metrics.threshold_curve(p, Y)
    moved = L.ThresholdView(curve)
    moved.render(metrics.precision_recall_at(p, Y, 0.5))
    moved.render(metrics.precision_recall_at(p, Y, 0.3))
    fresh = L.ThresholdView(curve)
    fresh.render(metrics.precision_recall_at(p, Y, 0.3))
    assert moved.ax.get_title().endswith("threshold 0.30")
    np.testing.assert_array_equal(_pixels(moved), _pixels(fresh))


def test_explorer_builds_and_the_slider_updates_the_readout(scored):
    import ipywidgets as widgets

    p, Y = scored
    box = L.threshold_explorer(p, Y)
    assert isinstance(box, widgets.VBox)
    slider = next(w for w in box.children if isinstance(w, widgets.FloatSlider))
    readout = next(w for w in box.children if isinstance(w, widgets.HTML))
    assert slider.description == "threshold" and "threshold 0.50" in readout.value
    before = readout.value
    slider.value = 0.2
    assert readout.value != before and "threshold 0.20" in readout.value
    lines = L.threshold_readout(metrics.precision_recall_at(p, Y, 0.2))
    assert all(line in readout.value for line in lines)
