"""Lesson 03 explorers: the pure functions, the figures, the widget wrapper, redraw speed."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

import helpers
from helpers import plots
from helpers.explorers import lesson03 as E

LOGITS = [[0.0, 0.0, 0.0, 0.0], [1.0, 2.0, 3.0, 4.0], [2.0, 1.0, 0.1, -1.0], [6.0, 0.0, 0.0, 0.0]]


def _labeled(ax):
    return ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


# ------------------------------------------------------------ jacobian_state


@pytest.mark.parametrize("z", LOGITS + [[0.0, -np.inf, 1.0], [5.0]])
def test_jacobian_state_matches_the_reference_and_the_math(z):
    st = E.jacobian_state(z)
    np.testing.assert_allclose(st.s, helpers.softmax(z), rtol=1e-15)
    np.testing.assert_allclose(st.J, helpers.softmax_jacobian(z), rtol=1e-15)
    s = st.s
    np.testing.assert_allclose(st.J, np.diag(s) - np.outer(s, s), rtol=1e-13, atol=1e-17)
    assert st.J.shape == (len(z), len(z))
    np.testing.assert_array_equal(st.J, st.J.T)  # symmetric
    np.testing.assert_allclose(st.J.sum(axis=1), 0.0, atol=1e-15)  # rows sum to 0
    assert np.abs(st.J).max() <= E.J_LIMIT  # the fixed colour scale covers every entry


def test_readout_shows_s_and_the_diagonal_without_negative_zeros():
    text = E.jacobian_readout(E.jacobian_state([6.0, 0.0, 0.0, 0.0]))
    assert text.startswith("s = [0.993, 0.002, 0.002, 0.002]")
    assert "diag(J) = [0.007, 0.002, 0.002, 0.002]" in text and "-0.000" not in text


def test_jacobian_state_known_value():
    st = E.jacobian_state([0.0, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(st.J, (np.eye(4) - 0.25) / 4, rtol=1e-15)


@pytest.mark.parametrize(
    "bad",
    [[], [[1.0, 2.0]], [np.nan, 1.0], [np.inf, 0.0], [-np.inf, -np.inf], "abc", 3.0],
)
def test_jacobian_state_rejects_bad_logits_naming_z(bad):
    with pytest.raises(ValueError, match=r"\bz\b"):
        E.jacobian_state(bad)


# ------------------------------------------------------------------ spectrum


@pytest.mark.parametrize("z", LOGITS)
def test_spectrum_is_nonnegative_with_a_zero_along_ones(z):
    lam, v0 = E.jacobian_spectrum(z)
    k = len(z)
    assert lam.shape == (k,) and np.all(np.diff(lam) >= 0)
    assert lam.min() > -1e-15  # positive semi-definite
    assert abs(lam[0]) < 1e-15  # singular
    np.testing.assert_allclose(v0, np.ones(k) / np.sqrt(k), atol=1e-8)  # shift invariance
    s = helpers.softmax(z)
    np.testing.assert_allclose(lam.sum(), 1 - np.sum(s**2), rtol=1e-12)  # trace


def test_spectrum_of_a_vanished_class_has_two_zeros():
    lam, _ = E.jacobian_spectrum([0.0, -np.inf, 1.0])
    np.testing.assert_allclose(lam[:2], 0.0, atol=1e-15)


# --------------------------------------------------------------------- costs


def test_bytes_of_a_50000_word_vocabulary():
    assert E.jacobian_bytes(50_000) == 50_000**2 * 8 == 20_000_000_000
    assert E.vjp_bytes(50_000) == 400_000
    assert E.jacobian_bytes(10, n=32, dtype=np.float32) == 32 * 100 * 4
    assert E.vjp_bytes(10, n=32, dtype=np.float32) == 32 * 10 * 4


@pytest.mark.parametrize(
    "bad, error",
    # a wrong type is a TypeError, a wrong value a ValueError (the policy of helpers._validate)
    [(0, ValueError), (-3, ValueError), (2.5, TypeError), (True, TypeError), ("10", TypeError)],
)
def test_bytes_reject_bad_sizes_naming_k(bad, error):
    with pytest.raises(error, match="k must"):
        E.jacobian_bytes(bad)
    with pytest.raises(error, match="k must"):
        E.vjp_bytes(bad)


def test_measure_costs_bytes_are_exact_and_times_positive():
    table = E.measure_costs([5, 20, 80], repeats=2)
    np.testing.assert_array_equal(table.ks, [5, 20, 80])
    np.testing.assert_array_equal(table.dense_bytes, [E.jacobian_bytes(k) for k in table.ks])
    np.testing.assert_array_equal(table.vjp_bytes, [E.vjp_bytes(k) for k in table.ks])
    assert np.all(table.dense_seconds > 0) and np.all(table.vjp_seconds > 0)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"ks": []}, "ks"), ({"ks": [10, 0]}, "ks"), ({"ks": [10], "repeats": 0}, "repeats")],
)
def test_measure_costs_rejects_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        E.measure_costs(**kwargs)


# ------------------------------------------------------------------- figures


def test_heatmaps_figure():
    fig = E.plot_jacobian_heatmaps(LOGITS, ["uniform", "spread", "mixed", "confident"])
    assert isinstance(fig, Figure)
    heatmaps = [ax for ax in fig.axes if ax.images]
    assert len(heatmaps) == 4
    assert all(ax.get_xlabel() and ax.get_title() for ax in heatmaps)
    assert heatmaps[0].get_ylabel()
    norm = heatmaps[0].images[0].norm
    assert (norm.vmin, norm.vmax) == (-0.25, 0.25)  # diverging, centred at 0
    texts = [t.get_text() for ax in heatmaps for t in ax.texts]
    assert "-0.000" not in texts and len(texts) == 4 * 16
    for ax in heatmaps:  # rows and columns numbered from 0, as NumPy indexes J
        assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2", "3"]
        assert [t.get_text() for t in ax.get_yticklabels()] == ["0", "1", "2", "3"]


def test_heatmaps_reject_bad_arguments():
    with pytest.raises(ValueError, match="titles"):
        E.plot_jacobian_heatmaps(LOGITS, ["only one"])
    with pytest.raises(ValueError, match="logit_sets"):
        E.plot_jacobian_heatmaps([])


def test_eigenvalue_figure():
    fig = E.plot_eigenvalues(LOGITS)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert _labeled(ax) and ax.get_legend() is not None
    assert len(ax.lines) == len(LOGITS) + 1  # one per logit vector, plus the zero line
    np.testing.assert_array_equal(ax.get_xticks(), [0, 1, 2, 3])  # indexed from 0
    for line in ax.lines[:-1]:  # lambda_0 = 0 for every logit vector, drawn at index 0
        assert abs(line.get_xdata()[0]) < 0.2 and abs(line.get_ydata()[0]) < 1e-15
    with pytest.raises(ValueError, match="labels"):
        E.plot_eigenvalues(LOGITS, labels=["a"])


def test_cost_figure():
    fig = E.plot_costs(E.measure_costs([5, 20], repeats=1))
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2
    for ax in fig.axes:
        assert _labeled(ax)
        assert ax.get_xscale() == ax.get_yscale() == "log"
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert "20 GB" in labels and "400 kB" in labels
    for text in fig.axes[0].texts:  # right of the star, inside the axes: not cramped at the top
        assert text.get_ha() == "left" and text.xy[0] == 50_000
    assert fig.axes[0].get_xlim()[1] > 50_000 * 5
    with pytest.raises(ValueError, match="vocab"):
        E.plot_costs(E.measure_costs([5], repeats=1), vocab=0)


def test_cost_figure_has_slope_guides_through_the_largest_measurement():
    table = E.CostTable(
        ks=np.array([10, 100, 1000]),
        dense_bytes=np.array([800, 80_000, 8_000_000]),
        vjp_bytes=np.array([80, 800, 8000]),
        dense_seconds=np.array([2e-5, 5e-5, 4e-3]),
        vjp_seconds=np.array([2e-5, 2.5e-5, 6e-5]),
    )
    ax = E.plot_costs(table).axes[1]
    guides = {line.get_label(): line for line in ax.lines if line.get_linestyle() == "--"}
    assert set(guides) == {r"$\propto k^2$ (slope 2)", r"$\propto k$ (slope 1)"}
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert all(label in legend for label in guides)
    for label, seconds, power in (
        (r"$\propto k^2$ (slope 2)", table.dense_seconds, 2),
        (r"$\propto k$ (slope 1)", table.vjp_seconds, 1),
    ):
        x, y = guides[label].get_xdata(), guides[label].get_ydata()
        assert x[-1] == 1000 and y[-1] == pytest.approx(seconds[-1])  # anchored to the data
        slope = np.log(y[-1] / y[0]) / np.log(x[-1] / x[0])
        assert slope == pytest.approx(power)


def test_draw_jacobian_labels_both_panels_and_updates_in_place():
    fig, (ax_bar, ax_heat) = plots.figure(1, 2)
    image = E.draw_jacobian(E.jacobian_state([1.0, 2.0, 3.0]), ax_bar, ax_heat)
    assert image.get_array().shape == (3, 3)
    assert _labeled(ax_bar) and _labeled(ax_heat)
    state = E.jacobian_state([3.0, 0.0, -1.0])
    again = E.draw_jacobian(state, ax_bar, ax_heat)
    assert again is image  # same artists, new data
    np.testing.assert_array_equal(again.get_array(), state.J)
    assert [r.get_height() for r in ax_bar.patches] == list(state.s)
    assert ax_heat.texts[1].get_text() == E._entry(state.J[0, 1])
    bigger = E.draw_jacobian(E.jacobian_state([1.0, 2.0, 3.0, 4.0]), ax_bar, ax_heat)
    assert bigger.get_array().shape == (4, 4) and len(ax_heat.texts) == 16


def test_explorer_figure_has_bars_heatmap_and_colorbar():
    fig, ax_bar, ax_heat = E.explorer_figure()
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    assert _labeled(ax_bar) and _labeled(ax_heat)
    assert fig.axes[2].get_ylabel()  # the colorbar


def test_gradient_check_figure():
    fig = E.plot_gradient_checks(["good", "exact", "wrong"], [1e-10, 0.0, 0.5], tol=1e-6)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert _labeled(ax) and ax.get_xscale() == "log"
    assert len(ax.patches) == 3
    colours = [p.get_facecolor()[:3] for p in ax.patches]
    assert colours[0] == colours[1] != colours[2]  # passed, passed, failed


@pytest.mark.parametrize(
    ("names", "errors", "tol"),
    [
        (["a"], [1e-9, 1e-9], 1e-6),
        (["a"], [np.nan], 1e-6),
        (["a"], [-1.0], 1e-6),
        (["a"], [1.0], 0),
    ],
)
def test_gradient_check_figure_rejects_bad_input(names, errors, tol):
    with pytest.raises(ValueError, match="rel_errors|tol"):
        E.plot_gradient_checks(names, errors, tol)


# -------------------------------------------------------------------- widget


def test_explorer_builds_sliders_and_redraws():
    import ipywidgets as widgets

    box = E.jacobian_explorer()
    assert isinstance(box, widgets.VBox)

    def walk(w):
        yield w
        for child in getattr(w, "children", ()):
            yield from walk(child)

    sliders = [w for w in walk(box) if isinstance(w, widgets.FloatSlider)]
    labels = [w for w in walk(box) if isinstance(w, widgets.Label)]
    assert len(sliders) == 4 and all(s.description for s in sliders)
    assert [s.description for s in sliders] == [f"logit z{i}" for i in range(4)]  # from 0
    assert len(labels) == 1
    before = labels[0].value
    assert before.startswith("s = [")
    sliders[0].value = -3.0  # the update path: interactive_output calls draw
    after = labels[0].value
    assert after != before
    want = E.jacobian_state([-3.0, 1.0, 0.1, -1.0]).s
    assert after.startswith("s = [" + ", ".join(f"{v:.3f}" for v in want) + "]")


@pytest.mark.parametrize("bad", [(1.0, 2.0), (1.0, 2.0, 3.0, np.inf), (1.0, 2.0, 3.0, -np.inf)])
def test_explorer_rejects_bad_start_naming_z0(bad):
    with pytest.raises(ValueError, match="z0"):
        E.jacobian_explorer(bad)


# ------------------------------------------------ squared error vs cross-entropy


@pytest.mark.parametrize("k", [2, 3, 5])
def test_loss_gradients_match_finite_differences(k):
    u = np.array([-3.0, 0.0, 2.5, 6.0])
    g = E.squared_error_vs_cross_entropy(u, k=k)
    y = np.eye(k)[0]
    for i, ui in enumerate(u):
        z = np.zeros(k)
        z[1] = ui
        ce = helpers.numerical_gradient(lambda v: -helpers.log_softmax(v)[0], z)
        mse = helpers.numerical_gradient(lambda v: 0.5 * np.sum((helpers.softmax(v) - y) ** 2), z)
        np.testing.assert_allclose(g.ce[i], ce, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(g.mse[i], mse, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(g.ce[i], helpers.softmax(z) - y, rtol=1e-12, atol=1e-15)


def test_squared_error_gradient_vanishes_when_confidently_wrong_and_cross_entropy_does_not():
    u = np.arange(10.0, 31.0)
    g = E.squared_error_vs_cross_entropy(u)
    np.testing.assert_allclose(g.ce_norm, np.sqrt(2.0), rtol=1e-4)  # s - y -> [-1, 1, 0]
    ratio = g.mse_norm[1:] / g.mse_norm[:-1]  # decays like e^{-u}: the sigmoid's rate
    np.testing.assert_allclose(ratio, np.exp(-1.0), rtol=1e-3)
    assert g.mse_norm[-1] < 1e-12 < g.ce_norm[-1]
    assert "|grad| cross-entropy = 1.414" in g.readout([20.0])


@pytest.mark.parametrize(("u", "k"), [([[0.0]], 3), ([0.0, np.nan], 3), ([0.0], 1)])
def test_loss_gradients_reject_bad_input(u, k):
    with pytest.raises(ValueError, match="^(u|k) "):
        E.squared_error_vs_cross_entropy(u, k=k)


def test_squared_error_vs_cross_entropy_figure():
    fig = E.plot_squared_error_vs_cross_entropy()
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert all(_labeled(ax) for ax in fig.axes)
    assert fig.axes[1].get_yscale() == "log"


def test_gradient_check_figure_shows_an_error_above_one():
    fig = E.plot_gradient_checks(["good", "very wrong"], [1e-10, 2.0], tol=1e-6)
    assert fig.axes[0].get_xlim()[1] > 2.0
