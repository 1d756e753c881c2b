#include "app/cli.h"

#include <cstdio>

namespace cw::app {

int run_cli(int, char**) {
  std::puts("citizenwatt: under construction");
  return 0;
}

}  // namespace cw::app
