"""Time the import of all eleven ECOSOC_Status files (decisions, renames, mergers and the
roll-call votes; ../shared/data/ecosoc) into a directory holding the fixtures,
then the same import again (which changes nothing), on the database DATABASE_URL names
(SQLite var/bench/imports.sqlite3 by default). The database is emptied and migrated first.

    python -m bench.imports.run
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT.parent / "shared" / "data" / "ecosoc").glob("*.xlsx"))


def main():
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var/bench/imports.sqlite3'}")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings")
    (ROOT / "var/bench").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from directory.models import Organization
    from networks.ecosoc.importer import import_decisions
    from networks.ecosoc.reading import read_path

    if connection.introspection.table_names():
        call_command("flush", "--no-input", verbosity=0)
    call_command("migrate", "--no-input", verbosity=0)
    call_command("load_fixtures", verbosity=0)
    started = time.perf_counter()
    files = [read_path(path) for path in FILES]
    read = time.perf_counter() - started
    timings = []
    for label in ("first import", "same files again"):
        started = time.perf_counter()
        reports = import_decisions(files, name=f"bench {label}")
        timings.append((label, time.perf_counter() - started, reports))
    rows = sum(file.rows_read for file in files)
    print(
        f"{connection.vendor}: {rows} rows in {len(FILES)} files, read in {read:.1f} s; "
        f"{Organization.objects.count()} organizations after"
    )
    for label, seconds, reports in timings:
        totals = {}
        for report in reports:
            for outcome, count in report.counts.items():
                totals[outcome] = totals.get(outcome, 0) + count
        print(f"  {label}: {seconds:.1f} s ({rows / seconds:.0f} rows/s) {totals}")


if __name__ == "__main__":
    sys.exit(main())
