"""The lesson-03 checks accept the reference and reject a catalogue of known mistakes."""

from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers.checks import lesson03 as L
from helpers.checks.lesson03 import (
    check_softmax_cross_entropy_grad,
    check_softmax_jacobian,
    check_softmax_jacobian_batched,
    check_softmax_vjp,
)

NOT_DONE = "not done yet"
NONE = "forget the `return`"
LIST = "not a Python list"
SCALAR = "without reducing"
RAISED = "this input is valid"
MUTATED = "x - m, not x -= m"
DTYPE = "float32 in, float32 out"
OVERFLOW = "subtract the max first"


# ------------------------------------------------------------------ helpers


def _softmax_rows(z):
    """A learner's stable softmax over the last axis."""
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _naive_softmax(z):
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


def _global_max_softmax(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e, axis=-1, keepdims=True)


def _loose_softmax(z):
    """max and sum without keepdims: wrong, and silent on a square batch."""
    e = np.exp(z - np.max(z, axis=-1))
    return e / np.sum(e, axis=-1)


def _square_only(wrong, right):
    """Right on every non-square input: only a square batch exposes the lost keepdims."""

    def fn(z, *args):
        if np.ndim(z) == 2 and z.shape[0] == z.shape[1]:
            return wrong(z, *args)
        return right(z, *args)

    return fn


def _stub(*args):
    raise NotImplementedError("Exercise 3.x")


def _raise_if(condition, fn, *args):
    """A function that raises on some valid input (and is right elsewhere)."""
    if condition:
        raise ValueError("cannot handle this input")
    return fn(*args)


# ------------------------------------------------------------- Exercise 3.1


def jac_good(z):
    s = _softmax_rows(z)
    return np.diag(s) - np.outer(s, s)


def jac_good_loops(z):
    s = _softmax_rows(z)
    k = len(s)
    J = np.zeros((k, k), dtype=s.dtype)
    for i in range(k):
        for j in range(k):
            J[i, j] = s[i] * ((i == j) - s[j])
    return J


def jac_loop_plus(z):
    s = _softmax_rows(z)
    J = np.empty((len(s), len(s)), dtype=s.dtype)
    for i in range(len(s)):
        for j in range(len(s)):
            J[i, j] = s[i] * (1 - s[i]) if i == j else s[i] * s[j]
    return J


