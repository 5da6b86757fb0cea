"""Lesson 00, Start here: a first explorer (probability, odds, log-odds)."""

from __future__ import annotations

import numpy as np

from ..sigmoid import logit


def odds_readout(p: float) -> str:
    """What the warm-up explorer shows for a probability ``p`` in (0, 1): one line of text.

    Examples
    --------
    >>> odds_readout(0.8)
    'p = 0.80  ->  odds p/(1-p) = 4.00 (4.00 to 1)  ->  log-odds = 1.386'
    """
    if not 0 < p < 1:
        raise ValueError(f"p must lie strictly between 0 and 1, got {p!r}")
    odds = p / (1 - p)
    ratio = f"{odds:.2f} to 1" if odds >= 1 else f"1 to {1 / odds:.2f}"
    return (
        f"p = {p:.2f}  ->  odds p/(1-p) = {odds:.2f} ({ratio})  ->  "
        f"log-odds = {float(logit(np.array(p))):.3f}"
    )


def odds_explorer():
    """A slider for p and the readout below it (needs a live kernel)."""
    import ipywidgets as widgets

    slider = widgets.FloatSlider(
        value=0.8, min=0.01, max=0.99, step=0.01, description="p", continuous_update=True
    )
    label = widgets.Label(value=odds_readout(slider.value))

    def update(change):
        label.value = odds_readout(change["new"])

    slider.observe(update, names="value")
    return widgets.VBox([slider, label])
