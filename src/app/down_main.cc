// `berth down`: flags, then up::Down (src/up/down.h).
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>

#include "app/commands.h"
#include "up/down.h"

namespace berth::app {

int DownMain(const std::vector<std::string>& args) {
  CLI::App app("berth down: stop everything berth up started and remove its instances",
               "berth down");
  up::DownOptions o;
  app.add_option("--state-dir", o.state_dir, "the state directory berth up used");
  std::vector<std::string> argv(args.rbegin(), args.rend());
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  // Stopping must not be cut short half-way: a second Ctrl-C still works
  // (SIGQUIT, SIGKILL), a single one is ignored.
  std::signal(SIGINT, SIG_IGN);
  Status status = up::Down(o, stdout);
  if (!status.ok()) {
    std::fprintf(stderr, "berth down: %s\n", status.message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace berth::app
