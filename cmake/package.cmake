# The Debian package, citizenwatt_<version>_<arch>.deb (`make package ARCH=...`, docs/install.md),
# made by CPack's DEB generator from this build tree: the binary the tests ran, stripped, with
# the web UI, the hardened systemd unit, the configuration and the maintainer scripts of
# packaging/debian. Cross builds name their architecture in CW_DEB_ARCH (cmake/toolchain-*.cmake).
set(CW_PACKAGE_VERSION "${PROJECT_VERSION}" CACHE STRING "Version of the Debian package")
set(cw_pkg ${CMAKE_SOURCE_DIR}/packaging)
# cpack installs what `make package` built (the binary), not every target of the tree: a cross
# build dir holds only the binary and the tests that test-cross runs.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

install(TARGETS citizenwatt RUNTIME DESTINATION bin)
# The UI as served: the files of ui/ and the uPlot copy of scripts/ui-setup.sh (ui/vendor).
install(DIRECTORY ${CMAKE_SOURCE_DIR}/ui/ DESTINATION share/citizenwatt/ui
        PATTERN tests EXCLUDE PATTERN node_modules EXCLUDE PATTERN "package*.json" EXCLUDE)
install(FILES ${cw_pkg}/citizenwatt.service DESTINATION /lib/systemd/system)
install(FILES ${cw_pkg}/citizenwatt.toml DESTINATION /etc/citizenwatt)
install(FILES ${CMAKE_SOURCE_DIR}/docs/install.md ${CMAKE_SOURCE_DIR}/docs/configuration.md
              ${cw_pkg}/debian/copyright DESTINATION share/doc/citizenwatt)
# Debian wants both compressed without a timestamp (gzip -n) so that rebuilds are identical.
foreach(f changelog citizenwatt.1)
  execute_process(COMMAND gzip -9nc ${cw_pkg}/debian/${f} OUTPUT_FILE ${CMAKE_BINARY_DIR}/${f}.gz)
endforeach()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${cw_pkg}/debian/changelog ${cw_pkg}/debian/citizenwatt.1)
install(FILES ${CMAKE_BINARY_DIR}/changelog.gz DESTINATION share/doc/citizenwatt)  # a native package
install(FILES ${CMAKE_BINARY_DIR}/citizenwatt.1.gz DESTINATION share/man/man1)
if(EXISTS ${cw_pkg}/debian/lintian-overrides)  # each override is explained in docs/install.md
  install(FILES ${cw_pkg}/debian/lintian-overrides DESTINATION share/lintian/overrides
          RENAME citizenwatt)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME citizenwatt)
set(CPACK_PACKAGE_VERSION ${CW_PACKAGE_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CONTACT "CitizenWatt maintainers <maintainers@users.noreply.r-seed-e1f41f31.example>")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
if(CW_DEB_ARCH)
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${CW_DEB_ARCH})
endif()
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # dpkg-shlibdeps (DEB_HOST_ARCH names a cross target)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, init-system-helpers (>= 1.54~), tzdata")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "home electricity monitor: base station of CitizenWatt sensors")
# CPack puts the summary first and marks the empty line as Debian wants it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "CitizenWatt makes a home's electricity visible: cheap sensors (current
clamp, microcontroller, nRF24L01+ radio) send encrypted, authenticated
frames to this base station, which stores them in SQLite and serves an
eco-feedback web interface: power now, today, this month, this year, in
kWh and in euros.

The package runs the base station as the citizenwatt system service, with
its data in /var/lib/citizenwatt and its configuration in /etc/citizenwatt.")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${cw_pkg}/debian/conffiles ${cw_pkg}/debian/postinst ${cw_pkg}/debian/prerm ${cw_pkg}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
