# Sourced by scripts/test.sh: amtool and Alertmanager from Debian's
# prometheus-alertmanager package, installed when missing (the tests check
# ops/alertmanager.yml with amtool and its inhibitions on a real Alertmanager).
if ! command -v amtool >/dev/null 2>&1 || [ ! -x /usr/bin/prometheus-alertmanager ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "sightline: installing Debian's prometheus-alertmanager package (amtool, alertmanager)" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus-alertmanager) >&2
    # The package starts a system Alertmanager on :9093; the tests start their own.
    (systemctl stop prometheus-alertmanager 2>/dev/null || service prometheus-alertmanager stop 2>/dev/null) >/dev/null 2>&1 || true
  else
    echo "sightline: amtool/prometheus-alertmanager not found; install Debian's prometheus-alertmanager package" >&2
  fi
fi
