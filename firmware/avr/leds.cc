#include "leds.h"

#include <avr/io.h>
#include <util/delay.h>

#include "board.h"

namespace cw {
namespace avr {

namespace {
uint8_t bit(Led which) {
  return _BV(which == Led::kGreen ? kLedGreen : kLedRed);
}
}  // namespace

void leds_init() {
  DDRD |= _BV(kLedGreen) | _BV(kLedRed);
  PORTD &= static_cast<uint8_t>(~(_BV(kLedGreen) | _BV(kLedRed)));
}

void led(Led which, bool on) {
  if (on)
    PORTD |= bit(which);
  else
    PORTD &= static_cast<uint8_t>(~bit(which));
}

void led_flash(Led which, uint8_t ms) {
  led(which, true);
  for (uint8_t i = 0; i < ms; ++i) _delay_ms(1);
  led(which, false);
}

}  // namespace avr
}  // namespace cw
