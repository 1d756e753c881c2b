#!/bin/sh
# Installs the web UI's npm packages (exactly those of ui/package-lock.json) and copies the
# runtime ones into ui/vendor/, which the base station serves as-is (no CDN, no bundler).
# Safe to run again: npm ci only runs when the lock file changed since the last install.
set -eu
cd "$(dirname "$0")/../ui"

stamp=node_modules/.cw-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "ui-setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

mkdir -p vendor
cp node_modules/uplot/dist/uPlot.esm.js vendor/uPlot.esm.js
cp node_modules/uplot/dist/uPlot.min.css vendor/uPlot.min.css
cp node_modules/uplot/LICENSE vendor/uPlot.LICENSE 2>/dev/null || true
