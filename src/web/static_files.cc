// The UI's static files. Only regular files below the UI directory are served: no listing, no
// "..", no encoded tricks, no symlink leading outside.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "web/http_util.h"
#include "web/routes.h"

namespace cw::web {

namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxFileBytes = 16u * 1024u * 1024u;

const char* mime_for(const fs::path& p) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  const std::string ext = p.extension().string();
  for (const auto& [e, type] : kTypes)
    if (ext == e) return type;
  return "application/octet-stream";
}

// True for paths that try to leave the directory or confuse the file system.
bool suspicious(const httplib::Request& req) {
  auto has = [](const std::string& s, std::string_view needle) {
    auto it = std::search(s.begin(), s.end(), needle.begin(), needle.end(),
                          [](char a, char b) { return std::tolower(a) == std::tolower(b); });
    return it != s.end();
  };
  const std::string& raw = req.target;
  const std::string& path = req.path;  // percent-decoded by httplib
  return has(raw, "..") || has(raw, "%2e") || has(raw, "%2f") || has(raw, "%5c") ||
         has(raw, "%00") || path.find("..") != std::string::npos ||
         path.find('\\') != std::string::npos || path.find('\0') != std::string::npos ||
         path.empty() || path.front() != '/';
}

}  // namespace

void serve_static(const ServerState& s, const httplib::Request& req, httplib::Response& res) {
  if (suspicious(req)) return send_error(res, 400, "bad_path", "this path is not allowed");
  if (s.ctx.ui_dir.empty()) return send_error(res, 404, "not_found", "no such file");
  std::error_code ec;
  const fs::path root = fs::canonical(s.ctx.ui_dir, ec);
  if (ec) return send_error(res, 404, "not_found", "no such file");
  std::string rel = req.path.substr(1);
  if (rel.empty() || rel.back() == '/') rel += "index.html";
  const fs::path file = fs::canonical(root / rel, ec);
  auto [end, _] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  if (ec || end != root.end() || !fs::is_regular_file(file, ec))
    return send_error(res, 404, "not_found", "no such file");
  const auto size = fs::file_size(file, ec);
  if (ec || size > kMaxFileBytes) return send_error(res, 404, "not_found", "no such file");
  std::ifstream in(file, std::ios::binary);
  std::ostringstream body;
  body << in.rdbuf();
  if (!in.good() && !in.eof()) return send_error(res, 500, "internal", "cannot read the file");
  res.set_header("X-Content-Type-Options", "nosniff");
  if (file.extension() == ".html") res.set_header("Cache-Control", "no-cache");
  res.status = 200;
  res.set_content(body.str(), mime_for(file));
}

}  // namespace cw::web
