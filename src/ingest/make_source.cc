#include "ingest/nrf24_source.h"
#include "ingest/serial_source.h"
#include "ingest/source.h"
#include "ingest/tic_source.h"
#include "ingest/udp_source.h"

namespace cw::ingest {

Result<std::unique_ptr<Source>> make_source(const SourceUri& uri, Pipeline& pipeline,
                                            InputBinder* binder) {
  switch (uri.kind) {
    case SourceUri::Kind::kUdp:
      return std::unique_ptr<Source>(new UdpSource(uri.udp, pipeline));
    case SourceUri::Kind::kSerial:
      return std::unique_ptr<Source>(new SerialSource(uri.serial, pipeline));
    case SourceUri::Kind::kNrf24:
      return std::unique_ptr<Source>(new Nrf24Source(uri.nrf24, pipeline));
    case SourceUri::Kind::kTic:
      if (!binder) return invalid_argument("tic: this program has no input store for meters");
      return std::unique_ptr<Source>(new TicSource(uri.tic, *binder));
  }
  return invalid_argument("unsupported source '" + uri.text + "'");
}

}  // namespace cw::ingest
