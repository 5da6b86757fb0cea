"""Figures and interactive explorers, one module per lesson (``lessonNN.py``).

Each explorer is a pure function that computes what its figure shows (tested in
pytest) plus a thin ipywidgets wrapper that only wires sliders to it.
ipywidgets is imported inside the wrappers, so the pure functions work anywhere.
"""
