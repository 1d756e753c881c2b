#include "store/column_codec.h"

#include <zstd.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <memory>
#include <numeric>

namespace cw::store {

namespace {

// Byte layout (little endian, docs/storage.md), version 2:
//   u8 magic 0xCB | u8 version | varint records | u8 columns
//   | (u8 transform, varint zigzag(offset), varint divisor)[columns] | u8 layout
//   | varint payload_bytes | zstd frame | u32 crc32 of all bytes before it
// Version 1 had only the transform per column, no offset, divisor nor layout.

std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
std::int64_t unzigzag(std::uint64_t u) {
  return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Reads a varint from [*p, end); false when truncated or longer than 10 bytes.
bool get_varint(const std::uint8_t** p, const std::uint8_t* end, std::uint64_t* v) {
  std::uint64_t r = 0;
  for (int shift = 0; shift < 70 && *p < end; shift += 7) {
    std::uint8_t b = *(*p)++;
    if (shift == 63 && b > 1) return false;  // would overflow 64 bits
    r |= std::uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *v = r;
      return true;
    }
  }
  return false;
}

// Wrapping transforms: unsigned arithmetic so no value overflows.
std::vector<std::uint64_t> forward(const Column& c, Transform t) {
  const std::size_t n = c.values.size();
  std::vector<std::uint64_t> x(n);
  auto at = [&](std::size_t k) { return static_cast<std::uint64_t>(c.values[k]); };
  for (std::size_t i = 0; i < n; ++i) {
    switch (t) {
      case Transform::kDelta:
        x[i] = i == 0 ? at(0) : at(i) - at(i - 1);
        break;
      case Transform::kDeltaOfDelta:
        x[i] = i < 2 ? (i == 0 ? at(0) : at(1) - at(0))
                     : (at(i) - at(i - 1)) - (at(i - 1) - at(i - 2));
        break;
      default:
        x[i] = at(i);
    }
  }
  return x;
}

void inverse(Transform t, std::vector<std::uint64_t>& v) {
  if (t == Transform::kNone) return;
  if (t == Transform::kDeltaOfDelta) {
    for (std::size_t i = 2; i < v.size(); ++i) v[i] += v[i - 1];  // deltas from delta-of-deltas
  }
  for (std::size_t i = 1; i < v.size(); ++i) v[i] += v[i - 1];
}

std::uint64_t magnitude(std::uint64_t v) {
  return std::int64_t(v) < 0 ? ~v + 1 : v;
}

// One column, ready for the payload: x_0 as is, then (x_i - offset) / divisor. The offset is the
// median of x_1.., the divisor the greatest common divisor of their distances to it, so steady
// steps become zeros and quantised values (10 VA, 2 W) lose their constant factor.
struct EncodedColumn {
  Transform transform = Transform::kNone;
  std::uint64_t offset = 0;
  std::uint64_t divisor = 1;
  std::string bytes;
};

EncodedColumn encode_column(const Column& c, Transform t) {
  EncodedColumn e;
  e.transform = t;
  const std::vector<std::uint64_t> x = forward(c, t);
  const std::size_t n = x.size();
  if (n >= 3) {
    std::vector<std::int64_t> rest(x.begin() + 1, x.end());
    std::nth_element(rest.begin(), rest.begin() + rest.size() / 2, rest.end());
    e.offset = std::uint64_t(rest[rest.size() / 2]);
    std::uint64_t g = 0;
    for (std::size_t i = 1; i < n && g != 1; ++i) g = std::gcd(g, magnitude(x[i] - e.offset));
    e.divisor = (g == 0 || g > std::uint64_t(INT64_MAX)) ? 1 : g;
  }
  e.bytes.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t y =
        i == 0 ? std::int64_t(x[0]) : std::int64_t(x[i] - e.offset) / std::int64_t(e.divisor);
    put_varint(e.bytes, zigzag(y));
  }
  return e;
}

std::size_t probe_size(const std::string& bytes);

// kAuto: the transform whose column compresses smallest at the probe level.
EncodedColumn encode_column(const Column& c) {
  if (c.transform != Transform::kAuto) return encode_column(c, c.transform);
  EncodedColumn best;
  std::size_t best_size = SIZE_MAX;
  for (Transform t : {Transform::kNone, Transform::kDelta, Transform::kDeltaOfDelta}) {
    EncodedColumn e = encode_column(c, t);
    const std::size_t size = probe_size(e.bytes);
    if (size < best_size) best_size = size, best = std::move(e);
  }
  return best;
}

std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}

struct ZstdCCtx {
  ZSTD_CCtx* p = ZSTD_createCCtx();
  ~ZstdCCtx() { ZSTD_freeCCtx(p); }
};
struct ZstdDCtx {
  ZSTD_DCtx* p = ZSTD_createDCtx();
  ~ZstdDCtx() { ZSTD_freeDCtx(p); }
};

std::size_t probe_size(const std::string& bytes) {
  thread_local ZstdCCtx cctx;
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  const std::size_t z = ZSTD_compressCCtx(cctx.p, out.data(), out.size(), bytes.data(),
                                          bytes.size(), kProbeZstdLevel);
  return ZSTD_isError(z) ? bytes.size() : z;
}

bool known_transform(std::uint8_t t) {
  return t <= 2;
}

}  // namespace

std::uint32_t crc32(std::span<const std::uint8_t> bytes) {
  static const auto kTable = make_crc_table();
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::uint8_t b : bytes) c = kTable[(c ^ b) & 0xff] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

