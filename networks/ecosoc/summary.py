"""An import's report as lines of text (the command prints them; the admin shows the same
report as a table)."""

from networks.ecosoc.importer import OUTCOMES


def summary_lines(reports):
    for report in reports:
        counts = report["counts"]
        yield (
            f"{report['name']} ({report['kind']}): {report['rows_read']} rows read: "
            + ", ".join(f"{counts[outcome]} {outcome}" for outcome in OUTCOMES)
        )
        for problem in report["skipped"]:
            yield f"  skipped {report['name']}, row {problem['row']}: {problem['reason']}"
        for flag in report["flagged"]:
            yield (
                f"  flagged {report['name']}, row {flag['row']}: {flag['name']!r} resembles "
                f"{flag['resembles']!r} ({flag['resembles_slug']}); left for review"
            )
        for duplicate in report["duplicates"]:
            yield (
                f"  duplicate {report['name']}, row {duplicate['row']}: {duplicate['name']!r}"
                f" is the organization of row {duplicate['first_row']}"
            )
