"""`make test`: unit tests and doctests, then every notebook under nbval.

One pytest session (one set of xdist workers): solutions run under strict
``--nbval`` (every stored output must match); lessons run lax (see
conftest.py: they must run to the end with stubs unfilled). Each notebook runs
in one xdist worker (``--dist loadfile``). Prints the slowest notebooks and the
total time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", default="2")
    parser.add_argument("--notebooks-only", action="store_true")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    paths = ["solutions", "lessons"] if args.notebooks_only else []
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        status = pytest(
            [
                *("-n", args.jobs, "--dist", "loadfile", "-q"),
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
    print(f"make test: {'passed' if status == 0 else 'FAILED'} in {elapsed:.0f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
