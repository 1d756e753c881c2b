// Two status LEDs. Green: a frame was acknowledged by the base. Red: provisioning mode (slow
// blink), a frame not acknowledged, no radio, or the frame counter exhausted (steady).
#pragma once

#include <stdint.h>

namespace cw {
namespace avr {

enum class Led : uint8_t { kGreen, kRed };

void leds_init();
void led(Led which, bool on);
// A short flash (ms), then off: cheap on batteries.
void led_flash(Led which, uint8_t ms);

}  // namespace avr
}  // namespace cw
