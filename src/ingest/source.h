// A source of radio frames: UDP datagrams, a USB serial radio gateway, an nRF24L01+ on SPI. Each
// runs its own thread and hands every frame it receives to the pipeline.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "ingest/pipeline.h"
#include "ingest/source_uri.h"

namespace cw::ingest {

class Source {
 public:
  virtual ~Source() = default;
  // Opens the device or socket and starts receiving. An error leaves nothing running.
  virtual Status start() = 0;
  // Stops promptly and releases the device; idempotent.
  virtual void stop() = 0;
  // What `serve` logs and the health page shows, e.g. "udp://127.0.0.1:4200".
  virtual std::string describe() const = 0;
};

class InputBinder;

// Builds the source a parsed URI names (not started). Sources of measurements (tic:) need the
// binder that maps their devices to sensors; without one they are refused.
Result<std::unique_ptr<Source>> make_source(const SourceUri& uri, Pipeline& pipeline,
                                            InputBinder* binder = nullptr);

}  // namespace cw::ingest
