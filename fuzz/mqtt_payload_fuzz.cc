// libFuzzer harness for the MQTT input mappers (ingest/mqtt_payloads.h) and the broker URI: the
// first line is the topic, the rest the payload. A value or an error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest/mqtt_options.h"
#include "ingest/mqtt_payloads.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  const auto nl = in.find('\n');
  const std::string topic = in.substr(0, nl);
  const std::string payload = nl == std::string::npos ? "" : in.substr(nl + 1);
  cw::ingest::EsphomeMemo memo;
  (void)cw::ingest::map_mqtt_message(topic, payload, memo);
  (void)cw::ingest::map_mqtt_message(topic, payload, memo);
  (void)cw::ingest::parse_mqtt_uri(topic);
  return 0;
}
