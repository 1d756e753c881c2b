# Raspberry Pi 3/4/5 on Raspberry Pi OS 64-bit (Debian arm64): `make cross ARCH=arm64`.
set(CW_CROSS_TRIPLET aarch64-linux-gnu)
set(CW_QEMU_ARCH aarch64)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CW_DEB_ARCH arm64)  # the Debian package architecture (cmake/package.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
