"""Lesson 02 figures and explorers: pure functions against the math, figures, widgets, speed."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.figure import Figure

import helpers
from helpers import plots
from helpers.explorers import lesson02 as L

MEASURE = [0.01, 0.2, 0.5, 0.6, 0.7, 1.0, 2.5, 5.0, 50.0, 5000.0]


# ------------------------------------------------------------ pure functions


def test_temperature_view_matches_softmax_of_z_over_t():
    z = [2.0, 1.0, 0.1]
    for t in [0.1, 1.0, 3.0]:
        v = L.temperature_view(z, t)
        np.testing.assert_allclose(v.p, helpers.softmax(np.array(z) / t), rtol=1e-12)
        assert v.winner == 0 and v.p.shape == (3,)
    assert L.temperature_view(z, 1.0).readout().startswith("T = 1: p = [0.659, 0.242, 0.099]")


def test_temperature_view_entropy_limits():
    z = [2.0, 1.0, 0.1]
    assert L.temperature_view(z, 1e-3).entropy < 1e-12  # one-hot
    assert L.temperature_view(z, 1e4).entropy == pytest.approx(np.log(3), abs=1e-6)  # uniform


def test_temperature_curves_shape_and_limits():
    ts = np.logspace(-2, 2, 50)
    P = L.temperature_curves([2.0, 1.0, 0.1], ts)
    assert P.shape == (50, 3)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(P[0], [1.0, 0.0, 0.0], atol=1e-20)
    np.testing.assert_allclose(P[-1], 1 / 3, atol=0.01)
    assert (np.diff(P[:, 0]) <= 1e-15).all()  # the winner only loses mass as T grows


def test_softmax2_grid_is_sigmoid_of_the_difference():
    g = np.linspace(-5, 5, 11)
    S = L.softmax2_grid(g, g[:7])
    assert S.shape == (7, 11)
    np.testing.assert_allclose(S, helpers.sigmoid(g[None, :] - g[:7, None]), rtol=1e-12)


def test_shifted_sigmoid_is_a_sigmoid_with_midpoint_lse_of_the_others():
    grid = np.linspace(-6, 6, 25)
    v = L.shifted_sigmoid([1.0, -2.0, 0.5], grid)
    assert v.midpoint == pytest.approx(float(helpers.logsumexp([1.0, -2.0, 0.5])), rel=1e-15)
    np.testing.assert_allclose(v.p, helpers.sigmoid(grid - v.midpoint), rtol=1e-12)
    at_mid = L.shifted_sigmoid([1.0, -2.0, 0.5], [v.midpoint]).p[0]
    assert at_mid == pytest.approx(0.5, rel=1e-14)
    assert "midpoint LSE(others) = " in v.readout()


@pytest.mark.parametrize("k", [2, 3, 10, 1000])
def test_saturation_curve_is_the_sigmoid_shifted_by_log_k_minus_1(k):
    """softmax([z, 0, ..., 0])_0 = sigma(z - log(k - 1)): same rate, shifted."""
    grid = np.linspace(-10.0, 30.0, 81)
    v = L.saturation_curves((k,), grid)
    shift = np.log(k - 1.0)
    assert v.shifts[0] == pytest.approx(shift, abs=1e-15)
    np.testing.assert_allclose(v.p[0], helpers.sigmoid(grid - shift), rtol=1e-12)
    # the tail 1 - s_0 = sigma(shift - z), kept to full relative accuracy where 1 - p is 0
    np.testing.assert_allclose(v.tail[0], helpers.sigmoid(shift - grid), rtol=1e-12)
    # same exponential rate as the sigmoid: d log(1 - s_0) / dz -> -1 far right
    slope = np.diff(np.log(v.tail[0][-2:])) / np.diff(grid[-2:])
    assert slope[0] == pytest.approx(-1.0, abs=1e-9)


def test_saturation_readout_quotes_the_shift_and_the_099_point():
    text = L.saturation_curves((2, 10)).readout()
    assert "log(k - 1) = 0.000" in text and f"{np.log(9.0):.3f}" in text
    assert f"{np.log(99.0):.3f}" in text  # s_0 = 0.99 at z_0 = logit(0.99) for k = 2


def test_simplex_xy_vertices_and_centre():
    np.testing.assert_allclose(L.simplex_xy(np.eye(3)), L._VERTICES)
    np.testing.assert_allclose(L.simplex_xy([1 / 3] * 3), [0.5, np.sqrt(3) / 6])
    assert L.simplex_xy(np.full((4, 5, 3), 1 / 3)).shape == (4, 5, 2)


def test_simplex_view_path_runs_from_vertex_to_centre():
    v = L.simplex_view([2.0, 1.0, 0.1], temperature=1.0)
    np.testing.assert_allclose(v.p, helpers.softmax([2.0, 1.0, 0.1]))
    np.testing.assert_allclose(v.path[0], L._VERTICES[0], atol=1e-12)
    np.testing.assert_allclose(v.path[-1], [0.5, np.sqrt(3) / 6], atol=0.01)
    assert v.path.shape == (v.temperatures.size, 2)
    assert v.readout().startswith("z = [2.00, 1.00, 0.10], T = 1: p = [0.659")


def test_three_squashers_reproduce_the_forum_numbers():
    out = L.three_squashers(MEASURE, ddof=0)
    assert (out["sigmoid"][-2:] == 1.0).all()  # saturated
    np.testing.assert_allclose(out["standardize_sigmoid"][:8], 0.416, atol=0.002)
    assert out["standardize_sigmoid"][-1] == pytest.approx(0.953, abs=0.001)
    assert out["softmax"].sum() == pytest.approx(1.0)
    learner = L.three_squashers([1.0, 2.0, 3.0], ddof=1)["standardize_sigmoid"]
    np.testing.assert_allclose(learner, [0.269, 0.5, 0.731], atol=5e-4)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: L.temperature_view([1.0, 2.0], 0.0), "temperature"),
        (lambda: L.temperature_view([1.0, 2.0], -1.0), "temperature"),
        (lambda: L.temperature_view([[1.0, 2.0]], 1.0), "z"),
        (lambda: L.temperature_view([1.0, np.inf], 1.0), "z"),
        (lambda: L.temperature_curves([1.0, 2.0], [1.0, 0.0]), "temperatures"),
        (lambda: L.softmax2_grid([], [1.0]), "z0"),
        (lambda: L.softmax2_grid([1.0], [np.nan]), "z1"),
        (lambda: L.shifted_sigmoid([], [0.0]), "others"),
        (lambda: L.shifted_sigmoid([0.0], [[0.0]]), "grid"),
        (lambda: L.simplex_xy([0.5, 0.5]), "p"),
        (lambda: L.simplex_xy([0.5, 0.7, -0.2]), "p"),
        (lambda: L.simplex_view([1.0, 2.0], 1.0), "z"),
        (lambda: L.simplex_view([1.0, 2.0, 3.0], 0.0), "temperature"),
        (lambda: L.three_squashers([], 0), "x"),
        (lambda: L.saturation_curves((1, 10)), "ks"),
        (lambda: L.saturation_curves((2,), [[0.0]]), "grid"),
    ],
)
def test_bad_input_raises_value_error_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=rf"^{name} "):
        call()


# ------------------------------------------------------------------- figures


@pytest.mark.parametrize(
    "make",
    [
        L.plot_softmax2_heatmap,
        L.plot_simplex,
        L.plot_temperature_curves,
        L.plot_shifted_sigmoid,
        lambda: L.plot_three_squashers(MEASURE),
        L.plot_saturation,
    ],
)
def test_figures_have_labeled_axes(make):
    plots.use_course_style()
    fig = make()
    assert isinstance(fig, Figure)
    axes = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert axes
    for ax in axes:
        assert ax.get_xlabel() and ax.get_title()
        if ax.get_yticks().size:  # the simplex panels have no y axis
            assert ax.get_ylabel()


def _pixels(fig):
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def test_coinciding_shifted_sigmoids_each_stay_visible():
    """On the right panel the curves lie on top of each other: hiding any one must show."""
    fig = L.plot_shifted_sigmoid()
    curves = [line for line in fig.axes[1].get_lines() if line.get_label().startswith("others")]
    assert len(curves) == 3
    full = _pixels(fig)
    for curve in curves:
        curve.set_visible(False)
        assert (_pixels(fig) != full).any(), f"{curve.get_label()} is hidden by the others"
        curve.set_visible(True)


def test_three_squashers_figure_has_markers_only_and_no_hidden_marker():
    fig = L.plot_three_squashers(MEASURE)
    lines = fig.axes[0].get_lines()
    assert len(lines) == 3
    assert all(line.get_linestyle() == "None" for line in lines)  # categorical axis: no lines
    xs = [tuple(line.get_xdata()) for line in lines]
    assert len(set(xs)) == 3  # side by side, so equal values (at 5000) do not hide each other


def _legend_box(fig, ax):
    fig.canvas.draw()
    return ax.get_legend().get_window_extent(fig.canvas.get_renderer())


def test_temperature_legend_is_clear_of_the_uniform_line():
    fig = L.plot_temperature_curves()
    ax = fig.axes[0]
    box = _legend_box(fig, ax)
    y_uniform = ax.transData.transform((1.0, 1 / 3))[1]
    assert not box.y0 - 10 <= y_uniform <= box.y1 + 10  # pixels: not on, nor touching, the line
    renderer = fig.canvas.get_renderer()
    for text in ax.texts:
        assert not box.overlaps(text.get_window_extent(renderer)), text.get_text()


def test_simplex_figure_leaves_room_for_legend_and_labels():
    fig = L.plot_simplex()
    ax2 = fig.axes[1]
    box = _legend_box(fig, ax2)
    renderer = fig.canvas.get_renderer()
    assert ax2.get_window_extent().contains(*box.p0) and ax2.get_window_extent().contains(*box.p1)
    for ax in fig.axes:
        for text in [*ax.texts, ax.title, ax.xaxis.label]:
            extent = text.get_window_extent(renderer)
            assert not box.overlaps(extent), f"legend on {text.get_text()!r}"
            margin = min(extent.x0, fig.bbox.x1 - extent.x1) / fig.dpi  # inches
            assert margin > 0.2, f"{text.get_text()!r} touches the edge of the figure"


# ------------------------------------------------------------------- widgets


def _sliders(box):
    found, stack = [], [box]
    while stack:
        w = stack.pop()
        if isinstance(w, (widgets.FloatSlider, widgets.FloatLogSlider, widgets.IntSlider)):
            found.append(w)
        stack.extend(getattr(w, "children", ()))
    return found


def _readout(box):
    return next(w for w in box.children if isinstance(w, widgets.HTML))


@pytest.mark.parametrize(
    "make, n_sliders",
    [(L.temperature_explorer, 4), (L.shifted_sigmoid_explorer, 2), (L.simplex_explorer, 4)],
)
def test_explorer_builds_and_redraws_on_slider_change(make, n_sliders):
    box = make()
    assert isinstance(box, widgets.VBox)
    sliders = _sliders(box)
    assert len(sliders) == n_sliders and all(s.description for s in sliders)
    before = _readout(box).value
    assert before
    sliders[0].value = sliders[0].min if sliders[0].value != sliders[0].min else sliders[0].max
    assert _readout(box).value != before


GRID = np.linspace(-10, 10, 201)
LIVE = {
    "temperature": (
        lambda: L.LivePlot(
            (6.0, 3.2), (0.11, 0.17, 0.85, 0.72), L.draw_temperature_bars, L.update_temperature_bars
        ),
        lambda i=0: L.temperature_view([2.0, 1.0 - 0.3 * i, 0.1], 0.7 + 0.2 * i),
    ),
    "shifted": (
        lambda: L.LivePlot(
            (6.5, 3.2),
            (0.1, 0.17, 0.87, 0.72),
            L.draw_shifted_sigmoid_panel,
            L.update_shifted_sigmoid_panel,
        ),
        lambda i=0: L.shifted_sigmoid([1.0 + 0.5 * i, -1.0], GRID),
    ),
    "simplex": (
        lambda: L.LivePlot((5.2, 4.4), (0.02, 0.08, 0.96, 0.84), L.draw_simplex, L.update_simplex),
        lambda i=0: L.simplex_view([2.0, 1.0, 0.1 + 0.4 * i], 0.7),
    ),
}


@pytest.mark.parametrize("name", LIVE)
def test_update_equals_a_fresh_draw(name):
    """Updating in place must show the same picture as drawing the new view from scratch."""
    make, compute = LIVE[name]
    updated, fresh = make(), make()
    updated.render(compute(0))
    updated.render(compute(3))
    fresh.render(compute(3))
    updated.fig.canvas.draw()
    fresh.fig.canvas.draw()
    np.testing.assert_array_equal(
        np.asarray(updated.fig.canvas.buffer_rgba()), np.asarray(fresh.fig.canvas.buffer_rgba())
    )
