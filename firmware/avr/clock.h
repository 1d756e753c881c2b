// Time on the sensor: a millisecond clock from the 16 MHz crystal (Timer2) while awake, and
// watchdog sleep in power-down between measurements. The watchdog's 128 kHz RC oscillator is
// off by up to 10 % (supply, temperature), so its period is measured against the crystal and
// each sleep adds its measured length to the clock: the energy register integrates power over
// real time.
//
// The watchdog runs in interrupt-and-reset mode: each time-out interrupts, and the hardware
// then clears WDIE, so the firmware re-arms it before every wait. A firmware that stops
// re-arming it (hung) is reset by the next time-out instead of sleeping forever. No wait here
// is unbounded: the calibration gives up on the crystal's clock, the power-down sleep is
// bounded by that reset.
#pragma once

#include <stdint.h>

namespace cw {
namespace avr {

// Nominal watchdog period, and the bounds of a plausible measured one (the RC oscillator is
// specified within 10 %; beyond 30 % something else is wrong).
constexpr uint16_t kWatchdogNominalMs = 1000;
constexpr uint16_t kWatchdogMinMs = 700;
constexpr uint16_t kWatchdogMaxMs = 1300;

void clock_start();
// Milliseconds since clock_start(), sleeps included.
uint32_t clock_ms();

// Measures one nominal 1 s watchdog period with the crystal, in ms (idle sleep meanwhile).
// 0 when the watchdog did not interrupt within kWatchdogMaxMs, or out of the plausible bounds:
// the caller then sleeps on the crystal (sleep_crystal) instead.
uint16_t watchdog_calibrate();
// Power-down for n watchdog periods (wakes on nothing but the watchdog), then adds
// n * period_ms to the clock.
void sleep_watchdog(uint16_t n, uint16_t period_ms);
// Idle sleep for ms on the crystal's clock: the fallback when the watchdog cannot be trusted
// (more current, about 6 mA instead of 10 uA, but never stuck).
void sleep_crystal(uint32_t ms);
// Idle sleep until the next interrupt (UART, Timer2): the CPU stops, peripherals run.
void sleep_idle();

}  // namespace avr
}  // namespace cw
