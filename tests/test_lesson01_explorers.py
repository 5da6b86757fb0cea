"""Lesson 01 explorers and figures: pure functions against known math, figures, the widget."""

from __future__ import annotations

import math
from decimal import Decimal

import matplotlib.pyplot as plt
import mpmath
import numpy as np
import pytest
import scipy.special
from matplotlib.figure import Figure

import helpers
from helpers.explorers import lesson01 as L

# ------------------------------------------------------------ affine_sigmoid


@pytest.mark.parametrize("w, b", [(1.0, 0.0), (3.0, -2.0), (-2.0, 1.0), (0.5, 4.0)])
def test_affine_sigmoid_matches_the_reference_and_the_chain_rule(w, b):
    d = L.affine_sigmoid(w, b)
    z = w * d.x + b
    np.testing.assert_allclose(d.a, helpers.sigmoid(z), rtol=1e-15)
    np.testing.assert_allclose(d.slope, w * helpers.sigmoid_grad(z), rtol=1e-15)
    # the slope is the derivative of the curve in x
    numeric = helpers.central_difference(lambda x: helpers.sigmoid(w * x + b), d.x)
    np.testing.assert_allclose(d.slope, numeric, rtol=1e-6, atol=1e-9)
    assert d.midpoint == pytest.approx(-b / w)
    assert float(helpers.sigmoid(np.array(w * d.midpoint + b))) == pytest.approx(0.5)
    assert d.max_slope == pytest.approx(w / 4)
    assert np.max(np.abs(d.slope)) <= abs(d.max_slope) + 1e-15


def test_affine_sigmoid_peak_slope_is_at_the_midpoint():
    d = L.affine_sigmoid(2.0, -1.0, np.linspace(-3, 3, 6001))
    i = np.argmax(d.slope)
    assert d.x[i] == pytest.approx(d.midpoint, abs=1e-3)
    assert d.slope[i] == pytest.approx(d.max_slope, rel=1e-6)


def test_affine_sigmoid_shapes_and_default_grid():
    d = L.affine_sigmoid(1.0, 0.0)
    assert d.x.shape == d.a.shape == d.slope.shape == (401,)
    assert d.x[0] == -6 and d.x[-1] == 6
    d = L.affine_sigmoid(1, 2, [0.0, 1.0, 2.0])
    assert d.a.shape == (3,) and isinstance(d.w, float)


def test_flat_neuron_has_no_midpoint():
    d = L.affine_sigmoid(0.0, 1.0)
    assert d.midpoint is None and d.max_slope == 0
    np.testing.assert_allclose(d.a, helpers.sigmoid(np.array(1.0)))
    assert (
        d.readout() == "w = 0.00, b = 1.00: midpoint -b/w = none (w = 0: flat), slope 0 everywhere"
    )


def test_readout_calls_w_over_4_the_slope_at_the_midpoint():
    """For w < 0, w/4 is the most negative slope: "max slope" would be the wrong name."""
    line = L.affine_sigmoid(-2.0, 1.0).readout()
    assert line == "w = -2.00, b = 1.00: midpoint -b/w = 0.500, slope at the midpoint w/4 = -0.500"
    assert "max" not in line


def test_midpoint_zero_is_printed_without_a_minus_sign():
    assert L.affine_sigmoid(1.0, 0.0).midpoint == 0.0
    assert "-0.000" not in L.affine_sigmoid(3.0, 0.0).readout()


@pytest.mark.parametrize(
    "kwargs, name, error",
    # a wrong type is a TypeError, a wrong value a ValueError (the policy of helpers._validate)
    [
        ({"w": float("nan"), "b": 0.0}, "w", ValueError),
        ({"w": "1", "b": 0.0}, "w", TypeError),
        ({"w": 1.0, "b": float("inf")}, "b", ValueError),
        ({"w": 1.0, "b": None}, "b", TypeError),
        ({"w": 1.0, "b": 0.0, "x": np.zeros((2, 2))}, "x", ValueError),
        ({"w": 1.0, "b": 0.0, "x": [1.0]}, "x", ValueError),
        ({"w": 1.0, "b": 0.0, "x": [0.0, np.nan]}, "x", ValueError),
    ],
)
def test_affine_sigmoid_rejects_bad_input_naming_the_argument(kwargs, name, error):
    with pytest.raises(error, match=rf"^{name} "):
        L.affine_sigmoid(**kwargs)


