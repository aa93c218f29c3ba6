# Debian's Chromium for the browser tests, and CJK fonts so that screenshots show Chinese.

ensure_browser() {
    local missing=()
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "Installing ${missing[*]}."
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    /usr/bin/chromium --version
}
