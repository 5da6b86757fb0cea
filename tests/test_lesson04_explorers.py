"""Lesson 04's pure functions (data, training loops, boundaries), figures and explorer."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

import helpers
from helpers import datasets, training
from helpers.explorers import lesson04 as L

X, Y = datasets.toy_blobs()
W_INIT = np.array([-1.0, 0.5])
B_INIT = 0.5


@pytest.fixture(scope="module")
def runs():
    sig = training.train_sigmoid(X, Y, W_INIT, B_INIT, lr=0.5, steps=200)
    W, b = training.symmetric_init(W_INIT, B_INIT)
    same = training.train_softmax(X, Y, W, b, lr=0.5, steps=200)
    half = training.train_softmax(X, Y, W, b, lr=0.25, steps=200)
    return sig, same, half


# -- data and initialisation ----------------------------------------------------------


# -- the training loops ----------------------------------------------------------------


# -- the decision-boundary view ---------------------------------------------------------

W_DEMO = np.array([[-0.5, 0.25], [1.0, 1.25]])
B_DEMO = np.array([0.3, -0.2])


def _on_line(points, a, c):
    return np.abs(points @ a + c).max() < 1e-12


def test_boundary_view_matches_the_helpers():
    view = L.boundary_view(W_DEMO, B_DEMO, resolution=21)
    w, b = helpers.two_class_to_sigmoid(W_DEMO, B_DEMO)
    np.testing.assert_array_equal(view.w, w)
    assert view.b_sigmoid == b
    gx, gy = np.meshgrid(view.xs, view.ys)
    grid = np.stack([gx, gy], axis=-1)  # (m, m, 2)
    np.testing.assert_allclose(view.p_softmax, helpers.softmax(grid @ W_DEMO.T + B_DEMO)[..., 1])
    np.testing.assert_allclose(view.p_sigmoid, helpers.sigmoid(grid @ w + b))
    assert view.p_softmax.shape == (21, 21) and view.max_gap < 1e-15


def test_both_boundary_lines_are_the_same_line():
    view = L.boundary_view(W_DEMO, B_DEMO)
    w, b = view.w, view.b_sigmoid
    assert _on_line(view.line_sigmoid, w, b)
    assert _on_line(view.line_softmax, W_DEMO[0] - W_DEMO[1], B_DEMO[0] - B_DEMO[1])
    a, c = np.sort(view.line_sigmoid, axis=0), np.sort(view.line_softmax, axis=0)
    np.testing.assert_allclose(a, c, atol=1e-12)
    # P(class 1) is 1/2 on the line
    p = helpers.softmax(view.line_softmax @ W_DEMO.T + B_DEMO)[:, 1]
    np.testing.assert_allclose(p, 0.5, atol=1e-12)


def test_vertical_and_missing_boundaries():
    vertical = L.boundary_view([[0.0, 0.0], [1.0, 0.0]], [0.0, 0.5])
    np.testing.assert_allclose(vertical.line_sigmoid[:, 0], -0.5)
    flat = L.boundary_view([[0.7, -0.2], [0.7, -0.2]], [0.1, 0.1])
    assert flat.line_softmax is None and flat.line_sigmoid is None
    np.testing.assert_array_equal(flat.p_softmax, 0.5)
    outside = L.boundary_view([[0.0, 0.0], [1.0, 0.0]], [0.0, 10.0])  # x = -10, off the box
    assert outside.line_sigmoid is None


def test_shifting_both_rows_changes_nothing():
    v, c = np.array([2.0, -3.0]), 1.5
    a = L.boundary_view(W_DEMO, B_DEMO)
    b = L.boundary_view(W_DEMO + v, B_DEMO + c)
    np.testing.assert_allclose(b.p_softmax, a.p_softmax, atol=1e-15)
    np.testing.assert_allclose(b.w, a.w, atol=1e-15)
    assert b.b_sigmoid == pytest.approx(a.b_sigmoid, abs=1e-15)


@pytest.mark.parametrize(
    "kwargs, name, error",
    [
        ({"W": np.zeros((2, 3))}, "W", ValueError),
        ({"W": np.zeros(4)}, "W", ValueError),
        ({"b": np.zeros(1)}, "b", ValueError),
        ({"box": (1.0, -1.0, 0.0, 1.0)}, "box", ValueError),
        ({"box": (0.0, 1.0)}, "box", ValueError),
        ({"resolution": 1}, "resolution", ValueError),
        # a wrong type is a TypeError (the error policy of helpers._validate)
        ({"resolution": 10.0}, "resolution", TypeError),
        ({"resolution": True}, "resolution", TypeError),
    ],
)
def test_boundary_view_rejects_bad_input(kwargs, name, error):
    args = {"W": W_DEMO, "b": B_DEMO} | kwargs
    with pytest.raises(error, match=rf"\b{name}\b"):
        L.boundary_view(**args)


def test_boundary_readout():
    text = L.boundary_readout(L.boundary_view(W_DEMO, B_DEMO, resolution=5))
    assert "w' = (+1.50, +1.00), b' = -0.50" in text
    assert "w0 = (-0.50, +0.25)" in text and "equal to rounding" in text


# -- figures ---------------------------------------------------------------------------


def _labelled(fig):
    assert isinstance(fig, Figure)
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":
            assert ax.get_ylabel()
            continue
        assert ax.get_xlabel(), ax.get_title()
        assert ax.get_title()
    assert any(ax.get_ylabel() for ax in fig.axes)
    assert any(ax.get_legend() is not None for ax in fig.axes)


def test_plot_failed_attempt():
    fig = L.plot_failed_attempt()
    _labelled(fig)
    assert len(fig.axes) == 2
    with pytest.raises(ValueError, match="z1_values"):
        L.plot_failed_attempt([])


def test_plot_decision_boundaries():
    fig = L.plot_decision_boundaries(X, Y, W_DEMO, B_DEMO)
    _labelled(fig)
    with pytest.raises(ValueError, match="X"):
        L.plot_decision_boundaries(np.zeros((4, 3)), np.zeros(4, dtype=int), W_DEMO, B_DEMO)


def test_plot_training(runs):
    fig = L.plot_training(*runs)
    _labelled(fig)
    assert fig.axes[1].get_yscale() == "log"
    short = training.train_softmax(X, Y, *training.symmetric_init(W_INIT, B_INIT), lr=0.25, steps=3)
    with pytest.raises(ValueError, match="same number of steps"):
        L.plot_training(runs[0], short, runs[2])


def test_plot_training_axes_and_eps_in_the_legend(runs):
    left, right = L.plot_training(*runs).axes
    # left: step + 1 on a plain log axis, so step 0 sits at 1 and there is no symlog kink
    assert left.get_xscale() == "log" and "step + 1" in left.get_xlabel()
    for line in left.lines:
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 202))
    # right: the eps line is named in the legend, not by text drawn among the data
    assert len(right.texts) == 0
    legend = [t.get_text() for t in right.get_legend().get_texts()]
    assert any(text.startswith("float64 eps") for text in legend)


def test_data_markers_are_large_enough_to_tell_apart():
    fig = L.plot_decision_boundaries(X, Y, W_DEMO, B_DEMO)
    scatters = fig.axes[0].collections[:2]
    assert [s.get_label() for s in scatters] == ["class 0", "class 1"]
    assert all(s.get_sizes()[0] >= 30 for s in scatters)


# -- the widget wrapper ------------------------------------------------------------------


def test_explorer_builds_and_updates(capsys):
    import ipywidgets as widgets

    box = L.two_class_explorer()
    assert isinstance(box, widgets.VBox)
    sliders = {
        s.description: s
        for row in box.children[0].children
        for s in row.children
        if isinstance(s, widgets.FloatSlider)
    }
    assert set(sliders) == {"w0_x", "w0_y", "w1_x", "w1_y", "b0", "b1"}
    readout = box.children[1]
    before = readout.value
    assert "w&#x27; = (+1.50, +1.00)" in before
    sliders["b1"].value = 1.0
    assert readout.value != before and "b&#x27; = +1.00" in readout.value
    # moving both rows together changes nothing on the sigmoid side
    sigmoid_side = re.compile(r"w&#x27; = \(.*?\), b&#x27; = [+-]\d\.\d\d")
    after = sigmoid_side.search(readout.value)[0]
    sliders["w0_x"].value += 0.5
    sliders["w1_x"].value += 0.5
    assert "w0 = (+0.00" in readout.value
    assert sigmoid_side.search(readout.value)[0] == after
    capsys.readouterr()


def _explorer_plot():
    """The figure the explorer redraws, as the widget builds it."""
    fig = plt.figure(figsize=(5.6, 4.6))
    return fig, L.BoundaryPlot(fig.add_subplot(), X, Y, box=(-4.0, 4.0, -4.0, 4.0), legend=False)


def _view(k):
    return L.boundary_view(W_DEMO + 0.1 * k, B_DEMO - 0.2 * k, box=(-4, 4, -4, 4), resolution=61)


def test_update_in_place_equals_a_fresh_draw():
    updated, plot = _explorer_plot()
    plot.render(_view(0))
    plot.render(_view(3))
    fresh, fresh_plot = _explorer_plot()
    fresh_plot.render(_view(3))
    updated.canvas.draw()
    fresh.canvas.draw()
    assert len(plot.contours) == 2  # the old contours were removed, not stacked
    np.testing.assert_array_equal(
        np.asarray(updated.canvas.buffer_rgba()), np.asarray(fresh.canvas.buffer_rgba())
    )


def test_equal_rows_draw_no_contour():
    fig, plot = _explorer_plot()
    plot.render(L.boundary_view([[0.5, 0.5], [0.5, 0.5]], [0.0, 0.0]))
    assert plot.contours == []
