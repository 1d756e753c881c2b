#include "adc_sampler.h"

#include <avr/interrupt.h>
#include <avr/io.h>
#include <util/delay.h>

#include "board.h"
#include "isr_ring.h"

namespace cw {
namespace avr {

namespace {

constexpr uint8_t kRing = 32;  // 4 ms of slack for the main loop
constexpr uint8_t kAvcc = _BV(REFS0);
constexpr uint8_t kPrescaler64 = _BV(ADPS2) | _BV(ADPS1);  // 250 kHz ADC clock
constexpr uint16_t kBandgapMv = 1100;

IsrRing<Pair, kRing> ring;
volatile bool overrun = false;
volatile bool voltage_next = false;
uint16_t pending_current = 0;

}  // namespace

}  // namespace avr
}  // namespace cw

ISR(TIMER1_COMPA_vect) {
  using namespace cw::avr;
  ADMUX = kAvcc | kAdcCurrent;
  voltage_next = false;
  ADCSRA |= _BV(ADSC);
}

ISR(ADC_vect) {
  using namespace cw::avr;
  uint16_t x = ADC;
  if (!voltage_next) {
    ADMUX = kAvcc | kAdcVoltage;
    ADCSRA |= _BV(ADSC);
    voltage_next = true;
    pending_current = x;
    return;
  }
  if (!ring.push(Pair{pending_current, x})) overrun = true;
}

namespace cw {
namespace avr {

void sampler_start() {
  ring.clear();
  overrun = false;
  PRR &= static_cast<uint8_t>(~(_BV(PRADC) | _BV(PRTIM1)));
  DIDR0 = _BV(ADC0D) | _BV(ADC1D);  // no digital input buffers on the analog pins
  ADMUX = kAvcc | kAdcCurrent;
  ADCSRA = _BV(ADEN) | _BV(ADIE) | kPrescaler64;
  TCCR1A = 0;
  TCNT1 = 0;
  OCR1A = F_CPU / 1000000 * kPairPeriodUs - 1;
  TIMSK1 = _BV(OCIE1A);
  TCCR1B = _BV(WGM12) | _BV(CS10);  // CTC, no prescaler
}

void sampler_stop() {
  TCCR1B = 0;
  TIMSK1 = 0;
  ADCSRA = 0;
}

bool sampler_pop(Pair* out) {
  return ring.pop(out);
}

bool sampler_overrun() {
  return overrun;
}

uint16_t read_supply_mv() {
  PRR &= static_cast<uint8_t>(~_BV(PRADC));
  ADMUX = kAvcc | kAdcBandgap;
  ADCSRA = _BV(ADEN) | kPrescaler64;
  _delay_ms(1);  // the band gap settles after the mux switch
  uint16_t x = 0;
  for (uint8_t k = 0; k < 2; ++k) {  // the first conversion after the switch is discarded
    ADCSRA |= _BV(ADSC);
    while (ADCSRA & _BV(ADSC)) {
    }
    x = ADC;
  }
  ADCSRA = 0;
  if (x == 0) return 0;
  return static_cast<uint16_t>(static_cast<uint32_t>(kBandgapMv) * 1024 / x);
}

}  // namespace avr
}  // namespace cw
