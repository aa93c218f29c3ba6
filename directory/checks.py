from django.core.checks import Tags, Warning, register
from django.db import connections


def check_trigram_reads_chinese(connection):
    if connection.vendor != "postgresql":
        return []
    from directory.search import chinese_is_indexed, trigram_installed

    # Before the migrations install pg_trgm (`migrate` on a new database runs this check
    # first) there is nothing to ask it yet.
    if not trigram_installed(connection) or chinese_is_indexed(connection):
        return []
    return [
        Warning(
            "PostgreSQL's pg_trgm reads no Chinese in this database (its LC_CTYPE is probably "
            "C), so searches for Chinese names cannot use the trigram indexes and will be slow.",
            hint="Create the database with a UTF-8 LC_CTYPE (for example C.UTF-8 or zh_CN.UTF-8) "
            "and load the data into it again.",
            id="directory.W001",
        )
    ]


@register(Tags.database)
def trigram_reads_chinese(app_configs, databases=None, **kwargs):
    warnings = []
    for alias in databases or []:
        warnings += check_trigram_reads_chinese(connections[alias])
    return warnings
