"""`make test-portability` runs what it says: each dispatch level below the machine's, for real."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tools import portability


def test_levels_follow_the_machine():
    have = portability.machine_features()
    levels = dict((disable, what) for what, disable in portability.levels_below_native())
    assert ("X86_V4" in levels) == bool(have.get("X86_V4"))
    assert ("X86_V4 X86_V3" in levels) == bool(have.get("X86_V3"))


@pytest.mark.parametrize(("what", "disable"), portability.levels_below_native())
def test_each_level_really_switches_numpy_kernels_off(what, disable):
    env = {**os.environ, "NPY_DISABLE_CPU_FEATURES": disable}
    code = (
        "from numpy._core._multiarray_umath import __cpu_features__ as f;"
        "import sys; sys.stdout.write(' '.join(k for k, v in f.items() if v))"
    )
    on = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert on.returncode == 0, on.stderr
    enabled = set(on.stdout.split())
    for feature in disable.split():
        assert feature not in enabled, f"{what}: {feature} still on"


def test_the_check_tests_are_all_collected():
    files = portability.check_test_files()
    for lesson in ("01", "02", "03", "04", "05", "06"):
        assert f"tests/test_lesson{lesson}_checks.py" in files
    assert "tests/test_checks_core.py" in files
