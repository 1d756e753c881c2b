// Reads dataset files and recognises their format from the first line.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "simulate/recording.h"

namespace cw::simulate {
namespace {

namespace fs = std::filesystem;

Result<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return not_found("cannot read '" + p.string() + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return internal_error("read error on '" + p.string() + "'");
  return ss.str();
}

Result<Recording> parse_any(const std::string& text, const ParseOptions& options) {
  std::string_view first = std::string_view(text).substr(0, text.find('\n'));
  if (first.starts_with("Date;Time;Global_active_power")) return parse_uci(text, options);
  if (first.starts_with("Date;") && first.find("Apparent power") != std::string_view::npos) {
    return parse_sebgeek(text, options);
  }
  if (first.starts_with("{")) return parse_citizenwatt_json(text, options);
  if (!first.empty() && first[0] >= '0' && first[0] <= '9') return parse_citizenwatt(text, options);
  return invalid_argument("unrecognised dataset format (first line '" +
                          std::string(first.substr(0, 60)) + "')");
}

Result<Recording> load_file(const fs::path& p, const ParseOptions& options) {
  auto text = read_file(p);
  if (!text) return text.status();
  auto rec = parse_any(*text, options);
  if (!rec)
    return Status(rec.status().code(), p.filename().string() + ": " + rec.status().message());
  return rec;
}

// Appends b after a: same format, and b starts after a ends.
Status append(Recording& a, Recording&& b, const std::string& name) {
  if (a.samples.empty() && a.report.lines == 0) {
    a = std::move(b);
    return Status::ok();
  }
  if (a.format != b.format) return invalid_argument(name + ": mixes formats in one folder");
  if (!a.samples.empty() && !b.samples.empty() && b.samples.front().t <= a.samples.back().t) {
    return invalid_argument(name + ": overlaps the file before it");
  }
  a.samples.insert(a.samples.end(), b.samples.begin(), b.samples.end());
  a.report.lines += b.report.lines;
  a.report.missing += b.report.missing;
  a.report.bad += b.report.bad;
  for (auto& e : b.report.errors) {
    if (a.report.errors.size() < ParseReport::kMaxKeptErrors)
      a.report.errors.push_back(name + ": " + e);
  }
  return Status::ok();
}

}  // namespace

Result<Recording> load_recording(const std::string& path, const ParseOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return load_file(path, options);
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(path, ec)) {
    std::string name = e.path().filename().string();
    // Descriptions that sit beside the data are not data.
    if (e.is_regular_file() && !name.ends_with(".md") && !name.starts_with("README") &&
        !name.starts_with(".")) {
      files.push_back(e.path());
    }
  }
  if (ec) return not_found("cannot list '" + path + "': " + ec.message());
  if (files.empty()) return not_found("no dataset files in '" + path + "'");
  std::sort(files.begin(), files.end());
  Recording all;
  for (const auto& f : files) {
    auto rec = load_file(f, options);
    if (!rec) return rec.status();
    CW_RETURN_IF_ERROR(append(all, std::move(*rec), f.filename().string()));
  }
  return all;
}

}  // namespace cw::simulate
