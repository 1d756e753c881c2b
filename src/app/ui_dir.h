// The web UI folder `serve` uses when none is configured.
#pragma once

#include <string>

namespace cw::app {

// The UI installed beside the running binary (BIN/../share/citizenwatt/ui, the Debian package's
// layout: /usr/bin and /usr/share/citizenwatt/ui) when it holds an index.html, else built_in,
// the folder chosen at build time (the source tree's ui/ for a developer build). So one build
// serves from its tree with `make run` and from /usr/share once packaged.
std::string default_ui_dir(const std::string& built_in);

}  // namespace cw::app
