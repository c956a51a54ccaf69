#!/usr/bin/env bash
# The folder the OpenTelemetry Operator's Node.js injection copies into an app's pod:
#   deploy/operator/build.sh OUT_DIR [TARBALL]
# OUT_DIR gets otel-instrument (from TARBALL, else `npm pack` of this repository, which builds it) with
# its runtime dependencies only, and autoinstrumentation.js, the entry the Operator appends to
# NODE_OPTIONS as `--require <mount>/autoinstrumentation.js`. The Dockerfile beside this script runs it.
set -euo pipefail
out="${1:?usage: build.sh OUT_DIR [TARBALL]}"
tarball="${2:-}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ -z "$tarball" ]; then
  (cd "$repo" && npm pack --silent --pack-destination "$work" >/dev/null)
  tarball="$(ls "$work"/otel-instrument-*.tgz)"
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"
# A package.json of its own, so npm installs into OUT_DIR and not into a project above it.
echo '{"name":"otel-instrument-operator-image","private":true}' > "$out/package.json"
(cd "$out" && npm install --omit=dev --no-audit --no-fund --no-package-lock --loglevel=error "$tarball" >/dev/null)
cat > "$out/autoinstrumentation.js" <<'JS'
'use strict';
// The Operator's NODE_OPTIONS entry: `--require /otel-auto-instrumentation-nodejs/autoinstrumentation.js`.
require('otel-instrument/register');
JS
# What npm leaves beside the packages that nothing loads at run time (licenses stay).
find "$out/node_modules" -type f \( -name '*.md' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \) -delete
# What an injected app never loads: the Operator preloads otel-instrument/register only, and the layers
# test (test/architecture/layers.test.ts) keeps the launcher (src/cli), the local viewer (src/view) and the
# bundler plugins out of its reach. protobufjs is loaded as protobufjs/minimal: its browser builds and
# .proto definitions are for other uses. Dependencies' own tests ship by mistake.
# The preload and the sender it spawns at exit are each one bundled file (scripts/bundle-entries.mjs), run
# through V8's code cache by a stub at the entry's path (src/entry/code-cache.ts); each reads only
# package.json by path: the unbundled modules beside them are for the other entries.
pkg="$out/node_modules/otel-instrument"
keep="$(mktemp -d)"
chmod 755 "$keep"
mkdir -p "$keep/bootstrap" "$keep/exit" "$keep/entry"
cp "$pkg/dist/src/bootstrap/"{register.js,register.bundle.js,register.mjs} "$keep/bootstrap/"
cp "$pkg/dist/src/entry/code-cache.js" "$keep/entry/"
cp "$pkg/dist/src/exit/"{send-requests.js,send-requests.bundle.js} "$keep/exit/"
rm -rf "$pkg/dist" "$pkg/types"
mkdir -p "$pkg/dist"
mv "$keep" "$pkg/dist/src"
rm -rf "$out/node_modules/protobufjs/dist" "$out/node_modules/protobufjs/google" "$out/node_modules/shimmer/test"
files=$(find "$out" -type f | wc -l)
kib=$(du -sk "$out" | cut -f1)
echo "operator folder: $out, $files files, ${kib} KiB"
