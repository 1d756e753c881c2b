# Cross-compiling with Debian's cross toolchain and multiarch -dev packages
# (scripts/install-cross-deps.sh). Included by cmake/toolchain-<arch>.cmake, which sets
# CW_CROSS_TRIPLET and CMAKE_SYSTEM_PROCESSOR first.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_C_COMPILER ${CW_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${CW_CROSS_TRIPLET}-g++)
# Multiarch: the target's libraries live in /usr/lib/<triplet>, its arch-specific headers in
# /usr/include/<triplet>, the cross libc in /usr/<triplet>. CMake must look there only, never in
# the build machine's /usr/lib/<host triplet>, and must run the build machine's programs.
set(CMAKE_LIBRARY_ARCHITECTURE ${CW_CROSS_TRIPLET})
set(CMAKE_FIND_ROOT_PATH /usr/${CW_CROSS_TRIPLET} /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# pkg-config reads the target's .pc files only (the native ones name the host's libraries).
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${CW_CROSS_TRIPLET}/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
# Test binaries run under qemu-user; gtest_discover_tests lists them through this emulator. No
# `-L /usr/<triplet>`: the multiarch libc6:<arch> (pulled in by the -dev packages) is the
# runtime, as on the Pi; the cross toolchain's own libc (libc6-<arch>-cross, 2.36-8cross1 in
# Debian 12) is older than it, and its ld.so with the newer libc.so hangs thread creation.
find_program(CW_QEMU qemu-${CW_QEMU_ARCH}-static REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR ${CW_QEMU})
