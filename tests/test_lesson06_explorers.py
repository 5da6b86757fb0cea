"""Lesson 06 explorers: the temperature state, its readout, the figures and the slider widget."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import calibration, data, recalibration, softmax, training
from helpers.explorers import lesson06 as L


@pytest.fixture(scope="module")
def trained():
    """A short run of the lesson's model: validation and test logits and labels."""
    s = data.digit_splits()
    model = training.train_softmax_regression(
        s.X_train, s.y_train, epochs=8, lr=0.5, monitor=(s.X_val, s.y_val)
    )
    return model, model.logits(s.X_val), s.y_val, model.logits(s.X_test), s.y_test


def test_state_agrees_with_the_reference_functions(trained):
    _, _, _, z, y = trained
    for T in (0.5, 1.0, 2.0):
        state = L.temperature_state(z, y, T)
        p = softmax(z / T, axis=1)
        assert state.ece == calibration.expected_calibration_error(p, y)
        assert state.nll == recalibration.temperature_nll(z, y, T)
        assert state.confidence == pytest.approx(p.max(axis=1).mean(), rel=1e-12)
        assert state.bins.count.sum() == len(y)


def test_temperature_never_changes_the_accuracy_and_confidence_falls_with_T(trained):
    _, _, _, z, y = trained
    states = [L.temperature_state(z, y, T) for T in (0.3, 0.7, 1.0, 1.5, 3.0)]
    assert len({s.accuracy for s in states}) == 1
    conf = [s.confidence for s in states]
    assert all(a > b for a, b in zip(conf, conf[1:]))


def test_the_fitted_temperature_minimises_the_nll_it_was_fitted_on(trained):
    _, z_val, y_val, _, _ = trained
    T = recalibration.fit_temperature(z_val, y_val)
    best = L.temperature_state(z_val, y_val, T).nll
    for factor in (0.9, 0.99, 1.01, 1.1):
        assert L.temperature_state(z_val, y_val, T * factor).nll > best


@pytest.mark.parametrize(
    "conf, acc, word",
    [(0.95, 0.80, "overconfident"), (0.70, 0.90, "underconfident"), (0.901, 0.9, "matches")],
)
def test_readout_names_the_direction(conf, acc, word):
    bins = calibration.reliability_bins([[0.9, 0.1]], [0], 10)
    state = L.TemperatureState(1.25, bins, 0.0123, 0.4567, acc, conf)
    text = L.temperature_readout(state)
    assert word in text and "T = 1.25" in text and "ECE 0.012" in text and "NLL 0.457" in text


def _assert_labeled(fig):
    assert isinstance(fig, Figure)
    for ax in fig.axes:
        if ax.axison:
            assert ax.get_xlabel() or ax.get_title(), "unlabeled panel"


def test_every_figure_draws(trained):
    model, z_val, y_val, z_test, y_test = trained
    s = data.digit_splits()
    T = recalibration.fit_temperature(z_val, y_val)
    states = [L.temperature_state(z_test, y_test, t) for t in (1.0, T)]
    figs = [
        L.plot_digits(s.X_train, s.y_train, 20),
        L.plot_training(model.history),
        L.plot_reliability_pair(states, ["before", "after"]),
        L.plot_temperature_sweep(z_val, y_val, z_test, y_test, T),
        L.plot_label_metrics(
            {"a": {m: np.full(2, 0.8) for m in ("precision", "recall", "F1")}}, ["x", "y"]
        ),
    ]
    for fig in figs:
        _assert_labeled(fig)
    titles = [ax.get_title() for ax in figs[2].axes]
    assert f"ECE {states[0].ece:.3f}" in titles[0] and f"ECE {states[1].ece:.3f}" in titles[1]


def test_reliability_bars_are_the_bins(trained):
    _, _, _, z, y = trained
    state = L.temperature_state(z, y, 1.0, n_bins=10)
    fig, ax = plt.subplots()
    bars, gaps, texts = L.draw_reliability(ax, state.bins)
    full = state.bins.count > 0
    heights = np.array([b.get_height() for b in bars])
    np.testing.assert_allclose(heights[full], state.bins.accuracy[full])
    tops = np.array([g.get_y() + g.get_height() for g in gaps])
    np.testing.assert_allclose(tops[full], state.bins.confidence[full])
    assert [t.get_text() for t in texts] == [str(n) if n else "" for n in state.bins.count]


def _pixels(view):
    view.fig.canvas.draw()
    return np.asarray(view.fig.canvas.buffer_rgba()).copy()


def test_updating_in_place_equals_a_fresh_draw(trained):
    _, _, _, z, y = trained
    moved = L.TemperatureView(15)
    moved.render(L.temperature_state(z, y, 1.0))
    moved.render(L.temperature_state(z, y, 0.5))
    fresh = L.TemperatureView(15)
    fresh.render(L.temperature_state(z, y, 0.5))
    assert moved.ax.get_title().startswith("T = 0.50")
    np.testing.assert_array_equal(_pixels(moved), _pixels(fresh))


def test_explorer_builds_and_the_slider_updates_the_readout(trained):
    import ipywidgets as widgets

    _, _, _, z, y = trained
    box = L.temperature_explorer(z, y, T_fit=0.7)
    assert isinstance(box, widgets.VBox)
    slider = next(w for w in box.children if isinstance(w, widgets.FloatSlider))
    readout = next(w for w in box.children if isinstance(w, widgets.HTML))
    assert slider.description == "T" and "T = 1.00" in readout.value and "0.70" in readout.value
    slider.value = 0.5
    assert L.temperature_readout(L.temperature_state(z, y, 0.5)) in readout.value
