#!/usr/bin/env bash
# Schemathesis against a running server with the fixtures loaded: every operation in
# /api/schema/, reads anonymously, then writes with an editor's token, a bounded number of
# generated requests each, and the stateful phase (sequences of calls that follow the
# schema's links). Fails on any 5xx or on any response that does not match the schema. Run
# from the project folder after `make install`.
set -euo pipefail

port="${FUZZ_PORT:-8765}"
examples="${FUZZ_EXAMPLES:-15}"
workdir="$(mktemp -d)"
export DATABASE_URL="sqlite:///$workdir/fuzz.sqlite3" DEBUG=false SECRET_KEY=api-fuzz-only \
       ALLOWED_HOSTS=127.0.0.1 API_ANONYMOUS_RATE=1000000/minute STATIC_ROOT="$workdir/static"

.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py load_fixtures -v0
token=$(.venv/bin/python manage.py shell -c "
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
user = User.objects.create_superuser('fuzz', 'fuzz@example.org', 'fuzz-only-password-0123')
print('token', Token.objects.create(user=user).key)" | sed -n 's/^token //p')
# With DEBUG off, static addresses come from the collected files' manifest.
.venv/bin/python manage.py collectstatic --no-input -v0
# gunicorn as make serve runs it, one worker of one thread: the fuzzing runs on SQLite, which
# takes one writer at a time (production runs PostgreSQL). Under the development server a
# generated write once waited for its answer until the run was stopped.
HOST=127.0.0.1 PORT="$port" WEB_CONCURRENCY=1 GUNICORN_THREADS=1 \
    .venv/bin/gunicorn --config gunicorn.conf.py website.wsgi >"$workdir/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$workdir"' EXIT

for _ in $(seq 1 30); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/api/" && break
    sleep 1
done

# Left out: negative_data_rejection and positive_data_acceptance judge business rules (an
# empty filter means "no filter"; a well-formed but unknown slug is a 400), not the contract.
fuzz() {
    .venv/bin/schemathesis run "http://127.0.0.1:$port/api/schema/" \
        --checks all --exclude-checks negative_data_rejection,positive_data_acceptance \
        --max-examples "$examples" --seed 1 --no-color --request-timeout 20 "$@" \
        || { echo "Server log:"; tail -n 40 "$workdir/server.log"; exit 1; }
}
echo "Reads, anonymous"
fuzz --include-method GET
echo "Writes and their sequences, with an editor's token"
fuzz --exclude-method GET -H "Authorization: Token $token"
