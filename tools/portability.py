"""`make test-portability`: the same verdicts and stored outputs at every NumPy dispatch level.

NumPy picks its ``exp``/``log`` kernels by CPU at import time: AVX-512 (``X86_V4``), AVX2
(``X86_V3``) or the SSE baseline. Their last bits differ, so a learner's machine and the
grading machine may compute a borderline answer differently. The course promises that
neither a stored output nor a check's verdict depends on that; this runs the evidence at
every level *below* the machine's own (``make test`` already ran the machine's own):

- every solution notebook under strict nbval (every stored output must match), and
- every check's tests: the wrong-answer catalogues, the accepted variants and the margin
  test (each catalogued wrong answer misses the tolerance by a wide margin).

``NPY_DISABLE_CPU_FEATURES`` switches the kernels off: ``"X86_V4"`` makes an AVX-512
machine compute as an AVX2 one does, ``"X86_V4 X86_V3"`` as a CPU with only the
baseline. A level the machine does not have is skipped (it is what ``make test`` ran).
On a CPU that is not x86-64 there is nothing to switch and this says so.

    python -m tools.portability            # every level below this machine's
    python -m tools.portability --list     # which levels those are, and exit
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: (what it simulates, NPY_DISABLE_CPU_FEATURES, the feature the machine needs for it to differ)
LEVELS = (
    ("AVX2 (a CPU without AVX-512)", "X86_V4", "X86_V4"),
    ("SSE baseline (a CPU without AVX2 or AVX-512)", "X86_V4 X86_V3", "X86_V3"),
)

#: The check tests: every file whose name says it tests checks.
CHECK_TESTS = ("tests/test_*checks*.py", "tests/test_check_*.py")


def machine_features() -> dict[str, bool]:
    """NumPy's view of this CPU (``numpy._core._multiarray_umath.__cpu_features__``)."""
    code = (
        "from numpy._core._multiarray_umath import __cpu_features__ as f;"
        "print(' '.join(k for k, v in f.items() if v))"
    )
    env = {k: v for k, v in os.environ.items() if k != "NPY_DISABLE_CPU_FEATURES"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    return {name: True for name in out.stdout.split()}


def levels_below_native() -> list[tuple[str, str]]:
    """The (description, NPY_DISABLE_CPU_FEATURES) pairs that differ from this machine's own."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return []
    have = machine_features()
    return [(what, disable) for what, disable, needs in LEVELS if have.get(needs)]


def check_test_files() -> list[str]:
    files = sorted({str(p.relative_to(ROOT)) for g in CHECK_TESTS for p in ROOT.glob(g)})
    return files


def run_level(what: str, disable: str, jobs: str) -> int:
    env = {**os.environ, "NPY_DISABLE_CPU_FEATURES": disable}
    print(f"== {what}: NPY_DISABLE_CPU_FEATURES={disable!r}", flush=True)
    notebooks = [sys.executable, "-m", "tools.run_tests", "--jobs", jobs, "--solutions-only"]
    checks = [sys.executable, "-m", "pytest", "-q", "-n", jobs, *check_test_files()]
    status = subprocess.call(notebooks, cwd=ROOT, env=env)
    print("$", " ".join(checks[1:]), flush=True)
    return status or subprocess.call(checks, cwd=ROOT, env=env)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", default="2")
    parser.add_argument("--list", action="store_true", help="print the levels and exit")
    args = parser.parse_args(argv)
    levels = levels_below_native()
    if not levels:
        print("this CPU has no NumPy dispatch level below its own to simulate: nothing to run")
        return 0
    if args.list:
        for what, disable in levels:
            print(f"{disable!r:18} {what}")
        return 0
    failed = [what for what, disable in levels if run_level(what, disable, args.jobs)]
    for what, _ in levels:
        print(f"portability, {what}: {'FAILED' if what in failed else 'passed'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
