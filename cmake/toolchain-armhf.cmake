# Raspberry Pi 2/3/Zero 2 on a 32-bit OS (Debian armhf: ARMv7-A, hard float; not the ARMv6
# Pi 1 and Pi Zero): `make cross ARCH=armhf`.
set(CW_CROSS_TRIPLET arm-linux-gnueabihf)
set(CW_QEMU_ARCH arm)
set(CMAKE_SYSTEM_PROCESSOR armv7l)
set(CW_DEB_ARCH armhf)  # the Debian package architecture (cmake/package.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
