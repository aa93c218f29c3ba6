"""Organizations, people and sources as the site publishes them: the directory's records
composed with what the other two apps know of them (an organization's memberships, program
roles, event participations and talks; a person's talks; the networks, programs and events
that cite a source; an organization's graph), and the filters that reach across apps.

The directory app declares each record's own shape, filters and views, and imports neither
networks nor events; only the site knows all three, so the composition lives here."""
