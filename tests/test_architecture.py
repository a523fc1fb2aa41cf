"""Layering rules that keep the project maintainable, checked on the import statements.

Every ``import`` and ``from ... import`` of every module under geodata/ and dashboard/ counts,
also those inside functions (a lazy import is still a dependency). ``from pkg import name``
depends on ``pkg.name`` when that is a module, else on ``pkg``.

The layers, bottom to top:

* geodata's core: errors, names, gazetteer, borders, sources, catalogue (with its schemas),
  dates, files. They import only each other.
* geodata.geoparse and geodata.claims: each imports only the core and itself (not each other).
* geodata's other modules (layers, writers, mentions, cli, ...) on top of those.
* dashboard, which geodata never imports; geodata never imports a UI library either.

Code outside a subpackage of geodata (geoparse, claims, store, ...) uses it through its
``__init__`` only: ``from geodata.geoparse import parse``, not ``geodata.geoparse.parser``.
ARCHITECTURE.md draws the same layers.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("geodata", "dashboard")
CORE = frozenset(f"geodata.{m}" for m in
                 ("errors", "names", "gazetteer", "borders", "sources", "catalogue", "schemas", "dates", "files"))
ON_THE_CORE = ("geodata.geoparse", "geodata.claims")  # each imports only the core and itself
UI_LIBRARIES = frozenset({"streamlit", "streamlit_folium", "folium"})


@dataclass(frozen=True)
class Import:
    """One dependency: module ``source`` imports ``target`` at ``line``."""

    source: str
    target: str
    line: int

    def __str__(self) -> str:
        return f"{self.source} (line {self.line}) imports {self.target}"


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the project's packages by dotted name."""
    return {module_name(p, root): p for pkg in PACKAGES for p in sorted((root / pkg).rglob("*.py"))}


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    """Every import in the file, absolute names resolved, at any depth of the tree."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(name, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                parent = ".".join(base + ([node.module] if node.module else []))
            else:
                parent = node.module or ""
            for alias in node.names:
                sub = f"{parent}.{alias.name}"
                found.append(Import(name, sub if sub in modules else parent, node.lineno))
    return found


def import_graph(root: Path = ROOT) -> tuple[dict[str, Path], list[Import]]:
    modules = project_modules(root)
    return modules, [imp for name, path in modules.items() for imp in imports_of(name, path, modules)]


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def top_package(name: str) -> str:
    return name.split(".")[0]


def subpackages(modules: dict[str, Path]) -> list[str]:
    """geodata's subpackages (a folder with an __init__.py): geodata.geoparse, geodata.claims, ..."""
    return sorted(m for m, p in modules.items() if p.name == "__init__.py" and m.count(".") == 1 and within(m, "geodata"))


def layer_violations(modules: dict[str, Path], imports: list[Import]) -> list[str]:
    """Every import that breaks a layering rule, as readable lines."""
    subs = subpackages(modules)
    bad = []
    for imp in imports:
        src, dst = imp.source, imp.target
        if within(src, "geodata"):
            if top_package(dst) in UI_LIBRARIES:
                bad.append(f"{imp}: geodata never imports a UI library")
            if within(dst, "dashboard"):
                bad.append(f"{imp}: geodata never imports the dashboard")
        if src in CORE and within(dst, "geodata") and dst not in CORE and dst != "geodata":
            bad.append(f"{imp}: the core imports only the core")
        for sub in ON_THE_CORE:
            if within(src, sub) and within(dst, "geodata") and dst not in CORE and dst != "geodata" and not within(dst, sub):
                bad.append(f"{imp}: {sub} imports only the core and itself")
        for sub in subs:
            # A subpackage's commands (its cli.py) are registered by geodata.cli and nothing else:
            # importing them alone keeps `python -m geodata geocode` free of the store's and Dask's imports.
            if src == "geodata.cli" and dst == f"{sub}.cli":
                continue
            if within(dst, sub) and dst != sub and not within(src, sub):
                bad.append(f"{imp}: code outside {sub} uses it through its __init__ only")
    return bad


def find_cycle(modules: dict[str, Path], imports: list[Import]) -> list[str] | None:
    """One import cycle among the project's modules as a path ``[a, b, ..., a]``, or None."""
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for imp in imports:
        if imp.target in modules and imp.target != imp.source:
            graph[imp.source].add(imp.target)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


@pytest.fixture(scope="module")
def graph():
    return import_graph()


