// Numbers as the English sentences of the insights show them ("2.90 €", "12.4 kWh", "1,244").
// The UI renders its own sentences from `params` (French first); these are for scripts and logs.
#pragma once

#include <string>

#include "analytics/money.h"
#include "core/calendar.h"

namespace cw::analytics {

// Euros rounded to the cent: "2.90 €", "-1.05 €".
std::string eur_text(Picos amount);
// A number with at most `decimals` decimals, trailing zeros kept to that many: (12.44, 1) → "12.4".
std::string number_text(double value, int decimals);
// v rounded half away from zero to `decimals` decimals, as the nearest double (98.1, not
// 98.10000000000001): the numbers the JSON shows.
double round_decimals(double v, int decimals);
// "2026-11-27 14:03" in the household's zone.
std::string local_minute_text(const Calendar& calendar, TimeMs t);

}  // namespace cw::analytics
