#!/bin/sh
# Installs what `make cross ARCH=...` and `make test-cross` need for one target architecture:
# Debian's cross compiler, qemu-user to run the result, and the ARCH (multiarch) -dev package of
# every C++ library the native build links. Safe to run again: it does nothing when all is there.
# Usage: sh scripts/install-cross-deps.sh arm64|armhf
set -eu

ARCH=${1:?usage: sh scripts/install-cross-deps.sh arm64|armhf}
case "$ARCH" in
  arm64 | armhf) ;;
  *) echo "install-cross-deps: unknown architecture '$ARCH' (arm64 or armhf)" >&2; exit 2 ;;
esac

# The libraries of the native build (scripts/install-deps.sh, find_package in CMakeLists.txt),
# built for ARCH. A branch that adds a C++ library to the native build adds its -dev package
# here too. Tools (cmake, ninja, ccache) stay native; the AVR firmware sub-build and its simavr
# test are off in cross builds (-DCW_BUILD_FIRMWARE=OFF in the Makefile), so no avr package here;
# so is the community hub (-DCW_BUILD_HUB=OFF): never add libpqxx-dev or libpq-dev here, they are
# not Multi-Arch: same and installing them for ARCH REMOVES the native ones.
CROSS_DEV_PACKAGES="libsqlite3-dev libzstd-dev libssl-dev libsodium-dev
  libcpp-httplib-dev nlohmann-json3-dev libtomlplusplus-dev libcli11-dev
  libspdlog-dev libfmt-dev libhowardhinnant-date-dev
  libgtest-dev libgmock-dev
  libmosquitto-dev libvalijson-dev"

# Native tools: the cross toolchain and the emulator (qemu-aarch64-static, qemu-arm-static).
HOST_PACKAGES="crossbuild-essential-$ARCH qemu-user-static"

installed() {  # an ARCH package, or an architecture-independent one (headers only)
  for q in "$1:$ARCH" "$1:all"; do
    if dpkg-query -W -f='${Status}' "$q" 2>/dev/null | grep -q "install ok installed"; then
      return 0
    fi
  done
  return 1
}

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

added=0
if ! dpkg --print-foreign-architectures | grep -qx "$ARCH"; then
  echo "install-cross-deps: dpkg --add-architecture $ARCH"
  $SUDO dpkg --add-architecture "$ARCH"
  added=1
fi

missing=""
for p in $HOST_PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
for p in $CROSS_DEV_PACKAGES; do
  installed "$p" || missing="$missing $p:$ARCH"
done

if [ -z "$missing" ]; then
  exit 0
fi

echo "install-cross-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
if [ "$added" = 1 ] || ! apt-cache show "libc6:$ARCH" >/dev/null 2>&1; then
  $SUDO apt-get update -qq
fi
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
