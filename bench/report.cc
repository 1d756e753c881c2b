#include "report.h"

#include <cmath>
#include <cstdio>

namespace cw::bench {

namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string grouped(double v) {  // 1234567 -> "1,234,567"
  std::string s = fmt("%.0f", v), out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

std::string days(TimeMs span) {
  return fmt(span >= 10 * kDayMs ? "%.0f d" : "%.1f d", double(span) / double(kDayMs));
}

std::string chart_cell(const ChartResult& c) {
  std::string s = (c.extrapolated ? "≈" : "") + human(c.ms);
  if (c.whole_span) s += " (all)";
  return s;
}

}  // namespace

std::string human(double v) {
  if (v >= 100) return grouped(v);
  if (v >= 10) return fmt("%.1f", v);
  if (v >= 1) return fmt("%.2f", v);
  return fmt("%.3f", v);
}

std::string dataset_table(const Dataset& d, const std::vector<EngineResult>& rows) {
  std::string out;
  out += "### " + d.name + "\n\n";
  out += d.description + ". " + grouped(double(d.samples)) + " samples, step " +
         fmt("%.0f s", double(d.step_ms) / 1000) + ", span " + days(d.last_t - d.first_t) + ".\n\n";
  out +=
      "| engine | samples stored | bytes on disk | B/sample | ingest live, samples/s (n) | "
      "ingest bulk, samples/s | chart year, ms | chart month, ms | chart day, ms |\n";
  out += "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  std::vector<std::string> notes;
  for (const EngineResult& r : rows) {
    if (!r.error.empty()) {
      out += "| " + r.label + " | failed: " + r.error + " | | | | | | | |\n";
      continue;
    }
    for (std::size_t v = 0; v < r.charts.size(); ++v) {
      const auto& c = r.charts[v];
      if (v == 0) {
        out += "| " + r.label + " | " + grouped(double(r.stored)) + " | " +
               grouped(double(r.bytes)) + " | " + (r.bytes_extrapolated ? "≈" : "") +
               fmt("%.2f", r.bytes_per_sample) + " | " + grouped(r.live_rate) + " (" +
               grouped(double(r.live_samples)) + ") | " + grouped(r.bulk_rate) + " | ";
      } else {
        out += "| " + r.label + ", averaged chart | | | | | | ";
      }
      out += chart_cell(c[0]) + " | " + chart_cell(c[1]) + " | " + chart_cell(c[2]) + " |\n";
      for (std::size_t k = 0; k < c.size(); ++k) {
        if (c[k].points_with_data == 0) {
          notes.push_back(r.label + ": the " + kChartRanges[k].name + " chart returned no data");
        }
      }
    }
    if (r.bytes_extrapolated) {
      notes.push_back(r.label + ": only the first " + grouped(double(r.stored)) +
                      " samples stored (capped); B/sample measured on them (≈ the whole dataset, "
                      "the format is linear), chart latency marked ≈ scaled linearly to the "
                      "full range");
    }
  }
  for (const auto& n : notes) out += "\n- " + n;
  if (!notes.empty()) out += "\n";
  return out + "\n";
}

}  // namespace cw::bench
