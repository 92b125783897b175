"""Dependencies: pyproject.toml declares compatible ranges, constraints.txt
the exact versions the README's setup installs, and the two agree."""
from __future__ import annotations

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+
packaging = pytest.importorskip("packaging")
from packaging.requirements import Requirement  # noqa: E402
from packaging.utils import canonicalize_name  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
REQUIREMENTS = [Requirement(r) for r in PROJECT["dependencies"]] + [
    Requirement(r) for extra in PROJECT["optional-dependencies"].values() for r in extra]


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        assert sep and version.strip(), f"constraints.txt: {line!r} is not an exact pin"
        key = canonicalize_name(name.strip())
        assert key not in pins, f"constraints.txt: {name} pinned twice"
        pins[key] = version.strip()
    return pins


@pytest.mark.parametrize("req", REQUIREMENTS, ids=str)
def test_requirement_is_a_compatible_range(req):
    ops = {s.operator for s in req.specifier}
    assert ops == {">=", "<"}, f"{req}: declare a range >=x,<y (the exact version goes in constraints.txt)"


@pytest.mark.parametrize("req", REQUIREMENTS, ids=str)
def test_constraints_pin_a_version_inside_the_range(req):
    pins = _pins()
    key = canonicalize_name(req.name)
    assert key in pins, f"{req.name} has no exact version in constraints.txt"
    assert req.specifier.contains(pins[key], prereleases=True), f"{req.name}=={pins[key]} is outside {req}"


def test_package_data_ships_the_schema():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    assert "schema/*.json" in data["depeche"]
    assert (ROOT / "src" / "depeche" / "schema" / "analysis.schema.json").is_file()
