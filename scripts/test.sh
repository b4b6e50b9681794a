#!/usr/bin/env bash
# The test command: installs what is needed, builds, and runs every test (unit, ui and
# integration suites) under a virtual display with its own session bus.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

prefix="$PWD/build/install"
if [ -f build/build.ninja ]; then
  meson setup --reconfigure -Dprefix="$prefix" build
else
  meson setup -Dprefix="$prefix" build
fi
ninja -C build

xvfb-run -a -s "-screen 0 1600x1000x24" \
  dbus-run-session -- meson test -C build --print-errorlogs --num-processes 2 "$@"
