#include "simulate/frame_feed.h"

namespace cw::simulate {

FrameFeed::FrameFeed(const VirtualSensorConfig& config, std::unique_ptr<PowerSource> source,
                     TimeMs period_ms)
    : sensor_(config), source_(std::move(source)), period_ms_(period_ms) {
  if (pull()) {
    t0_ = pending_.t;
    next_t_ = t0_ + period_ms_;
  }
}

bool FrameFeed::pull() {
  if (exhausted_) return false;
  has_pending_ = source_->next(&pending_);
  exhausted_ = !has_pending_;
  return has_pending_;
}

bool FrameFeed::next(TimedFrame* out) {
  if (!hello_sent_) {
    if (!has_pending_) return false;
    hello_sent_ = true;
    out->t = t0_;
    out->len = sensor_.hello(out->bytes);
    return out->len != 0;
  }
  if (period_ms_ <= 0) {  // native rate: each reading is a frame
    if (!has_pending_) return false;
    sensor_.feed(pending_);
    out->t = pending_.t;
    pull();
  } else {
    // Feed every reading up to the frame's time; the sensor integrates between them.
    while (has_pending_ && pending_.t <= next_t_) {
      sensor_.feed(pending_);
      pull();
    }
    // The source ended before this period did: nothing true to say about it.
    if (!has_pending_ && sensor_.current().t < next_t_) return false;
    // Energy up to the frame time, as a real sensor's register would read then.
    PowerSample at = sensor_.current();  // a meter index, if any, stays the register
    at.t = next_t_;
    sensor_.feed(at);
    out->t = next_t_;
    next_t_ += period_ms_;
  }
  out->len = sensor_.measurement(out->bytes);
  return out->len != 0;
}

}  // namespace cw::simulate
