"""The tests and the benchmarks share code through support/ only, never each other's modules."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_packages(folder):
    """(file, top-level package) for every import in the Python files under ``folder``."""
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                yield path.relative_to(ROOT).as_posix(), name.split(".")[0]


# What each folder may not import: support/ is below both, and neither uses the other.
FORBIDDEN = {"bench": {"tests"}, "tests": {"bench"}, "support": {"bench", "tests"}}


def test_bench_and_tests_do_not_import_each_other():
    crossings = [
        (path, package)
        for folder, forbidden in FORBIDDEN.items()
        for path, package in imported_packages(folder)
        if package in forbidden
    ]
    assert crossings == []
