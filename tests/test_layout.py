"""The project's fixed shape: site/ is a source folder, dependencies run one way.

Three rules, each checked over every module (function-local imports included):
the top-level packages import each other only along ``ALLOWED``; inside
``matching`` an app imports only apps on a lower layer of ``MATCHING_LAYERS``;
and no group of modules in ``matching``, ``search`` or ``cms`` imports itself
in a circle. docs/architecture.md draws the same layers.
"""

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

# The apps of ``matching``, lowest layer first: an app may import the apps of
# the layers below its own, never one beside it or above it.
MATCHING_LAYERS = [
    {"core"},
    {"deidentify", "directory", "ledger", "notifications"},
    {"audit"},
    {"cases"},
    {"offers"},
    {"publication"},
    {"payments"},
    {"funding"},
    {"volunteering"},
    {"governance"},
    {"coordination", "inspections"},
    {"supervision"},
    {"organizations"},
    {"demo"},
    {"scheduler"},
]
LAYER_OF = {app: level for level, apps in enumerate(MATCHING_LAYERS) for app in apps}


def _module_name(path):
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _sources(packages=("matching", "search", "cms")):
    """``{module name: (source text, is a package)}`` of our code, migrations aside."""
    sources = {}
    for package in packages:
        for path in (REPO / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            sources[_module_name(path)] = (
                path.read_text(encoding="utf-8"),
                path.name == "__init__.py",
            )
    return sources


def _imports(name, source, is_package):
    """Every module ``name`` imports, as written (absolute names, relative ones resolved)."""
    base = name.split(".") if is_package else name.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, ()
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base[: len(base) - (node.level - 1)]
                module = ".".join(anchor + ([node.module] if node.module else []))
            else:
                module = node.module
            yield module, tuple(alias.name for alias in node.names)


def _edges(sources):
    """``{module: set of our modules it imports}``: ``from a import b`` points at
    ``a.b`` when that is one of our modules, otherwise at ``a``."""
    graph = {name: set() for name in sources}
    for name, (source, is_package) in sources.items():
        for module, names in _imports(name, source, is_package):
            targets = [f"{module}.{n}" for n in names if f"{module}.{n}" in sources]
            if len(targets) < len(names) or not names:
                targets.append(module)
            graph[name].update(t for t in targets if t in sources and t != name)
    return graph


def _app_of(module):
    parts = module.split(".")
    return parts[1] if parts[0] == "matching" and len(parts) > 1 else None


def layer_violations(sources):
    """Imports between apps of ``matching`` that do not run strictly downwards."""
    violations = []
    for name, (source, is_package) in sorted(sources.items()):
        app = _app_of(name)
        if app is None:
            continue
        for module, _names in _imports(name, source, is_package):
            target = _app_of(module or "")
            if target is None or target == app:
                continue
            if target not in LAYER_OF or app not in LAYER_OF:
                violations.append(f"{name} imports {module}: app not in MATCHING_LAYERS")
            elif LAYER_OF[target] >= LAYER_OF[app]:
                violations.append(f"{name} imports {module}")
    return violations


def import_cycles(sources):
    """Groups of modules that import each other in a circle (Tarjan's components)."""
    graph = _edges(sources)
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


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


def test_every_app_of_matching_has_a_layer():
    apps = {p.name for p in (REPO / "matching").iterdir() if (p / "__init__.py").exists()}
    assert apps == set(LAYER_OF)


def test_apps_of_matching_import_only_lower_layers():
    assert layer_violations(_sources(("matching",))) == []


def test_no_import_cycle_in_our_packages():
    assert import_cycles(_sources()) == []


# --- the checks themselves fail when they should ---------------------------------------


def _with(sources, name, text, is_package=False):
    changed = dict(sources)
    changed[name] = (text, is_package)
    return changed


def test_layer_check_catches_an_upward_import_between_apps():
    sources = _sources(("matching",))
    wrong = _with(sources, "matching.cases.shortcut", "from matching.funding import services\n")
    assert layer_violations(wrong) == ["matching.cases.shortcut imports matching.funding"]


def test_layer_check_catches_a_sideways_import_and_a_relative_one():
    sources = _sources(("matching",))
    sideways = _with(sources, "matching.ledger.peek", "import matching.directory.models\n")
    upward = _with(sources, "matching.core.peek", "from ..cases.models import Case\n")
    assert layer_violations(sideways) == ["matching.ledger.peek imports matching.directory.models"]
    assert layer_violations(upward) == ["matching.core.peek imports matching.cases.models"]


def test_layer_check_catches_a_function_local_import():
    sources = _sources(("matching",))
    hidden = _with(
        sources,
        "matching.offers.hidden",
        "def later():\n    from matching.governance.api import router\n    return router\n",
    )
    assert layer_violations(hidden) == ["matching.offers.hidden imports matching.governance.api"]


def test_cycle_check_catches_a_circle_inside_one_package():
    sources = _sources()
    looped = _with(
        sources, "search.client", sources["search.client"][0] + "\nfrom . import indexer\n"
    )
    cycles = import_cycles(looped)
    assert len(cycles) == 1
    assert {"search.client", "search.indexer"} <= set(cycles[0])
