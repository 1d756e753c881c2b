#include "app/cli.h"

int main(int argc, char** argv) { return cw::app::run_cli(argc, argv); }
