"""What each layer may import (docs/architecture.md): the CLI imports the library, never the reverse."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import restructure

PACKAGE = Path(restructure.__file__).parent
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    """Absolute names of the modules a file imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _name(path) if path.name == "__init__.py" else _name(path).rpartition(".")[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    out = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.add(mod)
            out.update(f"{mod}.{a.name}" for a in node.names)
    return out


def _in_cli(path: Path) -> bool:
    # `python -m restructure` (__main__.py) is the command line's other entry point
    return path.relative_to(PACKAGE).parts[0] in ("cli", "__main__.py")


@pytest.mark.parametrize("path", [p for p in MODULES if not _in_cli(p)], ids=_name)
def test_the_library_imports_neither_click_nor_the_cli(path):
    found = _imports(path)
    assert not any(m == "click" or m.startswith("click.") for m in found), f"{_name(path)} imports click"
    assert not any(m.startswith("restructure.cli") for m in found), f"{_name(path)} imports the CLI"


@pytest.mark.parametrize("module", ["model", "structure"])
def test_foundation_modules_import_nothing_above_them(module):
    allowed = {"restructure.model", "restructure.errors", "restructure.text", "restructure.io.yamlfile"}
    found = {m for m in _imports(PACKAGE / f"{module}.py", top_level_only=True) if m.startswith("restructure")}
    above = {m for m in found if not any(m == a or m.startswith(a + ".") for a in allowed)}
    assert not above, f"{module}.py imports {sorted(above)} at module level (import lazily, for notebook display)"


def test_the_layer_test_sees_every_module():
    names = {_name(p) for p in MODULES}
    assert {"restructure.refs", "restructure.cli.options", "restructure.diff.render", "restructure.store.plan"} <= names
    assert "click" in _imports(PACKAGE / "cli" / "options.py")
