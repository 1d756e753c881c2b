// The privacy service's API side: consent, context, hub settings, what is shared, comparator.
// The worker's passes are in uploader.cc.
#include "privacy/service.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "analytics/energy.h"
#include "privacy/comparator.h"
#include "privacy/contribution_builder.h"
#include "privacy/hub_client.h"

namespace cw::privacy {

using nlohmann::json;

namespace {

json entry_json(const LedgerEntry& e) {
  return {{"seq", e.seq},
          {"t", format_iso_utc(e.t)},
          {"purpose", consent_item_name(e.item)},
          {"granted", e.granted},
          {"text_version", e.text_version},
          {"lang", e.lang},
          {"text_sha256", e.text_sha256},
          {"backfill_days", e.backfill_days}};
}

json context_json(const Context& c) {
  return {{"area", c.area},
          {"household_size", c.household_size},
          {"heating", c.heating},
          {"dwelling", c.dwelling}};
}

}  // namespace

PrivacyService::PrivacyService(PrivacyStore& db, store::Store& store, const Calendar& calendar,
                               const Clock& clock, ServiceOptions options)
    : db_(db), store_(store), calendar_(calendar), clock_(clock), options_(options) {}

PrivacyService::~PrivacyService() {
  stop();
}

void PrivacyService::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { loop(); });
}

void PrivacyService::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PrivacyService::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void PrivacyService::loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    try {
      run_once();
    } catch (const std::exception& e) {  // a hub's odd answer must never end the base
      spdlog::error("privacy: upload pass failed: {}", e.what());
    }
    lock.lock();
    cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms),
                 [this] { return stop_ || woken_; });
    woken_ = false;
  }
}

Result<Context> PrivacyService::context() {
  auto v = db_.setting("context");
  if (!v) return v.status();
  if (!*v) return Context{};
  json j = json::parse(**v, nullptr, false);
  if (!j.is_object()) return corruption("stored context is not JSON");
  return Context{j.value("area", ""), j.value("household_size", ""), j.value("heating", ""),
                 j.value("dwelling", "")};
}

Result<nlohmann::json> PrivacyService::state() {
  auto ledger = db_.ledger();
  if (!ledger) return ledger.status();
  const ConsentState consent = fold_ledger(*ledger);
  json consents = json::object(), texts = json::object(), history = json::array();
  for (ConsentItem i : kConsentItems) {
    const auto& e = consent.of(i);
    consents[consent_item_name(i)] = e ? json{{"granted", true},
                                              {"since", format_iso_utc(e->t)},
                                              {"text_version", e->text_version}}
                                       : json{{"granted", false}};
    const ConsentText& t = consent_text(i);
    texts[consent_item_name(i)] = {{"version", t.version}, {"fr", t.fr}, {"en", t.en}};
  }
  for (const LedgerEntry& e : *ledger) history.push_back(entry_json(e));
  auto ctx = context();
  if (!ctx) return ctx.status();
  auto url = db_.setting("hub_url");
  auto cred = db_.setting("hub_credential");
  auto counts = db_.counts();
  if (!url || !cred || !counts) return internal_error("privacy database unreadable");
  return json{{"consents", consents},
              {"texts", texts},
              {"context", context_json(*ctx)},
              {"hub", {{"url", url->value_or("")}, {"enrolled", cred->has_value()}}},
              {"queue",
               {{"pending", counts->pending + counts->tokened},
                {"sent", counts->sent},
                {"failed", counts->failed},
                {"cancelled", counts->cancelled},
                {"erasures_pending", counts->deleting}}},
              {"ledger", history}};
}

Status PrivacyService::set_consent(ConsentItem item, bool granted, const std::string& text_version,
                                   const std::string& lang, int backfill_days) {
  std::lock_guard consent(consent_mu_);
  auto ledger = db_.ledger();
  if (!ledger) return ledger.status();
  const ConsentState before = fold_ledger(*ledger);
  LedgerEntry e;
  e.t = clock_.now();
  e.item = item;
  e.granted = granted;
  if (granted) {
    if (text_version != consent_text(item).version)
      return invalid_argument("text_version " + text_version + " is not the text in force (" +
                              consent_text(item).version + "): show the current text");
    auto text = consent_text_in(item, lang);
    if (!text) return text.status();
    if (backfill_days < 0 || backfill_days > kMaxBackfillDays)
      return invalid_argument("backfill_days must be 0 to 30");
    if (item == ConsentItem::kHalfHour && !before.open_data)
      return invalid_argument("half_hour needs open_data first");
    e.text_version = text_version;
    e.lang = lang;
    e.text_sha256 = hex(sha256(*text));
    e.backfill_days = backfill_days;
  } else if (!before.of(item)) {
    return Status::ok();  // nothing to revoke: the ledger records only changes
  }
  if (!granted && item != ConsentItem::kHalfHour) {
    // Every contribution sent carried this purpose: erase them all, drop the queue.
    auto items = db_.items();
    auto secret = db_.household_secret();
    if (!items || !secret) return internal_error("privacy database unreadable");
    std::vector<std::pair<std::string, std::string>> handles;
    for (const QueueItem& q : *items)
      if (q.state == QueueItem::State::kSent || q.state == QueueItem::State::kTokened)
        handles.emplace_back(q.period, b64url(deletion_handle(*secret, q.period)));
    CW_RETURN_IF_ERROR(db_.cancel_and_erase(handles));
    ++revocations_;
    erasure_next_try_ = 0;
  }
  auto seq = db_.append_ledger(e);
  if (!seq) return seq.status();
  if (!granted && item == ConsentItem::kOpenData && before.half_hour) {
    LedgerEntry h = e;
    h.item = ConsentItem::kHalfHour;
    if (auto s2 = db_.append_ledger(h); !s2) return s2.status();
  }
  spdlog::info("privacy: {} {}", consent_item_name(item), granted ? "granted" : "revoked");
  wake();
  return Status::ok();
}

