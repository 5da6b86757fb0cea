"""helpers._docstrings: a section written by the code that owns the behaviour."""

from __future__ import annotations

import inspect

import pytest

from helpers import training
from helpers._docstrings import ORDER, with_section

DOC = """Summary.

    Parameters
    ----------
    x : float

    Notes
    -----
    Text.
    """


def test_a_section_goes_where_numpydoc_orders_it():
    out = with_section(DOC, "Raises", "ValueError\n    If x is bad.")
    titles = [ln.strip() for ln in out.splitlines() if ln.strip() in ORDER]
    assert titles == ["Parameters", "Raises", "Notes"]
    assert "\n    Raises\n    ------\n    ValueError\n        If x is bad.\n\n    Notes" in out
    end = with_section(DOC, "Examples", ">>> 1\n1")
    assert end.rstrip().endswith(">>> 1\n    1")


def test_two_owners_for_a_section_or_an_unknown_section_are_errors():
    with pytest.raises(ValueError, match="already has a Notes section"):
        with_section(DOC, "Notes", "more")
    with pytest.raises(ValueError, match="numpydoc section"):
        with_section(DOC, "Rises", "x")


@pytest.mark.parametrize(
    "train",
    [
        training.train_sigmoid,
        training.train_softmax,
        training.train_linear_head,
        training.train_softmax_regression,
        training.train_sigmoid_regression,
    ],
)
def test_every_training_loop_documents_the_divergence_error_it_raises(train):
    doc = inspect.getdoc(train)
    assert "Raises\n------\nValueError\n    If the run diverges" in doc
    has_decay = "weight_decay" in inspect.signature(train).parameters
    assert ("or ``weight_decay``" in doc) == has_decay
