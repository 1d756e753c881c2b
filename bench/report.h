// Markdown output of the benchmark: one table per dataset, the engines as rows.
#pragma once

#include <string>
#include <vector>

#include "datasets.h"
#include "runner.h"

namespace cw::bench {

std::string dataset_table(const Dataset& d, const std::vector<EngineResult>& rows);

// "x.xx" with the number of significant figures a reader needs.
std::string human(double v);

}  // namespace cw::bench
