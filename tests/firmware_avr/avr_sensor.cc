#include "avr_sensor.h"

#include <avr_adc.h>
#include <avr_eeprom.h>
#include <avr_ioport.h>
#include <avr_spi.h>
#include <avr_uart.h>
#include <sim_avr.h>
#include <sim_elf.h>

#include <cstdio>
#include <stdexcept>

namespace cw::firmware::testing {

namespace {

constexpr std::uint32_t kHz = 16000000;
constexpr std::uint32_t kEepromSize = 1024;
constexpr std::uint8_t kStackPaint = 0xC5;  // firmware/avr/stack_paint.cc
constexpr std::uint16_t kSmcr = 0x53;       // data address of the sleep mode control register
constexpr avr_cycle_count_t kLongestInstructionCycles = 5;  // an interrupt's entry, a call

// simavr's default sleep callback usleep()s in real time; the bench wants simulated time only.
void no_real_sleep(avr_t*, avr_cycle_count_t) {}

}  // namespace

AvrSensor::AvrSensor(const std::string& elf, const std::vector<std::uint8_t>& eeprom,
                     Pin current_mv, Pin voltage_mv, Options options)
    : current_(std::move(current_mv)), voltage_(std::move(voltage_mv)) {
  elf_firmware_t fw{};
  if (elf_read_firmware(elf.c_str(), &fw) != 0) throw std::runtime_error("cannot read " + elf);
  fw.frequency = kHz;
  avr_ = avr_make_mcu_by_name("atmega328p");
  if (!avr_) throw std::runtime_error("simavr has no atmega328p");
  avr_init(avr_);
  avr_load_firmware(avr_, &fw);
  free_start_ = static_cast<std::uint16_t>(kSramStart + fw.datasize + fw.bsssize);
  // What simavr reads this for is its durations in real units (the watchdog's period): the CPU
  // and its timers count the crystal's cycles (Options::watchdog_speed).
  avr_->frequency = static_cast<std::uint32_t>(kHz / options.watchdog_speed);
  avr_->vcc = avr_->avcc = avr_->aref = 5000;
  avr_->sleep = &no_real_sleep;
  avr_->log = LOG_ERROR;

  std::vector<std::uint8_t> ee = eeprom;
  ee.resize(kEepromSize, 0xFF);
  avr_eeprom_desc_t d{ee.data(), 0, kEepromSize};
  avr_ioctl(avr_, AVR_IOCTL_EEPROM_SET, &d);

  avr_irq_register_notify(avr_io_getirq(avr_, AVR_IOCTL_ADC_GETIRQ, ADC_IRQ_OUT_TRIGGER),
                          &on_adc_trigger, this);
  adc_in_ = avr_io_getirq(avr_, AVR_IOCTL_ADC_GETIRQ, ADC_IRQ_ADC0);
  avr_irq_register_notify(avr_io_getirq(avr_, AVR_IOCTL_SPI_GETIRQ(0), SPI_IRQ_OUTPUT), &on_spi,
                          this);
  spi_in_ = avr_io_getirq(avr_, AVR_IOCTL_SPI_GETIRQ(0), SPI_IRQ_INPUT);
  avr_irq_register_notify(avr_io_getirq(avr_, AVR_IOCTL_IOPORT_GETIRQ('B'), 2), &on_csn, this);
  avr_irq_register_notify(avr_io_getirq(avr_, AVR_IOCTL_IOPORT_GETIRQ('B'), 1), &on_ce, this);
  std::uint32_t flags = 0;
  avr_ioctl(avr_, AVR_IOCTL_UART_GET_FLAGS('0'), &flags);
  flags &= ~(AVR_UART_FLAG_STDIO | AVR_UART_FLAG_POLL_SLEEP);
  avr_ioctl(avr_, AVR_IOCTL_UART_SET_FLAGS('0'), &flags);
  avr_irq_register_notify(avr_io_getirq(avr_, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUTPUT),
                          &on_uart, this);
  uart_in_ = avr_io_getirq(avr_, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_INPUT);
}

AvrSensor::~AvrSensor() {
  if (avr_) avr_terminate(avr_);
}

double AvrSensor::now_s() const {
  return static_cast<double>(avr_->cycle) / kHz;
}

bool AvrSensor::run_until(const std::function<bool()>& pred, double seconds) {
  double end = now_s() + seconds;
  while (!pred()) {
    int state = step();
    if (state == cpu_Done || state == cpu_Crashed) {
      std::fprintf(stderr, "simavr: the firmware stopped (state %d) at pc 0x%x, t = %.3f s\n",
                   state, avr_->pc, now_s());
      return false;
    }
    if (now_s() > end) return false;
  }
  return true;
}

int AvrSensor::step() {
  // simavr executes SLEEP and jumps to the next timer's cycle in the same avr_run(): a step
  // with sleep enabled (SMCR.SE) that took more cycles than any instruction did sleep.
  std::uint8_t smcr = avr_->data[kSmcr];
  avr_cycle_count_t before = avr_->cycle;
  int state = avr_run(avr_);
  avr_cycle_count_t took = avr_->cycle - before;
  if ((smcr & 1) && took > kLongestInstructionCycles)
    asleep_s_[(smcr >> 1) & 7] += static_cast<double>(took) / kHz;
  return state;
}

std::vector<std::uint8_t> AvrSensor::sram() const {
  return std::vector<std::uint8_t>(avr_->data + kSramStart, avr_->data + kSramEnd);
}

std::size_t AvrSensor::ram_never_used() const {
  std::size_t n = 0;
  for (std::uint16_t a = free_start_; a < kSramEnd && avr_->data[a] == kStackPaint; ++a) ++n;
  return n;
}

void AvrSensor::uart_send(const std::string& bytes) {
  for (char c : bytes) avr_raise_irq(uart_in_, static_cast<std::uint8_t>(c));
}

std::vector<std::uint8_t> AvrSensor::eeprom() const {
  std::vector<std::uint8_t> ee(kEepromSize);
  avr_eeprom_desc_t d{ee.data(), 0, kEepromSize};
  avr_ioctl(avr_, AVR_IOCTL_EEPROM_GET, &d);
  return ee;
}

void AvrSensor::on_adc_trigger(avr_irq_t*, std::uint32_t, void* p) {
  auto* self = static_cast<AvrSensor*>(p);
  double t = self->now_s();
  // Both inputs at the instant this conversion starts (the sample-and-hold).
  avr_raise_irq(self->adc_in_ + 0, static_cast<std::uint32_t>(self->current_(t)));
  avr_raise_irq(self->adc_in_ + 1, static_cast<std::uint32_t>(self->voltage_(t)));
}

void AvrSensor::on_spi(avr_irq_t*, std::uint32_t value, void* p) {
  auto* self = static_cast<AvrSensor*>(p);
  avr_raise_irq(self->spi_in_, self->radio_.transfer(static_cast<std::uint8_t>(value)));
}

void AvrSensor::on_csn(avr_irq_t*, std::uint32_t value, void* p) {
  static_cast<AvrSensor*>(p)->radio_.csn(value != 0);
}

void AvrSensor::on_ce(avr_irq_t*, std::uint32_t value, void* p) {
  auto* self = static_cast<AvrSensor*>(p);
  self->radio_.ce(value != 0, self->now_s());
}

void AvrSensor::on_uart(avr_irq_t*, std::uint32_t value, void* p) {
  static_cast<AvrSensor*>(p)->uart_out_ += static_cast<char>(value);
}

}  // namespace cw::firmware::testing
