r"""The toy data sets of lessons 04 and 05: small, seeded, the same on every machine.

Each generator takes a seed for ``np.random.default_rng`` and returns plain
arrays; nothing here draws. The lessons plot them with
:mod:`helpers.explorers` and train on them with :mod:`helpers.training`.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_seed, positive_int
from .sigmoid import sigmoid

__all__ = ["toy_blobs", "make_multilabel_data", "make_multiclass_data", "softmax_targets"]


def toy_blobs(n_per_class=100, seed=0):
    r"""Two Gaussian blobs in the plane: lesson 04's two-class data set.

    Parameters
    ----------
    n_per_class : int, default 100
        Points per class.
    seed : int >= 0, default 0
        Seed of ``np.random.default_rng``: the same data every time (``None`` or a
        ``Generator`` are passed on; a negative or non-integer seed raises).

    Returns
    -------
    X : ndarray of shape (2 * n_per_class, 2)
        Class 0 around (-1, -0.5), class 1 around (1, 0.75), unit variance.
    y : ndarray of int64, shape (2 * n_per_class,)
        Labels: the first ``n_per_class`` rows are class 0.

    Notes
    -----
    Two Gaussians with a shared covariance: the exact posterior
    :math:`P(y = 1 \mid x)` is a sigmoid of a linear function of :math:`x`,
    the model lesson 04 trains.

    Examples
    --------
    >>> X, y = toy_blobs(3)
    >>> X.shape, y.tolist()
    ((6, 2), [0, 0, 0, 1, 1, 1])
    """
    n = positive_int(n_per_class, "n_per_class")
    rng = np.random.default_rng(check_seed(seed))
    centres = np.array([[-1.0, -0.5], [1.0, 0.75]])
    X = np.concatenate([rng.normal(centre, 1.0, size=(n, 2)) for centre in centres])
    y = np.repeat(np.array([0, 1], dtype=np.int64), n)
    return X, y


def make_multilabel_data(n=600, seed=5):
    r"""A 2-D multi-label data set with three labels that really co-occur (lesson 05).

    Label :math:`j` is switched on with probability
    :math:`\sigma(3(u_j^\top x - c_j))`: labels 0 and 1 are the half-planes
    "right" and "up" (they overlap in the upper right), label 2 lives far out
    along the diagonal, so it almost always comes *together with* 0 and 1.
    The lower left has no label at all.

    Parameters
    ----------
    n : int, default 600
    seed : int, default 5

    Returns
    -------
    X : ndarray of shape (n, 2)
    Y : ndarray of shape (n, 3), float 0/1 (multi-hot rows; a row may be all 0)

    Examples
    --------
    >>> X, Y = make_multilabel_data()
    >>> X.shape, Y.shape, np.unique(Y)
    ((600, 2), (600, 3), array([0., 1.]))
    """
    n = positive_int(n, "n")
    rng = np.random.default_rng(check_seed(seed))
    X = rng.normal(0.0, 1.3, size=(n, 2))
    angles = np.deg2rad([0.0, 90.0, 45.0])
    U = np.stack([np.cos(angles), np.sin(angles)], axis=1)  # (3, 2) label directions
    offsets = np.array([-0.2, -0.2, 1.2])
    p = sigmoid(3.0 * (X @ U.T - offsets))  # (n, 3)
    Y = (rng.random((n, 3)) < p).astype(np.float64)
    return X, Y


def make_multiclass_data(n=600, seed=6):
    """A 2-D data set with three mutually exclusive classes, three Gaussian blobs (lesson 05).

    Parameters
    ----------
    n : int, default 600
    seed : int, default 6

    Returns
    -------
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,), int class labels in {0, 1, 2}

    Examples
    --------
    >>> X, y = make_multiclass_data(5)
    >>> X.shape, y.dtype.kind
    ((5, 2), 'i')
    """
    n = positive_int(n, "n")
    rng = np.random.default_rng(check_seed(seed))
    centers = np.array([[-1.5, -1.0], [1.5, -1.0], [0.0, 1.6]])
    y = rng.integers(0, 3, size=n)
    X = centers[y] + rng.normal(0.0, 1.0, size=(n, 2))
    return X, y


def softmax_targets(Y):
    r"""Turn multi-hot rows into the distributions a softmax head could fit (lesson 05).

    A row with :math:`m \ge 1` labels becomes :math:`1/m` on each of them
    (``[1, 1, 0] -> [0.5, 0.5, 0]``). A row with no label has no such
    distribution at all: it is left out (``keep`` is False there).

    Parameters
    ----------
    Y : array_like of shape (n, k)
        Multi-hot 0/1 rows.

    Returns
    -------
    T : ndarray of shape (n_kept, k)
        Rows that sum to 1.
    keep : ndarray of bool, shape (n,)

    Examples
    --------
    >>> T, keep = softmax_targets(np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]))
    >>> T, keep
    (array([[0.5, 0.5, 0. ],
           [0. , 0. , 1. ]]), array([ True, False,  True]))
    """
    Y = as_float_array(Y, "Y")
    if Y.ndim != 2:
        raise ValueError(f"Y must have shape (n, k), got {Y.shape}")
    if not np.isin(Y, (0, 1)).all():
        raise ValueError("Y must contain only 0 and 1 (multi-hot rows)")
    counts = Y.sum(axis=1)  # (n,)
    keep = counts > 0
    return Y[keep] / counts[keep, None], keep
