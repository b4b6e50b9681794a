#!/usr/bin/env bash
# The demo command: installs what is needed, builds, makes the demo street the first time,
# and opens the desk on it.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

# Installed into a prefix inside the build folder, so translations, the settings schema
# and the icon are found exactly as on an installed system, without touching /usr.
prefix="$PWD/build/install"
if [ -f build/build.ninja ]; then
  meson setup --reconfigure -Dprefix="$prefix" build >/dev/null
else
  meson setup -Dprefix="$prefix" build
fi
ninja -C build
meson install -C build --quiet

cache="${XDG_DATA_HOME:-$HOME/.local/share}/whistle/demo-street.db"
if [ ! -s "$cache" ]; then
  echo "demo: generating the demo street into $cache (about half a minute)"
  mkdir -p "$(dirname "$cache")"
  "$prefix/bin/whistle-demo" --output "$cache"
fi
# The offline base map of the demo street, beside the cache where the desk looks for it.
tiles="${cache%.db}.mbtiles"
if [ ! -s "$tiles" ]; then
  echo "demo: drawing the offline base map into $tiles (a few seconds)"
  "$prefix/bin/whistle-tiles" --cache "$cache" --output "$tiles"
fi

export XDG_DATA_DIRS="$prefix/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
exec "$prefix/bin/whistle" --cache "$cache" "$@"