# ------------------------------------------------------- other pure functions


def test_normal_cdf_and_sf_match_scipy():
    x = np.linspace(-12, 12, 97)
    np.testing.assert_allclose(L.normal_cdf(x), scipy.special.ndtr(x), rtol=1e-13, atol=0)
    np.testing.assert_allclose(L.normal_sf(x), scipy.special.ndtr(-x), rtol=1e-13, atol=0)
    assert float(L.normal_cdf(0.0)) == 0.5


def test_probit_scale_matches_the_sigmoid_slope_at_zero():
    h = 1e-6
    slope = (L.normal_cdf(L.PROBIT_SCALE * h) - L.normal_cdf(-L.PROBIT_SCALE * h)) / (2 * h)
    assert float(slope) == pytest.approx(0.25, rel=1e-8)
    assert pytest.approx(math.sqrt(math.pi / 8)) == L.PROBIT_SCALE


@pytest.mark.parametrize("t", [5.0, 10.0, 20.0])
def test_normal_tail_asymptotic_in_the_figure_legend(t):
    """1 - Phi(t) ~ e^(-t^2/2) / (sqrt(2 pi) t): the ratio tends to 1, as 1 - 1/t^2."""
    ratio = float(L.normal_sf(t)) * math.sqrt(2 * math.pi) * t * math.exp(t * t / 2)
    assert ratio == pytest.approx(1 - 1 / t**2, abs=3 / t**4)


@pytest.mark.parametrize("fraction", [0.01, 0.1, 0.5, 0.9])
def test_saturation_threshold(fraction):
    x = L.saturation_threshold(fraction)
    assert x > 0
    assert float(helpers.sigmoid_grad(np.array(x))) == pytest.approx(fraction / 4, rel=1e-12)


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1, 2.0, float("nan")])
def test_saturation_threshold_rejects_bad_fraction(bad):
    with pytest.raises(ValueError, match="^fraction "):
        L.saturation_threshold(bad)


@pytest.mark.parametrize("x0", [-3.0, 0.0, 2.0, 6.0])
def test_sigmoid_chain_gradient_against_finite_differences_and_the_bound(x0):
    n = 8
    grads = L.sigmoid_chain_gradient(x0, n)
    assert grads.shape == (n,)
    for k in range(1, n + 1):

        def stack(v, k=k):
            for _ in range(k):
                v = helpers.sigmoid(v)
            return v

        numeric = helpers.central_difference(stack, np.array([x0]), 1e-4)[0]
        assert grads[k - 1] == pytest.approx(numeric, rel=1e-6)
    assert np.all(grads <= 0.25 ** np.arange(1, n + 1) * (1 + 1e-12))
    assert np.all(np.diff(grads) < 0)


@pytest.mark.parametrize(
    "bad, error", [(0, ValueError), (-1, ValueError), (2.5, TypeError), (True, TypeError)]
)
def test_sigmoid_chain_gradient_rejects_bad_depth(bad, error):
    with pytest.raises(error, match="^n_layers "):
        L.sigmoid_chain_gradient(0.0, bad)


def test_sigmoid_chain_gradient_rejects_bad_start():
    with pytest.raises(ValueError, match="^x0 "):
        L.sigmoid_chain_gradient(float("inf"), 3)


def test_difference_errors_orders_of_accuracy():
    x = np.linspace(-3, 3, 7)
    hs = np.array([1e-1, 1e-2, 1e-3])
    central, forward = L.difference_errors(x, hs)
    assert central.shape == forward.shape == (3,)
    # central: O(h^2), so 10x smaller h gives about 100x smaller error; forward: O(h)
    np.testing.assert_allclose(central[:-1] / central[1:], 100, rtol=0.05)
    np.testing.assert_allclose(forward[:-1] / forward[1:], 10, rtol=0.1)
    assert np.all(central < forward)


@pytest.mark.parametrize("hs", [[0.0], [-1e-3], [[1e-3]], [np.inf]])
def test_difference_errors_rejects_bad_steps(hs):
    with pytest.raises(ValueError, match="^hs "):
        L.difference_errors([0.0, 1.0], hs)


def test_difference_errors_rejects_bad_points():
    with pytest.raises(ValueError, match="^x "):
        L.difference_errors([[0.0, 1.0]], [1e-3])


