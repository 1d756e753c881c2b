# CitizenWatt: two commands.
#   make run   installs what is missing, builds, starts the base station with a simulated
#              household on http://localhost:8080 (data in ./var)
#   make test  installs what is missing, builds, runs every test
BUILD ?= build
FUZZ_BUILD ?= build-fuzz
DATA ?= ./var
LISTEN ?= 127.0.0.1:8080
JOBS ?= 2
FUZZ_SECONDS ?= 20

.PHONY: all deps configure build run test unit ui-setup ui-test fuzz-smoke fuzz bench format clean firmware

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

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD) $(FUZZ_BUILD)
