"""The shape of the code (docs/ARCHITECTURE.md): every feature package in the import-linter stack, the same roles in
each (a blueprint and a command group named like the package, templates in a folder of that name), every command
group and blueprint registered, and README's architecture section generated from the contract."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

from flask import Blueprint
from flask.cli import AppGroup

from webapp import BLUEPRINTS, cli

ROOT = Path(__file__).resolve().parent.parent
WEBAPP = ROOT / "webapp"
sys.path.insert(0, str(ROOT / "scripts"))
import architecture  # noqa: E402

FEATURES = sorted(p.name for p in WEBAPP.iterdir() if p.is_dir() and (p / "__init__.py").exists() and p.name != "core")


def test_every_feature_package_has_its_place_in_the_stack():
    stacked = {name for layer in architecture.layers() for name in layer}
    assert set(FEATURES) | {"core"} == stacked


def test_a_features_blueprint_and_templates_are_named_after_it():
    for name in FEATURES:
        if not (WEBAPP / name / "views.py").exists():
            continue
        bp = importlib.import_module(f"webapp.{name}.views").bp
        assert isinstance(bp, Blueprint) and bp.name == name, name
        assert bp in BLUEPRINTS, f"{name}'s blueprint is not registered in create_app"
        assert (WEBAPP / "templates" / name).is_dir(), f"webapp/templates/{name}/ is missing"


def test_a_features_command_group_is_named_after_it_and_registered():
    for name in FEATURES:
        if (WEBAPP / name / "commands.py").exists():
            group = importlib.import_module(f"webapp.{name}.commands").cli
            assert isinstance(group, AppGroup) and group.name == name, name
            assert group in cli.GROUPS, f"flask {name} is not registered in webapp/cli.py"


def test_the_readme_and_the_drawing_are_generated_from_the_contract():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "architecture.py"), "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


def test_no_import_runs_back_up_the_stack():
    assert architecture.back_arrows(architecture.layers(), architecture.arrows()) == []
