"""The layers of docs/architecture.md hold: checked by import-linter, and shown to catch a break."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

LINT = Path(sys.executable).parent / "lint-imports"


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    """Run the contracts of `root`/pyproject.toml on the `builder` package inside `root`."""
    return subprocess.run([str(LINT), "--no-cache"], cwd=root, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(root)}, timeout=300)


def test_the_layer_contracts_are_kept():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_an_import_against_the_layers_breaks_the_contract(tmp_path: Path):
    shutil.copytree(ROOT / "builder", tmp_path / "builder",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    reader = tmp_path / "builder" / "readers" / "data.py"
    reader.write_text(reader.read_text(encoding="utf-8")
                      + "\n\nfrom builder.compose import text  # noqa: E402\n", encoding="utf-8")
    result = lint(tmp_path)
    assert result.returncode == 1, result.stdout
    assert "builder.readers.data -> builder.compose.text" in result.stdout


def module_imports() -> dict[str, set[str]]:
    """Return module -> the builder modules it imports anywhere in it (lazy imports too)."""
    modules = {}
    for path in (ROOT / "builder").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        modules[name] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # `from pkg import sub` imports the submodule; `from mod import name`, the module.
                candidates = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules
                              else node.module for a in node.names]
            elif isinstance(node, ast.Import):
                candidates = [a.name for a in node.names]
            else:
                continue
            targets |= {c for c in candidates if c in modules and c != name}
        graph[name] = targets
    return graph


def test_no_two_modules_import_each_other_even_lazily():
    graph = module_imports()
    cycles = []
    for module, targets in graph.items():
        for target in targets:
            seen, stack = set(), [target]
            while stack:
                current = stack.pop()
                if current == module:
                    cycles.append(f"{module} -> {target} -> ... -> {module}")
                    break
                if current in seen:
                    continue
                seen.add(current)
                stack.extend(graph.get(current, ()))
    assert not cycles, "\n".join(sorted(set(cycles)))
