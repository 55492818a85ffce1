# Sourced by scripts/test.sh: Debian's chromium, installed when missing, for
# the browser tests of the local viewer (playwright-core drives it headless;
# no browser is downloaded). SIGHTLINE_CHROMIUM names the binary.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "sightline: installing Debian's chromium package (browser tests)" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium) >&2
  else
    echo "sightline: chromium not found; install Debian's chromium package for the browser tests" >&2
  fi
fi
SIGHTLINE_CHROMIUM="$(command -v chromium || echo /usr/bin/chromium)"
export SIGHTLINE_CHROMIUM
