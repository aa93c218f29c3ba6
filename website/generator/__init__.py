"""A realistic generated directory, for benchmarks, load tests and trying the site at scale
(manage.py generate_directory). Records are written in bulk, each with the slug and search
texts save() would give it."""
