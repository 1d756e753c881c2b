// Money as integers: micro-euros (µ€) for prices, pico-euros for exact running sums. Prices are
// read from decimal text ("0.2516") digit by digit, never through a double.
//
// Rounding rule (docs/tariffs.md): a cost is kept exact in pico-euros (µ€/kWh × mWh) while it is
// summed, and rounded ONCE at the end: half away from zero to the µ€ for per-period figures, to
// the cent for bill totals. A total is rounded from the exact sum, never summed from rounded parts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/int128.h"
#include "core/status.h"

namespace cw::analytics {

using Micros = std::int64_t;  // 1e-6 €
using Picos = Int128;         // 1e-12 € (µ€/kWh × mWh)

inline constexpr Micros kMicrosPerEuro = 1000000;

// "0.2516" → 251600. Up to 6 decimals, optional leading '-', no exponent, no spaces.
Result<Micros> parse_micros(std::string_view text);

// 251600 → "0.2516" (shortest exact decimal text).
std::string format_micros(Micros m);

// Exact sum → µ€ or cents, half away from zero.
Micros round_to_micros(Picos p);
std::int64_t round_to_cents(Picos p);

// price (µ€/kWh) × energy (mWh) = pico-euros, exact.
inline Picos energy_cost(Micros price_per_kwh, std::int64_t energy_mwh) {
  return Picos(price_per_kwh) * energy_mwh;
}

}  // namespace cw::analytics
