# Sourced by scripts/test.sh: the Python the W3C Trace Context test suite
# (packages/sightline/test/conformance/w3c-trace-context) runs with. It needs
# aiohttp, from Debian's python3-aiohttp package, installed when missing; the
# suite runs with Debian's own python3, which is where that package lands.
SIGHTLINE_W3C_PYTHON="${SIGHTLINE_W3C_PYTHON:-/usr/bin/python3}"
if ! "$SIGHTLINE_W3C_PYTHON" -c 'import aiohttp' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "sightline: installing Debian's python3-aiohttp package (for the W3C Trace Context test suite)" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-aiohttp) >&2
  else
    echo "sightline: $SIGHTLINE_W3C_PYTHON cannot import aiohttp; install Debian's python3-aiohttp package" >&2
  fi
fi
export SIGHTLINE_W3C_PYTHON
