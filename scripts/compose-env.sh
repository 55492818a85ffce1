# Sourced by scripts/test.sh: Debian's docker-compose (1.29), installed when
# missing. The tests only use it to parse and validate
# docker-compose.observability.yml (`docker-compose config`), which needs no
# Docker engine.
if ! command -v docker-compose >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "sightline: installing Debian's docker-compose package" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose) >&2
  else
    echo "sightline: docker-compose not found; install Debian's docker-compose package" >&2
  fi
fi
