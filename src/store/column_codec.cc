#include "store/column_codec.h"

#include <zstd.h>

#include <array>
#include <memory>

namespace cw::store {

namespace {

// Byte layout (little endian, docs/storage.md):
//   u8 magic 0xCB | u8 version | varint records | u8 columns | u8 transform[columns]
//   | varint payload_bytes | zstd frame | u32 crc32 of all bytes before it

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
std::uint64_t forward(const Column& c, std::size_t i) {
  auto at = [&](std::size_t k) { return static_cast<std::uint64_t>(c.values[k]); };
  switch (c.transform) {
    case Transform::kNone:
      return at(i);
    case Transform::kDelta:
      return i == 0 ? at(0) : at(i) - at(i - 1);
    case Transform::kDeltaOfDelta:
      if (i < 2) return i == 0 ? at(0) : at(1) - at(0);
      return (at(i) - at(i - 1)) - (at(i - 1) - at(i - 2));
  }
  return 0;
}

void inverse(Transform t, std::vector<std::uint64_t>& v) {
  if (t == Transform::kNone) return;
  if (t == Transform::kDeltaOfDelta) {
    for (std::size_t i = 2; i < v.size(); ++i) v[i] += v[i - 1];  // deltas from delta-of-deltas
  }
  for (std::size_t i = 1; i < v.size(); ++i) v[i] += v[i - 1];
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
  std::string payload;
  payload.reserve(n * block.columns.size() * 2);
  for (const Column& c : block.columns) {
    if (c.values.size() != n) return invalid_argument("block columns differ in length");
    if (static_cast<std::uint8_t>(c.transform) > 2) return invalid_argument("bad transform");
    for (std::size_t i = 0; i < n; ++i) put_varint(payload, zigzag(std::int64_t(forward(c, i))));
  }
  std::string out;
  out.push_back(static_cast<char>(kBlockMagic));
  out.push_back(static_cast<char>(kBlockVersion));
  put_varint(out, n);
  out.push_back(static_cast<char>(block.columns.size()));
  for (const Column& c : block.columns) out.push_back(static_cast<char>(c.transform));
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
  if (*p++ != kBlockVersion) return corruption("unsupported block version");
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
  for (Column& c : block.columns) {
    if (*p > 2) return corruption("unknown column transform");
    c.transform = static_cast<Transform>(*p++);
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
  for (Column& c : block.columns) {
    for (std::uint64_t i = 0; i < n; ++i) {
      std::uint64_t z = 0;
      if (!get_varint(&q, qend, &z)) return corruption("block payload truncated");
      raw[i] = std::uint64_t(unzigzag(z));
    }
    inverse(c.transform, raw);
    c.values.assign(raw.begin(), raw.end());
  }
  if (q != qend) return corruption("block payload has trailing bytes");
  return block;
}

}  // namespace cw::store
