// Baseline (b): emoncms PHPFina, a fixed-interval feed: a 16-byte .meta file (two unused u32,
// interval s, start time s) and a .dat file of one float32 per interval slot since the start,
// NaN where no value came. A batch is one append (earlier slots rewritten in place) and one
// fdatasync. It holds power only: emoncms would keep energy in a second feed.
//
// Charts: emoncms reads one slot at each point's start by default (a seek and a 4-byte read per
// point); the averaged variant reads every slot of the range and averages each bucket.
#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "engine.h"

namespace cw::bench {

namespace {

class PhpFinaEngine final : public Engine {
 public:
  ~PhpFinaEngine() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status open(const EngineSetup& setup) override {
    interval_s_ = std::max<TimeMs>(1, setup.step_ms / 1000);
    start_s_ = setup.first_t / 1000 / interval_s_ * interval_s_;
    dat_ = setup.dir / "1.dat";
    const auto meta = setup.dir / "1.meta";
    const std::uint32_t m[4] = {0, 0, std::uint32_t(interval_s_), std::uint32_t(start_s_)};
    int mfd = ::open(meta.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (mfd < 0) return internal_error("phpfina: cannot create meta");
    const bool ok = ::write(mfd, m, sizeof m) == ssize_t(sizeof m) && ::fdatasync(mfd) == 0;
    ::close(mfd);
    if (!ok) return internal_error("phpfina: cannot write meta");
    fd_ = ::open(dat_.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
    return fd_ < 0 ? internal_error("phpfina: cannot create data") : Status::ok();
  }

  Status commit(std::span<const Sample> batch) override {
    buf_.clear();
    std::int64_t next = slots_;
    for (const Sample& s : batch) {
      const std::int64_t pos = slot(s.t);
      const float v = float(s.power_w);
      if (pos < slots_) {  // a slot already on disk: emoncms updates it in place
        if (::pwrite(fd_, &v, 4, off_t(pos) * 4) != 4) return internal_error("phpfina: pwrite");
      } else if (pos < next) {  // two samples in one slot: the last wins
        buf_[std::size_t(pos - slots_)] = v;
      } else {
        buf_.resize(std::size_t(pos - slots_), NAN);  // the gap since the last value
        buf_.push_back(v);
        next = pos + 1;
      }
    }
    const std::size_t n = buf_.size() * 4;
    if (n > 0 && ::pwrite(fd_, buf_.data(), n, off_t(slots_) * 4) != ssize_t(n)) {
      return internal_error("phpfina: append failed");
    }
    if (::fdatasync(fd_) != 0) return internal_error("phpfina: fdatasync failed");
    slots_ += std::int64_t(buf_.size());
    return Status::ok();
  }

  Status finish() override { return Status::ok(); }

  std::uint64_t bytes() const override {
    return file_size_or_zero(dat_) + file_size_or_zero(dat_.parent_path() / "1.meta");
  }

  // Variant 0: emoncms's default read; variant 1: averaged buckets.
  Result<std::size_t> chart(TimeMs from, TimeMs to, std::size_t points, int variant) override {
    return variant == 1 ? chart_averaged(from, to, points) : chart_sampled(from, to, points);
  }
  int chart_variants() const override { return 2; }

 private:
  std::int64_t slot(TimeMs t) const { return t / 1000 / interval_s_ - start_s_ / interval_s_; }

  Result<std::size_t> chart_sampled(TimeMs from, TimeMs to, std::size_t points) {
    std::size_t n = 0;
    const double width = double(to - from) / double(points);
    for (std::size_t i = 0; i < points; ++i) {
      const std::int64_t pos = slot(from + TimeMs(double(i) * width));
      float v = NAN;
      if (pos >= 0 && pos < slots_ && ::pread(fd_, &v, 4, off_t(pos) * 4) != 4) {
        return internal_error("phpfina: read failed");
      }
      if (!std::isnan(v)) ++n;
    }
    return n;
  }

  Result<std::size_t> chart_averaged(TimeMs from, TimeMs to, std::size_t points) {
    const std::int64_t a = std::max<std::int64_t>(0, slot(from));
    const std::int64_t b = std::min(slots_, slot(to - 1) + 1);
    if (b <= a) return std::size_t(0);
    std::vector<float> v(std::size_t(b - a));
    if (::pread(fd_, v.data(), v.size() * 4, off_t(a) * 4) != ssize_t(v.size() * 4)) {
      return internal_error("phpfina: read failed");
    }
    std::vector<double> sum(points, 0);
    std::vector<std::uint32_t> cnt(points, 0);
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (std::isnan(v[i])) continue;
      const std::size_t k = std::min(points - 1, i * points / v.size());
      sum[k] += v[i];
      ++cnt[k];
    }
    std::size_t n = 0;
    for (std::size_t k = 0; k < points; ++k) n += cnt[k] > 0 && sum[k] / cnt[k] > -1e30;
    return n;
  }

  std::filesystem::path dat_;
  int fd_ = -1;
  std::int64_t interval_s_ = 1;
  std::int64_t start_s_ = 0;
  std::int64_t slots_ = 0;  // slots written so far
  std::vector<float> buf_;
};

}  // namespace

std::unique_ptr<Engine> make_phpfina_engine() {
  return std::make_unique<PhpFinaEngine>();
}

}  // namespace cw::bench
