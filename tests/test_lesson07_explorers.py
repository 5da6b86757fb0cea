"""Lesson 07 explorers: the loss plane, its readout, the figures and the weight-decay slider."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

import helpers
from helpers import datasets, loss_surface
from helpers.explorers import lesson07 as L


@pytest.fixture(scope="module")
def plane():
    """The lesson's three-class data and centred maximum-likelihood weights (a short run)."""
    X_raw, y = datasets.make_multiclass_data(n=120, seed=6)
    X = helpers.with_bias(X_raw)
    W = loss_surface.descent_path(X, y, np.zeros((3, 3)), lr=1.0, steps=1500).W[-1]
    return W - W.mean(axis=0), X, y


def test_the_plane_is_the_nll_plus_the_penalty_at_every_point_checked(plane):
    W_hat, X, y = plane
    lam = 0.07
    view = L.surface_view(W_hat, X, y, lam, ts=np.array([0.0, 0.5, 1.3]), ss=np.array([-2.0, 1.0]))
    U = np.zeros_like(W_hat)
    U[:, -1] = 1 / np.sqrt(3)
    for i, s in enumerate(view.ss):
        for j, t in enumerate(view.ts):
            W = t * W_hat + s * U
            want = helpers.softmax_regression_nll(W, X, y, weight_decay=lam)
            assert view.loss[i, j] == pytest.approx(want, rel=1e-12)


def test_without_weight_decay_the_plane_is_flat_along_s(plane):
    view = L.surface_view(*plane, 0.0)
    assert view.flatness < 1e-12
    assert view.curvature_s == pytest.approx(0.0, abs=1e-12)
    assert view.best_t == pytest.approx(1.0)  # W_hat is the maximum-likelihood point
    assert "for every s" in L.surface_readout(view)


@pytest.mark.parametrize("lam", [0.02, 0.05, 0.1])
def test_weight_decay_puts_one_lowest_point_at_s_0_and_shrinks_t(plane, lam):
    view = L.surface_view(*plane, lam)
    assert view.best_s == 0.0 and view.best_t < 1.0
    assert view.curvature_s == pytest.approx(lam, abs=1e-12)
    i = int(np.argmin(np.abs(view.ss)))
    column = view.loss[:, np.argmin(np.abs(view.ts - view.best_t))]
    assert np.all(np.delete(column, i) > column[i])  # strictly higher at every other s
    text = L.surface_readout(view)
    assert "s = +0.00 (a single lowest point)" in text and f"curvature along s = {lam:.3f}" in text


def test_more_weight_decay_shrinks_the_weights_more(plane):
    ts = [L.surface_view(*plane, lam).best_t for lam in (0.01, 0.05, 0.2)]
    assert ts[0] > ts[1] > ts[2]


def test_the_readout_never_prints_minus_zero(plane):
    for lam in (0.0, 0.05):
        assert "-0.0" not in L.surface_readout(L.surface_view(*plane, lam))


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda W, X, y: (W + 1.0, X, y, 0.0), "sum to zero"),
        (lambda W, X, y: (W, X, y, -0.1), "weight_decay"),
    ],
)
def test_bad_input_is_named(plane, change, words):
    with pytest.raises(ValueError, match=words):
        L.surface_view(*change(*plane))


def test_the_surface_figure_draws_one_panel_per_view(plane):
    views = [L.surface_view(*plane, lam) for lam in (0.0, 0.05)]
    fig = L.plot_surface_pair(views)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    left, right = fig.axes
    assert left.get_legend().get_texts()[0].get_text().startswith("valley floor")
    assert right.get_legend().get_texts()[0].get_text() == "the minimum"


def test_the_separable_figure_has_a_line_per_run_in_both_panels():
    X = helpers.with_bias([[-2.0], [-1.0], [1.0], [2.0]])
    y = np.array([0, 0, 1, 1])
    runs = {
        "lambda = 0": loss_surface.descent_path(X, y, np.zeros((2, 2)), lr=1.0, steps=50),
        "lambda = 0.1": loss_surface.descent_path(
            X, y, np.zeros((2, 2)), lr=1.0, steps=50, weight_decay=0.1
        ),
    }
    fig = L.plot_separable_runs(runs)
    left, right = fig.axes
    assert len(left.get_lines()) == 2 and len(right.get_lines()) == 2
    assert {ln.get_linestyle() for ln in left.get_lines()} == {"-", "--"}  # not colour alone
    np.testing.assert_array_equal(left.get_lines()[0].get_ydata(), runs["lambda = 0"].weight_norm)


def test_the_newton_figure_has_markers_and_the_tolerance_line():
    X, y = helpers.with_bias([[1.0], [-1.0], [2.0], [0.5]]), np.array([1, 0, 0, 1])
    fits = {
        "Newton": helpers.fit_logistic(X, y, np.zeros(2)),
        "GD": helpers.fit_logistic(X, y, np.zeros(2), method="gd", lr=1.0, max_steps=30),
    }
    ax = L.plot_newton_vs_gd(fits, tol=1e-10).axes[0]
    lines = ax.get_lines()
    assert [ln.get_marker() for ln in lines[:2]] == ["o", "s"]
    assert lines[2].get_ydata()[0] == 1e-10


def test_the_explorer_wires_a_slider_to_the_readout(plane):
    widgets = pytest.importorskip("ipywidgets")
    box = L.loss_surface_explorer(*plane)
    slider = next(w for w in box.children if isinstance(w, widgets.FloatSlider))
    readout = next(w for w in box.children if isinstance(w, widgets.HTML))
    assert slider.description == "lambda" and slider.value == 0.0
    assert "for every s" in readout.value
    slider.value = 0.05
    assert L.surface_readout(L.surface_view(*plane, 0.05)) in readout.value
