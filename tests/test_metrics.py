"""helpers.metrics: precision, recall, F1 and the lesson 05 summaries, against counts by hand."""

from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers import datasets, metrics, training


@pytest.fixture(scope="module")
def scored():
    """Sigmoid-head probabilities on held-out multi-label data, as lesson 05 makes them."""
    X, Y = datasets.make_multilabel_data()
    head = training.train_linear_head(X[:400], Y[:400], "sigmoid", epochs=150, verbose=False)
    return head.predict_proba(X[400:]), Y[400:]


PRED = np.array([[1, 0, 0], [1, 1, 0], [0, 0, 0], [1, 0, 0]])
TRUE = np.array([[1, 1, 0], [0, 1, 0], [0, 0, 0], [1, 0, 0]])


def test_counts_and_scores_on_a_worked_example():
    c = metrics.confusion_counts(PRED, TRUE)
    np.testing.assert_array_equal(c.tp, [2, 1, 0])
    np.testing.assert_array_equal(c.fp, [1, 0, 0])
    np.testing.assert_array_equal(c.fn, [0, 1, 0])
    np.testing.assert_array_equal(c.tn, [1, 2, 4])
    np.testing.assert_allclose(
        metrics.precision(PRED, TRUE), [2 / 3, 1.0, 0.0]
    )  # label 2: 0/0 -> 0
    np.testing.assert_allclose(metrics.recall(PRED, TRUE), [1.0, 0.5, 0.0])  # label 2: 0/0 -> 0
    np.testing.assert_allclose(metrics.f1_score(PRED, TRUE), [0.8, 2 / 3, 0.0])
    assert metrics.exact_match(PRED, TRUE) == 0.5
    assert metrics.exact_match(PRED.astype(bool), PRED) == 1.0
    assert metrics.accuracy(np.array([0, 1, 2]), np.array([0, 2, 2])) == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: metrics.precision(PRED[:, :2], TRUE), "pred"),
        (lambda: metrics.recall(PRED, TRUE * 2), "y"),
        (lambda: metrics.exact_match(PRED[None], TRUE[None]), "pred"),
        (lambda: metrics.accuracy(np.array([0.0, 1.0]), np.array([0, 1])), "pred_labels"),
        (lambda: metrics.precision_recall_at(np.full((2, 3), 1.5), TRUE[:2]), "p"),
        (
            lambda: metrics.precision_recall_at(np.full((4, 3), 0.5), TRUE, threshold=1.2),
            "threshold",
        ),
        (lambda: metrics.precision_recall_at(np.full((4, 3), 0.5), TRUE, [0.5, 0.5]), "threshold"),
        (lambda: metrics.threshold_curve(np.full((4, 3), 0.5), TRUE, [[0.5]]), "thresholds"),
        (lambda: metrics.multiclass_summary(np.full((2, 3), 0.3), np.array([0.0, 1.0])), "labels"),
    ],
)
def test_bad_input_raises_naming_the_argument(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


def test_precision_recall_at_agrees_with_the_counts_and_the_curve(scored):
    p, Y = scored
    for t in (0.2, 0.5, 0.8):
        s = metrics.precision_recall_at(p, Y, t)
        np.testing.assert_allclose(s.precision, metrics.precision(p >= t, Y))
        np.testing.assert_allclose(s.recall, metrics.recall(p >= t, Y))
        np.testing.assert_allclose(s.f1, metrics.f1_score(p >= t, Y))
        np.testing.assert_array_equal(s.support, Y.sum(axis=0))
    curve = metrics.threshold_curve(p, Y, [0.2, 0.5, 0.8])
    np.testing.assert_allclose(curve.recall[1], metrics.precision_recall_at(p, Y, 0.5).recall)
    assert np.all(np.diff(metrics.threshold_curve(p, Y).recall, axis=0) <= 0)  # recall never rises


def test_ties_count_as_positive_and_thresholds_can_differ_per_label():
    p = np.array([[0.5, 0.5], [0.2, 0.9]])
    y = np.array([[1, 0], [0, 1]])
    s = metrics.precision_recall_at(p, y, 0.5)
    np.testing.assert_array_equal(s.tp, [1, 1])
    np.testing.assert_array_equal(s.fp, [0, 1])
    s = metrics.precision_recall_at(p, y, [0.1, 0.95])
    np.testing.assert_array_equal(s.predicted, [2, 0])
    assert s.precision[1] == 0.0 and s.recall[1] == 0.0  # nothing predicted: 0/0 -> 0


def test_nothing_predicted_gives_precision_zero_not_nan():
    s = metrics.precision_recall_at(np.full((3, 2), 0.1), np.array([[1, 0], [0, 0], [1, 0]]))
    np.testing.assert_array_equal(s.precision, [0.0, 0.0])
    np.testing.assert_array_equal(s.f1, [0.0, 0.0])


def test_a_softmax_output_never_predicts_two_labels_at_one_half():
    rng = np.random.default_rng(3)
    p = helpers.softmax(rng.normal(size=(500, 3)) * 4)
    assert metrics.labels_per_row(p)[2:].sum() == 0
    Y = np.ones((500, 3))
    summary = metrics.multilabel_summary(p, Y)
    assert summary["exact match, rows with 2+ labels"] == 0.0
    assert summary["recall, rows with 2+ labels"] <= 1 / 3


def test_summaries_of_perfect_predictions():
    Y = np.array([[1.0, 0, 1], [0, 0, 0], [0, 1, 0]])
    s = metrics.multilabel_summary(Y * 0.9 + 0.05, Y)
    assert all(v == 1.0 for v in s.values())
    p = helpers.softmax(np.array([[5.0, 0, 0], [0, 5.0, 0]]))
    m = metrics.multiclass_summary(p, np.array([0, 1]))
    assert m == {
        "accuracy (argmax)": 1.0,
        "rows summing to 1": 1.0,
        "rows with exactly one p >= 0.5": 1.0,
    }
    np.testing.assert_array_equal(metrics.labels_per_row(p), [0, 2, 0, 0])


def test_agreement():
    assert metrics.agreement(np.zeros(3), np.full(3, 1e-13)).startswith("equal to rounding")
    assert metrics.agreement([1.0], [1.5]) == "different: max |difference| = 0.5"
    assert "< 1e-06" in metrics.agreement([1.0], [1.0], tol=1e-6)
    with pytest.raises(ValueError, match="same shape"):
        metrics.agreement([1.0], [1.0, 2.0])


# -- averaging and single labels, against counts by hand ------------------------------------


def _by_hand(pred, y):
    """Per-label TP, FP, FN with Python loops: the definitions, nothing vectorised."""
    pred, y = np.asarray(pred).tolist(), np.asarray(y).tolist()
    k = len(pred[0])
    tp = [sum(p[j] and t[j] for p, t in zip(pred, y)) for j in range(k)]
    fp = [sum(p[j] and not t[j] for p, t in zip(pred, y)) for j in range(k)]
    fn = [sum(t[j] and not p[j] for p, t in zip(pred, y)) for j in range(k)]
    return tp, fp, fn


def _div(a, b):
    return a / b if b else 0.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_micro_and_macro_follow_their_definitions(seed):
    rng = np.random.default_rng(seed)
    pred = rng.random((30, 4)) < 0.4
    y = rng.random((30, 4)) < 0.3
    y[:, 3] = False  # a label that never occurs: recall 0/0 -> 0
    tp, fp, fn = _by_hand(pred, y)
    P = [_div(t, t + f) for t, f in zip(tp, fp)]
    R = [_div(t, t + f) for t, f in zip(tp, fn)]
    F = [_div(2 * p * r, p + r) for p, r in zip(P, R)]
    assert metrics.precision(pred, y, average="macro") == pytest.approx(sum(P) / 4)
    assert metrics.recall(pred, y, average="macro") == pytest.approx(sum(R) / 4)
    assert metrics.f1_score(pred, y, average="macro") == pytest.approx(sum(F) / 4)
    mp, mr = _div(sum(tp), sum(tp) + sum(fp)), _div(sum(tp), sum(tp) + sum(fn))
    assert metrics.precision(pred, y, average="micro") == pytest.approx(mp)
    assert metrics.recall(pred, y, average="micro") == pytest.approx(mr)
    assert metrics.f1_score(pred, y, average="micro") == pytest.approx(_div(2 * mp * mr, mp + mr))
    np.testing.assert_allclose(metrics.f1_score(pred, y), F)


def test_one_label_as_a_1d_array_gives_floats():
    pred, y = np.array([1, 1, 0, 1, 0]), np.array([1, 0, 0, 1, 1])
    for fn in (metrics.precision, metrics.recall, metrics.f1_score):
        value = fn(pred, y)
        assert isinstance(value, float)
        assert value == pytest.approx(float(fn(pred[:, None], y[:, None])[0]))
    assert metrics.precision(pred, y) == pytest.approx(2 / 3)
    assert metrics.recall(pred, y) == pytest.approx(2 / 3)


def test_micro_f1_of_the_summary_is_the_averaged_f1():
    rng = np.random.default_rng(4)
    p = rng.random((50, 3))
    y = (rng.random((50, 3)) < 0.5).astype(float)
    summary = metrics.multilabel_summary(p, y)
    assert summary["micro F1"] == pytest.approx(metrics.f1_score(p >= 0.5, y, average="micro"))


@pytest.mark.parametrize("average", ["weighted", "Micro", 1])
def test_unknown_average_is_rejected(average):
    with pytest.raises(ValueError, match="average"):
        metrics.precision(PRED, TRUE, average=average)


def test_precision_is_zero_not_nan_when_nothing_is_predicted():
    with np.errstate(all="raise"):  # no 0/0 computed anywhere
        assert metrics.precision(np.zeros((3, 2)), np.ones((3, 2)), average="micro") == 0.0
        np.testing.assert_array_equal(metrics.f1_score(np.zeros((3, 2)), np.ones((3, 2))), 0.0)
