# A streaming replica of the local PostgreSQL (127.0.0.1:5432) on 127.0.0.1:5433, for the
# tests of read replicas (tests/website/test_replicas.py): a hot standby made with
# `pg_basebackup -R` into a directory outside the repository, run as the postgres user.
# Source this file after .ci/postgres.sh, then call ensure_replica (idempotent);
# stop_replica and start_replica are what the tests use to take it away and back.

REPLICA_PORT="${REPLICA_PORT:-5433}"
REPLICA_DIR="${REPLICA_DIR:-/var/lib/postgresql/replica-$REPLICA_PORT}"
REPLICA_LOG="${REPLICA_LOG:-$REPLICA_DIR.log}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

primary_sql() {
    psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atc "$1"
}

replica_sql() {
    psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -Atc "$1" 2>/dev/null
}

# Answering, in recovery, and receiving the primary's WAL.
replica_ready() {
    [ "$(replica_sql "SELECT pg_is_in_recovery() AND EXISTS (
        SELECT FROM pg_stat_wal_receiver WHERE status = 'streaming')")" = t ]
}

# The primary accepts replication connections from the loopback (Debian's pg_hba.conf
# does not list the replication pseudo-database).
allow_replication() {
    local hba
    hba="$(primary_sql 'SHOW hba_file')"
    if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+postgres[[:space:]]+127\.0\.0\.1/32' "$hba"; then
        echo "host replication postgres 127.0.0.1/32 trust" >>"$hba"
        primary_sql 'SELECT pg_reload_conf()' >/dev/null
    fi
}

make_replica() {
    echo "Making a streaming replica in $REPLICA_DIR."
    allow_replication
    rm -rf "$REPLICA_DIR"
    as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p 5432 -U postgres -D "$REPLICA_DIR" \
        -R -X stream -c fast
    # Debian keeps a cluster's configuration in /etc, so the copy has none of its own. A
    # standby needs at least the primary's limits on connections, workers and locks.
    cp "$(primary_sql 'SHOW hba_file')" "$REPLICA_DIR/pg_hba.conf"
    : >"$REPLICA_DIR/pg_ident.conf"
    {
        echo "listen_addresses = '127.0.0.1'"
        echo "port = $REPLICA_PORT"
        echo "unix_socket_directories = '/var/run/postgresql'"
        echo "hot_standby = on"
        for name in max_connections max_worker_processes max_wal_senders \
            max_prepared_transactions max_locks_per_transaction; do
            echo "$name = $(primary_sql "SHOW $name")"
        done
    } >"$REPLICA_DIR/postgresql.conf"
    chown postgres:postgres "$REPLICA_DIR"/*.conf 2>/dev/null || true
}

start_replica() {
    as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -o "-p $REPLICA_PORT" -l "$REPLICA_LOG" -w \
        start >/dev/null
}

stop_replica() {
    as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop >/dev/null
}

wait_for_replica() {
    for _ in $(seq 1 30); do
        replica_ready && return 0
        sleep 1
    done
    return 1
}

ensure_replica() {
    replica_ready && return 0
    [ -f "$REPLICA_DIR/standby.signal" ] || make_replica
    as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" status >/dev/null 2>&1 || start_replica || true
    wait_for_replica && return 0
    # Broken (it lost the WAL it needed, or was promoted): made again from the primary.
    echo "The replica on $REPLICA_PORT does not stream; making it again."
    as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m immediate -w stop >/dev/null 2>&1 || true
    make_replica
    start_replica
    wait_for_replica && return 0
    echo "The replica did not come up on 127.0.0.1:$REPLICA_PORT (see $REPLICA_LOG)." >&2
    return 1
}
