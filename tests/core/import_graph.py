"""The import graph of the kgpub package, read from the source with ``ast`` (nothing is imported).

Every ``import`` and ``from ... import`` counts: at module level, under ``if TYPE_CHECKING:`` and
inside functions, so an import moved into a function or hidden from the type checker to dodge a
cycle is still an edge.  ``from package import name`` is an edge to the submodule ``package.name``
when that module exists, else to the package.  Imports done by name at run time
(``importlib.import_module``) are not seen.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ImportGraph:
    """Modules of one package and, for each, the package's modules it imports (with line numbers)."""

    root: Path
    edges: dict[str, dict[str, int]] = field(default_factory=dict)  # module -> {imported module: line}

    @classmethod
    def of_package(cls, package_dir: Path) -> "ImportGraph":
        package_dir = Path(package_dir)
        graph = cls(package_dir)
        modules = {_module_name(package_dir, path): path for path in sorted(package_dir.rglob("*.py"))}
        for name, path in modules.items():
            is_package = path.name == "__init__.py"
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            found: dict[str, int] = {}
            for node in ast.walk(tree):
                for target in _targets(node, name, is_package, modules):
                    if target != name:
                        found.setdefault(target, node.lineno)
            graph.edges[name] = found
        return graph

    def cycles(self) -> list[list[str]]:
        """The strongly connected components with more than one module (each sorted), sorted."""
        return sorted(sorted(c) for c in _components(self.edges) if len(c) > 1)

    def describe(self, component: list[str]) -> str:
        """``a -> b (line 12)`` for every edge inside ``component``."""
        inside = set(component)
        return "; ".join(f"{a} -> {b} (line {line})" for a in component
                         for b, line in sorted(self.edges[a].items()) if b in inside)


def _module_name(package_dir: Path, path: Path) -> str:
    parts = [package_dir.name, *path.relative_to(package_dir).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _targets(node: ast.AST, module: str, is_package: bool, modules: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        return [_existing(alias.name, modules) for alias in node.names if _existing(alias.name, modules)]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        base_parts = package[: len(package) - node.level + 1]
        base = ".".join(base_parts + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    out = []
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        target = submodule if submodule in modules else _existing(base, modules)
        if target:
            out.append(target)
    return out


def _existing(name: str, modules: dict[str, Path]) -> str | None:
    """``name`` or its closest enclosing module that is part of the package."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def _components(edges: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively (no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in edges:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(component)
    return out
