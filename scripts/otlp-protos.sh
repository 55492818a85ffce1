# Sourced by scripts/test.sh: makes the official OpenTelemetry protocol
# definitions (opentelemetry-proto .proto files) available to the tests,
# which decode the OTLP bytes the exporters really send. They ship inside
# @opentelemetry/otlp-grpc-exporter-base 0.38.0 (the last release that carried
# them); the tarball comes from the npm registry and only its protos/ folder
# is kept, under .cache/otlp-protos. Nothing is installed from it.
otlp_protos_dir="$sightline_root/.cache/otlp-protos"
if [ ! -f "$otlp_protos_dir/opentelemetry/proto/collector/trace/v1/trace_service.proto" ]; then
  otlp_tmp="$(mktemp -d)"
  (cd "$otlp_tmp" && npm pack --silent @opentelemetry/otlp-grpc-exporter-base@0.38.0 >/dev/null)
  mkdir -p "$otlp_protos_dir"
  tar -xzf "$otlp_tmp"/*.tgz -C "$otlp_tmp"
  cp -R "$otlp_tmp/package/build/protos/opentelemetry" "$otlp_protos_dir/"
  rm -rf "$otlp_tmp"
fi
export SIGHTLINE_OTLP_PROTOS="$otlp_protos_dir"