Result<std::string> encode_block(const ColumnBlock& block, int zstd_level) {
  const std::size_t n = block.records();
  if (block.columns.size() > kMaxColumns) return invalid_argument("block has too many columns");
  if (n > kMaxRecords || n * block.columns.size() > kMaxValues) {
    return invalid_argument("block has too many records");
  }
  std::vector<EncodedColumn> cols;
  cols.reserve(block.columns.size());
  for (const Column& c : block.columns) {
    if (c.values.size() != n) return invalid_argument("block columns differ in length");
    const auto t = static_cast<std::uint8_t>(c.transform);
    if (!known_transform(t) && c.transform != Transform::kAuto) {
      return invalid_argument("bad transform");
    }
    cols.push_back(encode_column(c));
  }
  std::string payload;
  for (const EncodedColumn& e : cols) payload += e.bytes;

  std::string out;
  out.push_back(static_cast<char>(kBlockMagic));
  out.push_back(static_cast<char>(kBlockVersion));
  put_varint(out, n);
  out.push_back(static_cast<char>(cols.size()));
  for (const EncodedColumn& e : cols) {
    out.push_back(static_cast<char>(e.transform));
    put_varint(out, zigzag(std::int64_t(e.offset)));
    put_varint(out, e.divisor);
  }
  out.push_back(static_cast<char>(block.layout));
  put_varint(out, payload.size());
  const std::size_t head = out.size();
  out.resize(head + ZSTD_compressBound(payload.size()));
  thread_local ZstdCCtx cctx;
  std::size_t z = ZSTD_compressCCtx(cctx.p, out.data() + head, out.size() - head, payload.data(),
                                    payload.size(), zstd_level);
  if (ZSTD_isError(z)) return internal_error(std::string("zstd: ") + ZSTD_getErrorName(z));
  out.resize(head + z);
  std::uint32_t crc = crc32({reinterpret_cast<const std::uint8_t*>(out.data()), out.size()});
  for (int k = 0; k < 4; ++k) out.push_back(static_cast<char>(crc >> (8 * k)));
  return out;
}

Result<ColumnBlock> decode_block(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 4 + 6) return corruption("block too short");
  const std::size_t body = bytes.size() - 4;
  std::uint32_t stored = 0;
  for (int k = 0; k < 4; ++k) stored |= std::uint32_t(bytes[body + k]) << (8 * k);
  if (crc32(bytes.first(body)) != stored) {
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION  // let the fuzzer reach the parser behind it
    return corruption("block checksum mismatch");
#endif
  }

  const std::uint8_t* p = bytes.data();
  const std::uint8_t* end = p + body;
  if (*p++ != kBlockMagic) return corruption("not a block (bad magic)");
  const std::uint8_t version = *p++;
  if (version != 1 && version != kBlockVersion) return corruption("unsupported block version");
  std::uint64_t n = 0, payload_size = 0;
  if (!get_varint(&p, end, &n) || n > kMaxRecords) return corruption("bad block record count");
  if (p >= end) return corruption("block header truncated");
  const std::size_t ncol = *p++;
  if (ncol > kMaxColumns || std::size_t(end - p) < ncol || n * ncol > kMaxValues) {
    return corruption("bad column count");
  }
  if (ncol == 0 && n != 0) return corruption("records without columns");
  ColumnBlock block;
  block.columns.resize(ncol);
  std::vector<std::uint64_t> offsets(ncol, 0), divisors(ncol, 1);
  for (std::size_t k = 0; k < ncol; ++k) {
    if (p >= end || !known_transform(*p)) return corruption("unknown column transform");
    block.columns[k].transform = static_cast<Transform>(*p++);
    if (version == 1) continue;
    std::uint64_t zoff = 0;
    if (!get_varint(&p, end, &zoff) || !get_varint(&p, end, &divisors[k]) || divisors[k] == 0 ||
        divisors[k] > std::uint64_t(INT64_MAX)) {
      return corruption("bad column frame of reference");
    }
    offsets[k] = std::uint64_t(unzigzag(zoff));
  }
  if (version >= 2) {
    if (p >= end) return corruption("block header truncated");
    block.layout = *p++;
  }
  if (!get_varint(&p, end, &payload_size) || payload_size > n * ncol * 10 ||
      payload_size < n * ncol) {
    return corruption("bad block payload size");
  }
  std::string payload(payload_size, '\0');
  thread_local ZstdDCtx dctx;
  std::size_t got = ZSTD_decompressDCtx(dctx.p, payload.data(), payload.size(), p, end - p);
  if (ZSTD_isError(got) || got != payload_size) return corruption("block payload does not inflate");

  const auto* q = reinterpret_cast<const std::uint8_t*>(payload.data());
  const auto* qend = q + payload.size();
  std::vector<std::uint64_t> raw(n);
  for (std::size_t k = 0; k < ncol; ++k) {
    Column& c = block.columns[k];
    for (std::uint64_t i = 0; i < n; ++i) {
      std::uint64_t z = 0;
      if (!get_varint(&q, qend, &z)) return corruption("block payload truncated");
      const std::uint64_t y = std::uint64_t(unzigzag(z));
      raw[i] = i == 0 ? y : offsets[k] + divisors[k] * y;
    }
    inverse(c.transform, raw);
    c.values.assign(raw.begin(), raw.end());
  }
  if (q != qend) return corruption("block payload has trailing bytes");
  return block;
}

}  // namespace cw::store
