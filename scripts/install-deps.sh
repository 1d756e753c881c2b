#!/bin/sh
# Installs the Debian 12 packages CitizenWatt needs to build, run and test, if any is missing.
# Safe to run again: it does nothing when everything is there. docs/dependencies.md says why
# each package is here.
set -eu

PACKAGES="build-essential cmake ninja-build pkg-config ccache git
  libsqlite3-dev sqlite3 libzstd-dev libssl-dev openssl libsodium-dev
  libcpp-httplib-dev nlohmann-json3-dev libtomlplusplus-dev libcli11-dev
  libspdlog-dev libfmt-dev libhowardhinnant-date-dev tzdata
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  gcc-avr avr-libc binutils-avr simavr libsimavr-dev libelf-dev
  socat curl procps
  libmosquitto-dev mosquitto libvalijson-dev
  libpqxx-dev postgresql passwd util-linux
  nodejs chromium"
# The Debian package (make package, scripts/test-package.sh): CPack's dpkg-shlibdeps needs file;
# the package is installed, upgraded and purged in a Debian chroot, checked by lintian and
# systemd-analyze; make footprint counts instructions with valgrind's callgrind.
PACKAGES="$PACKAGES file mmdebstrap lintian systemd valgrind"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

# npm ships inside some nodejs builds (NodeSource), whose package conflicts with Debian's npm:
# ask for the npm package only when no npm command is there.
if ! command -v npm >/dev/null 2>&1; then
  missing="$missing npm"
fi

if [ -z "$missing" ]; then
  exit 0
fi

echo "install-deps: installing:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
