// The TIC decoder on real captures (../shared/data/linky_tic, see its SOURCE.md): a Tempo meter
// in historique mode (captured_frames.bin: BBRHCJB 018328856 → 018328876; the .txt beside it is
// another capture of the same meter), Enedis's own historique and standard test frames (one with a
// deliberately wrong checksum) and a standard frame from a real meter.
#include "protocol/tic.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace cw::protocol::tic {
namespace {

std::vector<std::uint8_t> read_file(const std::string& rel) {
  std::ifstream in(std::string(CW_SHARED_DATA) + "/linky_tic/" + rel, std::ios::binary);
  EXPECT_TRUE(in.good()) << rel;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Decoded {
  std::vector<Frame> frames;
  std::vector<FrameError> errors;
};

Decoded decode(const std::vector<std::uint8_t>& bytes, Decoder& d) {
  Decoded out;
  for (auto b : bytes) {
    auto e = d.push(b);
    if (e == Decoder::Event::kFrame) out.frames.push_back(d.frame());
    if (e == Decoder::Event::kError) out.errors.push_back(d.error());
  }
  return out;
}

Decoded decode(const std::vector<std::uint8_t>& bytes) {
  Decoder d;
  return decode(bytes, d);
}

const Group* find(const Frame& f, const char* label) {
  for (std::size_t i = 0; i < f.count; ++i)
    if (std::strcmp(f.groups[i].label, label) == 0) return &f.groups[i];
  return nullptr;
}

TEST(Tic, RealHistoriqueCaptureOfATempoMeterDecodesEveryGroup) {
  auto out = decode(read_file("pyteleinfo_esciara/captured_frames.bin"));
  ASSERT_EQ(out.frames.size(), 10u);
  EXPECT_TRUE(out.errors.empty());
  for (const auto& f : out.frames) {
    EXPECT_EQ(f.count, 16u);
    EXPECT_EQ(f.bad_groups, 0u);
    EXPECT_EQ(f.mode, Mode::kHistorique);
  }
  const Frame& first = out.frames.front();
  EXPECT_STREQ(find(first, "ADCO")->value, "021861348497");
  EXPECT_STREQ(find(first, "OPTARIF")->value, "BBR(");
  EXPECT_STREQ(find(first, "PTEC")->value, "HCJB");
  EXPECT_STREQ(find(first, "BBRHCJB")->value, "018328856");
  EXPECT_STREQ(find(out.frames.back(), "BBRHCJB")->value, "018328876");
  EXPECT_EQ(find(first, "PAPP")->method, 1);  // historique: the last separator is not summed
}

TEST(Tic, EnedisStandardFrameWithHorodatesAndEmptyData) {
  auto out = decode(read_file("enedis_tic2websocket/ticFrameStandard.txt"));
  ASSERT_EQ(out.frames.size(), 1u);
  const Frame& f = out.frames[0];
  EXPECT_EQ(f.mode, Mode::kStandard);
  EXPECT_EQ(f.count, 38u);
  EXPECT_EQ(f.bad_groups, 0u);
  const Group* date = find(f, "DATE");
  ASSERT_NE(date, nullptr);
  EXPECT_STREQ(date->date, "E170915101601");
  EXPECT_STREQ(date->value, "");
  EXPECT_STREQ(find(f, "SMAXSN")->date, "E170915100926");
  EXPECT_STREQ(find(f, "SMAXSN")->value, "00000");
  EXPECT_STREQ(find(f, "LTARF")->value, "INDEX INACTIF 2 ");
  EXPECT_STREQ(find(f, "MSG1")->value, "PAS DE          MESSAGE         ");
  EXPECT_EQ(std::strlen(find(f, "PJOURF+1")->value), 98u);
  EXPECT_EQ(find(f, "ADSC")->method, 2);  // standard: the last HT is summed
}

TEST(Tic, AWrongChecksumDropsThatGroupAlone) {
  auto out = decode(read_file("enedis_tic2websocket/ticFrameStandard_PCOUP_Invalid.txt"));
  ASSERT_EQ(out.frames.size(), 1u);
  const Frame& f = out.frames[0];
  EXPECT_EQ(f.count, 37u);
  EXPECT_EQ(f.bad_groups, 1u);
  EXPECT_EQ(find(f, "PCOUP"), nullptr);
  EXPECT_NE(find(f, "PREF"), nullptr);
  EXPECT_NE(find(f, "SINSTS"), nullptr);
}

TEST(Tic, HistoriqueAndStandardFramesOfOtherMeters) {
  auto h = decode(read_file("enedis_tic2websocket/ticFrameHistoric.txt"));
  ASSERT_EQ(h.frames.size(), 1u);
  EXPECT_EQ(h.frames[0].count, 9u);
  EXPECT_STREQ(find(h.frames[0], "BASE")->value, "000000104");
  auto s = decode(read_file("goteleinfo_test_literal/standard_frame_from_reader_test_go.bin"));
  ASSERT_EQ(s.frames.size(), 1u);
  EXPECT_EQ(s.frames[0].count, 38u);
  EXPECT_STREQ(find(s.frames[0], "EAST")->value, "017026175");
}

TEST(Tic, ResynchronisesAfterNoiseACutFrameAndEot) {
  auto good = read_file("enedis_tic2websocket/ticFrameHistoric.txt");
  std::vector<std::uint8_t> stream = {0x55, 0xAA, 0x0D, 0x0A, 'x'};  // noise before any STX
  stream.insert(stream.end(), good.begin(), good.begin() + 40);      // cut by a new frame
  stream.insert(stream.end(), good.begin(), good.end());
  stream.insert(stream.end(), good.begin(), good.begin() + 30);
  stream.push_back(0x04);  // EOT: the meter interrupts its frame
  stream.insert(stream.end(), good.begin(), good.end());
  Decoder d;
  auto out = decode(stream, d);
  ASSERT_EQ(out.frames.size(), 2u);
  EXPECT_EQ(out.frames[1].count, 9u);
  ASSERT_EQ(out.errors.size(), 2u);
  EXPECT_EQ(out.errors[0], FrameError::kInterrupted);
  EXPECT_EQ(out.errors[1], FrameError::kInterrupted);
  EXPECT_EQ(d.noise_bytes(), 5u);
}

TEST(Tic, EightBitReadsOfA7E1LineKeepWorking) {
  auto bytes = read_file("enedis_tic2websocket/ticFrameHistoric.txt");
  for (auto& b : bytes) {  // add the even parity bit, as a UART set to 8N1 would show it
    int ones = __builtin_popcount(b);
    if (ones % 2) b |= 0x80;
  }
  auto out = decode(bytes);
  ASSERT_EQ(out.frames.size(), 1u);
  EXPECT_EQ(out.frames[0].count, 9u);
}

TEST(Tic, GroupShapesAndChecksums) {
  Group g{};
  auto parse = [&](const std::string& s) {
    return parse_group(reinterpret_cast<const std::uint8_t*>(s.data()), s.size(), &g);
  };
  EXPECT_EQ(parse("PTEC TH.. $"), GroupError::kOk);
  EXPECT_EQ(parse("PTEC TH.. %"), GroupError::kBadChecksum);
  EXPECT_EQ(parse("PTECTH..$"), GroupError::kNoSeparator);
  EXPECT_EQ(parse("P $"), GroupError::kTooShort);
  EXPECT_EQ(parse(std::string("PT\x01"
                              "EC TH.. $")),
            GroupError::kBadChar);
  // Method 2 in historique (some meters sum the last space too).
  std::string body = "ISOUSC 30 ";
  std::string m2 = body + static_cast<char>(checksum(
                              reinterpret_cast<const std::uint8_t*>(body.data()), body.size()));
  EXPECT_EQ(parse(m2), GroupError::kOk);
  EXPECT_EQ(g.method, 2);
  EXPECT_STREQ(g.value, "30");
  std::string longv = "MSG1\t" + std::string(200, 'A') + "\t";
  longv += static_cast<char>(
      checksum(reinterpret_cast<const std::uint8_t*>(longv.data()), longv.size()));
  EXPECT_EQ(parse(longv), GroupError::kTooLong);
}

TEST(Tic, AnOverlongGroupOrTooManyGroupsIsAFrameError) {
  Decoder d;
  d.push(0x02);
  d.push(0x0A);
  Decoder::Event e = Decoder::Event::kNone;
  for (std::size_t i = 0; i <= kMaxGroupBytes && e == Decoder::Event::kNone; ++i) e = d.push('A');
  EXPECT_EQ(e, Decoder::Event::kError);
  EXPECT_EQ(d.error(), FrameError::kGroupOverflow);
  d.push(0x02);
  e = Decoder::Event::kNone;
  for (std::size_t i = 0; i <= kMaxGroups && e == Decoder::Event::kNone; ++i) {
    for (char c : std::string("\nPTEC TH.. $\r")) {
      e = d.push(static_cast<std::uint8_t>(c));
      if (e != Decoder::Event::kNone) break;
    }
  }
  EXPECT_EQ(e, Decoder::Event::kError);
  EXPECT_EQ(d.error(), FrameError::kTooManyGroups);
}

}  // namespace
}  // namespace cw::protocol::tic
