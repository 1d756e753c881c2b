// docs/api.md is executable: every ```http example is replayed in order against a real server
// over a real store, and its status and documented keys are checked.
#include <fstream>
#include <sstream>

#include "analytics/alert_evaluator.h"
#include "web_fixture.h"

namespace cw::web::testing {
namespace {

struct Example {
  int line = 0;
  std::string method, path, body;
  std::vector<std::pair<std::string, std::string>> headers;
  int status = 0;
  std::string response_kind;  // "json" or "text"
  std::string response;
};

std::vector<std::string> read_lines(const std::string& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

// Collects the lines of the fenced block opening at lines[i], advancing i past its end.
std::vector<std::string> fenced(const std::vector<std::string>& lines, std::size_t& i) {
  std::vector<std::string> out;
  for (++i; i < lines.size() && lines[i] != "```"; ++i) out.push_back(lines[i]);
  return out;
}

std::vector<Example> parse_examples(const std::vector<std::string>& lines) {
  std::vector<Example> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] != "```http") continue;
    Example ex;
    ex.line = static_cast<int>(i + 1);
    auto req = fenced(lines, i);
    std::istringstream first(req.at(0));
    first >> ex.method >> ex.path;
    std::size_t k = 1;
    for (; k < req.size() && !req[k].empty(); ++k) {
      auto colon = req[k].find(':');
      ex.headers.emplace_back(req[k].substr(0, colon), req[k].substr(colon + 2));
    }
    for (++k; k < req.size(); ++k) ex.body += req[k] + "\n";
    for (++i; i < lines.size(); ++i) {
      if (lines[i].rfind("Response `", 0) == 0) ex.status = std::stoi(lines[i].substr(10, 3));
      if (lines[i] == "```json" || lines[i] == "```text") {
        ex.response_kind = lines[i].substr(3);
        for (const auto& l : fenced(lines, i)) ex.response += l + "\n";
        break;
      }
    }
    out.push_back(ex);
  }
  return out;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size())
    s.replace(p, from.size(), to);
}

// Every key of documented is in actual (objects recursively; arrays by their first element).
void expect_keys(const json& documented, const json& actual, const std::string& where) {
  if (documented.is_object()) {
    ASSERT_TRUE(actual.is_object()) << where << ": " << actual.dump();
    for (const auto& [k, v] : documented.items()) {
      ASSERT_TRUE(actual.contains(k)) << where << ": missing '" << k << "' in " << actual.dump();
      expect_keys(v, actual[k], where + "." + k);
    }
  } else if (documented.is_array() && !documented.empty()) {
    ASSERT_TRUE(actual.is_array()) << where;
    ASSERT_FALSE(actual.empty()) << where << ": documented items, got none";
    expect_keys(documented[0], actual[0], where + "[0]");
  }
}

class ApiDocTest : public WebTest {};

TEST_F(ApiDocTest, EveryExampleReplays) {
  add_test_data();
  // The alert rules as serve runs them: the example sensor has been silent for an hour and its
  // last frame carried the low-battery flag (the alert examples show both).
  ASSERT_TRUE(analytics::AlertEvaluator(*store_, *insights_, *calendar_, data_dir_)
                  .run(clock_.now())
                  .is_ok());
  const std::string token = this->token(store::TokenScope::kWrite, "doc-test");
  const auto examples = parse_examples(read_lines(std::string(CW_SOURCE_DIR) + "/docs/api.md"));
  ASSERT_GE(examples.size(), 20u);
  auto c = client();
  for (const Example& ex : examples) {
    SCOPED_TRACE("docs/api.md:" + std::to_string(ex.line) + " " + ex.method + " " + ex.path);
    ASSERT_NE(ex.status, 0) << "no documented status";
    httplib::Headers headers;
    for (auto [name, value] : ex.headers) {
      if (value.find("$SESSION") != std::string::npos) {
        auto alice = accounts_->user_by_name("alice");
        ASSERT_TRUE(alice.is_ok()) << "the setup example must come first";
        replace_all(value, "$SESSION", session_for(*alice));
      }
      replace_all(value, "$TOKEN", token);
      replace_all(value, "$HOST", host());
      headers.emplace(name, value);
    }
    if (ex.response_kind == "text") {
      // Streams (live) never end: read until the first documented line has arrived.
      const std::string first_line = ex.response.substr(0, ex.response.find('\n') + 1);
      const bool is_export = ex.path.find("/export") != std::string::npos;
      int status = 0;
      std::string body;
      c->Get(
          ex.path, headers,
          [&](const httplib::Response& r) {
            status = r.status;
            return true;
          },
          [&](const char* d, std::size_t n) {
            body.append(d, n);
            return is_export || body.find(first_line) == std::string::npos;
          });
      EXPECT_EQ(status, ex.status);
      EXPECT_EQ(body.substr(0, first_line.size()), first_line);
      if (is_export) {
        EXPECT_EQ(body, ex.response);
      }
      continue;
    }
    httplib::Request req;
    req.method = ex.method;
    req.path = ex.path;
    req.headers = headers;
    req.body = ex.body;
    auto r = c->send(req);
    ASSERT_TRUE(r) << httplib::to_string(r.error());
    EXPECT_EQ(r->status, ex.status) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
    const json documented = json::parse(ex.response, nullptr, false);
    ASSERT_FALSE(documented.is_discarded()) << "the documented response is not JSON";
    expect_keys(documented, json::parse(r->body, nullptr, false), "$");
  }
}

}  // namespace
}  // namespace cw::web::testing
