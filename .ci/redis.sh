# Make sure a Redis answers on 127.0.0.1:6379 (the cache tests use its database 5),
# starting (or installing) it if not.

redis_ready() {
    redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG
}

ensure_redis() {
    if ! command -v redis-server >/dev/null; then
        echo "Redis is not installed; installing it."
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    fi
    if ! redis_ready; then
        echo "Redis is down; starting it."
        redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save "" --appendonly no
    fi
    for _ in $(seq 1 30); do
        redis_ready && return 0
        sleep 1
    done
    echo "Redis did not come up on 127.0.0.1:6379." >&2
    return 1
}
