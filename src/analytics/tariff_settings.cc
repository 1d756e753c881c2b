#include "analytics/tariff_settings.h"

#include <fcntl.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cw::analytics {

namespace {

constexpr const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr const char* kSettingsFile = "tariff.toml";
constexpr const char* kTempoFile = "tempo_days.csv";

Result<std::string> read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return not_found(p.string() + ": cannot read");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<PriceVersion> parse_price(const toml::table& t, std::size_t i) {
  const std::string where = "prices[" + std::to_string(i) + "]: ";
  PriceVersion v;
  auto from = parse_local_day(t["from"].value_or(std::string()));
  if (!from) return invalid_argument(where + from.status().message());
  v.from = *from;
  if (auto to = t["to"].value<std::string>()) {
    auto d = parse_local_day(*to);
    if (!d) return invalid_argument(where + d.status().message());
    v.to = *d + 1;
  }
  v.source = t["source"].value_or(std::string("household"));
  auto month = t["subscription_month"].value<std::string>();
  auto sub = parse_micros(month.value_or("0"));
  if (!sub) return invalid_argument(where + sub.status().message());
  v.subscription = *sub;
  const toml::table* kwh = t["kwh"].as_table();
  if (!kwh) return invalid_argument(where + "kwh = { period = \"price\" } missing");
  for (const auto& [k, node] : *kwh) {
    auto p = parse_micros(node.value_or(std::string("?")));
    if (!p) return invalid_argument(where + std::string(k.str()) + ": " + p.status().message());
    v.kwh[std::string(k.str())] = *p;
  }
  return v;
}

Result<GridRule> parse_rule(const toml::table& t, std::size_t i) {
  const std::string where = "grid[" + std::to_string(i) + "]: ";
  GridRule r;
  std::vector<std::string> days;
  if (const toml::array* a = t["days"].as_array())
    for (const auto& d : *a) days.push_back(d.value_or(std::string("?")));
  auto mask = parse_weekdays(days);
  if (!mask) return invalid_argument(where + mask.status().message());
  r.days = *mask;
  auto start = parse_hhmm(t["start"].value_or(std::string("00:00")));
  auto end = parse_hhmm(t["end"].value_or(std::string("24:00")));
  if (!start) return invalid_argument(where + start.status().message());
  if (!end) return invalid_argument(where + end.status().message());
  r.start_min = *start;
  r.end_min = *end;
  r.period = t["period"].value_or(std::string());
  return r;
}

std::string quoted(const std::string& s) {
  std::ostringstream o;
  o << toml::value<std::string>(s);
  return o.str();
}

}  // namespace

Result<std::uint8_t> parse_weekdays(const std::vector<std::string>& names) {
  std::uint8_t mask = 0;
  for (const auto& n : names) {
    int d = 0;
    while (d < 7 && n != kDays[d]) ++d;
    if (d == 7) return invalid_argument("unknown weekday '" + n + "' (mon..sun)");
    mask |= std::uint8_t(1 << d);
  }
  if (!mask) return invalid_argument("a grid rule needs at least one weekday");
  return mask;
}

std::vector<std::string> weekday_names(std::uint8_t days) {
  std::vector<std::string> out;
  for (int d = 0; d < 7; ++d)
    if (days & (1 << d)) out.push_back(kDays[d]);
  return out;
}

Result<OffPeakWindow> parse_window(std::string_view text) {
  const std::size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    return invalid_argument("window '" + std::string(text) + "' is not HH:MM-HH:MM");
  }
  auto a = parse_hhmm(text.substr(0, dash));
  if (!a) return a.status();
  auto b = parse_hhmm(text.substr(dash + 1));
  if (!b) return b.status();
  if (*a == 1440) return invalid_argument("a window cannot start at 24:00");
  return OffPeakWindow{*a, *b};
}

std::string format_window(const OffPeakWindow& w) {
  return format_hhmm(w.start_min) + "-" + format_hhmm(w.end_min);
}

Result<Tariff> resolve(const TariffSettings& s, const Catalogue& catalogue) {
  Tariff t;
  t.option = s.option;
  t.kva = s.kva;
  t.offpeak = s.offpeak;
  t.grid = s.grid;
  t.grid_default = s.grid_default;
  t.billing_day = s.billing_day;
  t.custom_prices = !s.custom_prices.empty();
  if (t.custom_prices) {
    t.prices = s.custom_prices;
  } else if (s.option == TariffOption::kGrid) {
    return invalid_argument("a time-of-use grid needs its own prices");
  } else {
    t.prices = catalogue.history(s.option, s.kva);
  }
  CW_RETURN_IF_ERROR(validate(t));
  return t;
}

