"""The imports of a package, read from its source with `ast`, and the layer rule they must obey.

A package lists its layers from the top (what users call) to the bottom (what knows least). A module may
import its own layer and any layer below it, never one above. A module that matches no layer is an error
too, so that a new folder has to be placed in the table before it can be written.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Import:
    """One `import` statement of a module, resolved to the absolute module name it names."""

    module: str  # the importing module, dotted
    target: str  # the imported module, dotted
    line: int
    local: bool  # inside a function (or method) body, not at module level


def module_name(package_dir: Path, path: Path) -> str:
    """The dotted name of `path`, a file under `package_dir` (whose own name is the package's)."""
    parts = [package_dir.name, *path.relative_to(package_dir).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(package_dir: Path) -> list[Import]:
    """Every import in the package's `.py` files, with names made absolute."""
    found: list[Import] = []
    for path in sorted(package_dir.rglob("*.py")):
        module = module_name(package_dir, path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        found.extend(_walk(tree, module, is_package, local=False))
    return found


def _walk(node: ast.AST, module: str, is_package: bool, local: bool) -> list[Import]:
    found: list[Import] = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import):
            found.extend(Import(module, alias.name, child.lineno, local) for alias in child.names)
        elif isinstance(child, ast.ImportFrom):
            # `from pkg import name` is recorded as `pkg.name`: the submodule when there is one, else a name
            # that `_known_module` traces back to `pkg`.
            target = _absolute(module, is_package, child)
            found.extend(Import(module, f"{target}.{alias.name}", child.lineno, local) for alias in child.names)
        else:
            inner = local or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            found.extend(_walk(child, module, is_package, inner))
    return found


def layer_of(module: str, layers: list[list[str]]) -> int | None:
    """The index of the layer holding `module` (the longest matching prefix wins), or None."""
    best: tuple[int, int] | None = None
    for index, members in enumerate(layers):
        for prefix in members:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (index, len(prefix))
    return None if best is None else best[0]


def violations(package_dir: Path, layers: list[list[str]]) -> list[str]:
    """One line per import that goes upwards, and per module that belongs to no layer."""
    modules = {module_name(package_dir, path) for path in package_dir.rglob("*.py")}
    problems = [f"{module}: in no layer of the table" for module in modules if layer_of(module, layers) is None]
    for imp in imports_of(package_dir):
        target_module = _known_module(imp.target, modules)
        if target_module is None:
            continue
        source, target = layer_of(imp.module, layers), layer_of(target_module, layers)
        if source is None or target is None:
            continue
        if target < source:
            problems.append(f"{imp.module}:{imp.line}: imports {target_module}, a higher layer")
    return sorted(set(problems))


def _known_module(name: str, modules: set[str]) -> str | None:
    """The module of the package that `name` (a module, or a name inside one) lives in."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def local_package_imports(package_dir: Path) -> list[str]:
    """Each import of the package's own modules made inside a function, as `module -> target` (no line
    numbers, so that an edit above an import does not break the caller's allow-list).

    Such an import is how a cycle is hidden; a package that obeys its layers needs none, except to keep a
    heavy module off a command's start-up path, which the caller's allow-list must then name.
    """
    modules = {module_name(package_dir, path) for path in package_dir.rglob("*.py")}
    found = set()
    for imp in imports_of(package_dir):
        target = _known_module(imp.target, modules)
        if imp.local and target is not None:
            found.add(f"{imp.module} -> {target}")
    return sorted(found)
