#!/usr/bin/env bash
# Makes sure Debian's `chromium` is installed: the end-to-end tests drive it headless through
# playwright-core (executablePath /usr/bin/chromium). Idempotent: does nothing when it is there.
set -euo pipefail

CHROMIUM="${ADTRACK_CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi

echo "ensure-chromium: $CHROMIUM is missing; installing Debian's chromium package (end-to-end tests need it)."

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: apt-get is not available on this machine. Install Chromium yourself and set" >&2
  echo "  ADTRACK_CHROMIUM_PATH to its binary (default /usr/bin/chromium), then run the tests again." >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "ensure-chromium: not running as root and sudo is not available, so chromium cannot be installed." >&2
    echo "  Run as root: apt-get update && apt-get install -y chromium" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y chromium; then
  # A fresh machine may have no package lists yet.
  $SUDO apt-get update
  $SUDO apt-get install -y chromium
fi

if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: chromium was installed but $CHROMIUM is still missing; set ADTRACK_CHROMIUM_PATH." >&2
  exit 1
fi
echo "ensure-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)."
