// The real sensor firmware (the AVR ELF that would be flashed) running in simavr's ATmega328P
// at 16 MHz, wired to a test bench: the ADC reads a synthetic mains through the modelled front
// end at the instant each conversion starts, the SPI goes to a register-level nRF24L01+
// (radio_model.h), the UART to the test, and the EEPROM can be read and preloaded, so a
// reset (a new simulated chip with the old EEPROM) is a power cycle. The bench also counts the
// simulated time the CPU spends asleep in each sleep mode, and can read the SRAM.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "radio_model.h"

struct avr_t;
struct avr_irq_t;

namespace cw::firmware::testing {

class AvrSensor {
 public:
  // current_pin_mv / voltage_pin_mv: the ADC inputs at time t (s).
  using Pin = std::function<double(double t)>;
  struct Options {
    // The watchdog's RC oscillator relative to its nominal 128 kHz: simavr derives the
    // watchdog's period from the clock frequency it is told, so 0.5 makes a watchdog twice as
    // slow. The CPU and its timers count cycles: the crystal's time is unchanged (only what
    // simavr models in microseconds, such as a UART byte, stretches alike).
    double watchdog_speed = 1.0;
  };
  AvrSensor(const std::string& elf, const std::vector<std::uint8_t>& eeprom, Pin current_mv,
            Pin voltage_mv, Options options);
  AvrSensor(const std::string& elf, const std::vector<std::uint8_t>& eeprom, Pin current_mv,
            Pin voltage_mv)
      : AvrSensor(elf, eeprom, std::move(current_mv), std::move(voltage_mv), Options{}) {}
  ~AvrSensor();
  AvrSensor(const AvrSensor&) = delete;
  AvrSensor& operator=(const AvrSensor&) = delete;

  // Runs until pred() holds or `seconds` of simulated time pass; false on timeout or a crash.
  bool run_until(const std::function<bool()>& pred, double seconds);
  double now_s() const;

  void uart_send(const std::string& bytes);
  std::string& uart_received() { return uart_out_; }
  const RadioModel& radio() const { return radio_; }
  RadioModel& radio() { return radio_; }
  std::vector<std::uint8_t> eeprom() const;
  // The data space 0x100..0x8FF (internal SRAM), as it is now.
  std::vector<std::uint8_t> sram() const;

  // Bytes of free RAM (above .data and .bss) the firmware never touched since it booted:
  // those still holding the paint it puts there at boot (firmware/avr/stack_paint.cc). The
  // stack's margin.
  std::size_t ram_never_used() const;
  std::size_t ram_free_at_boot() const { return kSramEnd - free_start_; }

  // Simulated seconds spent asleep in power-down / in idle since the chip was made.
  double power_down_s() const { return asleep_s_[kPowerDown]; }
  double idle_s() const { return asleep_s_[kIdle]; }

 private:
  static void on_adc_trigger(avr_irq_t*, std::uint32_t, void* self);
  static void on_spi(avr_irq_t*, std::uint32_t value, void* self);
  static void on_csn(avr_irq_t*, std::uint32_t value, void* self);
  static void on_ce(avr_irq_t*, std::uint32_t value, void* self);
  static void on_uart(avr_irq_t*, std::uint32_t value, void* self);

  static constexpr int kIdle = 0, kPowerDown = 2;  // SMCR SM2..0
  // One avr_run(), with the time it spent asleep counted.
  int step();

  static constexpr std::uint16_t kSramStart = 0x100, kSramEnd = 0x900;
  avr_t* avr_ = nullptr;
  std::uint16_t free_start_ = kSramEnd;  // end of .bss
  double asleep_s_[8] = {};
  Pin current_, voltage_;
  RadioModel radio_;
  std::string uart_out_;
  avr_irq_t* spi_in_ = nullptr;
  avr_irq_t* adc_in_ = nullptr;  // ADC_IRQ_ADC0; ADC1 follows
  avr_irq_t* uart_in_ = nullptr;
};

}  // namespace cw::firmware::testing
