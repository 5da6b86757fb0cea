"""Lesson 05 explorers: data, gradient, training loop, metrics, figures and the threshold widget."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import helpers  # noqa: E402
from helpers import plots  # noqa: E402
from helpers.explorers import lesson05 as L  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def scored():
    """Sigmoid-head probabilities on held-out multi-label data, as the lesson makes them."""
    X, Y = L.make_multilabel_data()
    head = L.train_linear_head(X[:400], Y[:400], "sigmoid", epochs=150, verbose=False)
    return head.predict_proba(X[400:]), Y[400:]


# -- data ----------------------------------------------------------------------------------


def test_multilabel_data_is_fixed_and_has_real_co_occurrence():
    X, Y = L.make_multilabel_data()
    X2, Y2 = L.make_multilabel_data()
    assert X.shape == (600, 2) and Y.shape == (600, 3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)
    per_row = Y.sum(axis=1)
    assert 0.1 < np.mean(per_row == 0) < 0.3  # "none of the above" exists
    assert np.mean(per_row >= 2) > 0.25  # co-occurrence is common
    # label 2 comes with labels 0 and 1: P(0 and 1 | 2) far above P(0 and 1)
    both = (Y[:, 0] == 1) & (Y[:, 1] == 1)
    assert both[Y[:, 2] == 1].mean() > 2 * both.mean()


def test_multiclass_data_has_exactly_one_class_per_row():
    X, y = L.make_multiclass_data()
    assert X.shape == (600, 2) and y.shape == (600,) and y.dtype.kind == "i"
    assert set(np.unique(y)) == {0, 1, 2}
    assert np.bincount(y).min() > 150


def test_softmax_targets_spread_the_mass_and_drop_empty_rows():
    Y = np.array([[1.0, 1, 0], [0, 0, 0], [1, 1, 1], [0, 1, 0]])
    T, keep = L.softmax_targets(Y)
    np.testing.assert_array_equal(keep, [True, False, True, True])
    np.testing.assert_allclose(T.sum(axis=1), 1.0)
    np.testing.assert_allclose(T[1], [1 / 3] * 3)
    with pytest.raises(ValueError, match="Y"):
        L.softmax_targets(np.ones(3))


# -- gradient and training -----------------------------------------------------------------


def test_bce_grad_matches_finite_differences_of_the_reference_loss():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(4, 3)) * 3
    y = (rng.random((4, 3)) < 0.5).astype(float)
    numeric = helpers.numerical_gradient(lambda t: helpers.bce_with_logits(t, y), z)
    np.testing.assert_allclose(L.bce_with_logits_grad(z, y), numeric, rtol=1e-6, atol=1e-10)


def test_bce_grad_is_stable_and_keeps_float32():
    g = L.bce_with_logits_grad(np.array([[1000.0, -1000.0]]), np.array([[0.0, 0.0]]))
    np.testing.assert_array_equal(g, [[0.5, 0.0]])
    z32 = np.array([[0.5, -2.0]], dtype=np.float32)
    assert L.bce_with_logits_grad(z32, np.array([[1.0, 0.0]])).dtype == np.float32
    with pytest.raises(ValueError, match="y"):
        L.bce_with_logits_grad(np.zeros((2, 2)), np.zeros((2, 3)))


def test_grad_reference_dispatches_to_the_right_head():
    z = np.array([[1.0, -1.0, 0.5], [0.0, 2.0, -3.0]])
    np.testing.assert_allclose(
        L.grad_logits_reference(z, np.array([2, 1]), "softmax"),
        helpers.softmax_cross_entropy_grad(z, np.array([2, 1])),
    )
    Y = np.array([[1.0, 0, 1], [0, 0, 0]])
    np.testing.assert_allclose(
        L.grad_logits_reference(z, Y, "sigmoid"), (helpers.sigmoid(z) - Y) / 6
    )
    with pytest.raises(ValueError, match="head"):
        L.grad_logits_reference(z, Y, "relu")


def test_training_prints_four_decimals_at_fixed_epochs_and_lowers_the_loss(capsys):
    X, y = L.make_multiclass_data(120)
    head = L.train_linear_head(X, y, "softmax", lr=1.0, epochs=50, report_every=25)
    lines = capsys.readouterr().out.splitlines()
    assert [line[:10] for line in lines] == ["epoch    0", "epoch   25", "epoch   50"]
    assert lines[0] == "epoch    0  loss 1.0986"  # log 3 at zero weights
    assert head.losses.shape == (51,)
    assert head.losses[-1] < 0.5 * head.losses[0]
    assert np.all(np.diff(head.losses) <= 1e-12)  # full-batch GD with a small step


def test_one_training_step_is_the_chain_rule_by_hand():
    X, Y = L.make_multilabel_data(50)
    head = L.train_linear_head(X, Y, "sigmoid", lr=0.5, epochs=1, verbose=False)
    G = (helpers.sigmoid(np.zeros((50, 3))) - Y) / Y.size
    np.testing.assert_allclose(head.W, -0.5 * X.T @ G)
    np.testing.assert_allclose(head.b, -0.5 * G.sum(axis=0))
    p = head.predict_proba(X)
    assert p.shape == (50, 3) and not np.allclose(p.sum(axis=1), 1)


def test_softmax_head_on_soft_targets_and_bad_arguments():
    X, Y = L.make_multilabel_data(80)
    T, keep = L.softmax_targets(Y)
    head = L.train_linear_head(X[keep], T, "softmax", epochs=20, verbose=False)
    np.testing.assert_allclose(head.predict_proba(X).sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="head"):
        L.train_linear_head(X, Y, "tanh")
    with pytest.raises(ValueError, match="X"):
        L.train_linear_head(X[:, 0], Y, "sigmoid")
    with pytest.raises(ValueError, match="Y"):
        L.train_linear_head(X, Y[:10], "sigmoid")
    with pytest.raises(ValueError, match="epochs"):
        L.train_linear_head(X, Y, "sigmoid", epochs=-1)


# -- metrics -------------------------------------------------------------------------------

PRED = np.array([[1, 0, 0], [1, 1, 0], [0, 0, 0], [1, 0, 0]])
TRUE = np.array([[1, 1, 0], [0, 1, 0], [0, 0, 0], [1, 0, 0]])


def test_counts_and_scores_on_a_worked_example():
    c = L.confusion_counts(PRED, TRUE)
    np.testing.assert_array_equal(c.tp, [2, 1, 0])
    np.testing.assert_array_equal(c.fp, [1, 0, 0])
    np.testing.assert_array_equal(c.fn, [0, 1, 0])
    np.testing.assert_array_equal(c.tn, [1, 2, 4])
    np.testing.assert_allclose(L.precision(PRED, TRUE), [2 / 3, 1.0, 0.0])  # label 2: 0/0 -> 0
    np.testing.assert_allclose(L.recall(PRED, TRUE), [1.0, 0.5, 0.0])  # label 2: 0/0 -> 0
    np.testing.assert_allclose(L.f1_score(PRED, TRUE), [0.8, 2 / 3, 0.0])
    assert L.exact_match(PRED, TRUE) == 0.5
    assert L.exact_match(PRED.astype(bool), PRED) == 1.0
    assert L.accuracy(np.array([0, 1, 2]), np.array([0, 2, 2])) == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: L.precision(PRED[:, :2], TRUE), "pred"),
        (lambda: L.recall(PRED, TRUE * 2), "y"),
        (lambda: L.exact_match(PRED[0], TRUE[0]), "pred"),
        (lambda: L.accuracy(np.array([0.0, 1.0]), np.array([0, 1])), "pred_labels"),
        (lambda: L.precision_recall_at(np.full((2, 3), 1.5), TRUE[:2]), "p"),
        (lambda: L.precision_recall_at(np.full((4, 3), 0.5), TRUE, threshold=1.2), "threshold"),
        (lambda: L.precision_recall_at(np.full((4, 3), 0.5), TRUE, [0.5, 0.5]), "threshold"),
        (lambda: L.threshold_curve(np.full((4, 3), 0.5), TRUE, [[0.5]]), "thresholds"),
        (lambda: L.multiclass_summary(np.full((2, 3), 0.3), np.array([0.0, 1.0])), "labels"),
    ],
)
def test_bad_input_raises_naming_the_argument(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


def test_precision_recall_at_agrees_with_the_counts_and_the_curve(scored):
    p, Y = scored
    for t in (0.2, 0.5, 0.8):
        s = L.precision_recall_at(p, Y, t)
        np.testing.assert_allclose(s.precision, L.precision(p >= t, Y))
        np.testing.assert_allclose(s.recall, L.recall(p >= t, Y))
        np.testing.assert_allclose(s.f1, L.f1_score(p >= t, Y))
        np.testing.assert_array_equal(s.support, Y.sum(axis=0))
    curve = L.threshold_curve(p, Y, [0.2, 0.5, 0.8])
    np.testing.assert_allclose(curve.recall[1], L.precision_recall_at(p, Y, 0.5).recall)
    assert np.all(np.diff(L.threshold_curve(p, Y).recall, axis=0) <= 0)  # recall never rises


def test_ties_count_as_positive_and_thresholds_can_differ_per_label():
    p = np.array([[0.5, 0.5], [0.2, 0.9]])
    y = np.array([[1, 0], [0, 1]])
    s = L.precision_recall_at(p, y, 0.5)
    np.testing.assert_array_equal(s.tp, [1, 1])
    np.testing.assert_array_equal(s.fp, [0, 1])
    s = L.precision_recall_at(p, y, [0.1, 0.95])
    np.testing.assert_array_equal(s.predicted, [2, 0])
    assert s.precision[1] == 0.0 and s.recall[1] == 0.0  # nothing predicted: 0/0 -> 0


def test_nothing_predicted_gives_precision_zero_not_nan():
    s = L.precision_recall_at(np.full((3, 2), 0.1), np.array([[1, 0], [0, 0], [1, 0]]))
    np.testing.assert_array_equal(s.precision, [0.0, 0.0])
    np.testing.assert_array_equal(s.f1, [0.0, 0.0])


def test_a_softmax_output_never_predicts_two_labels_at_one_half():
    rng = np.random.default_rng(3)
    p = helpers.softmax(rng.normal(size=(500, 3)) * 4)
    assert L.labels_per_row(p)[2:].sum() == 0
    Y = np.ones((500, 3))
    summary = L.multilabel_summary(p, Y)
    assert summary["exact match, rows with 2+ labels"] == 0.0
    assert summary["recall, rows with 2+ labels"] <= 1 / 3


def test_summaries_of_perfect_predictions():
    Y = np.array([[1.0, 0, 1], [0, 0, 0], [0, 1, 0]])
    s = L.multilabel_summary(Y * 0.9 + 0.05, Y)
    assert all(v == 1.0 for v in s.values())
    p = helpers.softmax(np.array([[5.0, 0, 0], [0, 5.0, 0]]))
    m = L.multiclass_summary(p, np.array([0, 1]))
    assert m == {
        "accuracy (argmax)": 1.0,
        "rows summing to 1": 1.0,
        "rows with exactly one p >= 0.5": 1.0,
    }
    np.testing.assert_array_equal(L.labels_per_row(p), [0, 2, 0, 0])


# -- figures -------------------------------------------------------------------------------


def _assert_labeled(fig):
    assert isinstance(fig, Figure)
    for ax in fig.axes:
        assert ax.get_title(), "every panel needs a title"
        assert ax.get_xlabel() or ax.get_xticklabels(), "x axis unlabeled"
    assert any(ax.get_ylabel() for ax in fig.axes), "y axis unlabeled"


def test_every_figure_returns_a_labeled_figure(scored):
    plots.use_course_style()
    X_ml, Y_ml = L.make_multilabel_data()
    X_mc, y_mc = L.make_multiclass_data()
    p, Y = scored
    q = helpers.softmax(helpers.logit(np.clip(p, 1e-6, 1 - 1e-6)))
    figs = [
        L.plot_datasets(X_ml, Y_ml, X_mc, y_mc),
        L.plot_label_probabilities(p[:4], q[:4], Y[:4]),
        L.plot_metrics_comparison(
            {
                "multi-label": {
                    "sigmoid": L.multilabel_summary(p, Y),
                    "softmax": L.multilabel_summary(q, Y),
                },
                "multi-class": {
                    "softmax": {"accuracy (argmax)": 0.9},
                    "sigmoid": {"accuracy (argmax)": 0.8},
                },
            }
        ),
        L.plot_row_sums(p, q),
        L.plot_threshold_tradeoff(L.threshold_curve(p, Y)),
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
        "example 1: true labels: none",
        "example 2: true labels: {0, 1}",
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
    scores = L.precision_recall_at(p, Y, 0.3)
    handles = L.draw_threshold_view(scores, L.threshold_curve(p, Y), ax)
    assert len(ax.lines) == 6  # a curve and a current point per label
    assert ax.get_title() == "precision-recall curves, dot at threshold 0.30"
    assert ax.get_xlabel() == "recall" and ax.get_ylabel() == "precision"
    for j, point in enumerate(handles["points"]):
        np.testing.assert_array_equal(point.get_xydata(), [[scores.recall[j], scores.precision[j]]])
    L.update_threshold_view(handles, L.precision_recall_at(p, Y, 0.8))
    assert len(ax.lines) == 6 and ax.get_title().endswith("threshold 0.80")


def _pixels(view):
    view.fig.canvas.draw()
    return np.asarray(view.fig.canvas.buffer_rgba()).copy()


def test_updating_in_place_equals_a_fresh_draw(scored):
    p, Y = scored
    curve = L.threshold_curve(p, Y)
    moved = L.ThresholdView(curve)
    moved.render(L.precision_recall_at(p, Y, 0.5))
    moved.render(L.precision_recall_at(p, Y, 0.3))
    fresh = L.ThresholdView(curve)
    fresh.render(L.precision_recall_at(p, Y, 0.3))
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
    lines = L.threshold_readout(L.precision_recall_at(p, Y, 0.2))
    assert all(line in readout.value for line in lines)
