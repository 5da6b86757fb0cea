"""The pre-workshop install check (tools/check_install.py): one line per item, ok or FAIL
with what to do, exit status 0 only when everything passed."""

from __future__ import annotations

import pytest

from tools import check_install


def test_pins_are_the_lessons_dependencies_and_jupyterlab():
    pins = check_install.pins()
    assert {"numpy", "matplotlib", "ipywidgets", "ipykernel", "jupyterlab"} <= set(pins)
    assert all(v and v[0].isdigit() for v in pins.values()), pins


def test_python_version():
    assert check_install.check_python((3, 12, 1), (3, 11))[0]
    ok, line = check_install.check_python((3, 10, 14), (3, 11))
    assert not ok and "3.10.14 is too old" in line and "3.11+" in line


def test_a_package_at_another_version_is_named_with_the_fix():
    ok, line = check_install.check_package("numpy", "0.0.1")
    assert not ok
    assert "numpy" in line and "the course pins 0.0.1" in line and "make install" in line


def test_a_missing_package_is_named():
    ok, line = check_install.check_package("no-such-course-package", "1.0")
    assert not ok and "no-such-course-package is not installed" in line


def test_installed_pins_pass():
    for name, version in check_install.pins().items():
        assert check_install.check_package(name, version) == (True, f"{name} {version}")


def test_a_kernel_that_does_not_exist_fails_both_kernel_lines():
    results = check_install.check_kernel("no-such-kernel", timeout=30)
    assert [ok for ok, _ in results] == [False, False]
    assert "no-such-kernel" in results[0][1]


@pytest.mark.slow
def test_main_passes_here_with_one_line_per_item(capsys):
    """Starts a real kernel (about 10-20 s): marked slow."""
    assert check_install.main([]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    items = lines[:-1]
    assert all(line.startswith("ok  ") for line in items), lines
    assert len(items) == 4 + len(check_install.pins())  # python, pins, helpers, kernel, widgets
    assert "all" in lines[-1] and "passed" in lines[-1]


def test_main_fails_with_a_wrong_pin(monkeypatch, capsys):
    monkeypatch.setattr(check_install, "pins", lambda: {"numpy": "0.0.1"})
    monkeypatch.setattr(check_install, "check_kernel", lambda name: [(True, "kernel")])
    assert check_install.main([]) == 1
    out = capsys.readouterr().out
    assert "FAIL  numpy" in out and "1 of 4 checks failed" in out
