// Helpers shared by the store tests: a temp directory removed at the end, and sample builders.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core/sample.h"

namespace cw::store::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cw_store_XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// n samples every step_ms from t0 with a power that wanders; energy integrates power exactly
// (in Wh, with the remainder carried so the register grows as a real meter would).
inline std::vector<Sample> make_samples(TimeMs t0, std::size_t n, TimeMs step_ms,
                                        std::uint32_t seed = 1, std::int64_t e0 = 0,
                                        std::uint32_t c0 = 1) {
  std::mt19937 rng(seed);
  std::vector<Sample> out;
  out.reserve(n);
  std::int64_t e = e0;
  std::int64_t carry_wms = 0;
  std::int32_t p = 300;
  for (std::size_t i = 0; i < n; ++i) {
    p = std::max(0, p + std::int32_t(rng() % 41) - 20);
    carry_wms += std::int64_t(p) * step_ms;
    e += carry_wms / 3600000;
    carry_wms %= 3600000;
    out.push_back({t0 + TimeMs(i) * step_ms, c0 + std::uint32_t(i), p, e});
  }
  return out;
}

}  // namespace cw::store::testing