JACOBIAN_WRONG = {
    "s = exp(z - max) not normalised": (
        lambda z: (lambda s: np.diag(s) - np.outer(s, s))(np.exp(z - z.max())),
        L.HINT_S_NOT_NORMALISED,
    ),
    "stub": (_stub, NOT_DONE),
    "returns None": (lambda z: None, NONE),
    "returns a list": (lambda z: jac_good(z).tolist(), LIST),
    "returns a scalar": (lambda z: float(np.sum(jac_good(z))), SCALAR),
    "sign flipped": (lambda z: -jac_good(z), L.HINT_SIGN),
    "outer product without the diagonal": (
        lambda z: -np.outer(_softmax_rows(z), _softmax_rows(z)),
        L.HINT_NO_DIAG,
    ),
    "diag(s) alone": (lambda z: np.diag(_softmax_rows(z)), L.HINT_DIAG_ONLY),
    "sigmoid-style diagonal only": (
        lambda z: np.diag(_softmax_rows(z) * (1 - _softmax_rows(z))),
        L.HINT_DIAG_SIGMOID,
    ),
    "+ s s^T": (lambda z: np.outer(_softmax_rows(z), _softmax_rows(z)), L.HINT_OUTER_ONLY),
    "elementwise s * s": (
        lambda z: np.diag(_softmax_rows(z)) - _softmax_rows(z) * _softmax_rows(z),
        L.HINT_ELEMENTWISE,
    ),
    "inner product": (
        lambda z: np.diag(_softmax_rows(z)) - _softmax_rows(z) @ _softmax_rows(z),
        L.HINT_INNER,
    ),
    "logits instead of probabilities": (lambda z: np.diag(z) - np.outer(z, z), L.HINT_LOGITS),
    "no max-subtraction (nan for large logits)": (
        lambda z: np.diag(_naive_softmax(z)) - np.outer(_naive_softmax(z), _naive_softmax(z)),
        OVERFLOW,
    ),
    "mutates its input": (lambda z: _mutating_jacobian(z), MUTATED),
    "float32 becomes float64": (lambda z: jac_good(z).astype(np.float64), DTYPE),
    "raises on a -inf logit": (
        lambda z: _raise_if(np.isinf(z).any(), jac_good, z),
        RAISED,
    ),
    "eye - s[None, :] (delta_ij - s_j, no factor s_i)": (
        lambda z: np.eye(len(z), dtype=z.dtype) - _softmax_rows(z)[None, :],
        L.HINT_LOG_DERIVATIVE,
    ),
    "diag(s) - outer(s, 1 - s)": (
        lambda z: np.diag(_softmax_rows(z)) - np.outer(_softmax_rows(z), 1 - _softmax_rows(z)),
        L.HINT_OUTER_ONE_MINUS,
    ),
    "one value per logit, shape (k,)": (
        lambda z: _softmax_rows(z) * (1 - _softmax_rows(z)),
        L.HINT_ONE_PER_LOGIT,
    ),
    "eye - outer(s, s)": (
        lambda z: np.eye(len(z), dtype=z.dtype) - np.outer(_softmax_rows(z), _softmax_rows(z)),
        L.HINT_EYE_NOT_DIAG,
    ),
    "diag(s * (1 - s)) - outer(s, s) (the diagonal twice)": (
        lambda z: (lambda s: np.diag(s * (1 - s)) - np.outer(s, s))(_softmax_rows(z)),
        L.HINT_DIAG_TWICE,
    ),
    "a loop with +s_i s_j off the diagonal": (jac_loop_plus, L.HINT_OFF_DIAGONAL_SIGN),
    "s_i (delta_ij - s_i), the row's s twice": (
        lambda z: (lambda s: s[:, None] * (np.eye(len(s), dtype=s.dtype) - s[:, None]))(
            _softmax_rows(z)
        ),
        L.HINT_ROW_INDEX,
    ),
    "the sigmoid of each logit for s": (
        lambda z: (lambda s: np.diag(s) - np.outer(s, s))(helpers.sigmoid(z)),
        L.HINT_SIGMOID_S,
    ),
}


def _mutating_jacobian(z):
    z -= np.max(z)
    return jac_good(z)


JACOBIAN_GOOD = [jac_good, jac_good_loops, helpers.softmax_jacobian]


@pytest.mark.parametrize("fn", JACOBIAN_GOOD)
def test_jacobian_accepts_correct_code(fn, capsys):
    assert check_softmax_jacobian(fn) is True
    assert capsys.readouterr().out.startswith("✅ Exercise 3.1 softmax_jacobian: passed")


@pytest.mark.parametrize("name", JACOBIAN_WRONG)
def test_jacobian_rejects(name, capsys):
    fn, hint = JACOBIAN_WRONG[name]
    assert check_softmax_jacobian(fn) is False
    out = capsys.readouterr().out
    assert hint in out, out


# ------------------------------------------------------------- Exercise 3.2


def batched_good(Z):
    S = _softmax_rows(Z)
    eye = np.eye(Z.shape[-1], dtype=S.dtype)
    return np.einsum("ij,jk->ijk", S, eye) - np.einsum("ij,ik->ijk", S, S)


def batched_good_stack(Z):
    return np.stack([jac_good(z) for z in Z])


def _batched(S, diag_sign=1.0, outer_sign=-1.0):
    eye = np.eye(S.shape[-1], dtype=S.dtype)
    return diag_sign * S[:, :, None] * eye + outer_sign * np.einsum("ij,ik->ijk", S, S)


