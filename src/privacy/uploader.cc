// The privacy service's worker passes (service.h says what each does and why).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

#include "privacy/blind_rsa.h"
#include "privacy/contribution_builder.h"
#include "privacy/hub_client.h"
#include "privacy/service.h"

namespace cw::privacy {

using nlohmann::json;

struct PrivacyService::HubHandle {
  HubClient client;
  std::string credential;
};

namespace {

constexpr int kHubWindowDays = 40;  // the hub takes days up to this old (docs/hub.md)

std::uint64_t random_u64() {
  Bytes b = random_bytes(8);
  std::uint64_t v = 0;
  for (std::uint8_t c : b) v = (v << 8) | c;
  return v;
}

// The days in a state whose time has come.
std::vector<QueueItem*> due_in(std::vector<QueueItem>& items, QueueItem::State state, TimeMs now) {
  std::vector<QueueItem*> due;
  for (QueueItem& q : items)
    if (q.state == state && q.next_try_ms <= now) due.push_back(&q);
  return due;
}

}  // namespace

Result<PrivacyService::HubHandle> PrivacyService::hub() {
  auto url = db_.setting("hub_url");
  auto cred = db_.setting("hub_credential");
  auto ca = db_.setting("hub_ca_pem");
  if (!url || !cred || !ca) return internal_error("privacy database unreadable");
  if (!*url || !*cred) return not_found("no hub configured");
  auto ep = parse_hub_url(**url);
  if (!ep) return ep.status();
  ep->ca_pem = ca->value_or("");
  return HubHandle{HubClient(*ep, options_.timeout_s), **cred};
}

TimeMs PrivacyService::backoff(int attempts) const {
  const TimeMs base = options_.backoff_base_ms << std::min(attempts, 20);
  const TimeMs capped = std::min(base, options_.backoff_max_ms);
  return capped / 2 +
         static_cast<TimeMs>(random_u64() % static_cast<std::uint64_t>(capped / 2 + 1));
}

void PrivacyService::run_once() {
  std::lock_guard work(work_mu_);
  auto ledger = db_.ledger();
  if (!ledger) return spdlog::warn("privacy: {}", ledger.status().to_string());
  const ConsentState consent = fold_ledger(*ledger);
  for (Status s : {send_erasures(), schedule_days(consent), get_tokens(), upload_due(),
                   refresh_comparator(consent)})
    if (!s && s.code() != Code::kNotFound) spdlog::warn("privacy: {}", s.to_string());
}

Status PrivacyService::schedule_days(const ConsentState& consent) {
  if (!consent.any_purpose()) return Status::ok();
  auto sensor = main_sensor();
  if (!sensor) return sensor.status();
  auto ctx = context();
  if (!ctx) return ctx.status();
  auto secret = db_.household_secret();
  if (!secret) return secret.status();
  const TimeMs now = clock_.now();
  TimeMs first = now;
  for (ConsentItem i : {ConsentItem::kOpenData, ConsentItem::kComparator, ConsentItem::kChallenges})
    if (const auto& e = consent.of(i))
      first = std::min(first, calendar_.floor(e->t, Period::kDay) - e->backfill_days * kDayMs);
  first = std::max(calendar_.floor(first + 12 * kHourMs, Period::kDay),
                   calendar_.floor(now, Period::kDay) - kHubWindowDays * kDayMs);
  for (TimeMs day = first; calendar_.next(day, Period::kDay) + options_.settle_ms <= now;
       day = calendar_.next(day, Period::kDay)) {
    const std::string period = format_day(calendar_, day);
    auto queued = db_.has_period(period);
    if (!queued) return queued.status();
    if (*queued) continue;
    BuildRequest req{*sensor, day, consent.purposes(), consent.half_hour.has_value(), *ctx};
    auto built = build_contribution(store_, calendar_, req);
    if (!built) return built.status();
    QueueItem item;
    item.period = period;
    if (!*built) {
      item.state = QueueItem::State::kFailed;
      item.body = "{}";
      CW_RETURN_IF_ERROR(db_.insert(item));
      item.last_error = "not enough data that day";
      CW_RETURN_IF_ERROR(db_.update(item));
      continue;
    }
    Contribution& c = **built;
    c.delete_hash = sha256(deletion_handle(*secret, period));
    item.body = to_json(c).dump();
    CW_RETURN_IF_ERROR(db_.insert(item));
    item.blind = json{{"binding", b64url(sha256(binding_text(c)))}}.dump();
    CW_RETURN_IF_ERROR(db_.update(item));
  }
  return Status::ok();
}

Status PrivacyService::send_erasures() {
  auto handles = db_.pending_erasures();
  if (!handles) return handles.status();
  if (handles->empty() || clock_.now() < erasure_next_try_) return Status::ok();
  auto h = hub();
  if (!h) return h.status();
  auto erased = h->client.erase(*handles);
  if (!erased && erased.status().code() == Code::kUnavailable) {
    erasure_next_try_ = clock_.now() + backoff(erasure_attempts_++);
    return erased.status();
  }
  // A refusal other than unavailability cannot get better by retrying (the hub has no such
  // handles): the erasure is over either way.
  erasure_attempts_ = 0;
  spdlog::info("privacy: erasure of {} days confirmed by the hub ({} removed)", handles->size(),
               erased ? *erased : 0);
  return db_.erasures_done(*handles);
}

Status PrivacyService::get_tokens() {
  auto items = db_.items();
  if (!items) return items.status();
  const TimeMs now = clock_.now();
  std::vector<QueueItem*> due = due_in(*items, QueueItem::State::kPending, now);
  if (due.empty()) return Status::ok();
  auto h = hub();
  if (!h) return h.status();
  std::vector<TokenRequest> requests;
  std::vector<QueueItem*> asked;
  for (QueueItem* q : due) {
    json blind = json::parse(q->blind, nullptr, false);
    if (!blind.contains("key")) {  // first attempt: fetch the key, blind, persist before asking
      auto pem = h->client.period_key(q->period);
      if (!pem) {
        q->last_error = pem.status().message();
        q->next_try_ms = now + backoff(q->attempts++);
        CW_RETURN_IF_ERROR(db_.update(*q));
        continue;
      }
      auto pk = BlindRsaPublicKey::from_pem(*pem);
      auto binding = from_b64url(blind.value("binding", ""));
      if (!pk || !binding) return internal_error("bad key from the hub or bad queue item");
      Bytes input = prepare(*binding);
      auto b = privacy::blind(*pk, input);
      if (!b) return b.status();
      blind = {{"binding", blind["binding"]}, {"key", *pem},
               {"key_id", pk->key_id()},      {"input", b64url(input)},
               {"inv", b64url(b->inv)},       {"blinded", b64url(b->blinded_msg)}};
      q->blind = blind.dump();
      CW_RETURN_IF_ERROR(db_.update(*q));
    }
    requests.push_back({q->period, blind["key_id"], *from_b64url(blind.value("blinded", ""))});
    asked.push_back(q);
  }
  if (requests.empty()) return Status::ok();
  auto sigs = h->client.issue(h->credential, requests);
  for (std::size_t i = 0; i < asked.size(); ++i) {
    QueueItem& q = *asked[i];
    if (!sigs) {
      q.last_error = sigs.status().message();
      q.next_try_ms = now + backoff(q.attempts++);
    } else if (!(*sigs)[i]) {
      q.state = QueueItem::State::kFailed;
      q.last_error = (*sigs)[i].status().message();
    } else {
      json blind = json::parse(q.blind);
      auto pk = BlindRsaPublicKey::from_pem(blind["key"]);
      Bytes input = *from_b64url(blind.value("input", "")),
            inv = *from_b64url(blind.value("inv", ""));
      auto sig = pk ? finalize(*pk, *(*sigs)[i], inv, input) : Result<Bytes>(pk.status());
      if (!sig) {
        q.state = QueueItem::State::kFailed;
        q.last_error = "the hub's signature does not verify: " + sig.status().message();
      } else {
        q.state = QueueItem::State::kTokened;
        q.token = json{{"key_id", blind["key_id"]}, {"msg", blind["input"]}, {"sig", b64url(*sig)}}
                      .dump();
        q.attempts = 0;
        q.last_error.clear();
        const auto spread = static_cast<std::uint64_t>(options_.upload_spread_ms);
        q.next_try_ms = now + (spread ? static_cast<TimeMs>(random_u64() % spread) : 0);
      }
    }
    CW_RETURN_IF_ERROR(db_.update(q));
  }
  return sigs.status();
}

Status PrivacyService::upload_due() {
  auto items = db_.items();
  if (!items) return items.status();
  const TimeMs now = clock_.now();
  std::vector<QueueItem*> due = due_in(*items, QueueItem::State::kTokened, now);
  if (due.empty()) return Status::ok();
  std::shuffle(due.begin(), due.end(), std::mt19937_64(random_u64()));
  auto h = hub();
  if (!h) return h.status();
  auto secret = db_.household_secret();
  if (!secret) return secret.status();
  const std::uint64_t generation = revocations_;
  for (QueueItem* q : due) {
    if (revocations_ != generation) break;  // revoked meanwhile: not one more upload
    json body = json::parse(q->body);
    body["token"] = json::parse(q->token);
    Status s = h->client.upload(body);
    if (s && revocations_ != generation) {
      // Revoked while this upload was on its way: erase it like the others.
      CW_RETURN_IF_ERROR(
          db_.cancel_and_erase({{q->period, b64url(deletion_handle(*secret, q->period))}}));
      erasure_next_try_ = 0;
      continue;
    }
    if (s) {
      q->state = QueueItem::State::kSent;
      q->sent_ms = clock_.now();
      q->last_error.clear();
    } else if (s.code() == Code::kUnavailable) {
      q->last_error = s.message();
      q->next_try_ms = now + backoff(q->attempts++);
    } else {
      q->state = QueueItem::State::kFailed;
      q->last_error = s.message();
    }
    CW_RETURN_IF_ERROR(db_.update(*q));
  }
  return Status::ok();
}

Status PrivacyService::refresh_comparator(const ConsentState& consent) {
  if (!consent.comparator) return Status::ok();
  const TimeMs now = clock_.now();
  if (comparator_fetched_ && now - comparator_fetched_ < options_.comparator_refresh_ms)
    return Status::ok();
  auto h = hub();
  if (!h) return h.status();
  auto dist = h->client.comparator();
  if (!dist) return dist.status();
  comparator_fetched_ = now;
  return db_.set_setting("comparator_cache", dist->dump());
}

}  // namespace cw::privacy
