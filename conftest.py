"""Repository-wide pytest configuration.

`make test` runs unit tests, doctests and every notebook in one pytest session
(``--nbval``). Solutions are compared strictly against their stored outputs;
lessons have no stored outputs, so they run with nbval's lax mode: every cell
must execute without error (the "not done yet" reports of unfilled stubs are
ordinary printed output), and no output is compared.
"""

from pathlib import Path

LESSONS = Path(__file__).resolve().parent / "lessons"


def pytest_collectstart(collector):
    path = getattr(collector, "path", None)
    if path is not None and path.suffix == ".ipynb" and LESSONS in path.parents:
        collector.compare_outputs = False  # --nbval-lax for lessons/ and lessons/<lang>/
