// String constants of the portable code that the sensor keeps in flash: avr-gcc copies every
// string literal into RAM at boot, and the ATmega328P's 2 KiB cannot spare the ~700 bytes of
// the provisioning protocol's words and messages. CW_TEXT("...") makes one; text_char() reads
// it. Everywhere but the AVR a Text is the literal itself.
//
// This is the one #if of the portable layer: reading flash takes an instruction of its own
// (LPM) on the AVR's Harvard architecture, and C++ has no portable spelling for it.
#pragma once

#include <stddef.h>

#if defined(__AVR__)
#include <avr/pgmspace.h>
#endif

namespace cw {
namespace protocol {

// Never defined: a const Text* is only read through text_char().
struct Text;

#if defined(__AVR__)
#define CW_TEXT(s) (reinterpret_cast<const ::cw::protocol::Text*>(PSTR(s)))
inline char text_char(const Text* t, size_t i) {
  return static_cast<char>(pgm_read_byte(reinterpret_cast<const char*>(t) + i));
}
#else
#define CW_TEXT(s) (reinterpret_cast<const ::cw::protocol::Text*>(static_cast<const char*>(s)))
inline char text_char(const Text* t, size_t i) {
  return reinterpret_cast<const char*>(t)[i];
}
#endif

}  // namespace protocol
}  // namespace cw
