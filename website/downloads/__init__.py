"""Daily downloads of the whole directory, so that no one needs to crawl it.

`manage.py build_downloads` (website.downloads.building) writes, for every list of the API
that has an export, a gzip-compressed CSV and JSON Lines file of all its records, written
by the list's own export (directory.api.exports: the same columns and the same JSON as
/api/<list>/export.csv and export.jsonl), and the whole directory as Popolo JSON
(website.api.popolo), with a manifest naming each file's size, records, SHA-256 and time of
building (website.downloads.manifest). The site serves them at /downloads/<name>
(website.downloads.views), lists them at /api/downloads/ and on the About page.
"""
