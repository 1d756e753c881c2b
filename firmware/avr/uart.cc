#include "uart.h"

#include <avr/interrupt.h>
#include <avr/io.h>

#include "isr_ring.h"

namespace cw {
namespace avr {

namespace {

constexpr uint32_t kBaud = 115200;
constexpr uint8_t kRing = 80;  // one command line (64 bytes) and its newline, with room
IsrRing<uint8_t, kRing> ring;

}  // namespace

}  // namespace avr
}  // namespace cw

ISR(USART_RX_vect) {
  using namespace cw::avr;
  uint8_t b = UDR0;
  ring.push(b);  // full: the byte is lost, the line's checksum will say so
}

namespace cw {
namespace avr {

void uart_init() {
  PRR &= static_cast<uint8_t>(~_BV(PRUSART0));
  UCSR0A = _BV(U2X0);  // double speed: 2.1 % error at 115200 from 16 MHz
  UBRR0 = static_cast<uint16_t>((F_CPU + 4 * kBaud) / (8 * kBaud) - 1);  // rounded: 16
  UCSR0B = _BV(RXEN0) | _BV(TXEN0) | _BV(RXCIE0);
  UCSR0C = _BV(UCSZ01) | _BV(UCSZ00);
}

bool uart_read(uint8_t* byte) {
  return ring.pop(byte);
}

bool uart_pending() {
  return !ring.empty();
}

void uart_write(const char* data, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    while (!(UCSR0A & _BV(UDRE0))) {
    }
    UDR0 = static_cast<uint8_t>(data[i]);
  }
}

void uart_flush() {
  while (!(UCSR0A & _BV(UDRE0))) {
  }
}

}  // namespace avr
}  // namespace cw
