"""The dependency rule, beyond what import-linter can say about third-party subpackages."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_MAY_IMPORT = {"domain", "eventsourcing.domain"}


def imported_modules(package: str) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found.update((path.name, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((path.name, node.module))
    return found


def test_the_domain_imports_only_the_standard_library_and_eventsourcing_domain() -> None:
    offending = {
        (file, module)
        for file, module in imported_modules("domain")
        if module.split(".")[0] not in sys.stdlib_module_names
        and not any(module == allowed or module.startswith(f"{allowed}.") for allowed in DOMAIN_MAY_IMPORT)
    }

    assert offending == set()
