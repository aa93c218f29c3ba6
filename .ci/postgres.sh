# Make sure the local PostgreSQL answers on 127.0.0.1:5432, starting (or installing) it if not.

postgres_ready() {
    pg_isready -q -h 127.0.0.1 -p 5432 -U postgres 2>/dev/null
}

ensure_postgres() {
    if ! command -v pg_isready >/dev/null || ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
        echo "PostgreSQL is not installed; installing it."
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib
    fi
    if ! postgres_ready; then
        echo "PostgreSQL is down; starting it."
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
    fi
    for _ in $(seq 1 30); do
        postgres_ready && return 0
        sleep 1
    done
    echo "PostgreSQL did not come up on 127.0.0.1:5432." >&2
    return 1
}
