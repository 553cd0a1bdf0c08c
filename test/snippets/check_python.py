"""Checks Python snippet modules beyond py_compile, with the standard library only.

For each file: the names it reads that no scope binds (a typo py_compile cannot see), and, when every import
is from the standard library, whether executing the module body succeeds. Prints one JSON list on stdout.
"""

from __future__ import annotations

import ast
import builtins
import json
import runpy
import sys
import symtable
import traceback

MODULE_DUNDERS = {"__name__", "__file__", "__doc__", "__spec__", "__loader__", "__package__", "__builtins__", "__annotations__"}


def bound_in(table: symtable.SymbolTable) -> set[str]:
    return {
        s.get_name()
        for s in table.get_symbols()
        if s.is_assigned() or s.is_imported() or s.is_parameter() or s.is_namespace() or s.is_declared_global()
    }


def undefined_names(path: str, source: str) -> list[str]:
    module = symtable.symtable(source, path, "exec")
    module_bound = bound_in(module) | MODULE_DUNDERS | set(dir(builtins))
    # A name declared `global` and assigned in a function is bound at module level.
    missing: set[str] = set()

    def visit(table: symtable.SymbolTable) -> None:
        for symbol in table.get_symbols():
            name = symbol.get_name()
            if table is module:
                if symbol.is_referenced() and name not in module_bound:
                    missing.add(name)
            elif symbol.is_referenced() and (symbol.is_global() or symbol.is_declared_global()) and name not in module_bound:
                missing.add(name)
        for child in table.get_children():
            visit(child)

    visit(module)
    return sorted(missing)


def stdlib_only(source: str) -> bool:
    tree = ast.parse(source)
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return all(root in sys.stdlib_module_names or root == "__future__" for root in roots)


def check(path: str) -> dict[str, object]:
    with open(path, encoding="utf-8") as f:
        source = f.read()
    result: dict[str, object] = {"file": path, "undefinedNames": undefined_names(path, source), "executed": False, "executionError": None}
    if stdlib_only(source):
        result["executed"] = True
        try:
            runpy.run_path(path, run_name="snippet_check")
        except BaseException:  # report whatever the module body raised, including SystemExit
            result["executionError"] = traceback.format_exc(limit=3)
    return result


if __name__ == "__main__":
    json.dump([check(p) for p in sys.argv[1:]], sys.stdout)
