#!/usr/bin/env bash
# Installs headless Chromium and its ChromeDriver from Debian when missing, for the operations
# page's browser tests (HareOperationsPage*IT). Needs root and apt; does nothing when both exist.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-get not found: install chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver) by hand." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "Installing Chromium and ChromeDriver..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
echo "Chromium and ChromeDriver are installed."
