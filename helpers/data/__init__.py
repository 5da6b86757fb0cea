"""Real data shipped with the course: the UCI handwritten digits (8x8), used by lesson 06.

The file ``digits.csv.gz`` (57,523 bytes) is the copy of the UCI "Optical Recognition of
Handwritten Digits" data set that scikit-learn ships inside its wheel
(``sklearn/datasets/data/digits.csv.gz``, taken unchanged from scikit-learn 1.9.1; SHA-256
``09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22``). It holds the UCI
*test* part: 1,797 images of digits written by 13 people, each an 8x8 grid of counts 0..16
(the number of "on" pixels in a 4x4 block of a 32x32 bitmap), followed by the digit.
The course does not depend on scikit-learn; the file is all it takes.

Citation: Alpaydin, E. and Kaynak, C. (1998). Optical Recognition of Handwritten Digits
[Dataset]. UCI Machine Learning Repository. https://doi.org/10.24432/C50P49.
Licence: Creative Commons Attribution 4.0 International (CC BY 4.0), as stated by the UCI
repository; reuse it with this credit.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "DIGITS_FILE",
    "ATTRIBUTES",
    "load_digits",
    "DigitSplits",
    "digit_splits",
    "digit_attributes",
]

DIGITS_FILE = Path(__file__).with_name("digits.csv.gz")

#: Multi-label attributes of the true digit: name -> the digits that have it. "loop" is a
#: closed loop as the digits are usually written (0, 6, 8, 9; a 4 counts as open). "eight"
#: and "nine" are the rare labels (about 10% each): real class imbalance.
ATTRIBUTES = {
    "even": (0, 2, 4, 6, 8),
    "prime": (2, 3, 5, 7),
    "loop": (0, 6, 8, 9),
    "eight": (8,),
    "nine": (9,),
}


def load_digits():
    """The 1,797 digit images and their labels, read from the shipped file.

    Returns
    -------
    X : ndarray of shape (1797, 64), float64
        Pixel counts 0..16, one row per image (read row by row: ``X[i].reshape(8, 8)``).
    y : ndarray of shape (1797,), int64
        The digit, 0..9.

    Examples
    --------
    >>> X, y = load_digits()
    >>> X.shape, y.shape, int(X.max()), int(np.bincount(y).min())
    ((1797, 64), (1797,), 16, 174)
    """
    with gzip.open(DIGITS_FILE, "rt", encoding="ascii") as f:
        data = np.loadtxt(f, delimiter=",", dtype=np.float64)
    if data.shape != (1797, 65):
        raise ValueError(f"{DIGITS_FILE} is damaged: expected 1797 rows of 65 numbers")
    return data[:, :64].copy(), data[:, 64].astype(np.int64)


@dataclass(frozen=True)
class DigitSplits:
    """Fixed train / validation / test splits of the digits, features scaled to [0, 1]."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def digit_splits(n_val=400, n_test=400, seed=0):
    """Shuffle the digits once with ``seed`` and cut them into train, validation and test.

    Parameters
    ----------
    n_val, n_test : int
        Sizes of the validation split (for choosing a temperature or thresholds) and of
        the held-out test split (only for measuring); the rest trains.
    seed : int
        Seed of the one permutation (``np.random.default_rng(seed)``).

    Returns
    -------
    DigitSplits
        Features divided by 16, so every pixel lies in [0, 1].

    Examples
    --------
    >>> s = digit_splits()
    >>> len(s.y_train), len(s.y_val), len(s.y_test)
    (997, 400, 400)
    """
    X, y = load_digits()
    if n_val < 1 or n_test < 1 or n_val + n_test >= len(y):
        raise ValueError(
            f"n_val and n_test must be positive and leave training data, got {n_val}, {n_test}"
        )
    order = np.random.default_rng(seed).permutation(len(y))
    X, y = X[order] / 16.0, y[order]
    a, b = len(y) - n_val - n_test, len(y) - n_test
    return DigitSplits(X[:a], y[:a], X[a:b], y[a:b], X[b:], y[b:])


def digit_attributes(y, names=None):
    """Multi-label targets derived from the true digit: one 0/1 column per attribute.

    Parameters
    ----------
    y : array_like of int, shape (n,)
        Digits 0..9.
    names : sequence of str, optional
        Keys of :data:`ATTRIBUTES`; default all of them, in order.

    Returns
    -------
    ndarray of shape (n, len(names)), float64
        ``Y[i, j] = 1`` when digit ``y[i]`` has attribute ``names[j]``.

    Examples
    --------
    >>> digit_attributes([0, 7, 8])
    array([[1., 0., 1., 0., 0.],
           [0., 1., 0., 0., 0.],
           [1., 0., 1., 1., 0.]])
    """
    names = list(ATTRIBUTES) if names is None else list(names)
    unknown = [n for n in names if n not in ATTRIBUTES]
    if unknown:
        raise ValueError(f"unknown attributes {unknown}; choose from {list(ATTRIBUTES)}")
    y = np.asarray(y)
    if y.dtype.kind not in "iu" or y.ndim != 1 or (y.size and (y.min() < 0 or y.max() > 9)):
        raise ValueError("y must be a 1-D array of digits 0..9 (integers)")
    return np.stack([np.isin(y, ATTRIBUTES[n]) for n in names], axis=1).astype(np.float64)
