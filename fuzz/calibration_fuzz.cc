// libFuzzer target for what `citizenwatt sensor calibrate` makes of a sensor's MEASURE replies
// (src/app/reference_calibration.h): reply lines as a sensor may send them, checked and parsed
// by parse_measure, then averaged, turned into gains from arbitrary present calibration values
// and reference, and a phase fitted through them. Never a crash nor undefined behaviour (UBSan
// checks the float-to-integer casts); whatever is accepted is in range: gains of at least 1, a
// phase within the firmware's +-4 degrees.
//
// Input: 24 bytes of calibration values (4 x int32), reference power and voltage (2 x float32,
// little-endian), then reply lines. Run with scripts/fuzz.sh.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cstdlib>
#include <vector>

#include "app/reference_calibration.h"
#include "firmware/core/calibration.h"
#include "protocol/provision_line.h"

namespace {

namespace pv = cw::protocol::provision;
using namespace cw::app;

constexpr size_t kHeader = 24;

void require(bool ok) {
  if (!ok) std::abort();
}

std::vector<pv::Measure> replies(const char* p, size_t size) {
  std::vector<pv::Measure> out;
  size_t start = 0;
  for (size_t i = 0; i <= size; ++i) {
    if (i < size && p[i] != '\n') continue;
    size_t body = 0;
    pv::Measure m;
    if (pv::check_line(p + start, i - start, &body) == pv::LineCheck::kOk &&
        pv::parse_measure(p + start, body, &m))
      out.push_back(m);
    start = i + 1;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kHeader) return 0;
  CalValues present;
  memcpy(present.data(), data, 16);
  float watts = 0, volts = 0;
  memcpy(&watts, data + 16, 4);
  memcpy(&volts, data + 20, 4);
  Reference ref{watts, volts > 0 ? std::optional<double>(volts) : std::nullopt};
  auto windows = replies(reinterpret_cast<const char*>(data + kHeader), size - kHeader);
  auto load = average(windows);
  if (!load || !check_reference(ref)) return 0;
  auto cal = calibrate_gains(present, *load, ref);
  if (cal) {
    require((*cal)[0] >= 1);
    require(!load->has_voltage() || !ref.volts || (*cal)[1] >= 1);
    require((*cal)[2] == present[2] && (*cal)[3] == present[3]);
  }
  std::vector<PhasePoint> points = {{present[2], load->power_factor()}};
  for (size_t k = 0; k < windows.size() && k < 4; ++k) {
    int32_t x = static_cast<int32_t>(windows[k].pf_milli) * 4;  // a probe the input chose
    points.push_back({x, windows[k].real_dw / (windows[k].apparent_dva + 1.0)});
  }
  auto phase = fit_phase(points);
  if (phase)
    require(*phase >= -cw::firmware::kMaxPhaseMdeg && *phase <= cw::firmware::kMaxPhaseMdeg);
  return 0;
}
