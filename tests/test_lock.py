"""Reproducible installs: what is installed in this environment is exactly what requirements-dev.txt pins, every
package included (scikit-learn models are pickles tied to the versions that wrote them), and the runtime lock is
part of it."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)", re.M)


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    return {_name(name): version for name, version in PIN.findall(path.read_text("utf-8"))}


def test_every_installed_package_is_pinned_at_its_installed_version():
    locked = pins(ROOT / "requirements-dev.txt")
    installed = {_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    assert {name: version for name, version in installed.items() if locked.get(name) != version} == {}
    assert {name: version for name, version in locked.items() if installed.get(name) != version} == {}


def test_the_runtime_lock_is_part_of_the_development_lock():
    runtime, development = pins(ROOT / "requirements.txt"), pins(ROOT / "requirements-dev.txt")
    assert runtime and {name: v for name, v in runtime.items() if development.get(name) != v} == {}
    assert "sqlalchemy" in runtime and "scikit-learn" in runtime
