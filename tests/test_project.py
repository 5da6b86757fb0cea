"""The project's metadata agrees with itself: pins, environment.yml, installed versions."""

from __future__ import annotations

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
