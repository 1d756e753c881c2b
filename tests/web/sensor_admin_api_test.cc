// POST /api/v1/sensors, PATCH and DELETE /api/v1/sensors/{id}: an admin pairs, renames and
// removes sensors from the UI. Refusals are JSON errors and change nothing.
#include <cctype>

#include "web_fixture.h"

namespace cw::web::testing {
namespace {

class SensorAdminApi : public WebTest {
 protected:
  void SetUp() override {
    WebTest::SetUp();
    add_test_data();  // sensor 1, "Kitchen", one hour of samples
    admin_ = make_user("alice", store::Role::kAdmin);
    session_ = session_for(admin_);
  }
  httplib::Result post(const json& body, const httplib::Headers& headers) {
    return client()->Post("/api/v1/sensors", headers, body.dump(), "application/json");
  }
  httplib::Result post(const json& body) { return post(body, browser(session_)); }
  httplib::Result patch(const std::string& path, const json& body) {
    return client()->Patch(path, browser(session_), body.dump(), "application/json");
  }
  std::size_t sensor_count() {
    auto list = store_->sensors();
    EXPECT_TRUE(list.is_ok());
    return list.is_ok() ? list->size() : 0;
  }
  std::string name_of(SensorId id) {
    auto s = store_->sensor(id);
    return s.is_ok() ? s->name : "<none>";
  }
  std::size_t raw_samples(SensorId id) {
    std::size_t n = 0;
    (void)store_->scan_raw(id, kT0, kT0 + 2 * kHourMs, [&](std::span<const Sample> chunk) {
      n += chunk.size();
      return true;
    });
    return n;
  }
  static std::string hex(const store::Key128& k) {
    static const char* d = "0123456789abcdef";
    std::string out;
    for (auto b : k) out += {d[b >> 4], d[b & 15]};
    return out;
  }
  std::string session_;
};

TEST_F(SensorAdminApi, AdminPairsASensorAndSeesItsKeyOnce) {
  auto r = post({{"name", "Compteur"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  const json j = body_json(r);
  EXPECT_EQ(j["sensor"]["id"], 2);  // the lowest free id
  EXPECT_EQ(j["sensor"]["name"], "Compteur");
  EXPECT_TRUE(j["sensor"]["last_seen"].is_null());
  EXPECT_EQ(j["provision"], "citizenwatt sensor provision --port /dev/ttyUSB0 --id 2");
  const std::string key = j["key"];
  ASSERT_EQ(key.size(), 32u);
  auto stored = store_->sensor(2);
  ASSERT_TRUE(stored.is_ok());
  EXPECT_EQ(key, hex(stored->key));  // the key the base will authenticate frames with
  EXPECT_NE(key, std::string(32, '0'));
  // Never shown again.
  auto list = client()->Get("/api/v1/sensors", browser(session_));
  ASSERT_TRUE(list && list->status == 200);
  EXPECT_EQ(list->body.find(key), std::string::npos);
  EXPECT_EQ(body_json(list)["sensors"].size(), 2u);
}

TEST_F(SensorAdminApi, ChosenIdAndTakenId) {
  auto r = post({{"name", "Garage"}, {"id", 42}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(body_json(r)["sensor"]["id"], 42);
  expect_error(post({{"name", "Again"}, {"id", 42}}), 409, "already_exists");
  EXPECT_EQ(name_of(42), "Garage");
  EXPECT_EQ(sensor_count(), 2u);
}

TEST_F(SensorAdminApi, BadBodiesAreRefusedAndNothingIsCreated) {
  for (const json& body :
       {json{{"nom", "x"}}, json{{"name", ""}}, json{{"name", "a\nb"}},
        json{{"name", std::string(65, 'x')}}, json{{"name", 12}}, json{{"name", "x"}, {"id", 0}},
        json{{"name", "x"}, {"id", 65536}}, json{{"name", "x"}, {"id", "3"}},
        json{{"name", "x"}, {"key", "00112233445566778899aabbccddeeff"}}, json::array()}) {
    SCOPED_TRACE(body.dump());
    expect_error(post(body), 400, "invalid_argument");
  }
  auto not_json = client()->Post("/api/v1/sensors", browser(session_), "{name", "application/json");
  expect_error(not_json, 400);
  EXPECT_EQ(sensor_count(), 1u);
}

TEST_F(SensorAdminApi, OnlyAnAdminSessionManagesSensors) {
  const std::string member = session_for(make_user("bob", store::Role::kMember));
  expect_error(post({{"name", "x"}}, browser(member)), 403, "admin_only");
  expect_error(post({{"name", "x"}}, bearer(token(store::TokenScope::kWrite))), 403, "admin_only");
  expect_error(post({{"name", "x"}}, {}), 401, "unauthenticated");
  expect_error(post({{"name", "x"}}, {{"Cookie", "cw_session=" + session_}}), 403, "csrf_rejected");
  expect_error(
      client()->Patch("/api/v1/sensors/1", browser(member), R"({"name":"x"})", "application/json"),
      403, "admin_only");
  expect_error(client()->Delete("/api/v1/sensors/1", browser(member)), 403, "admin_only");
  EXPECT_EQ(sensor_count(), 1u);
  EXPECT_EQ(name_of(1), "Kitchen");
}

TEST_F(SensorAdminApi, RenameChangesOnlyTheName) {
  auto r = patch("/api/v1/sensors/1", {{"name", "Cuisine"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body_json(r)["sensor"]["name"], "Cuisine");
  EXPECT_EQ(body_json(r)["sensor"]["energy_wh"], 4600);  // its data stays
  EXPECT_EQ(name_of(1), "Cuisine");
  expect_error(patch("/api/v1/sensors/1", {{"name", " padded"}}), 400, "invalid_argument");
  expect_error(patch("/api/v1/sensors/1", {{"name", "x"}, {"id", 3}}), 400, "invalid_argument");
  expect_error(patch("/api/v1/sensors/1", json::object()), 400, "invalid_argument");
  expect_error(patch("/api/v1/sensors/7", {{"name", "x"}}), 404, "not_found");
  EXPECT_EQ(name_of(1), "Cuisine");
}

TEST_F(SensorAdminApi, RemoveDeletesTheSensorAndItsData) {
  ASSERT_EQ(post({{"name", "Autre"}})->status, 201);
  ASSERT_EQ(raw_samples(1), std::size_t(kSamples));
  expect_error(client()->Delete("/api/v1/sensors/9", browser(session_)), 404, "not_found");
  EXPECT_EQ(sensor_count(), 2u);
  auto r = client()->Delete("/api/v1/sensors/1", browser(session_));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body_json(r)["removed"], 1);
  EXPECT_EQ(sensor_count(), 1u);
  expect_error(client()->Get("/api/v1/sensors/1/series", browser(session_)), 404, "not_found");
  EXPECT_EQ(raw_samples(1), 0u);
  EXPECT_EQ(name_of(2), "Autre");
}

}  // namespace
}  // namespace cw::web::testing
