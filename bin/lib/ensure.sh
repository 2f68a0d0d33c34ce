# Shared set-up for bin/ scripts: install what a fresh Debian machine lacks.

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  echo "installing $* through apt..." >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_java_and_maven() {
  command -v java >/dev/null || apt_install openjdk-17-jdk-headless
  command -v mvn >/dev/null || apt_install maven
}

# redis-server on PATH: the tests and the demo start their own instances from it.
ensure_redis_binary() {
  if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
    if command -v apt-get >/dev/null; then
      apt_install redis-server redis-tools
    else
      echo "redis-server is missing and apt-get is not available: install Redis 7, or set FLAGSTORE_TEST_REDIS_URL" >&2
      return 1
    fi
  fi
}

# openssl: the TLS tests make their certificates with it.
ensure_openssl() {
  command -v openssl >/dev/null || apt_install openssl
}

# promtool (Debian's prometheus package): MetricsScrapeIT checks the demo's scrape with
# Prometheus's own parser. Best effort: without it that one check is skipped, nothing else.
ensure_promtool() {
  command -v promtool >/dev/null && return 0
  command -v apt-get >/dev/null || return 0
  as_root apt-get update -qq || return 0
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null \
    || echo "promtool could not be installed: the Prometheus parser check will be skipped" >&2
}

# Debian's chromium and chromium-driver: the console's browser tests drive them through Selenium
# (never a downloaded browser).
ensure_chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    return 0
  fi
  if command -v apt-get >/dev/null; then
    apt_install chromium chromium-driver
  else
    echo "chromium and chromium-driver are missing and apt-get is not available: the console's browser tests will be skipped" >&2
  fi
}
