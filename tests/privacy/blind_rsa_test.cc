// RSA blind signatures against the RFC 9474 test vectors, and the protocol's refusals.
#include "privacy/blind_rsa.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "privacy/encoding.h"

namespace cw::privacy {
namespace {

using nlohmann::json;

json vectors() {
  std::ifstream in(std::string(CW_SOURCE_DIR) + "/tests/privacy/rfc9474_vectors.json");
  return json::parse(in);
}

Bytes h(const json& j, const char* name) {
  auto b = from_hex(j[name].get<std::string>());
  EXPECT_TRUE(b.is_ok()) << name;
  return b.is_ok() ? *b : Bytes{};
}

BlindRsaPrivateKey vector_key() {
  json k = vectors()["key"];
  auto sk =
      BlindRsaPrivateKey::from_components(h(k, "n"), h(k, "e"), h(k, "d"), h(k, "p"), h(k, "q"));
  EXPECT_TRUE(sk.is_ok()) << sk.status().to_string();
  return *sk;
}

TEST(BlindRsaVectors, EveryStepMatchesTheRfc) {
  const BlindRsaPrivateKey sk = vector_key();
  const BlindRsaPublicKey pk = sk.public_key();
  ASSERT_EQ(pk.modulus_bytes(), 512u);
  int checked = 0;
  const json all = vectors();  // the loop must not range over a member of a temporary
  for (const json& v : all["vectors"]) {
    SCOPED_TRACE(v["name"].get<std::string>());
    Bytes input = h(v, "msg_prefix");
    Bytes msg = h(v, "msg");
    input.insert(input.end(), msg.begin(), msg.end());
    EXPECT_EQ(input, h(v, "input_msg"));
    auto blinded = blind_with(pk, input, h(v, "salt"), h(v, "inv"));
    ASSERT_TRUE(blinded.is_ok()) << blinded.status().to_string();
    EXPECT_EQ(blinded->blinded_msg, h(v, "blinded_msg"));
    EXPECT_EQ(blinded->inv, h(v, "inv"));
    auto blind_sig = blind_sign(sk, blinded->blinded_msg);
    ASSERT_TRUE(blind_sig.is_ok()) << blind_sig.status().to_string();
    EXPECT_EQ(*blind_sig, h(v, "blind_sig"));
    auto sig = finalize(pk, *blind_sig, blinded->inv, input);
    ASSERT_TRUE(sig.is_ok()) << sig.status().to_string();
    EXPECT_EQ(*sig, h(v, "sig"));
    EXPECT_TRUE(verify(pk, input, *sig).is_ok());
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

TEST(BlindRsaVectors, AlteredSignatureOrMessageIsRefused) {
  const BlindRsaPrivateKey sk = vector_key();
  const BlindRsaPublicKey pk = sk.public_key();
  const json v = vectors()["vectors"][0];
  Bytes input = h(v, "input_msg"), sig = h(v, "sig");
  ASSERT_TRUE(verify(pk, input, sig).is_ok());
  Bytes bad_sig = sig;
  bad_sig[100] ^= 1;
  EXPECT_FALSE(verify(pk, input, bad_sig).is_ok());
  Bytes bad_input = input;
  bad_input[0] ^= 1;
  EXPECT_FALSE(verify(pk, bad_input, sig).is_ok());
  // Unblinding with the wrong inverse gives no valid signature, and finalize says so.
  Bytes inv = h(v, "inv");
  inv[inv.size() - 1] ^= 2;
  EXPECT_FALSE(finalize(pk, h(v, "blind_sig"), inv, input).is_ok());
  // The signer refuses a representative >= n and a wrong size.
  Bytes too_big(512, 0xff);
  EXPECT_EQ(blind_sign(sk, too_big).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(blind_sign(sk, Bytes(100, 1)).status().code(), Code::kInvalidArgument);
}

TEST(BlindRsa, FreshKeyRoundTripIsUnlinkableAndPemSurvives) {
  auto sk = BlindRsaPrivateKey::generate(2048);
  ASSERT_TRUE(sk.is_ok());
  auto sk2 = BlindRsaPrivateKey::from_pem(sk->to_pem());
  ASSERT_TRUE(sk2.is_ok());
  auto pk = BlindRsaPublicKey::from_pem(sk->public_key().to_pem());
  ASSERT_TRUE(pk.is_ok());
  EXPECT_EQ(pk->key_id(), sk2->public_key().key_id());
  const Bytes msg = sha256(std::string_view("a contribution"));
  const Bytes input = prepare(msg);
  ASSERT_EQ(input.size(), kPrefixBytes + msg.size());
  auto b1 = blind(*pk, input), b2 = blind(*pk, input);
  ASSERT_TRUE(b1.is_ok() && b2.is_ok());
  // Blinding the same message twice gives unrelated blinded messages: the signer learns nothing.
  EXPECT_NE(b1->blinded_msg, b2->blinded_msg);
  auto s1 = blind_sign(*sk2, b1->blinded_msg);
  ASSERT_TRUE(s1.is_ok());
  auto sig = finalize(*pk, *s1, b1->inv, input);
  ASSERT_TRUE(sig.is_ok()) << sig.status().to_string();
  EXPECT_TRUE(verify(*pk, input, *sig).is_ok());
  EXPECT_NE(*sig, *s1);
  // A signature under another key does not verify.
  auto other = BlindRsaPrivateKey::generate(2048);
  ASSERT_TRUE(other.is_ok());
  EXPECT_FALSE(verify(other->public_key(), input, *sig).is_ok());
}

TEST(BlindRsa, WeakKeysAreRefused) {
  auto small = BlindRsaPrivateKey::generate(1024);
  ASSERT_TRUE(!small.is_ok() || !BlindRsaPublicKey::from_pem(small->public_key().to_pem()).is_ok());
  EXPECT_FALSE(
      BlindRsaPublicKey::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
          .is_ok());
}

}  // namespace
}  // namespace cw::privacy
