"""The project's metadata agrees with itself: pins, environment.yml, installed versions."""

from __future__ import annotations

import os
import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(requirements) -> dict[str, str]:
    out = {}
    for req in requirements:
        name, _, pinned = req.partition("==")
        assert pinned, f"{req!r} is not pinned with =="
        out[_canon(name.split("[")[0])] = pinned.strip()
    return out


PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
DIRECT = _pins(PYPROJECT["dependencies"])
for extra in PYPROJECT["optional-dependencies"].values():
    DIRECT.update(_pins(extra))
CONSTRAINTS = _pins(
    line
    for line in (ROOT / "requirements/constraints.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
)
ENV = yaml.safe_load((ROOT / "environment.yml").read_text())


def _conda_pins() -> dict[str, str]:
    pins = {}
    for dep in ENV["dependencies"]:
        if isinstance(dep, str) and "=" in dep:
            name, _, ver = dep.partition("=")
            pins[_canon(name)] = ver
    return pins


def test_every_direct_dependency_is_in_the_constraints_at_the_same_version():
    for name, pinned in DIRECT.items():
        assert CONSTRAINTS.get(name) == pinned, (
            f"{name}: pyproject {pinned}, constraints {CONSTRAINTS.get(name)}"
        )


def test_environment_yml_lists_the_pip_pins():
    conda = _conda_pins()
    python = conda.pop("python")
    assert PYPROJECT["requires-python"] == f">={python}"
    course = set(_pins(PYPROJECT["dependencies"])) | set(
        _pins(PYPROJECT["optional-dependencies"]["course"])
    )
    assert set(conda) == course, "environment.yml and pyproject [course] list different packages"
    for name, ver in conda.items():
        assert DIRECT[name] == ver, f"{name}: environment.yml {ver}, pyproject {DIRECT[name]}"


def test_environment_yml_installs_the_project_itself():
    pip_section = next(d["pip"] for d in ENV["dependencies"] if isinstance(d, dict))
    assert "--editable ." in pip_section or "-e ." in pip_section


@pytest.mark.parametrize(
    "name",
    sorted(_pins(PYPROJECT["dependencies"]) | _pins(PYPROJECT["optional-dependencies"]["course"])),
)
def test_installed_version_matches_the_pin(name):
    try:
        installed = version(name)
    except PackageNotFoundError:
        pytest.fail(f"{name} is not installed; run `make install`")
    assert installed == DIRECT[name], (
        f"{name} {installed} is installed but the course pins {DIRECT[name]}; "
        "stored notebook outputs may not reproduce. Run `make install`."
    )


def _make_dry_run(target: str) -> str:
    """The commands ``make -n target`` would run, with the install step taken as done."""
    import subprocess

    return subprocess.run(
        ["make", "-n", "-o", ".venv/.installed-course", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_make_lab_serves_on_localhost_with_token_auth():
    commands = _make_dry_run("lab")
    lab = next(line for line in commands.splitlines() if "jupyter lab" in line)
    assert "--ServerApp.ip=127.0.0.1" in lab
    assert "0.0.0.0" not in commands and "token=" not in commands.replace(" ", "")
    assert "tools.workspace lessons my-work" in commands, "the learner's copy comes first"
    assert "--ServerApp.root_dir=my-work" in lab, "JupyterLab opens on the learner's copies"
    assert "--solutions solutions" in commands, "the solved notebooks stay one click away"


def test_make_lab_as_root_allows_root_but_keeps_localhost_and_the_token():
    commands = _make_dry_run("lab")
    lab = next(line for line in commands.splitlines() if "jupyter lab" in line)
    if os.geteuid() == 0:
        assert "--allow-root" in lab and "note: running as root" in commands
    else:
        assert "--allow-root" not in lab
    assert "--ServerApp.ip=127.0.0.1" in lab and "token" not in lab.lower()


def test_make_test_runs_the_whole_suite():
    assert "-m tools.run_tests" in _make_dry_run("test")


def test_readme_starts_with_the_two_commands():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```sh") + 1 : lines.index("```")]
    assert [line.split()[:2] for line in block] == [["make", "lab"], ["make", "test"]]
    assert lines.index("```sh") <= 3, "the commands come right after the title"
