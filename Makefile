# CitizenWatt: two commands.
#   make run   installs what is missing, builds, starts the base station with a simulated
#              household on http://localhost:8080 (data in ./var)
#   make test  installs what is missing, builds, runs every test
BUILD ?= build
FUZZ_BUILD ?= build-fuzz
DATA ?= ./var
LISTEN ?= 127.0.0.1:8080
JOBS ?= 2
FUZZ_SECONDS ?= 10

.PHONY: all deps configure build run test unit ui-setup ui-test fuzz-smoke fuzz bench format clean firmware
.PHONY: cross-deps cross test-cross test-cross-full package test-package footprint

all: build

deps:
	@sh scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: configure
	cmake --build $(BUILD) -j $(JOBS)

run: configure ui-setup
	cmake --build $(BUILD) -j $(JOBS) --target citizenwatt
	$(BUILD)/citizenwatt serve --data $(DATA) --listen $(LISTEN) --simulate

test: build firmware
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) --timeout 600
	$(MAKE) --no-print-directory ui-test
	$(MAKE) --no-print-directory fuzz-smoke
	$(MAKE) --no-print-directory test-cross
	$(MAKE) --no-print-directory test-package

# The sensor firmware for the ATmega328P (avr-gcc): prints avr-size, fails above the budget.
# The image: $(BUILD)/firmware/citizenwatt-sensor.elf and .hex (docs/hardware.md: flashing).
firmware: configure
	cmake --build $(BUILD) -j $(JOBS) --target firmware_avr

# The web UI: npm packages from ui/package-lock.json, uPlot copied into ui/vendor/.
ui-setup: deps
	@sh scripts/ui-setup.sh

