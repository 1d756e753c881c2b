#include "ingest/source.h"
#include "ingest/udp_source.h"

namespace cw::ingest {

Result<std::unique_ptr<Source>> make_source(const SourceUri& uri, Pipeline& pipeline) {
  switch (uri.kind) {
    case SourceUri::Kind::kUdp: return std::unique_ptr<Source>(new UdpSource(uri.udp, pipeline));
  }
  return invalid_argument("unsupported source '" + uri.text + "'");
}

}  // namespace cw::ingest
