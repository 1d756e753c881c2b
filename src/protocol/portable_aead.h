// The firmware's AEAD for frame v2: AES-128-CCM with M = 8, L = 2 (13-byte nonce), built on the
// portable ccm.h. It produces the same bytes as openssl_aead() (protocol/host/openssl_aead.h);
// tests/protocol/portable_aead_test.cc checks that on published vectors and random cases.
//
// Portable: no heap, no exceptions, no OS; builds for AVR. Thread-safe (no state).
#pragma once

#include "protocol/frame.h"

namespace cw {
namespace protocol {

const Aead& portable_aead();

}  // namespace protocol
}  // namespace cw
