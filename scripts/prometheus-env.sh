# Sourced by scripts/test.sh: Prometheus and promtool from Debian's
# prometheus package, installed when missing (the tests that check metrics
# output and alert rules use the real tools).
if ! command -v promtool >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "sightline: installing Debian's prometheus package (promtool, prometheus)" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus) >&2
    # The package starts a system Prometheus on :9090; the tests start their own.
    (systemctl stop prometheus 2>/dev/null || service prometheus stop 2>/dev/null || pkill -x prometheus) >/dev/null 2>&1 || true
  else
    echo "sightline: promtool/prometheus not found; install Debian's prometheus package" >&2
  fi
fi
