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

# The organization's page, API record and filters show its memberships, talks and
# participations, which the other two apps own. Until the site composes them, these are the
# only modules of directory that import another app, each for the reason given.
COMPOSED_IN_DIRECTORY = {
    "directory/api/serializers.py": "an organization's JSON nests its memberships and talks",
    "directory/filters.py": "organizations are filtered by network and by event",
    "directory/views.py": "an organization's page draws its networks' graph",
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
            if relative in COMPOSED_IN_DIRECTORY:
                continue
            entry_point = FORMER_ENTRY_POINTS.get(relative, set())
            wrong += [
                f"{relative} imports {module}"
                for module in imported_modules(path)
                if ours(module) and not allowed(package, module) and module not in entry_point
            ]
    assert wrong == []


def test_the_organizations_composed_modules_import_no_more_than_the_other_apps():
    for relative in COMPOSED_IN_DIRECTORY:
        for module in imported_modules(ROOT / relative):
            assert not module.startswith("website"), f"{relative} imports {module}"


def test_the_cache_knows_no_app():
    assert [m for m in imported_modules(ROOT / "website/cache.py") if ours(m)] == []
