"""The architecture as the code has it: the stack of packages from pyproject.toml's import-linter contract, and the
import arrows between them counted from the code (grimp, the graph import-linter itself uses).

    python scripts/architecture.py            # print the Markdown section (README.md "Architecture")
    python scripts/architecture.py --graph    # print a Mermaid drawing of the arrows between packages
    python scripts/architecture.py --check    # exit 1 when README.md's section differs from the generated one
    python scripts/architecture.py --write    # put both generated sections in place

The README section is generated, so it cannot drift from the contract: tests/test_architecture.py runs --check.
"""

from __future__ import annotations

import sys
import tomllib
from collections import Counter
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"
BEGIN, END = "<!-- architecture:begin (scripts/architecture.py) -->", "<!-- architecture:end -->"
GRAPH_BEGIN, GRAPH_END = "<!-- graph:begin (scripts/architecture.py --graph) -->", "<!-- graph:end -->"
# What each package is for, one line each (the README's words). A package without a line fails --check.
ROLES = {
    "core": "shared by all, owned by none: config, database, outbox, audit, moderation words, rate limits, geography",
    "accounts": "registration, login (argon2id; TOTP for staff), passwords, confirmation, roles, volunteer profile",
    "notifications": "in-app messages, instant e-mail through the outbox, preferences per kind, unsubscribe links",
    "asks": "help requests (vraag), responses, matches; who may see one (visibility.py); interaction log",
    "offers": "offers (aanbod) and asking a volunteer from an offer",
    "initiatives": "resident initiatives: needs, sign-ups, activities, backing, support (sub-blueprints)",
    "suggestions": "\"Aanbevolen voor jou\" (stored per volunteer), suggested volunteers, invitations, training",
    "digests": "daily and weekly e-mail digests",
    "budgets": "district budgets: rounds per stadsdeel, costed plans, secret knapsack ballots, count, results",
    "volunteering": "the front door: everything that fits one ranked list, my applications, my agenda, alerts",
    "staff": "the VWC workspace: moderation, VOG checks, intake, warm hand-over, rescue queue, audit log",
    "privacy": "AVG: download my data, delete my account, retention, privacy statement",
    "reports": "impact per period, goal and neighbourhood; map; CSV/XLSX exports; small-cell suppression",
    "pages": "home, my page, language switcher, health checks",
    "help_pages": "help and accessibility pages",
    "demo": "deterministic demo data (flask demo seed)",
}


def layers() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "stack")
    return [[name.strip() for name in layer.split("|")] for layer in contract["layers"]]


def arrows() -> Counter[tuple[str, str]]:
    """Imports between webapp's first-level packages, counted per (importer, imported) pair of modules."""
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph("webapp", exclude_type_checking_imports=True)
    counted: Counter[tuple[str, str]] = Counter()
    for module in graph.modules:
        parts = module.split(".")
        if len(parts) < 2:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            other = imported.split(".")
            if len(other) >= 2 and other[0] == "webapp" and other[1] != parts[1]:
                counted[(parts[1], other[1])] += 1
    return counted


def back_arrows(stack: list[list[str]], counted: Counter[tuple[str, str]]) -> list[tuple[str, str, int]]:
    level = {name: depth for depth, layer in enumerate(stack) for name in layer}  # 0 = top
    return [(a, b, n) for (a, b), n in sorted(counted.items())
            if a in level and b in level and level[b] <= level[a] and (a, b) != (b, a)]


def section() -> str:
    stack = layers()
    lines = [BEGIN, "```"]
    for layer in stack:
        for name in layer:
            lines.append(f"webapp/{name + '/':<15}{ROLES[name]}")
        lines.append(" " * 15 + "↓")
    lines[-1] = "webapp/__init__.py create_app(); hooks.py every hook; cli.py every command group"
    lines += ["matching/      the matching engine: a pure, typed library (no Flask, SQLAlchemy or gettext) with a CLI",
              "migrations/    Alembic (Flask-Migrate), dated revision files, tested",
              "translations/  .po catalogues (English is the source language); .mo files are built",
              "deploy/        systemd units, timers, crontab and an nginx example",
              "tests/         pytest: matching/, webapp/<package>/ as in webapp, browser/ (Chromium)", "```",
              "",
              "Read top-down: a package imports only the packages below it (a `↓` is a step down) and `core/` imports "
              "no feature. Packages on one line are independent of each other. `make lint` checks this "
              "(import-linter, contracts in pyproject.toml); `python scripts/architecture.py --graph` draws the "
              f"imports. Imports running back up the stack today: {len(back_arrows(stack, arrows()))}.", END]
    return "\n".join(lines)


def mermaid() -> str:
    counted = arrows()
    out = [GRAPH_BEGIN, "```mermaid", "flowchart TD"]
    out += [f"  {a} -->|{n}| {b}" for (a, b), n in sorted(counted.items()) if a not in ("cli", "hooks")]
    out += ["```", GRAPH_END]
    return "\n".join(out)


def _block(path: Path, begin: str, end: str) -> str:
    text = path.read_text("utf-8") if path.exists() else ""
    return text[text.find(begin):text.find(end) + len(end)] if begin in text else ""


def main(argv: list[str]) -> int:
    if "--graph" in argv:
        print(mermaid())
        return 0
    generated = section()
    targets = (("README.md", README, BEGIN, END, generated),
               ("docs/ARCHITECTURE.md", ARCHITECTURE, GRAPH_BEGIN, GRAPH_END, mermaid()))
    if "--write" in argv:
        for _name, path, begin, end, fresh in targets:
            text = path.read_text("utf-8")
            current = _block(path, begin, end)
            if current and current != fresh:
                path.write_text(text.replace(current, fresh), "utf-8")
        return 0
    if "--check" in argv:
        stale = [name for name, path, begin, end, fresh in targets if _block(path, begin, end) != fresh]
        for name in stale:
            print(f"{name}: the generated section is out of date; run scripts/architecture.py (--graph) and paste "
                  "it between its markers.", file=sys.stderr)
        return 1 if stale else 0
    print(generated)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
