"""Dependencies run one way: networks and events point at directory; directory's models, and
the merging of organizations, which must move those apps' records without knowing them,
import neither."""

import ast
from pathlib import Path

DIRECTORY = Path(__file__).resolve().parent.parent / "directory"
MODELS = DIRECTORY / "models"


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_directory_models_import_neither_networks_nor_events():
    files = [*MODELS.glob("*.py"), DIRECTORY / "merging.py"]
    assert files
    for path in files:
        for module in imported_modules(path):
            top = module.split(".")[0]
            assert top not in {"networks", "events"}, f"{path.name} imports {module}"