# --------------------------------------------------------------------- figures

FIGURES = [
    L.plot_sigmoid_and_derivative,
    L.plot_tanh_relation,
    L.plot_logistic_vs_probit,
    L.plot_softplus,
    L.plot_vanishing_gradient,
    L.plot_step_size_error,
    L.plot_affine_sigmoid_family,
    L.plot_low_precision,
    L.plot_loss_gradients,
]


@pytest.mark.parametrize("plot", FIGURES, ids=lambda f: f.__name__)
def test_figure_has_labeled_axes_a_title_and_a_legend(plot):
    fig = plot()
    try:
        assert isinstance(fig, Figure)
        axes = fig.get_axes()
        assert axes
        for ax in axes:
            assert ax.get_ylabel(), f"{plot.__name__}: unlabeled y axis"
            # shared x axes label only the bottom panel
            assert ax.get_xlabel() or ax.get_shared_x_axes().get_siblings(ax) != [ax]
            assert ax.lines or ax.collections or ax.patches
        assert any(ax.get_title() for ax in axes)
        assert any(ax.get_legend() is not None for ax in axes)
        fig.canvas.draw()  # renders without error
    finally:
        plt.close(fig)


def test_step_size_figure_draws_eps_over_h_and_the_minima_its_caption_quotes():
    """Figure 6: the dotted line is eps / h; best steps near eps^(1/3) (central), sqrt(eps)."""
    eps = np.finfo(np.float64).eps
    fig = L.plot_step_size_error()
    try:
        (dotted,) = [line for line in fig.axes[0].lines if line.get_linestyle() == ":"]
        np.testing.assert_allclose(dotted.get_ydata(), eps / L.STEP_SIZES, rtol=1e-15)
    finally:
        plt.close(fig)
    central, forward = L.difference_errors(L.STEP_SIZE_POINTS, L.STEP_SIZES)
    h_central, h_forward = L.STEP_SIZES[np.argmin(central)], L.STEP_SIZES[np.argmin(forward)]
    assert eps ** (1 / 3) / 10 < h_central < eps ** (1 / 3) * 10
    assert np.sqrt(eps) / 10 < h_forward < np.sqrt(eps) * 10
    assert 1e-12 < central.min() < 1e-10  # "about 1e-11"
    assert 1e-9 < forward.min() < 1e-8  # "a few 1e-9"


def _legend_covers(fig, ax):
    """How many points of the lines in ax lie inside ax's legend box (display coordinates)."""
    fig.canvas.draw()
    box = ax.get_legend().get_window_extent()
    inside = 0
    for line in ax.lines:
        xy = ax.transData.transform(np.column_stack(line.get_data()))
        inside += int(
            np.sum(
                (box.x0 <= xy[:, 0])
                & (xy[:, 0] <= box.x1)
                & (box.y0 <= xy[:, 1])
                & (xy[:, 1] <= box.y1)
            )
        )
    return inside


def test_affine_family_legend_covers_no_curve():
    fig = L.plot_affine_sigmoid_family()
    try:
        top = fig.axes[0]
        assert top.get_legend() is not None
        assert _legend_covers(fig, top) == 0
    finally:
        plt.close(fig)


def test_probit_tail_legend_is_legible_and_says_asymptotic():
    fig = L.plot_logistic_vs_probit()
    try:
        legend = fig.axes[1].get_legend()
        assert min(text.get_fontsize() for text in legend.get_texts()) >= 9
        labels = [text.get_text() for text in legend.get_texts()]
        assert all(r"\sim" in label and r"\approx" not in label for label in labels)
        assert _legend_covers(fig, fig.axes[1]) == 0
    finally:
        plt.close(fig)


def test_figures_do_not_leak_open_figures():
    before = len(plt.get_fignums())
    for plot in FIGURES:
        plt.close(plot())
    assert len(plt.get_fignums()) == before


# ------------------------------------------------------------------ the widget