def test_every_package_module_is_seen(graph):
    modules, imports = graph
    assert {"geodata.cli", "geodata.geoparse.parser", "geodata.claims.pike", "dashboard.views.atlas",
            "dashboard.panels.evidence"} <= set(modules)
    edges = {(i.source, i.target) for i in imports}
    assert ("geodata.cli", "geodata.writers") in edges  # imported inside a function
    assert ("dashboard.data", "geodata.mentions") in edges  # `from geodata import mentions` names the module


# Violations known when this test was written, each to be fixed by its module's owner; the test
# fails when one is fixed (remove it here) as well as on any new one.
KNOWN_VIOLATIONS: set[tuple[str, str]] = set()


def test_layer_order(graph):
    bad = layer_violations(*graph)
    new = [b for b in bad if not any(b.startswith(f"{s} (") and f"imports {t}:" in b for s, t in KNOWN_VIOLATIONS)]
    assert not new, "\n".join(new)
    fixed = [k for k in KNOWN_VIOLATIONS if not any(b.startswith(f"{k[0]} (") and f"imports {k[1]}:" in b for b in bad)]
    assert not fixed, f"fixed, remove from KNOWN_VIOLATIONS: {fixed}"


def test_no_import_cycles(graph):
    cycle = find_cycle(*graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


# --- the checker finds what it should, on a tiny made-up project ------------------------------

def _tiny_project(tmp_path: Path, files: dict[str, str]) -> tuple[dict[str, Path], list[Import]]:
    for rel, text in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return import_graph(tmp_path)


BASE = {"geodata/__init__.py": "", "geodata/errors.py": "", "geodata/gazetteer.py": "from geodata.errors import X\n",
        "geodata/geoparse/__init__.py": "from .parser import parse\n", "geodata/geoparse/parser.py": "from ..gazetteer import G\n",
        "geodata/claims/__init__.py": "from .pike import check\n", "geodata/claims/pike.py": "from geodata import borders\n",
        "geodata/borders.py": "", "geodata/layers.py": "from geodata.claims import check\n",
        "dashboard/__init__.py": "", "dashboard/views/page.py": "from geodata.geoparse import parse\n"}


def test_checker_passes_a_well_layered_project(tmp_path):
    modules, imports = _tiny_project(tmp_path, BASE)
    assert layer_violations(modules, imports) == [] and find_cycle(modules, imports) is None
    targets = {(i.source, i.target) for i in imports}
    assert ("geodata.geoparse", "geodata.geoparse.parser") in targets  # relative, to a module
    assert ("geodata.geoparse.parser", "geodata.gazetteer") in targets  # two dots up
    assert ("geodata.claims.pike", "geodata.borders") in targets  # `from pkg import module`


@pytest.mark.parametrize("rel, text, expect", [
    ("geodata/borders.py", "def f():\n    import streamlit\n", "UI library"),
    ("geodata/borders.py", "from dashboard.views import page\n", "never imports the dashboard"),
    ("geodata/gazetteer.py", "def f():\n    from geodata.layers import x\n", "core imports only the core"),
    ("geodata/errors.py", "from .geoparse import parse\n", "core imports only the core"),
    ("geodata/geoparse/parser.py", "from geodata.claims import check\n", "geodata.geoparse imports only"),
    ("geodata/claims/pike.py", "from ..layers import build_layers\n", "geodata.claims imports only"),
    ("dashboard/views/page.py", "from geodata.geoparse.parser import parse\n", "through its __init__ only"),
    ("geodata/layers.py", "from geodata.claims.pike import x\n", "outside geodata.claims uses it through its __init__"),
])
def test_checker_catches_each_broken_rule(tmp_path, rel, text, expect):
    modules, imports = _tiny_project(tmp_path, {**BASE, rel: text})
    found = layer_violations(modules, imports)
    assert len(found) == 1 and expect in found[0] and module_name(tmp_path / rel, tmp_path) in found[0], found


def test_checker_reports_a_cycle_with_its_path(tmp_path):
    files = {**BASE, "geodata/borders.py": "def f():\n    from geodata import layers\n"}
    assert find_cycle(*_tiny_project(tmp_path, files)) == [
        "geodata.borders", "geodata.layers", "geodata.claims", "geodata.claims.pike", "geodata.borders"]


def test_no_bare_except_pass():
    for path in list((ROOT / "geodata").rglob("*.py")) + list((ROOT / "dashboard").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler):
                assert not (len(node.body) == 1 and isinstance(node.body[0], ast.Pass)), f"{path}:{node.lineno} swallows an error"
