#!/usr/bin/env bash
# Installs everything Qantar Atlas needs on a fresh machine: the pinned Python
# packages and, with --browser, Debian's Chromium for the end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -r requirements.txt
if [[ "${1:-}" == "--browser" ]] && [[ ! -x /usr/bin/chromium ]]; then
  if [[ "$(id -u)" == "0" ]]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: /usr/bin/chromium is missing; run 'sudo apt-get install -y chromium' for the browser tests" >&2
    exit 1
  fi
fi
