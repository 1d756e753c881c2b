#include "ingest/source_uri.h"

#include <charconv>
#include <map>

namespace cw::ingest {

namespace {

constexpr std::uint32_t kBauds[] = {1200,   2400,    4800,    9600,    19200,  38400,
                                    57600,  115200,  230400,  460800,  500000, 576000,
                                    921600, 1000000, 1500000, 2000000, 3000000};

using Query = std::map<std::string, std::string>;

// Splits "PATH?k=v&k=v". Keys must be among `known`; none may repeat.
Result<Query> split_query(const std::string& scheme, const std::string& rest,
                          std::initializer_list<const char*> known, std::string* path) {
  auto q = rest.find('?');
  *path = rest.substr(0, q);
  Query out;
  if (q == std::string::npos) return out;
  std::string query = rest.substr(q + 1);
  std::size_t at = 0;
  while (at <= query.size()) {
    std::size_t amp = query.find('&', at);
    if (amp == std::string::npos) amp = query.size();
    std::string item = query.substr(at, amp - at);
    at = amp + 1;
    auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
      return invalid_argument(scheme + ": expected KEY=VALUE in the query, got '" + item + "'");
    std::string key = item.substr(0, eq);
    bool ok = false;
    std::string names;
    for (const char* k : known) {
      ok = ok || key == k;
      names += names.empty() ? k : std::string(", ") + k;
    }
    if (!ok)
      return invalid_argument(scheme + ": unknown option '" + key + "' (known: " + names + ")");
    if (!out.emplace(key, item.substr(eq + 1)).second)
      return invalid_argument(scheme + ": option '" + key + "' given twice");
  }
  return out;
}

// Decimal, or hexadecimal with 0x.
Result<std::uint64_t> parse_uint(const std::string& scheme, const std::string& key,
                                 const std::string& v, std::uint64_t lo, std::uint64_t hi) {
  int base = 10;
  std::size_t skip = 0;
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) base = 16, skip = 2;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(v.data() + skip, v.data() + v.size(), value, base);
  if (v.size() == skip || ec != std::errc() || end != v.data() + v.size() || value < lo ||
      value > hi)
    return invalid_argument(scheme + ": " + key + " must be an integer in " + std::to_string(lo) +
                            ".." + std::to_string(hi) + ", got '" + v + "'");
  return value;
}

Result<SourceUri> parse_serial(const std::string& text, const std::string& rest) {
  std::string path;
  auto q = split_query("serial", rest, {"baud"}, &path);
  if (!q) return q.status();
  if (path.empty() || path[0] != '/')
    return invalid_argument(
        "serial: expected an absolute device path, e.g. "
        "serial:/dev/ttyUSB0?baud=115200, got '" +
        text + "'");
  SourceUri s;
  s.kind = SourceUri::Kind::kSerial;
  s.text = text;
  s.serial.device = path;
  if (auto it = q->find("baud"); it != q->end()) {
    auto b = parse_uint("serial", "baud", it->second, 1, 4'000'000);
    bool known = false;
    for (auto v : kBauds) known = known || (b && *b == v);
    if (!known) {
      std::string list;
      for (auto v : kBauds) list += (list.empty() ? "" : " ") + std::to_string(v);
      return invalid_argument("serial: unsupported baud '" + it->second + "' (supported: " + list +
                              ")");
    }
    s.serial.baud = static_cast<std::uint32_t>(*b);
  }
  return s;
}

Status parse_ce(const std::string& v, Nrf24Options* o) {
  auto colon = v.rfind(':');
  auto bad = invalid_argument("nrf24: ce must be CHIP:LINE, e.g. gpiochip0:25, got '" + v + "'");
  if (colon == std::string::npos || colon == 0) return bad;
  auto line = parse_uint("nrf24", "ce line", v.substr(colon + 1), 0, 1023);
  if (!line) return line.status();
  o->gpio_chip = v.substr(0, colon);
  o->ce_line = static_cast<std::uint32_t>(*line);
  return Status::ok();
}

Status parse_address(const std::string& v, Nrf24Options* o) {
  std::string hex = v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X') ? v.substr(2) : v;
  if (hex.size() != 10)
    return invalid_argument(
        "nrf24: address must be 5 bytes as 10 hex digits, e.g. E056D446D0, "
        "got '" +
        v + "'");
  for (std::size_t i = 0; i < 5; ++i) {
    unsigned byte = 0;
    auto [end, ec] = std::from_chars(hex.data() + 2 * i, hex.data() + 2 * i + 2, byte, 16);
    if (ec != std::errc() || end != hex.data() + 2 * i + 2)
      return invalid_argument("nrf24: address has a non-hex digit: '" + v + "'");
    o->address[i] = static_cast<std::uint8_t>(byte);
  }
  // A constant level or the preamble pattern is found in noise (datasheet 7.3.2).
  bool same = true;
  for (auto b : o->address) same = same && b == o->address[0];
  if (same && (o->address[0] == 0x00 || o->address[0] == 0xFF || o->address[0] == 0x55 ||
               o->address[0] == 0xAA))
    return invalid_argument("nrf24: address '" + v + "' would match radio noise; pick another");
  return Status::ok();
}

Result<SourceUri> parse_nrf24(const std::string& text, const std::string& rest) {
  std::string path;
  auto q = split_query("nrf24", rest,
                       {"ce", "channel", "address", "rate", "payload", "poll_ms", "spi_hz"}, &path);
  if (!q) return q.status();
  if (path.empty() || path[0] != '/')
    return invalid_argument(
        "nrf24: expected a spidev path, e.g. nrf24:/dev/spidev0.0?ce="
        "gpiochip0:25, got '" +
        text + "'");
  SourceUri s;
  s.kind = SourceUri::Kind::kNrf24;
  s.text = text;
  Nrf24Options& o = s.nrf24;
  o.spi_device = path;
  for (const auto& [key, v] : *q) {
    if (key == "ce") {
      CW_RETURN_IF_ERROR(parse_ce(v, &o));
    } else if (key == "address") {
      CW_RETURN_IF_ERROR(parse_address(v, &o));
    } else if (key == "rate") {
      if (v == "250k")
        o.rate = Nrf24Rate::k250Kbps;
      else if (v == "1m")
        o.rate = Nrf24Rate::k1Mbps;
      else if (v == "2m")
        o.rate = Nrf24Rate::k2Mbps;
      else
        return invalid_argument("nrf24: rate must be 250k, 1m or 2m, got '" + v + "'");
    } else if (key == "payload") {
      if (v == "dynamic") {
        o.payload = 0;
      } else {
        auto n = parse_uint("nrf24", "payload", v, 1, 32);
        if (!n)
          return invalid_argument("nrf24: payload must be 'dynamic' or 1..32, got '" + v + "'");
        o.payload = static_cast<std::uint8_t>(*n);
      }
    } else {
      struct Range {
        const char* key;
        std::uint64_t lo, hi;
      };
      static constexpr Range kRanges[] = {
          {"channel", 0, 125}, {"poll_ms", 1, 1000}, {"spi_hz", 100'000, 10'000'000}};
      for (const auto& r : kRanges) {
        if (key != r.key) continue;
        auto n = parse_uint("nrf24", key, v, r.lo, r.hi);
        if (!n) return n.status();
        if (key == "channel") o.channel = static_cast<std::uint8_t>(*n);
        if (key == "poll_ms") o.poll_ms = static_cast<std::uint32_t>(*n);
        if (key == "spi_hz") o.spi_hz = static_cast<std::uint32_t>(*n);
      }
    }
  }
  return s;
}

Result<SourceUri> parse_tic(const std::string& text, const std::string& rest) {
  std::string path;
  auto q = split_query("tic", rest, {"mode", "interval"}, &path);
  if (!q) return q.status();
  if (path.empty() || path[0] != '/')
    return invalid_argument("tic: expected a device path, e.g. tic:/dev/ttyUSB0?mode=auto, got '" +
                            text + "'");
  SourceUri s;
  s.kind = SourceUri::Kind::kTic;
  s.text = text;
  s.tic.device = path;
  if (auto it = q->find("mode"); it != q->end()) {
    const std::string& m = it->second;
    if (m == "auto")
      s.tic.mode = TicModeOption::kAuto;
    else if (m == "historique")
      s.tic.mode = TicModeOption::kHistorique;
    else if (m == "standard")
      s.tic.mode = TicModeOption::kStandard;
    else
      return invalid_argument("tic: mode must be auto, historique or standard, got '" + m + "'");
  }
  if (auto it = q->find("interval"); it != q->end()) {
    auto n = parse_uint("tic", "interval", it->second, 0, 3600);
    if (!n) return n.status();
    s.tic.interval_s = static_cast<std::uint32_t>(*n);
  }
  return s;
}

}  // namespace

const std::uint32_t* supported_bauds(std::size_t* count) {
  *count = std::size(kBauds);
  return kBauds;
}

Result<UdpEndpoint> parse_host_port(const std::string& text) {
  auto bad = [&] {
    return invalid_argument("expected HOST:PORT (e.g. 127.0.0.1:8080), got '" + text + "'");
  };
  std::string host;
  std::string port;
  if (!text.empty() && text[0] == '[') {
    auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return bad();
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) return bad();
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.size() > 5) return bad();
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value > 65535) return bad();
  return UdpEndpoint{host, static_cast<std::uint16_t>(value)};
}

Result<SourceUri> parse_source_uri(const std::string& text) {
  const std::string udp = "udp://";
  if (text.rfind(udp, 0) == 0) {
    auto ep = parse_host_port(text.substr(udp.size()));
    if (!ep) return ep.status();
    SourceUri s;
    s.kind = SourceUri::Kind::kUdp;
    s.udp = *ep;
    s.text = text;
    return s;
  }
  // "serial:///dev/x" is accepted as well as "serial:/dev/x".
  for (const std::string scheme : {"serial:", "nrf24:", "tic:"}) {
    if (text.rfind(scheme, 0) != 0) continue;
    std::string rest = text.substr(scheme.size());
    if (rest.rfind("//", 0) == 0) rest = rest.substr(2);
    if (scheme == "tic:") return parse_tic(text, rest);
    return scheme == "serial:" ? parse_serial(text, rest) : parse_nrf24(text, rest);
  }
  return invalid_argument("unknown source '" + text +
                          "' (supported: udp://HOST:PORT, serial:/dev/TTY?baud=N, "
                          "nrf24:/dev/spidevB.C?ce=gpiochipN:LINE&channel=N&address=HEX, "
                          "tic:/dev/TTY?mode=auto|historique|standard)");
}

}  // namespace cw::ingest
