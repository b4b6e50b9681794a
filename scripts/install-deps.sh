#!/usr/bin/env bash
# Installs every Debian 12 package Whistle needs to build, run, test and package.
# Safe to run again: apt-get skips what is already there.
set -euo pipefail

packages=(
  # build
  build-essential meson ninja-build pkg-config gettext
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev libshumate-dev libepoxy-dev
  libsoup-3.0-dev libjson-glib-dev libsqlite3-dev sqlite3
  libsecret-1-dev libsodium-dev
  # validation of the desktop integration files
  desktop-file-utils appstream-util
  # tests and screenshots under a virtual display, in Chinese
  xvfb xauth imagemagick fonts-noto-cjk locales-all
  dbus-x11 gnome-keyring at-spi2-core
  curl openssl bc
)

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
