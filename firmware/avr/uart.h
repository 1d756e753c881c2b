// The USB serial link (115200 baud, 8N1) for provisioning and calibration: received bytes are
// queued by the RX interrupt; writes wait for the transmitter.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace cw {
namespace avr {

void uart_init();
bool uart_read(uint8_t* byte);
bool uart_pending();  // a received byte waits
void uart_write(const char* data, size_t n);
// Waits until the last byte has left (before sleeping: power-down stops the UART).
void uart_flush();

}  // namespace avr
}  // namespace cw
