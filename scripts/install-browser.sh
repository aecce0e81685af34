#!/usr/bin/env bash
# Installs Debian's Chromium for the docs browser test (never a browser a tool downloads). Without
# root or apt-get it says so and leaves the test to skip itself with the same message.
set -uo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "chromium: $(command -v chromium)"
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    && echo "chromium installed: $(command -v chromium)" && exit 0
  echo "chromium could not be installed: the docs browser test will be skipped"
else
  echo "no chromium, and no root with apt-get to install it (sudo apt-get install chromium): the docs browser test will be skipped"
fi
exit 0
