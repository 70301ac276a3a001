#!/usr/bin/env bash
# Make Debian's Chromium available for the dashboard's browser tests (Playwright drives it; it never downloads
# a browser of its own). Installs with apt when running as root; otherwise says what to do and lets the browser
# tests skip (outside CI) or fail (in CI, where CI=true).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian chromium for the browser tests..."
  if ! { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
  then
    echo "apt could not install chromium: the browser tests will say so." >&2
  fi
else
  echo "chromium not found and cannot install it (needs root + apt): browser tests will be skipped." >&2
fi
