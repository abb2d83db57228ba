#!/usr/bin/env bash
# Installs what orrmeta needs beyond the Swift toolchain: GSL (libgsl-dev) and pkg-config.
# Debian/Ubuntu: apt-get (with sudo when not root); macOS: Homebrew. Does nothing when present.
set -euo pipefail

have_gsl() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists gsl; }

# rsvg-convert (librsvg) converts plots to PNG and PDF (`orrmeta plot ... --out f.png|f.pdf`);
# the tests of those formats need it.
if ! command -v rsvg-convert >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    RSVG_SUDO=""
    if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then RSVG_SUDO="sudo"; fi
    echo "ensure-deps: installing librsvg2-bin (rsvg-convert) with apt-get" >&2
    { $RSVG_SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $RSVG_SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq librsvg2-bin >/dev/null; } \
      || echo "ensure-deps: could not install librsvg2-bin; PNG/PDF plots will not work" >&2
  elif command -v brew >/dev/null 2>&1; then
    brew install librsvg || echo "ensure-deps: could not install librsvg; PNG/PDF plots will not work" >&2
  fi
fi

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