def test_draw_creates_then_updates_in_place():
    fig, (top, bottom) = L.explorer_figure()
    L.draw_affine_sigmoid(L.affine_sigmoid(1.0, 0.0), top, bottom)
    assert len(top.lines) == 3 and len(bottom.lines) == 2
    assert top.get_ylabel() and bottom.get_xlabel() and bottom.get_ylabel()
    curve = top.lines[0]
    d = L.affine_sigmoid(-2.0, 1.0)
    L.draw_affine_sigmoid(d, top, bottom)
    assert len(top.lines) == 3 and len(bottom.lines) == 2  # no new artists
    assert top.lines[0] is curve
    np.testing.assert_array_equal(curve.get_ydata(), d.a)
    np.testing.assert_array_equal(bottom.lines[0].get_ydata(), d.slope)
    assert "w = -2.00" in top.get_title()
    L.draw_affine_sigmoid(L.affine_sigmoid(0.0, 1.0), top, bottom)  # flat: no midpoint dot
    assert len(top.lines[2].get_xdata()) == 0
    fig.canvas.draw()


def _find(widget, kind):
    found = [widget] if isinstance(widget, kind) else []
    for child in getattr(widget, "children", ()):
        found += _find(child, kind)
    return found


def test_explorer_builds_sliders_and_updates_on_change(capsys):
    ipywidgets = pytest.importorskip("ipywidgets")
    box = L.affine_sigmoid_explorer()
    assert isinstance(box, ipywidgets.Box)
    sliders = {s.description: s for s in _find(box, ipywidgets.FloatSlider)}
    assert set(sliders) == {"w", "b"}
    label = _find(box, ipywidgets.Label)[0]
    first = label.value
    assert first == L.affine_sigmoid(1.0, 0.0).readout()
    sliders["w"].value = 2.0
    sliders["b"].value = -1.0
    assert label.value != first
    assert label.value == L.affine_sigmoid(2.0, -1.0).readout()
    capsys.readouterr()  # display() outside IPython prints the figure's repr


# ------------------------------------------- exact values and ULP distances

SIGMOID_POINTS = [-746.0, -745.0, -740.0, -720.0, -710.0, -100.0, -3.5, 0.0, 1e-8, 2.0, 36.0, 37.0]


def _mp_sigmoid(x):
    with mpmath.workdps(80):
        return 1 / (1 + mpmath.exp(-mpmath.mpf(x)))


@pytest.mark.parametrize("x", SIGMOID_POINTS)
def test_exact_sigmoid_matches_mpmath(x):
    with mpmath.workdps(80):
        assert abs(mpmath.mpf(str(L.exact_sigmoid(x))) - _mp_sigmoid(x)) <= _mp_sigmoid(x) * 1e-55


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("x", SIGMOID_POINTS)
def test_correctly_rounded_sigmoid_is_the_nearest_float(x, dtype):
    """No float of the dtype lies closer to the true value (mpmath, 80 digits)."""
    got = L.correctly_rounded_sigmoid(np.array([x]), dtype)[0]
    assert got.dtype == dtype
    exact = _mp_sigmoid(x)
    with mpmath.workdps(80):
        err = abs(mpmath.mpf(float(got)) - exact)
        for neighbour in (np.nextafter(got, dtype(-1)), np.nextafter(got, dtype(2))):
            assert err <= abs(mpmath.mpf(float(neighbour)) - exact)


def test_round_exactly_breaks_ties_to_even():
    one = np.float32(1.0)
    up = np.nextafter(one, np.float32(2))  # 1 + 2^-23, odd last bit
    halfway = (Decimal(1) + Decimal(float(up))) / 2
    assert L.round_exactly(halfway, np.float32) == one
    above = (Decimal(float(up)) + Decimal(float(np.nextafter(up, np.float32(2))))) / 2
    assert L.round_exactly(above, np.float32) == np.nextafter(up, np.float32(2))  # even
    with pytest.raises(ValueError, match="dtype"):
        L.round_exactly(Decimal(1), np.int32)


def test_ulp_distance_counts_floats_between_and_rejects_bad_input():
    a = np.array([1.0, 0.0, 5e-324])
    b = np.array([np.nextafter(np.nextafter(1.0, 2), 2), 5e-324 * 3, 5e-324])
    np.testing.assert_array_equal(L.ulp_distance(a, b), [2, 3, 0])
    assert int(L.ulp_distance(np.float32(1.0), np.nextafter(np.float32(1.0), np.float32(0)))) == 1
    with pytest.raises(ValueError, match="one dtype"):
        L.ulp_distance(np.float32(1.0), np.float64(1.0))
    with pytest.raises(ValueError, match="non-negative"):
        L.ulp_distance(np.array([-1.0]), np.array([1.0]))


