// Time on the sensor: a millisecond clock from the 16 MHz crystal (Timer2) while awake, and
// watchdog sleep in power-down between measurements. The watchdog's 128 kHz RC oscillator is
// off by up to 10 % (supply, temperature), so its period is measured against the crystal and
// each sleep adds its measured length to the clock: the energy register integrates power over
// real time.
#pragma once

#include <stdint.h>

namespace cw {
namespace avr {

void clock_start();
// Milliseconds since clock_start(), sleeps included.
uint32_t clock_ms();

// Measures one nominal 1 s watchdog period with the crystal, in ms (idle sleep meanwhile).
uint16_t watchdog_calibrate();
// Power-down for n watchdog periods (wakes early on nothing but the watchdog), then adds
// n * period_ms to the clock.
void sleep_watchdog(uint16_t n, uint16_t period_ms);
// Idle sleep until the next interrupt (UART, Timer2): the CPU stops, peripherals run.
void sleep_idle();

}  // namespace avr
}  // namespace cw
