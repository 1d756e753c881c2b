// A ring buffer between one interrupt that pushes and the main loop that pops (the ADC's
// pairs, the UART's received bytes). Each index is written by one side only and is 8 bits,
// read and written in one instruction on the AVR: no lock is needed. The barriers keep the
// compiler from moving an element's copy past the index that publishes or frees it.
#pragma once

#include <stdint.h>

namespace cw {
namespace avr {

template <typename T, uint8_t N>
class IsrRing {
 public:
  // From the interrupt. False (and nothing queued) when full.
  bool push(const T& v) {
    uint8_t h = head_;
    uint8_t next = static_cast<uint8_t>((h + 1) % N);
    if (next == tail_) return false;
    buf_[h] = v;
    __asm__ __volatile__("" ::: "memory");
    head_ = next;
    return true;
  }
  // From the main loop: the oldest element, if any.
  bool pop(T* out) {
    uint8_t t = tail_;
    if (t == head_) return false;
    __asm__ __volatile__("" ::: "memory");
    *out = buf_[t];
    __asm__ __volatile__("" ::: "memory");
    tail_ = static_cast<uint8_t>((t + 1) % N);
    return true;
  }
  bool empty() const { return tail_ == head_; }
  // Only while the pushing interrupt is off.
  void clear() { head_ = tail_ = 0; }

 private:
  T buf_[N];
  volatile uint8_t head_ = 0, tail_ = 0;
};

}  // namespace avr
}  // namespace cw
