#!/usr/bin/env bash
# Installs everything Qantar Atlas needs on a fresh machine: the pinned Python
# packages and the project itself (editable: this compiles the geoparser's hot path); with
# --browser, Debian's Chromium (and strace, which the offline start-up test runs the server
# under) for the end-to-end tests and Debian's PostgreSQL for the store's tests; with
# --postgres, PostgreSQL only.
set -euo pipefail
cd "$(dirname "$0")/.."
want=()
for arg in "$@"; do
  case "$arg" in
    --browser) [[ -x /usr/bin/chromium ]] || want+=(chromium)
               command -v strace >/dev/null || want+=(strace)
               compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || want+=(postgresql) ;;
    --postgres) compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || want+=(postgresql) ;;
    *) echo "setup: unknown option $arg; use --browser or --postgres" >&2; exit 2 ;;
  esac
done
python3 -m pip install --quiet --disable-pip-version-check -r requirements.txt
# Compiles the geoparser's hot path (geodata/geoparse/_hotpath.pyx; pip fetches Cython into its
# build environment) with the machine's C compiler. Without one the geoparser runs pure Python,
# byte for byte the same output, slower (tests/geoparse/test_compiled.py fails in CI).
python3 -m pip install --quiet --disable-pip-version-check --no-deps -e . \
  || echo "setup: the geoparser's compiled hot path was not built (no C compiler?); it runs pure Python" >&2
if (( ${#want[@]} )); then
  if [[ "$(id -u)" == "0" ]]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${want[@]}" >/dev/null
  else
    echo "setup: ${want[*]} missing; run 'sudo apt-get install -y ${want[*]}' for the tests that need them" >&2
    exit 1
  fi
fi