BATCHED_WRONG = {
    "stub": (_stub, NOT_DONE),
    "returns None": (lambda Z: None, NONE),
    "returns a list": (lambda Z: batched_good(Z).tolist(), LIST),
    "returns a scalar": (lambda Z: float(batched_good(Z).sum()), SCALAR),
    "sign flipped": (lambda Z: _batched(_softmax_rows(Z), -1.0, 1.0), L.HINT_SIGN),
    "outer product without the diagonal": (
        lambda Z: _batched(_softmax_rows(Z), 0.0, -1.0),
        L.HINT_NO_DIAG,
    ),
    "diag(s) alone": (lambda Z: _batched(_softmax_rows(Z), 1.0, 0.0), L.HINT_DIAG_ONLY),
    "einsum output 'jik' (k, n, k)": (
        lambda Z: np.einsum("ijk->jik", batched_good(Z)),
        L.HINT_BATCH_FIRST,
    ),
    "einsum output 'jki' (k, k, n)": (
        lambda Z: np.einsum("ijk->jki", batched_good(Z)),
        L.HINT_BATCH_FIRST,
    ),
    "batch index summed away": (
        lambda Z: (
            np.einsum("ij,jk->jk", _softmax_rows(Z), np.eye(Z.shape[1]))
            - np.einsum("ij,ik->jk", _softmax_rows(Z), _softmax_rows(Z))
        ),
        L.HINT_SUMMED_BATCH,
    ),
    "np.outer on the batch": (
        lambda Z: np.diag(_softmax_rows(Z).ravel()) - np.outer(_softmax_rows(Z), _softmax_rows(Z)),
        L.HINT_NP_OUTER,
    ),
    "softmax down the columns": (
        lambda Z: _batched(np.exp(Z) / np.exp(Z).sum(axis=0)),
        L.HINT_COLUMN_SOFTMAX,
    ),
    "np.eye(k) * s as the diagonal tensor": (
        lambda Z: (
            np.eye(Z.shape[1]) * _softmax_rows(Z)
            - np.einsum("ij,ik->ijk", _softmax_rows(Z), _softmax_rows(Z))
        ),
        L.HINT_EYE_TIMES_S,
    ),
    "no max-subtraction": (lambda Z: _batched(_naive_softmax(Z)), OVERFLOW),
    "max of the whole batch": (lambda Z: _batched(_global_max_softmax(Z)), "each row's own max"),
    "mutates its input": (lambda Z: _mutating_batched(Z), MUTATED),
    "float64 identity upcasts float32": (
        lambda Z: (
            _softmax_rows(Z)[:, :, None] * np.eye(Z.shape[1])
            - np.einsum("ij,ik->ijk", _softmax_rows(Z), _softmax_rows(Z))
        ),
        DTYPE,
    ),
    "raises for k = 1": (lambda Z: _raise_if(Z.shape[1] == 1, batched_good, Z), RAISED),
    "'ij,ik->jk' for the outer products only": (
        lambda Z: (
            _softmax_rows(Z)[:, :, None] * np.eye(Z.shape[1], dtype=Z.dtype)
            - np.einsum("ij,ik->jk", _softmax_rows(Z), _softmax_rows(Z))
        ),
        L.HINT_SUMMED_BATCH,
    ),
    "np.diag(S) on the 2-D batch": (
        lambda Z: np.diag(_softmax_rows(Z)) - np.einsum("ij,ik->ijk", *[_softmax_rows(Z)] * 2),
        L.HINT_NP_DIAG_2D,
    ),
    "np.outer(S, S) after a correct diagonal tensor (broadcast error)": (
        lambda Z: (
            _softmax_rows(Z)[:, :, None] * np.eye(Z.shape[1], dtype=Z.dtype)
            - np.outer(_softmax_rows(Z), _softmax_rows(Z))
        ),
        L.HINT_NP_OUTER,
    ),
    "max of the whole batch: the hint says underflow": (
        lambda Z: _batched(_global_max_softmax(Z)),
        L.HINT_GLOBAL_MAX,
    ),
    "softmax without keepdims, square batch only": (
        _square_only(lambda Z: _batched(_loose_softmax(Z)), helpers.softmax_jacobian),
        L.HINT_SOFTMAX_KEEPDIMS,
    ),
    "np.eye(k) without dtype": (
        lambda Z: (
            np.einsum("ij,jk->ijk", _softmax_rows(Z), np.eye(Z.shape[1]))
            - np.einsum("ij,ik->ijk", _softmax_rows(Z), _softmax_rows(Z))
        ),
        "np.eye(k, dtype=s.dtype)",
    ),
}


def batched_as_in_the_lesson(Z):
    """Section 5's steps as the lesson shows them, with np.eye(k, dtype=S.dtype)."""
    S = _softmax_rows(Z)
    I = np.eye(Z.shape[-1], dtype=S.dtype)  # noqa: E741 (the lesson's name for the identity)
    return np.einsum("ij,jk->ijk", S, I) - np.einsum("ij,ik->ijk", S, S)


