"""The project's fixed shape: site/ is a source folder, dependencies run one way."""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Which of our top-level packages each package may import.
ALLOWED = {
    "matching": set(),
    "search": {"matching"},
    "cms": {"matching"},
}
OURS = {"matching", "search", "cms", "config"}


def _imported_packages(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


def test_site_is_not_a_python_package():
    assert not (REPO / "site" / "__init__.py").exists()
    assert (REPO / "site" / "config" / "settings" / "base.py").exists()


def test_dependencies_run_one_way():
    violations = []
    for package, allowed in ALLOWED.items():
        for path in (REPO / package).rglob("*.py"):
            for imported in _imported_packages(path):
                if imported in OURS and imported != package and imported not in allowed:
                    violations.append(f"{path.relative_to(REPO)} imports {imported}")
    assert violations == []
