// The citizenwatt command line: parses arguments and dispatches to the subcommands.
#pragma once

namespace cw::app {

int run_cli(int argc, char** argv);

}  // namespace cw::app
