#!/usr/bin/env bash
# Installs what the tests use from Debian (never a binary a tool downloads): Chromium for the docs
# browser test and redis-server for the shared-store tests (they start their own on a free loopback
# port). Without root or apt-get it says so and leaves those tests to skip themselves, saying why.
set -uo pipefail

# package, command, the test it is for
wanted=("chromium chromium docs-browser" "redis-server redis-server Redis-store")
missing=()
for entry in "${wanted[@]}"; do
  read -r package command purpose <<<"$entry"
  if command -v "$command" >/dev/null 2>&1 || [ -x "/usr/bin/$command" ]; then
    echo "$command: $(command -v "$command" || echo "/usr/bin/$command")"
  else
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq
  for package in "${missing[@]}"; do
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null; then
      echo "$package installed"
    else
      echo "$package could not be installed: the tests that use it will be skipped"
    fi
  done
else
  echo "no ${missing[*]}, and no root with apt-get to install them (sudo apt-get install ${missing[*]}): the tests that use them will be skipped"
fi
exit 0
