#!/usr/bin/env bash
# Installs what orrmeta needs beyond the Swift toolchain: GSL (libgsl-dev) and pkg-config.
# Debian/Ubuntu: apt-get (with sudo when not root); macOS: Homebrew. Does nothing when present.
set -euo pipefail

have_gsl() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists gsl; }

if have_gsl; then exit 0; fi

if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "ensure-deps: need root or sudo to install libgsl-dev and pkg-config" >&2; exit 1
    fi
  fi
  echo "ensure-deps: installing libgsl-dev and pkg-config with apt-get" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libgsl-dev pkg-config >/dev/null
elif command -v brew >/dev/null 2>&1; then
  echo "ensure-deps: installing gsl and pkg-config with Homebrew" >&2
  brew install gsl pkg-config
else
  echo "ensure-deps: cannot install GSL: install libgsl-dev (Debian/Ubuntu), gsl-devel (Fedora) or gsl (Homebrew) and pkg-config" >&2
  exit 1
fi

have_gsl || { echo "ensure-deps: GSL still not found by pkg-config" >&2; exit 1; }
