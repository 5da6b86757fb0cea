"""Repository-wide pytest configuration.

`make test` runs unit tests, doctests and every notebook in one pytest session
(``--nbval``). Solutions are compared strictly against their stored outputs;
lessons have no stored outputs, so they run with nbval's lax mode: every cell
must execute without error (the "not done yet" reports of unfilled stubs are
ordinary printed output), and no output is compared.

The tests draw figures with Matplotlib's Agg backend (no window, the same pixels on every
machine) and every figure a test opens is closed after it.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before pyplot is imported anywhere

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

LESSONS = Path(__file__).resolve().parent / "lessons"


def pytest_collectstart(collector):
    path = getattr(collector, "path", None)
    if path is not None and path.suffix == ".ipynb" and LESSONS in path.parents:
        collector.compare_outputs = False  # --nbval-lax for lessons/ and lessons/<lang>/


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")
