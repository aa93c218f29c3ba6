# Make sure HAProxy (Debian's package) is installed: the two-server tests start it in front
# of two app servers with docs/haproxy.cfg. Only the binary is needed; no service is run.

ensure_haproxy() {
    if ! command -v haproxy >/dev/null && [ ! -x /usr/sbin/haproxy ]; then
        echo "HAProxy is not installed; installing it."
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
    fi
    /usr/sbin/haproxy -v | head -n 1
}
