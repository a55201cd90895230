// `berth status`: flags, then up::CollectStatus and up::FormatReport
// (src/up/status.h).  Exit status 0 when everything runs, 1 otherwise.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/commands.h"
#include "up/status.h"

namespace berth::app {

int StatusMain(const std::vector<std::string>& args) {
  CLI::App app("berth status: the instances, etcd, HAProxy and the processes of berth up",
               "berth status");
  up::StatusOptions o;
  app.add_option("--state-dir", o.state_dir, "the state directory berth up used");
  std::vector<std::string> argv(args.rbegin(), args.rend());
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  auto report = up::CollectStatus(o);
  if (!report) {
    std::fprintf(stderr, "berth status: %s\n", report.error().message().c_str());
    return 1;
  }
  std::fputs(up::FormatReport(*report).c_str(), stdout);
  return report->Healthy() ? 0 : 1;
}

}  // namespace berth::app