# ------------------------------------------------------------ low precision


def _bfloat16_by_frexp(x):
    """An independent bfloat16 rounding: 8 significant bits by frexp and rint (ties to even)."""
    m, e = np.frexp(x.astype(np.float64))  # x = m 2^e, 0.5 <= |m| < 1
    return (np.rint(m * 2.0**8) * 2.0 ** (e - 8)).astype(np.float32)


def test_bfloat16_round_against_an_independent_rounding():
    rng = np.random.default_rng(7)
    x = (rng.standard_normal(20_000) * 10.0 ** rng.uniform(-30, 30, 20_000)).astype(np.float32)
    ties = (np.arange(1, 513, dtype=np.float64) * 2.0**-8 + 2.0**-9 + 1.0).astype(np.float32)
    x = np.concatenate([x, ties, -ties])
    np.testing.assert_array_equal(L.bfloat16_round(x), _bfloat16_by_frexp(x))


def test_bfloat16_round_edges_and_leaves_its_input_alone():
    largest = L.FORMATS["bfloat16"][1]
    assert largest == (2 - 2.0**-7) * 2.0**127
    x = np.array([np.inf, -np.inf, np.nan, 0.0, -0.0, np.finfo(np.float32).max], dtype=np.float32)
    before = x.copy()
    out = L.bfloat16_round(x)
    np.testing.assert_array_equal(x, before)
    assert out[0] == np.inf and out[1] == -np.inf and np.isnan(out[2])
    assert out[3] == 0 and np.signbit(out[4])
    assert out[5] == np.inf  # float32 max lies above the last bfloat16 midpoint
    assert L.bfloat16_round(np.float32(largest)) == np.float32(largest)


@pytest.mark.parametrize("name", ["float16", "bfloat16", "float32", "float64"])
def test_format_limits_are_where_the_format_breaks(name):
    lim = L.format_limits(name)
    p, largest = L.FORMATS[name]
    assert lim.eps == 2.0 ** (1 - p)
    assert lim.exp_overflow == pytest.approx(math.log(largest), rel=1e-15)
    if name != "float64":  # round_to_format works from float64 values
        below = L.round_to_format(np.array([_float(_mp_sigmoid(lim.sigmoid_one - 1e-3))]), name)
        above = L.round_to_format(np.array([_float(_mp_sigmoid(lim.sigmoid_one + 1e-3))]), name)
        assert below[0] < 1.0 and above[0] == 1.0
        assert L.first_one(name, np.arange(0.0, 40.0, 0.01)) == pytest.approx(
            math.ceil(lim.sigmoid_one * 100) / 100
        )
    with np.errstate(over="ignore"):
        if name == "float16":
            assert np.isinf(np.exp(np.float16(lim.exp_overflow + 0.01)))
            assert np.isfinite(np.exp(np.float16(lim.exp_overflow - 0.01)))


def _float(value):
    return float(value)


def test_format_names_are_checked():
    with pytest.raises(ValueError, match="float16"):
        L.format_limits("float8")
    with pytest.raises(ValueError, match="float16"):
        L.round_to_format([1.0], "half")


# ------------------------------------------------ squared error vs cross-entropy


@pytest.mark.parametrize("y", [0.0, 1.0, 0.3])
def test_loss_gradients_against_finite_differences(y):
    z = np.linspace(-8.0, 8.0, 33)

    def squared(v):
        return 0.5 * (helpers.sigmoid(v) - y) ** 2

    def cross(v):
        return -y * helpers.log_sigmoid(v) - (1 - y) * helpers.log_sigmoid(-v)

    sq, ce = L.loss_gradients(z, y)
    np.testing.assert_allclose(sq, helpers.central_difference(squared, z), rtol=1e-6, atol=1e-11)
    np.testing.assert_allclose(ce, helpers.central_difference(cross, z), rtol=1e-6, atol=1e-11)


def test_squared_error_gradient_vanishes_when_confidently_wrong():
    sq, ce = L.loss_gradients(np.array([-10.0, -30.0]), 1.0)
    assert np.all(np.abs(sq) < 1e-4) and np.all(np.abs(ce) > 0.9999)
    with pytest.raises(ValueError, match="y"):
        L.loss_gradients([0.0], 1.5)
