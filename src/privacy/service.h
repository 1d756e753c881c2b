// The base's privacy service: consent, what is shared, the comparator at home, and the upload
// worker that takes each consented day to the hub (docs/privacy.md).
//
// The worker (one thread, started by start(), stopped by stop() or the destructor) wakes every
// poll interval, or at once on wake() (a consent change):
//   1. queues every finished, consented day not queued yet (its contribution is built once);
//   2. sends pending erasures (after a revocation) until the hub confirms them;
//   3. gets one blind token per queued day: the period's key is fetched anonymously, the
//      blinded messages go in one request authenticated by the base's credential;
//   4. uploads each tokened day on its own connection, in random order, each after a random
//      delay within upload_spread_ms of its token, so neither order nor timing ties uploads
//      to the token request or to each other;
//   5. refreshes the community distributions for the comparator.
// A failure leaves the day queued on disk, retried with exponential backoff and jitter.
//
// Thread-safety: every public method may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "core/calendar.h"
#include "core/time.h"
#include "privacy/base_store.h"
#include "privacy/contribution.h"
#include "store/store.h"

namespace cw::privacy {

struct ServiceOptions {
  TimeMs poll_ms = kMinute;
  TimeMs upload_spread_ms = kHourMs;  // uploads are spread at random over this after tokens
  TimeMs backoff_base_ms = 30 * kSecondMs;
  TimeMs backoff_max_ms = kHourMs;
  TimeMs settle_ms = 15 * kMinuteMs;  // a day is built this long after it ends (late frames)
  TimeMs comparator_refresh_ms = 6 * kHourMs;
  int timeout_s = 10;
  static constexpr TimeMs kMinute = 60 * 1000;
};

class PrivacyService {
 public:
  PrivacyService(PrivacyStore& db, store::Store& store, const Calendar& calendar,
                 const Clock& clock, ServiceOptions options = {});
  ~PrivacyService();
  PrivacyService(const PrivacyService&) = delete;
  PrivacyService& operator=(const PrivacyService&) = delete;

  void start();
  void stop();
  void wake();

  // GET /api/v1/privacy: consents, their texts, context, hub, queue, ledger.
  Result<nlohmann::json> state();
  // Grant (with the text version and language shown) or revoke one item. Revoking a purpose
  // erases every contribution already sent (each carried that purpose) and cancels the queue;
  // the purposes still granted go on from the next day.
  Status set_consent(ConsentItem item, bool granted, const std::string& text_version,
                     const std::string& lang, int backfill_days);
  Status revoke_all();
  Status set_context(const Context& c);
  // The hub's URL, the base's enrolment credential (cwb_...) and optionally its CA in PEM.
  Status set_hub(const std::string& url, const std::string& credential, const std::string& ca_pem);
  // Every day on its way or sent: the exact JSON that leaves the home (never the token's secrets).
  Result<nlohmann::json> shared();
  // The household ranked against its community, computed here from downloaded distributions.
  Result<nlohmann::json> comparator();

  // One pass of the worker (tests drive it directly).
  void run_once();

 private:
  void loop();
  Status schedule_days(const ConsentState& consent);
  Status send_erasures();
  Status get_tokens();
  Status upload_due();
  Status refresh_comparator(const ConsentState& consent);
  Result<Context> context();
  Result<SensorId> main_sensor();
  TimeMs backoff(int attempts) const;
  bool hub_ready(std::string* credential);
  struct HubHandle;
  Result<HubHandle> hub();

  PrivacyStore& db_;
  store::Store& store_;
  const Calendar& calendar_;
  const Clock& clock_;
  const ServiceOptions options_;
  std::mutex work_mu_;     // one worker pass at a time (run_once from tests and the thread)
  std::mutex consent_mu_;  // one consent change at a time; never waits for a worker pass
  // Bumped by every revocation: a pass that sees it change stops uploading, and erases what it
  // uploaded meanwhile, so a revocation takes effect at once, even mid-pass.
  std::atomic<std::uint64_t> revocations_{0};
  std::atomic<TimeMs> erasure_next_try_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false, woken_ = false;  // guarded by mu_
  TimeMs comparator_fetched_ = 0;      // guarded by work_mu_
  int erasure_attempts_ = 0;
  std::thread thread_;
};

}  // namespace cw::privacy
