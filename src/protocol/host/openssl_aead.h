// AES-128-CCM (M = 8, L = 2) from OpenSSL, for the base and the simulator.
#pragma once

#include "protocol/frame.h"

namespace cw::protocol {

const Aead& openssl_aead();

}  // namespace cw::protocol
