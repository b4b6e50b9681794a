#!/usr/bin/env bash
# The demo command: installs what is needed, builds, makes the demo street the first time,
# and opens the desk on it.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

if [ -f build/build.ninja ]; then
  meson setup --reconfigure build >/dev/null
else
  meson setup build
fi
ninja -C build

cache="${XDG_DATA_HOME:-$HOME/.local/share}/whistle/demo-street.db"
if [ ! -s "$cache" ]; then
  echo "demo: generating the demo street into $cache (about half a minute)"
  mkdir -p "$(dirname "$cache")"
  build/src/tools/whistle-demo --output "$cache"
fi

GSETTINGS_SCHEMA_DIR=build/data exec build/src/app/whistle --cache "$cache" "$@"
