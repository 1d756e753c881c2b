// Paints the free RAM, from the end of .bss to the top of the stack, with kStackPaint at boot:
// the bytes still painted later were never used, so a debugger or the simavr bench
// (tests/firmware_avr) reads how deep the stack ever went. Nothing uses a heap.
#include <avr/io.h>
#include <stdint.h>

extern uint8_t _end;  // the linker's end of .bss

namespace {
constexpr uint8_t kStackPaint = 0xC5;
}  // namespace

// .init3: after .init2 set the stack pointer to RAMEND and r1 to zero, before anything is
// pushed. Naked and call-free, so it uses no stack itself.
extern "C" void cw_paint_stack() __attribute__((naked, used, section(".init3")));
extern "C" void cw_paint_stack() {
  for (uint8_t* p = &_end; p <= reinterpret_cast<uint8_t*>(RAMEND); ++p) *p = kStackPaint;
}