@pytest.mark.parametrize(
    "shapes, want",
    [
        ("(2,3,3) (6,6)", L.HINT_NP_OUTER),
        ("(2,3,3) (2,)", L.HINT_NP_DIAG_2D),
        ("(2,3,3) (5,)", None),  # nothing specific: the engine's general hint
    ],
)
def test_broadcast_errors_are_named_from_their_shapes(shapes, want):
    from helpers.checks._core import exception_hint

    exc = ValueError(f"operands could not be broadcast together with shapes {shapes} ")
    hint = L._raised_hint(exc, (2, 3, 3))
    assert hint == exception_hint(exc) if want is None else want in hint


def test_the_lessons_own_code_passes_its_check(capsys):
    assert check_softmax_jacobian_batched(batched_as_in_the_lesson) is True


def _mutating_batched(Z):
    Z -= Z.max(axis=1, keepdims=True)
    return batched_good(Z)


BATCHED_GOOD = [batched_good, batched_good_stack, helpers.softmax_jacobian]


@pytest.mark.parametrize("fn", BATCHED_GOOD)
def test_batched_accepts_correct_code(fn, capsys):
    assert check_softmax_jacobian_batched(fn) is True
    assert capsys.readouterr().out.startswith("✅ Exercise 3.2 softmax_jacobian_batched: passed")


@pytest.mark.parametrize("name", BATCHED_WRONG)
def test_batched_rejects(name, capsys):
    fn, hint = BATCHED_WRONG[name]
    assert check_softmax_jacobian_batched(fn) is False
    out = capsys.readouterr().out
    assert hint in out, out


# ------------------------------------------------------------- Exercise 3.3


def vjp_good(z, g):
    s = _softmax_rows(z)
    return s * (g - np.sum(g * s, axis=-1, keepdims=True))


def vjp_dense(z, g):
    """Correct but wasteful: build J, then contract (works for 1-D and 2-D)."""
    s = _softmax_rows(z)
    J = s[..., :, None] * np.eye(s.shape[-1], dtype=s.dtype) - s[..., :, None] * s[..., None, :]
    return np.einsum("...jk,...j->...k", J, g)


def _vjp(z, g, **kw):
    s = _softmax_rows(z)
    return s * (g - np.sum(g * s, **kw))


