"""Layering rules that keep the project maintainable."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_geodata_never_imports_streamlit():
    offenders = [p.name for p in (ROOT / "geodata").rglob("*.py") if {"streamlit", "streamlit_folium", "folium"} & _imports(p)]
    assert offenders == []


def test_no_bare_except_pass():
    for path in list((ROOT / "geodata").rglob("*.py")) + list((ROOT / "dashboard").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler):
                assert not (len(node.body) == 1 and isinstance(node.body[0], ast.Pass)), f"{path}:{node.lineno} swallows an error"
