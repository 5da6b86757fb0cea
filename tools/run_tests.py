"""`make test`: unit tests and doctests, then every notebook under nbval.

One pytest session (one set of xdist workers): solutions run under strict
``--nbval`` (every stored output must match); lessons run lax (see
conftest.py: they must run to the end with stubs unfilled). Each notebook runs
in one xdist worker (``--dist loadfile``). Prints the slowest notebooks and the
total time.

    python -m tools.run_tests                   # everything (needs the `course` extra)
    python -m tools.run_tests --notebooks-only  # the notebooks: needs only pytest and nbval
    python -m tools.run_tests --solutions-only  # solutions/ under strict nbval

``--notebooks-only`` is the check for an environment with the course runtime
alone (a JupyterHub image, a conda env without the test extras): without
pytest-xdist it runs the notebooks one after another, and a missing package is
named in one line with the exact command that installs it.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
import tomllib
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pytest(args: list[str], junit: Path | None = None) -> int:
    cmd = [sys.executable, "-m", "pytest", *args]
    if junit is not None:
        cmd.append(f"--junitxml={junit}")
    print("$", " ".join(cmd[1:]), flush=True)
    return subprocess.call(cmd, cwd=ROOT)


def notebook_times(junit: Path) -> dict[str, float]:
    times: dict[str, float] = defaultdict(float)
    for case in ET.parse(junit).iter("testcase"):
        name = case.get("file") or case.get("classname", "")
        times[name.split("::")[0].replace(".", "/", 1)] += float(case.get("time", 0))
    return times


# What each kind of run imports (module name -> distribution name in pyproject.toml).
NOTEBOOK_NEEDS = {"pytest": "pytest", "nbval": "nbval"}
SUITE_NEEDS = {
    **NOTEBOOK_NEEDS,
    "xdist": "pytest-xdist",
    "hypothesis": "hypothesis",
    "scipy": "scipy",
    "mpmath": "mpmath",
    "yaml": "PyYAML",
}


def pinned(distributions: list[str]) -> list[str]:
    """``name==version`` for each distribution, with the pins of pyproject.toml's course extra."""
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = {
        spec.split("==")[0].lower(): spec
        for spec in extra["project"]["optional-dependencies"]["course"]
    }
    return [pins.get(name.lower(), name) for name in distributions]


def missing(needs: dict[str, str]) -> list[str]:
    return [dist for module, dist in needs.items() if importlib.util.find_spec(module) is None]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", default="2")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--notebooks-only", action="store_true")
    which.add_argument("--solutions-only", action="store_true")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    only_notebooks = args.notebooks_only or args.solutions_only
    absent = missing(NOTEBOOK_NEEDS if only_notebooks else SUITE_NEEDS)
    if only_notebooks and absent:
        install = " ".join(pinned(absent))
        print(f"needs {', '.join(absent)}: {sys.executable} -m pip install {install}")
        return 2
    if absent:
        print(
            f"make test needs the test extras ({', '.join(absent)} missing): "
            f"{sys.executable} -m pip install -c requirements/constraints.txt -e '.[course]' "
            "(or check the notebooks alone: python -m tools.run_tests --notebooks-only)"
        )
        return 2
    paths = ["solutions"] if args.solutions_only else []
    paths += ["solutions", "lessons"] if args.notebooks_only else []
    has_xdist = importlib.util.find_spec("xdist") is not None
    parallel = ["-n", args.jobs, "--dist", "loadfile"] if has_xdist else []
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        status = pytest(
            [
                *parallel,
                "-q",
                *("--nbval", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg"),
                *("-m", "not browser and not teacher and not slow"),
                *paths,
            ],
            junit,
        )
        times = notebook_times(junit) if junit.exists() else {}
    notebooks = {k: v for k, v in times.items() if k.endswith(".ipynb")}
    slowest = sorted(notebooks.items(), key=lambda kv: -kv[1])[:5]
    if slowest:
        print("slowest notebooks (seconds, summed over cells):")
        for name, seconds in slowest:
            print(f"  {seconds:6.1f}  {name}")
    elapsed = time.perf_counter() - start
    label = "make test" if not only_notebooks else "notebooks"
    print(f"{label}: {'passed' if status == 0 else 'FAILED'} in {elapsed:.0f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