VJP_WRONG = {
    "g and s swapped": (
        lambda z, g: g * (_softmax_rows(z) - np.sum(g * _softmax_rows(z), -1, keepdims=True)),
        L.HINT_VJP_SWAPPED,
    ),
    "no factor s outside": (
        lambda z, g: g - np.sum(g * _softmax_rows(z), axis=-1, keepdims=True),
        L.HINT_VJP_NO_OUTER_S,
    ),
    "the plain mean of g": (
        lambda z, g: _softmax_rows(z) * (g - np.mean(g, axis=-1, keepdims=True)),
        L.HINT_VJP_MEAN_G,
    ),
    "a second factor s on the sum": (
        lambda z, g: (lambda s: s * (g - np.sum(g * s, axis=-1, keepdims=True) * s))(
            _softmax_rows(z)
        ),
        L.HINT_VJP_EXTRA_S,
    ),
    "stub": (_stub, NOT_DONE),
    "builds the k x k Jacobian, then contracts (no room at k = 5,000,000)": (
        vjp_dense,
        "use the O(k) formula",
    ),
    "np.diag(s) - np.outer(s, s), then g @ J": (
        lambda z, g: (
            vjp_good(z, g)
            if np.ndim(z) > 1
            else g @ (np.diag(_softmax_rows(z)) - np.outer(_softmax_rows(z), _softmax_rows(z)))
        ),
        "use the O(k) formula",
    ),
    "returns None": (lambda z, g: None, NONE),
    "returns a list": (lambda z, g: vjp_good(z, g).tolist(), LIST),
    "returns a scalar": (lambda z, g: float(vjp_good(z, g).sum()), SCALAR),
    "forgets the sum term": (lambda z, g: _softmax_rows(z) * g, L.HINT_NO_SUM_TERM),
    "sign flipped": (lambda z, g: -vjp_good(z, g), L.HINT_VJP_SIGN),
    "diagonal of J only": (
        lambda z, g: g * _softmax_rows(z) * (1 - _softmax_rows(z)),
        L.HINT_VJP_DIAGONAL,
    ),
    "sum(g) instead of sum(g * s)": (
        lambda z, g: _softmax_rows(z) * (g - np.sum(g, axis=-1, keepdims=True)),
        L.HINT_VJP_SUM_G,
    ),
    "sums over axis 0": (lambda z, g: _vjp(z, g, axis=0, keepdims=True), L.HINT_VJP_AXIS0),
    "sums over everything": (lambda z, g: _vjp(z, g), L.HINT_VJP_ALL),
    "loses keepdims": (lambda z, g: _vjp(z, g, axis=-1), L.HINT_VJP_KEEPDIMS),
    "logits instead of probabilities": (
        lambda z, g: z * (g - np.sum(g * z, axis=-1, keepdims=True)),
        L.HINT_LOGITS,
    ),
    "no max-subtraction": (
        lambda z, g: _naive_softmax(z) * (g - np.sum(g * _naive_softmax(z), -1, keepdims=True)),
        OVERFLOW,
    ),
    "max of the whole batch": (
        lambda z, g: (
            _global_max_softmax(z) * (g - np.sum(g * _global_max_softmax(z), -1, keepdims=True))
        ),
        "each row's own max",
    ),
    "max of the whole batch: the hint says underflow": (
        lambda z, g: (
            _global_max_softmax(z) * (g - np.sum(g * _global_max_softmax(z), -1, keepdims=True))
        ),
        L.HINT_GLOBAL_MAX,
    ),
    "softmax without keepdims, square batch only": (
        _square_only(
            lambda z, g: (
                _loose_softmax(z) * (g - np.sum(g * _loose_softmax(z), axis=-1, keepdims=True))
            ),
            helpers.softmax_vjp,
        ),
        L.HINT_SOFTMAX_KEEPDIMS,
    ),
    "mutates g": (lambda z, g: _mutating_vjp(z, g), MUTATED),
    "float32 becomes float64": (lambda z, g: vjp_good(z, g).astype(np.float64), DTYPE),
    "raises on a 2-D batch": (lambda z, g: _raise_if(np.ndim(z) == 2, vjp_good, z, g), RAISED),
    "np.dot for the sum (1-D only)": (
        lambda z, g: _softmax_rows(z) * (g - np.dot(g, _softmax_rows(z))),
        L.HINT_VJP_DOT,
    ),
    "one number per example (batched)": (
        lambda z, g: vjp_good(z, g) if np.ndim(z) == 1 else np.sum(vjp_good(z, g) * g, axis=-1),
        "one value per class",
    ),
}


def _mutating_vjp(z, g):
    s = _softmax_rows(z)
    g -= np.sum(g * s, axis=-1, keepdims=True)
    return s * g


VJP_GOOD = [vjp_good, helpers.softmax_vjp]


@pytest.mark.parametrize("fn", VJP_GOOD)
def test_vjp_accepts_correct_code(fn, capsys):
    assert check_softmax_vjp(fn) is True
    assert capsys.readouterr().out.startswith("✅ Exercise 3.3 softmax_vjp: passed")


@pytest.mark.parametrize("name", VJP_WRONG)
def test_vjp_rejects(name, capsys):
    fn, hint = VJP_WRONG[name]
    assert check_softmax_vjp(fn) is False
    out = capsys.readouterr().out
    assert hint in out, out


# ------------------------------------------------------------- Exercise 3.4


def ce_good(z, y):
    n, k = z.shape
    s = _softmax_rows(z)
    return (s - np.eye(k, dtype=z.dtype)[y]) / n


def ce_good_inplace(z, y):
    s = _softmax_rows(z)
    s[np.arange(len(y)), y] -= 1
    return s / len(y)


def _onehot64(z, y):
    return np.eye(z.shape[1])[y]


def _ce_columns(z, y):
    onehot = np.zeros_like(z)
    onehot[:, y] = 1
    return (_softmax_rows(z) - onehot) / len(z)


def _ce_rows(z, y):
    onehot = np.zeros_like(z)
    onehot[y] = 1
    return (_softmax_rows(z) - onehot) / len(z)


def _ce_unfused(z, y):
    s = _softmax_rows(z)
    g = -np.eye(z.shape[1], dtype=z.dtype)[y] / s / len(z)
    return s * (g - np.sum(g * s, axis=-1, keepdims=True))


