# Installation and the Debian package (issue: "installed like a real tool").
#
#   cmake --install build --prefix DIR    bin/, share/conform/, man pages,
#                                         bash completion, share/doc/conform/
#   cpack --config build/CPackConfig.cmake -G DEB
#
# share/conform/ mirrors the source tree (specs/, suites/, deviations/,
# conform.yaml, examples/), so the suites' relative paths to their specs hold
# in both; conform finds it beside its executable (cli/datadir.h).
include(GNUInstallDirs)
# cpack and `make install` do not re-check every target first (build, then
# package): the package test then costs seconds, not minutes, under load.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)

set(CONFORM_DATA_DEST ${CMAKE_INSTALL_DATADIR}/conform)
file(RELATIVE_PATH CONFORM_DATADIR_FROM_BIN ${CMAKE_INSTALL_FULL_BINDIR}
     ${CMAKE_INSTALL_FULL_DATADIR}/conform)
target_compile_definitions(conform PRIVATE
  CONFORM_DATADIR_FROM_BIN="${CONFORM_DATADIR_FROM_BIN}"
  CONFORM_DATADIR_INSTALLED="${CMAKE_INSTALL_FULL_DATADIR}/conform"
  CONFORM_DATADIR_SOURCE="${PROJECT_SOURCE_DIR}")

install(TARGETS conform conform-refserver RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY specs suites examples DESTINATION ${CONFORM_DATA_DEST})
# deviations/ (known-deviation ledgers) once it exists: checked at install time.
install(DIRECTORY deviations DESTINATION ${CONFORM_DATA_DEST} OPTIONAL)
install(FILES conform.yaml DESTINATION ${CONFORM_DATA_DEST})

# Man pages: roff kept by hand in man/*.in; the version and date are filled
# in here (SOURCE_DATE_EPOCH, when set, fixes the date) and the pages gzipped
# as Debian wants them.
string(TIMESTAMP CONFORM_MAN_DATE "%Y-%m-%d" UTC)
set(CONFORM_MAN_PAGES conform.1 conform-refserver.1 conform-suite.5)
set(CONFORM_MAN_GZ)
foreach(page ${CONFORM_MAN_PAGES})
  configure_file(${PROJECT_SOURCE_DIR}/man/${page}.in ${CMAKE_BINARY_DIR}/man/${page} @ONLY)
  add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/man/${page}.gz
                     COMMAND gzip -9nf -k ${page}
                     DEPENDS ${CMAKE_BINARY_DIR}/man/${page}
                     WORKING_DIRECTORY ${CMAKE_BINARY_DIR}/man VERBATIM)
  list(APPEND CONFORM_MAN_GZ ${CMAKE_BINARY_DIR}/man/${page}.gz)
  string(REGEX REPLACE ".*\\." "" section ${page})
  install(FILES ${CMAKE_BINARY_DIR}/man/${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()

# A Debian changelog (lintian wants one in every package): one entry per
# version, from the version and the maintainer below.
set(CONFORM_MAINTAINER "conform maintainers <maintainers@conform.invalid>" CACHE STRING
    "Maintainer field of the Debian package")
string(TIMESTAMP CONFORM_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE ${CMAKE_BINARY_DIR}/pkg/changelog
     "conform (${PROJECT_VERSION}) unstable; urgency=medium\n\n"
     "  * conform ${PROJECT_VERSION}, packaged with CPack.\n\n"
     " -- ${CONFORM_MAINTAINER}  ${CONFORM_CHANGELOG_DATE}\n")
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/pkg/changelog.gz
                   COMMAND gzip -9nf -k changelog
                   DEPENDS ${CMAKE_BINARY_DIR}/pkg/changelog
                   WORKING_DIRECTORY ${CMAKE_BINARY_DIR}/pkg VERBATIM)
add_custom_target(conform-man ALL DEPENDS ${CONFORM_MAN_GZ} ${CMAKE_BINARY_DIR}/pkg/changelog.gz)

install(FILES completion/conform.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME conform)
install(FILES completion/conform.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME conform-refserver)
file(GLOB CONFORM_DOCS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES README.md ${CONFORM_DOCS} ${CMAKE_BINARY_DIR}/pkg/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
# The project states no licence yet; once COPYING exists it becomes the
# package's copyright file (lintian: no-copyright-file until then).
if(EXISTS ${PROJECT_SOURCE_DIR}/COPYING)
  install(FILES COPYING DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME copyright)
endif()

# The .deb: Depends computed by dpkg-shlibdeps from the binaries.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME conform)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "conform")
set(CPACK_PACKAGE_CONTACT "${CONFORM_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CONFORM_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "contract conformance tests for chat vendors' REST APIs")
# CPack puts the summary on the Description line; this is the long part.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "conform checks that a live chat deployment does what its vendor's REST API
documentation promises: YAML suites send real requests and check status
codes, response schemas (OpenAPI 3.0) and the documented example messages,
and write JUnit XML for CI. Contracts and suites for the Rocket.Chat Rasa app
and the Oracle B2C Service chat consumer API are included, with a reference
server (conform-refserver) that speaks both APIs.")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libxml2 is loaded with dlopen by conform diff/merge (runner/report/libxml.h),
# so dpkg-shlibdeps cannot see it.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libxml2")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
