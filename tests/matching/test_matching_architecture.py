"""matching/ is a pure library: no web framework, ORM or translation imports, no imports of webapp."""

from __future__ import annotations

import ast
from pathlib import Path

import matching

FORBIDDEN = ("flask", "sqlalchemy", "gettext", "babel", "webapp", "werkzeug", "jinja2", "wtforms", "alembic")
PACKAGE = Path(matching.__file__).resolve().parent


def imported_modules(source: str) -> set[str]:
    """Top-level names of every module imported anywhere in ``source`` (also inside functions)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__" and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                names.add(arg.value)
    return names


def forbidden_in(names: set[str]) -> set[str]:
    return {n for n in names if n.split(".")[0].lower().startswith(FORBIDDEN)}


def test_scanner_catches_forbidden_imports() -> None:
    src = "import os\ndef f():\n    from flask import current_app\n    import sqlalchemy.orm\n__import__('gettext')\n"
    assert forbidden_in(imported_modules(src)) == {"flask", "sqlalchemy.orm", "gettext"}


def test_no_module_in_matching_imports_web_orm_or_i18n() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) >= 10
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(bad)
        for path in modules
        if (bad := forbidden_in(imported_modules(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}


def test_public_api_is_exported() -> None:
    for name in (
        "encode_volunteer",
        "encode_request",
        "MatchIndex",
        "rank_requests",
        "rank_volunteers",
        "rank_initiatives",
        "train_model",
        "load_model",
        "save_model",
        "ModelIncompatible",
        "load_taxonomy",
    ):
        assert name in matching.__all__ and hasattr(matching, name)