CE_WRONG = {
    "one-based labels, eye[y - 1]": (
        lambda z, y: (_softmax_rows(z) - np.eye(z.shape[1], dtype=z.dtype)[y - 1]) / len(z),
        L.HINT_CE_ONE_BASED,
    ),
    "log s for s": (
        lambda z, y: (np.log(_softmax_rows(z)) - np.eye(z.shape[1], dtype=z.dtype)[y]) / len(z),
        L.HINT_CE_LOG_S,
    ),
    "the predicted class for the label": (
        lambda z, y: (
            (_softmax_rows(z) - np.eye(z.shape[1], dtype=z.dtype)[np.argmax(z, axis=1)]) / len(z)
        ),
        L.HINT_CE_PREDICTED,
    ),
    "divides by np.float64(n) (float32 becomes float64)": (
        lambda z, y: (_softmax_rows(z) - np.eye(z.shape[1], dtype=z.dtype)[y]) / np.float64(len(z)),
        "np.float64(n)",
    ),
    "stub": (_stub, NOT_DONE),
    "returns None": (lambda z, y: None, NONE),
    "returns a list": (lambda z, y: ce_good(z, y).tolist(), LIST),
    "returns the loss (a scalar)": (
        lambda z, y: float(helpers.cross_entropy_with_logits(z, y)),
        SCALAR,
    ),
    "y - s (sign)": (lambda z, y: -ce_good(z, y), L.HINT_CE_SIGN),
    "missing the 1/n": (lambda z, y: ce_good(z, y) * len(z), L.HINT_CE_NO_MEAN),
    "divides by k": (lambda z, y: ce_good(z, y) * len(z) / z.shape[1], L.HINT_CE_DIV_K),
    "divides by n * k": (lambda z, y: ce_good(z, y) / z.shape[1], L.HINT_CE_DIV_NK),
    "one-hot sets columns": (_ce_columns, L.HINT_CE_COLUMNS),
    "one-hot sets rows": (_ce_rows, L.HINT_CE_ROWS),
    "label value instead of one-hot": (
        lambda z, y: (_softmax_rows(z) - y[:, None]) / len(z),
        L.HINT_CE_LABEL_VALUE,
    ),
    "dL/ds instead of dL/dz": (
        lambda z, y: -np.eye(z.shape[1])[y] / _softmax_rows(z) / len(z),
        L.HINT_CE_DLDS,
    ),
    "logits instead of probabilities": (
        lambda z, y: (z - np.eye(z.shape[1])[y]) / len(z),
        L.HINT_CE_LOGITS,
    ),
    "softmax down the columns": (
        lambda z, y: (np.exp(z) / np.exp(z).sum(axis=0) - np.eye(z.shape[1])[y]) / len(z),
        L.HINT_COLUMN_SOFTMAX,
    ),
    "no max-subtraction": (
        lambda z, y: (_naive_softmax(z) - np.eye(z.shape[1], dtype=z.dtype)[y]) / len(z),
        OVERFLOW,
    ),
    "unfused: -y/s through the Jacobian": (_ce_unfused, L.HINT_CE_UNDERFLOW),
    "max of the whole batch": (
        lambda z, y: (_global_max_softmax(z) - np.eye(z.shape[1], dtype=z.dtype)[y]) / len(z),
        L.HINT_GLOBAL_MAX,
    ),
    "returns the per-example losses": (
        lambda z, y: helpers.cross_entropy_with_logits(z, y, reduction="none"),
        L.HINT_CE_PER_EXAMPLE,
    ),
    "returns the mean loss": (
        lambda z, y: helpers.cross_entropy_with_logits(z, y),
        L.HINT_CE_LOSS,
    ),
    "returns the mean of the gradient (about 0)": (
        lambda z, y: np.mean(helpers.softmax_cross_entropy_grad(z, y)),
        L.HINT_CE_LOSS,
    ),
    "sums the gradient over the classes (axis 1)": (
        lambda z, y: np.sum(helpers.softmax_cross_entropy_grad(z, y), axis=1),
        L.HINT_CE_PER_EXAMPLE,
    ),
    "softmax without keepdims, square batch only": (
        _square_only(
            lambda z, y: (_loose_softmax(z) - np.eye(z.shape[1], dtype=z.dtype)[y]) / len(z),
            helpers.softmax_cross_entropy_grad,
        ),
        L.HINT_SOFTMAX_KEEPDIMS,
    ),
    "mutates z": (lambda z, y: _mutating_ce(z, y), MUTATED),
    "float64 one-hot upcasts float32": (
        lambda z, y: (_softmax_rows(z) - _onehot64(z, y)) / len(z),
        DTYPE,
    ),
    "raises for k = 1": (lambda z, y: _raise_if(z.shape[1] == 1, ce_good, z, y), RAISED),
    "sums over the batch (shape (k,))": (
        lambda z, y: ce_good(z, y).sum(axis=0),
        L.HINT_CE_SUMMED,
    ),
}