Result<TariffSettings> parse_settings_toml(std::string_view text) {
  toml::table root;
  try {  // toml++ reports syntax errors by exception; they stop here
    root = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return invalid_argument("tariff.toml: " + std::string(e.description()) + " at line " +
                            std::to_string(e.source().begin.line));
  }
  TariffSettings s;
  auto option = parse_option(root["option"].value_or(std::string("base")));
  if (!option) return option.status();
  s.option = *option;
  s.kva = root["kva"].value_or(6);
  s.billing_day = root["billing_day"].value_or(1);
  s.grid_default = root["grid_default"].value_or(std::string("hp"));
  if (const toml::array* w = root["offpeak"].as_array()) {
    for (const auto& n : *w) {
      auto win = parse_window(n.value_or(std::string("?")));
      if (!win) return win.status();
      s.offpeak.push_back(*win);
    }
  }
  if (const toml::array* g = root["grid"].as_array()) {
    for (const auto& n : *g) {
      if (!n.is_table()) return invalid_argument("grid rules are tables");
      auto r = parse_rule(*n.as_table(), s.grid.size());
      if (!r) return r.status();
      s.grid.push_back(*r);
    }
  }
  if (const toml::array* p = root["prices"].as_array()) {
    for (const auto& n : *p) {
      if (!n.is_table()) return invalid_argument("prices are tables");
      auto v = parse_price(*n.as_table(), s.custom_prices.size());
      if (!v) return v.status();
      s.custom_prices.push_back(std::move(*v));
    }
  }
  return s;
}

std::string settings_toml(const TariffSettings& s) {
  std::ostringstream o;
  o << "# CitizenWatt household tariff (docs/tariffs.md). Written by the base; editable.\n";
  o << "option = " << quoted(option_name(s.option)) << "\nkva = " << s.kva
    << "\nbilling_day = " << s.billing_day << "\n";
  o << "offpeak = [";
  for (std::size_t i = 0; i < s.offpeak.size(); ++i)
    o << (i ? ", " : "") << quoted(format_window(s.offpeak[i]));
  o << "]\ngrid_default = " << quoted(s.grid_default) << "\n";
  for (const auto& r : s.grid) {
    o << "\n[[grid]]\ndays = [";
    const auto days = weekday_names(r.days);
    for (std::size_t i = 0; i < days.size(); ++i) o << (i ? ", " : "") << quoted(days[i]);
    o << "]\nstart = " << quoted(format_hhmm(r.start_min))
      << "\nend = " << quoted(format_hhmm(r.end_min)) << "\nperiod = " << quoted(r.period) << "\n";
  }
  for (const auto& v : s.custom_prices) {
    o << "\n[[prices]]\nfrom = " << quoted(format_local_day(v.from)) << "\n";
    if (v.to != kOpenEnd) o << "to = " << quoted(format_local_day(v.to - 1)) << "\n";
    o << "source = " << quoted(v.source)
      << "\nsubscription_month = " << quoted(format_micros(v.subscription)) << "\n[prices.kwh]\n";
    for (const auto& [k, p] : v.kwh) o << quoted(k) << " = " << quoted(format_micros(p)) << "\n";
  }
  return o.str();
}

Status write_file_atomic(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return internal_error(tmp + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string err = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return internal_error(tmp + ": " + err);
    }
    done += std::size_t(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return internal_error(tmp + ": fsync failed");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return internal_error(path + ": " + std::strerror(errno));
  }
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) ::fsync(dfd), ::close(dfd);
  return Status::ok();
}

Result<TariffSettings> load_settings(const std::string& data_dir) {
  if (data_dir.empty()) return TariffSettings{};
  const auto path = std::filesystem::path(data_dir) / kSettingsFile;
  if (!std::filesystem::exists(path)) return TariffSettings{};
  auto text = read_text(path);
  if (!text) return text.status();
  auto s = parse_settings_toml(*text);
  if (!s) return corruption(path.string() + ": " + s.status().message());
  return s;
}

Status save_settings(const std::string& data_dir, const TariffSettings& s,
                     const Catalogue& catalogue) {
  auto t = resolve(s, catalogue);
  if (!t) return t.status();
  if (data_dir.empty()) return invalid_argument("this base has no data folder to keep settings");
  return write_file_atomic((std::filesystem::path(data_dir) / kSettingsFile).string(),
                           settings_toml(s));
}

Result<TempoCalendar> load_tempo(const std::string& data_dir) {
  TempoCalendar cal = builtin_tempo();
  if (data_dir.empty()) return cal;
  const auto path = std::filesystem::path(data_dir) / kTempoFile;
  if (!std::filesystem::exists(path)) return cal;
  auto text = read_text(path);
  if (!text) return text.status();
  auto days = parse_tempo_csv(*text);
  if (!days) return corruption(path.string() + ": " + days.status().message());
  cal.merge(*days);
  return cal;
}

Result<std::size_t> import_tempo(const std::string& data_dir, const TempoDays& days) {
  if (data_dir.empty()) return invalid_argument("this base has no data folder to keep colours");
  const auto path = std::filesystem::path(data_dir) / kTempoFile;
  std::map<LocalDay, TempoColour> all;
  if (std::filesystem::exists(path)) {
    auto text = read_text(path);
    if (!text) return text.status();
    auto old = parse_tempo_csv(*text);
    if (!old) return corruption(path.string() + ": " + old.status().message());
    for (const auto& [d, c] : *old) all[d] = c;
  }
  for (const auto& [d, c] : days) all[d] = c;
  const TempoDays merged(all.begin(), all.end());
  CW_RETURN_IF_ERROR(write_file_atomic(path.string(), tempo_csv(merged)));
  return merged.size();
}

}  // namespace cw::analytics
