from django.core.checks import Tags, Warning, register
from django.db import connections


def check_trigram_reads_chinese(connection):
    if connection.vendor != "postgresql":
        return []
    from directory.search import chinese_is_indexed

    # Before the first migration pg_trgm is not there yet (migrate runs this check first);
    # the migrations create it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = %s", ["pg_trgm"])
        if cursor.fetchone() is None:
            return []
    if chinese_is_indexed(connection):
        return []
    return [Warning(
        "PostgreSQL's pg_trgm reads no Chinese in this database (its LC_CTYPE is probably "
        "C), so searches for Chinese names cannot use the trigram indexes and will be slow.",
        hint="Create the database with a UTF-8 LC_CTYPE (for example C.UTF-8 or zh_CN.UTF-8) "
             "and load the data into it again.",
        id="directory.W001",
    )]


@register(Tags.database)
def trigram_reads_chinese(app_configs, databases=None, **kwargs):
    warnings = []
    for alias in databases or []:
        warnings += check_trigram_reads_chinese(connections[alias])
    return warnings