# UI unit tests (node:test), the size budget, then end to end against a real base station
# (playwright-core + Debian's chromium; screenshots and the first-screen timing in test-output/).
ui-test: ui-setup
	node --test ui/tests/unit/*.test.mjs
	node scripts/ui-budget.mjs
	cmake --build $(BUILD) -j $(JOBS) --target citizenwatt
	CW_BIN=$(abspath $(BUILD))/citizenwatt CW_TEST_OUTPUT=$(abspath test-output) \
	  node --test ui/tests/e2e/*.test.mjs

unit: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) -E 'Integration|Crash'

# Every decoder of outside input runs under libFuzzer for a bounded time (longer: make fuzz).
fuzz-smoke: deps
	@sh scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

fuzz: deps
	@sh scripts/fuzz.sh $(FUZZ_BUILD) 600

bench: configure
	cmake --build $(BUILD) -j $(JOBS) --target cw_bench cw_frame_bench cw_forecast_backtest citizenwatt
	cmake --build $(BUILD) -j $(JOBS) --target cw_hub_bench
	sh scripts/bench.sh $(BUILD)
	sh scripts/hub-bench.sh $(BUILD)
	$(BUILD)/cw_frame_bench
	$(BUILD)/cw_forecast_backtest
	cmake --build $(BUILD) -j $(JOBS) --target cw_insights_bench
	$(BUILD)/cw_insights_bench

# Raspberry Pi builds with Debian's cross compilers (cmake/toolchain-$(ARCH).cmake) in build-$(ARCH)/:
# the binary and the test binaries that test-cross runs under qemu-user (docs/install.md).
ARCH ?= arm64
CROSS_ARCHS ?= arm64 armhf
# What each architecture builds and test-cross runs: the binary and the unit tests of the layers
# the port can break (docs/install.md, "Tests under emulation"); armhf, the 32-bit one, the layers
# with 128-bit arithmetic and byte-level codecs. CROSS_TARGETS=all builds everything.
CROSS_TARGETS_arm64 ?= citizenwatt test_core test_protocol test_store test_ingest test_analytics
CROSS_TARGETS_armhf ?= $(CROSS_TARGETS_arm64)
CROSS_TARGETS ?= $(CROSS_TARGETS_$(ARCH))
# -O2 for a package to ship; test-cross (in make test) builds at -Og, faster to compile, and a
# smaller set, to stay within the CI budget (docs/install.md: measured times): armhf, the 32-bit
# port, builds the binary (the whole code base compiled for 32 bits), its package, the smoke test
# and the pipeline; arm64 the low layers. `make test-cross-full`: every CROSS_TARGETS, at -O2.
CROSS_OPT ?= -O2
TEST_CROSS_OPT ?= -Og
TEST_CROSS_TARGETS_arm64 ?= test_core test_protocol test_store
TEST_CROSS_TARGETS_armhf ?= citizenwatt test_core test_protocol test_store test_ingest
# Release at $(CROSS_OPT) with the hardening of Debian's own packages (dpkg-buildflags); no bench, no fuzz,
# no AVR firmware sub-build, no community hub (CMakeLists.txt says why). -Wno-psabi: GCC's note that GCC 10 changed how arm64 passes some
# structs; everything here is built by the one compiler.
CROSS_CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE='$(CROSS_OPT) -DNDEBUG' \
  -DCMAKE_CXX_FLAGS='-fstack-protector-strong -D_FORTIFY_SOURCE=2 -Wformat -Werror=format-security -Wno-psabi' \
  -DCMAKE_EXE_LINKER_FLAGS='-Wl,-z,relro,-z,now' -DCW_BUILD_BENCH=OFF -DCW_FUZZ=OFF \
  -DCW_BUILD_FIRMWARE=OFF -DCW_BUILD_HUB=OFF -DCW_UI_DIR=/usr/share/citizenwatt/ui

cross-deps:
	@sh scripts/install-cross-deps.sh $(ARCH)

cross: cross-deps
	@cmake -S . -B build-$(ARCH) -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-$(ARCH).cmake \
	  $(CROSS_CMAKE_FLAGS) >/dev/null
	cmake --build build-$(ARCH) -j $(JOBS) --target $(CROSS_TARGETS)

# The port's unit tests and a `serve --simulate` smoke test, for each of CROSS_ARCHS, under qemu;
# then its package, checked by lintian.
test-cross:
	$(foreach a,$(CROSS_ARCHS),$(MAKE) --no-print-directory cross ARCH=$(a) CROSS_OPT=$(TEST_CROSS_OPT) \
	    CROSS_TARGETS="$(TEST_CROSS_TARGETS_$(a))" && \
	  CROSS_TESTS="$(filter test_%,$(TEST_CROSS_TARGETS_$(a)))" \
	    CROSS_SMOKE=$(if $(filter citizenwatt,$(TEST_CROSS_TARGETS_$(a))),1,0) sh scripts/test-cross.sh $(a) build-$(a) && \
	  $(if $(filter citizenwatt,$(TEST_CROSS_TARGETS_$(a))),$(MAKE) --no-print-directory package ARCH=$(a) \
	    CROSS_OPT=$(TEST_CROSS_OPT) CROSS_TARGETS="$(TEST_CROSS_TARGETS_$(a))" && \
	  lintian --fail-on $(LINTIAN_FAIL_ON) build-$(a)/citizenwatt_$(VERSION)_$(a).deb &&) ) true

LINTIAN_FAIL_ON := error,warning

test-cross-full:
	$(MAKE) --no-print-directory test-cross TEST_CROSS_OPT=$(CROSS_OPT) \
	  $(foreach a,$(CROSS_ARCHS),TEST_CROSS_TARGETS_$(a)="$(CROSS_TARGETS_$(a))")

# The Debian package citizenwatt_$(VERSION)_$(ARCH).deb (cmake/package.cmake, docs/install.md):
# from build-$(ARCH)/ for a cross target, from the native $(BUILD)/ for this machine's arch.
NATIVE_ARCH := $(shell dpkg --print-architecture)
VERSION := $(shell sed -n 's/^project.citizenwatt VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
PKG_BUILD = $(if $(filter $(NATIVE_ARCH),$(ARCH)),$(BUILD),build-$(ARCH))

package: ui-setup
	@if [ "$(ARCH)" = "$(NATIVE_ARCH)" ]; then $(MAKE) --no-print-directory configure && \
	  cmake --build $(BUILD) -j $(JOBS) --target citizenwatt; \
	else $(MAKE) --no-print-directory cross ARCH=$(ARCH); fi
	cd $(PKG_BUILD) && DEB_HOST_ARCH=$(ARCH) cpack -G DEB >/dev/null
	@echo "package: $(PKG_BUILD)/citizenwatt_$(VERSION)_$(ARCH).deb"

# Install, restart, upgrade to a version+1 repackaging, remove and purge, in a Debian chroot
# (needs root: chroot and mount; CI runs as root).
test-package:
	@if [ "$$(id -u)" -ne 0 ]; then echo "test-package: needs root (chroot, mount): NOT RUN"; exit 0; fi; \
	$(MAKE) --no-print-directory package ARCH=$(NATIVE_ARCH) && \
	(cd $(BUILD) && DEB_HOST_ARCH=$(NATIVE_ARCH) cpack -G DEB -D CPACK_PACKAGE_VERSION=$(VERSION)+1 \
	  -B $(abspath $(BUILD))/deb-next >/dev/null) && \
	sh scripts/test-package.sh $(BUILD) $(BUILD)/citizenwatt_$(VERSION)_$(NATIVE_ARCH).deb \
	  $(BUILD)/deb-next/citizenwatt_$(VERSION)+1_$(NATIVE_ARCH).deb

# What a base costs a Raspberry Pi (docs/performance.md, "On a Raspberry Pi"): 3 sensors at a
# frame every 10 s and the UI open in chromium for FOOTPRINT_SECONDS of real time, side by side
# natively, under callgrind (instructions) and under qemu-aarch64.
FOOTPRINT_SECONDS ?= 600
FOOTPRINT_WARMUP ?= 60
footprint: build ui-setup
	$(MAKE) --no-print-directory cross ARCH=arm64
	node scripts/footprint.mjs --seconds $(FOOTPRINT_SECONDS) --warmup $(FOOTPRINT_WARMUP) \
	  --json $(BUILD)/footprint.json --run native:$(BUILD)/citizenwatt \
	  --run callgrind:$(BUILD)/citizenwatt --run qemu-arm64:build-arm64/citizenwatt

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD) $(FUZZ_BUILD)
	rm -rf $(foreach a,$(CROSS_ARCHS),build-$(a))
