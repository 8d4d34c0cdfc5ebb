"""The dependency locks agree with pyproject.toml (offline; ``make lock-check``
re-runs the resolver itself against PyPI)."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
# What the locks are resolved for (see the Makefile's LOCK).
ENVIRONMENT = {"python_version": "3.11", "python_full_version": "3.11.0", "sys_platform": "linux"}


def _lock(name):
    """{package: (version, number of hashes)} of requirements/<name>.txt."""
    pins, current = {}, None
    for line in (ROOT / "requirements" / f"{name}.txt").read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            pins[current] = [Version(match.group(2)), 0]
        elif line.strip().startswith("--hash=sha256:") and current is not None:
            pins[current][1] += 1
        elif line.strip() and not line.lstrip().startswith(("#", "\\")):
            raise AssertionError(f"{name}.txt: not a pinned requirement: {line!r}")
    return {package: tuple(pin) for package, pin in pins.items()}


def _requirements(items):
    requirements = [Requirement(item) for item in items]
    return [r for r in requirements if r.marker is None or r.marker.evaluate(ENVIRONMENT)]


PRODUCTION = _requirements(PYPROJECT["dependencies"])
DEVELOPMENT = _requirements(PYPROJECT["optional-dependencies"]["test"])


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [("production", PRODUCTION), ("dev", PRODUCTION + DEVELOPMENT)],
)
def test_every_requirement_is_pinned_at_an_allowed_version(lock, requirements):
    pins = _lock(lock)
    wrong = []
    for requirement in requirements:
        pin = pins.get(canonicalize_name(requirement.name))
        if pin is None or not requirement.specifier.contains(pin[0], prereleases=True):
            wrong.append(f"{requirement} (locked: {pin[0] if pin else 'missing'})")
    assert not wrong, f"run `make lock`: {wrong}"


@pytest.mark.parametrize("lock", ["production", "dev"])
def test_every_pin_carries_hashes(lock):
    assert [package for package, (_v, hashes) in _lock(lock).items() if not hashes] == []


def test_production_is_the_development_lock_without_the_tools():
    production, development = _lock("production"), _lock("dev")
    differing = {
        package: (version, development.get(package, (None,))[0])
        for package, (version, _hashes) in production.items()
        if development.get(package, (None,))[0] != version
    }
    assert differing == {}, "the two locks pin the same package differently"
    tools = {canonicalize_name(r.name) for r in DEVELOPMENT} - {
        canonicalize_name(r.name) for r in PRODUCTION
    }
    assert tools and tools <= development.keys()
    assert sorted(tools & production.keys()) == []
