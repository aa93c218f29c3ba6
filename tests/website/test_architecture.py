"""Dependencies run one way. The site (website/) knows all three apps; networks and events
point at directory; directory imports neither of them, nor the site beyond its cache. Every
module of every package is read, migrations included."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = {"directory", "networks", "events"}

# What each package may import of the others'. The site is not importable by the apps but
# for its cache, which knows no app (see test_the_cache_knows_no_app).
ALLOWED = {
    "directory": {"directory", "website.cache"},
    "networks": {"directory", "networks", "events", "website.cache"},
    "events": {"directory", "events", "networks"},
    "website": {"directory", "networks", "events", "website"},
}

# The WSGI application's former address, which tools outside the repository start.
FORMER_ENTRY_POINTS = {"directory/wsgi.py": {"website.wsgi"}}


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def ours(module):
    return module.split(".")[0] in APPS | {"website"}


def allowed(package, module):
    return any(module == name or module.startswith(f"{name}.") for name in ALLOWED[package])


def modules_of(package):
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, package
    return files


def test_every_module_imports_only_what_its_package_may():
    wrong = []
    for package in ALLOWED:
        for path in modules_of(package):
            relative = path.relative_to(ROOT).as_posix()
            entry_point = FORMER_ENTRY_POINTS.get(relative, set())
            wrong += [
                f"{relative} imports {module}"
                for module in imported_modules(path)
                if ours(module) and not allowed(package, module) and module not in entry_point
            ]
    assert wrong == []


def test_the_cache_knows_no_app():
    """The cache imports no app, and of the site only website.replicas (whether a request
    read from a replica), which imports nothing of ours."""
    assert [m for m in imported_modules(ROOT / "website/cache.py") if ours(m)] == [
        "website.replicas"
    ]
    assert [m for m in imported_modules(ROOT / "website/replicas.py") if ours(m)] == []
