// The login throttle's backoff, its bound, and the trust of addresses that logged in before.
#include "web/login_throttle.h"

#include <gtest/gtest.h>

namespace cw::web {
namespace {

TEST(LoginThrottleTest, BackoffDoublesUpToTheCapAndIsForgotten) {
  LoginThrottle t(LoginThrottle::Options{.free_failures = 2,
                                         .base_wait_ms = 1000,
                                         .max_wait_ms = 5000,
                                         .forget_ms = 60000,
                                         .max_clients = 4});
  TimeMs now = 1000000;
  t.failed("a", now);
  t.failed("a", now);
  EXPECT_EQ(t.retry_after("a", now), 0);
  const TimeMs waits[] = {1000, 2000, 4000, 5000, 5000};
  for (TimeMs w : waits) {
    t.failed("a", now);
    EXPECT_EQ(t.retry_after("a", now), w);
    EXPECT_EQ(t.retry_after("a", now + w - 1), 1);
    EXPECT_EQ(t.retry_after("b", now), 0) << "keys are independent";
    now += w;
  }
  t.failed("a", now);
  EXPECT_EQ(t.retry_after("a", now + 60000), 0) << "forgotten an hour after the last failure";
  t.failed("a", now);
  t.succeeded("a");
  EXPECT_EQ(t.retry_after("a", now), 0);
}

TEST(LoginThrottleTest, TrustIsBounded) {
  LoginThrottle t(LoginThrottle::Options{.max_clients = 2});
  t.trust("alice\n10.0.0.2");
  EXPECT_TRUE(t.trusted("alice\n10.0.0.2"));
  EXPECT_FALSE(t.trusted("alice\n10.0.0.66"));
  t.trust("bob\n10.0.0.3");
  t.trust("carol\n10.0.0.4");
  EXPECT_FALSE(t.trusted("alice\n10.0.0.2")) << "the oldest is dropped first";
  EXPECT_TRUE(t.trusted("carol\n10.0.0.4"));
}

TEST(LoginThrottleTest, AFloodOfKeysStaysBounded) {
  LoginThrottle t(LoginThrottle::Options{.free_failures = 0, .max_clients = 8});
  for (int k = 0; k < 1000; ++k) t.failed("10.0.0." + std::to_string(k), 5000);
  int held = 0;
  for (int k = 0; k < 1000; ++k) held += t.retry_after("10.0.0." + std::to_string(k), 5000) > 0;
  EXPECT_LE(held, 8);
}

}  // namespace
}  // namespace cw::web