Status PrivacyService::revoke_all() {
  for (ConsentItem i : {ConsentItem::kHalfHour, ConsentItem::kOpenData, ConsentItem::kComparator,
                        ConsentItem::kChallenges})
    CW_RETURN_IF_ERROR(set_consent(i, false, "", "", 0));
  return Status::ok();
}

Status PrivacyService::set_context(const Context& c) {
  CW_RETURN_IF_ERROR(check_context(c));
  return db_.set_setting("context", context_json(c).dump());
}

Status PrivacyService::set_hub(const std::string& url, const std::string& credential,
                               const std::string& ca_pem) {
  auto ep = parse_hub_url(url);
  if (!ep) return ep.status();
  if (credential.rfind("cwb_", 0) != 0 || credential.size() > 200)
    return invalid_argument("credential must be the cwb_... text given by the hub's operator");
  if (ca_pem.size() > 32 * 1024) return invalid_argument("ca_pem is too large");
  if (!ca_pem.empty() && ca_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
    return invalid_argument("ca_pem must be PEM certificates");
  CW_RETURN_IF_ERROR(db_.set_setting("hub_url", url));
  CW_RETURN_IF_ERROR(db_.set_setting("hub_credential", credential));
  CW_RETURN_IF_ERROR(db_.set_setting("hub_ca_pem", ca_pem));
  wake();
  return Status::ok();
}

Result<nlohmann::json> PrivacyService::shared() {
  auto items = db_.items();
  if (!items) return items.status();
  json days = json::array();
  for (const QueueItem& q : *items) {
    json body = json::parse(q.body, nullptr, false);
    days.push_back({{"period", q.period},
                    {"state", queue_state_name(q.state)},
                    {"sent", q.sent_ms ? json(format_iso_utc(q.sent_ms)) : json(nullptr)},
                    {"attempts", q.attempts},
                    {"last_error", q.last_error},
                    {"contribution", body.is_discarded() ? json(nullptr) : body}});
  }
  return json{{"days", days}};
}

Result<nlohmann::json> PrivacyService::comparator() {
  auto cached = db_.setting("comparator_cache");
  if (!cached) return cached.status();
  if (!*cached) return json{{"available", false}, {"reason", "no community distribution yet"}};
  const std::vector<DistributionCell> cells =
      parse_distributions(json::parse(**cached, nullptr, false));
  auto ctx = context();
  auto sensor = main_sensor();
  if (!ctx || !sensor) return json{{"available", false}, {"reason", "no meter"}};
  // The most specific published group: area and size, the area, the size, the whole hub.
  const std::vector<std::pair<std::string, std::string>> groups = {
      {ctx->area, ctx->household_size}, {ctx->area, ""}, {"", ctx->household_size}, {"", ""}};
  for (const auto& [area, size] : groups) {
    json days = json::array();
    double sum = 0;
    int n = 0;
    for (const DistributionCell& cell : cells) {
      if (cell.area != area || cell.household_size != size) continue;
      auto start = parse_day(calendar_, cell.period);
      if (!start) continue;
      auto own = analytics::energy_by(store_, calendar_, *sensor, *start,
                                      calendar_.next(*start, Period::kDay), Period::kDay);
      if (!own || own->empty() || (*own)[0].coverage < kMinCoverage) continue;
      const double above = share_using_more(cell.points, (*own)[0].energy_wh);
      days.push_back({{"period", cell.period},
                      {"energy_wh", round_energy((*own)[0].energy_wh)},
                      {"share_using_more", above},
                      {"households", cell.households}});
      sum += above;
      ++n;
    }
    if (n) {
      return json{{"available", true},
                  {"group", {{"area", area}, {"household_size", size}}},
                  {"share_using_more", sum / n},
                  {"days", days},
                  {"computed", "at home: nothing about the household left for this comparison"}};
    }
  }
  return json{{"available", false}, {"reason", "no published day matches this household's data"}};
}

Result<SensorId> PrivacyService::main_sensor() {
  auto sensors = store_.sensors();
  if (!sensors) return sensors.status();
  if (sensors->empty()) return not_found("no sensor");
  return std::min_element(sensors->begin(), sensors->end(),
                          [](const auto& a, const auto& b) { return a.id < b.id; })
      ->id;
}

}  // namespace cw::privacy
