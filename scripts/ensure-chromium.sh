#!/usr/bin/env bash
# Make sure headless Chromium and its WebDriver are installed (/usr/bin/chromium and
# /usr/bin/chromedriver), from Debian's packages, for the browser tests in tests/e2e/test_web.py.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
echo "ensure-chromium: installing Debian's chromium and chromium-driver" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >/dev/null
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] \
  || { echo "ensure-chromium: chromium or chromedriver is missing after the install" >&2; exit 1; }
