#!/usr/bin/env bash
# Set-up of the dashboard's tests and assets (idempotent; run from the repository root).
# - Debian's chromium + chromium-driver, only when missing (needs root or sudo);
# - the front-end packages (leaflet, topojson-client, world-atlas) from npm, pinned by
#   package-lock.json, into ./node_modules, served by `tocsin serve` under /vendor/.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi
