"""A backup of the whole directory in one JSON file, and its restoring into an empty database
(manage.py backup_directory, restore_directory).

The file is Django's serialization format ("model", "pk", "fields"), one record to a line:
every record of the directory, networks and events apps with its id, foreign keys as ids and
many-to-many links (sources, fields of work) as lists of ids, so that a restored directory
keeps every address, including those by id (memberships, positions, sessions, talks).
Editors named by import records are written by username, since accounts are not part of the
backup. Left out: accounts, sessions, tokens and the history of changes (django-simple-history),
which belong to one installation; pg_dump copies those with everything else.
"""