def _mutating_ce(z, y):
    z -= z.max(axis=1, keepdims=True)
    return ce_good(z, y)


CE_GOOD = [ce_good, ce_good_inplace, helpers.softmax_cross_entropy_grad]


@pytest.mark.parametrize("fn", CE_GOOD)
def test_ce_accepts_correct_code(fn, capsys):
    assert check_softmax_cross_entropy_grad(fn) is True
    assert capsys.readouterr().out.startswith("✅ Exercise 3.4 softmax_cross_entropy_grad: passed")


@pytest.mark.parametrize("name", CE_WRONG)
def test_ce_rejects(name, capsys):
    fn, hint = CE_WRONG[name]
    assert check_softmax_cross_entropy_grad(fn) is False
    out = capsys.readouterr().out
    assert hint in out, out


# ------------------------------------------------------------------ generic


@pytest.mark.parametrize(
    "check",
    [
        check_softmax_jacobian,
        check_softmax_jacobian_batched,
        check_softmax_vjp,
        check_softmax_cross_entropy_grad,
    ],
)
@pytest.mark.parametrize("not_a_function", [None, 3.0, "softmax"])
def test_a_non_function_is_reported_not_raised(check, not_a_function, capsys):
    assert check(not_a_function) is False
    assert "expected a function" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("check", "catalogue"),
    [
        (check_softmax_jacobian, JACOBIAN_WRONG),
        (check_softmax_jacobian_batched, BATCHED_WRONG),
        (check_softmax_vjp, VJP_WRONG),
        (check_softmax_cross_entropy_grad, CE_WRONG),
    ],
)
def test_quiet_prints_nothing_and_never_raises(check, catalogue, capsys):
    for fn, _ in catalogue.values():
        assert check(fn, quiet=True) is False
    assert capsys.readouterr().out == ""


REFERENCES = [
    (check_softmax_jacobian, helpers.softmax_jacobian),
    (check_softmax_jacobian_batched, helpers.softmax_jacobian),
    (check_softmax_vjp, helpers.softmax_vjp),
    (check_softmax_cross_entropy_grad, helpers.softmax_cross_entropy_grad),
]


@pytest.mark.parametrize("check, reference", REFERENCES, ids=lambda c: getattr(c, "__name__", ""))
@pytest.mark.parametrize("factor", [1 + 3e-5, 1 - 3e-5])
def test_a_near_miss_fails(check, reference, factor, capsys):
    """Just outside the tolerance (1e-7 for float64, 1e-5 for float32) is a fail, not a pass."""

    def near_miss(*args):
        out = reference(*args)
        return (out * np.asarray(factor, dtype=out.dtype)).astype(out.dtype)

    assert check(near_miss) is False
    assert capsys.readouterr().out.startswith("❌")


# ------------------------------------------- the catalogue, for tests/test_check_margins.py
# (check, name, wrong function) and (check, name, accepted function): every entry above.
_TABLES = [
    (check_softmax_jacobian, JACOBIAN_WRONG, JACOBIAN_GOOD),
    (check_softmax_jacobian_batched, BATCHED_WRONG, BATCHED_GOOD),
    (check_softmax_vjp, VJP_WRONG, VJP_GOOD),
    (check_softmax_cross_entropy_grad, CE_WRONG, CE_GOOD),
]
MARGIN_WRONG = [(c, name, fn) for c, wrong, _ in _TABLES for name, (fn, _h) in wrong.items()]
MARGIN_RIGHT = [(c, getattr(fn, "__name__", str(fn)), fn) for c, _, good in _TABLES for fn in good]
