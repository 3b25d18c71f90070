"""The house rules of the source tree, checked on every run: each room stays small enough to read.

No module in ``sync/`` over 600 lines, no class over 300 lines, and no import cycle between
the top-level rooms' modules. A room that grows past these splits by job (see ARCHITECTURE.md).
"""

from __future__ import annotations

import ast
from pathlib import Path

SYNC = Path(__file__).resolve().parent.parent / "sync"
MAX_MODULE = 600
MAX_CLASS = 300


def _modules() -> list[Path]:
    return sorted(SYNC.rglob("*.py"))


def test_no_module_over_limit() -> None:
    too_long = {
        str(p.relative_to(SYNC.parent)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE
    }
    assert not too_long, f"modules over {MAX_MODULE} lines: {too_long}"


def test_no_class_over_limit() -> None:
    too_long: dict[str, int] = {}
    for p in _modules():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.end_lineno is not None:
                size = node.end_lineno - node.lineno + 1
                if size > MAX_CLASS:
                    too_long[f"{p.relative_to(SYNC.parent)}:{node.name}"] = size
    assert not too_long, f"classes over {MAX_CLASS} lines: {too_long}"


def _module_name(path: Path) -> str:
    rel = path.relative_to(SYNC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, name: str) -> set[str]:
    """Modules of ``sync`` that ``path`` imports at module level (not inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in tree.body:
        if isinstance(node, ast.If):  # TYPE_CHECKING blocks do not run
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("sync"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join([*base, *([node.module] if node.module else [])])
            else:
                mod = node.module or ""
            if mod.startswith("sync"):
                found.add(mod)
                found.update(f"{mod}.{a.name}" for a in node.names)
    return found


def test_no_import_cycles() -> None:
    names = {_module_name(p): p for p in _modules()}
    graph = {n: {m for m in _imports(p, n) if m in names and m != n} for n, p in names.items()}
    # A package importing its own submodules (re-exports) is not a cycle of rooms.
    for n in graph:
        graph[n] = {m for m in graph[n] if not m.startswith(n + ".")}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(n: str, stack: list[str]) -> None:
        state[n] = 1
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                cycles.append([*stack[stack.index(m) :], m])
            elif m not in state:
                visit(m, [*stack, m])
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n, [n])
    assert not cycles, f"import cycles: {cycles[:5]}"
