#!/usr/bin/env bash
# npm start: bring the build up to date (turbo; nothing to do when nothing changed), then serve the
# mock and the reference page. Turbo's report is shown only when a step fails, so what a newcomer
# reads is what is served and where.
set -uo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 REDOCLY_TELEMETRY=off npm_config_loglevel=silent

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "Building what changed (the first time: spec, client, mock and docs, about a minute)..."
if ! turbo run build docs --output-logs=errors-only >"$log" 2>&1; then
  cat "$log"
  exit 1
fi
rm -f "$log"
exec billing-serve "$@"
