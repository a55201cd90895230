// `berth confd`: parse confd's flags and config, open the backend, run.
#include <cstdio>

#include "app/backends.h"
#include "app/commands.h"
#include "base/log.h"
#include "confd/config.h"
#include "processor/big_stack.h"
#include "processor/onetime.h"

namespace berth::app {

int ConfdMain(const std::string& program, const std::vector<std::string>& args) {
  auto parsed = confd::ParseConfig(program, args);
  if (!parsed) {
    std::fprintf(stderr, "%s\n", parsed.error().message().c_str());
    return 1;
  }
  if (!parsed->flag_error.empty()) {
    // As Go's flag package: the error, then the usage, exit status 2.
    std::fprintf(stderr, "%s\n%s", parsed->flag_error.c_str(), parsed->usage.c_str());
    return 2;
  }
  if (parsed->help) {
    std::fputs(parsed->usage.c_str(), stderr);
    return 0;
  }
  const confd::Config& config = parsed->config;
  if (config.print_version) {
    std::printf("confd 0.16.0 (berth %s)\n", kVersion);
    return 0;
  }
  log::SetTag(program == "confd" ? "confd" : "berth");
  if (!config.log_level.empty() && !log::SetLevel(config.log_level)) {
    log::Error("not a valid level: \"" + config.log_level + "\"");
    return 1;
  }

  auto backend = OpenBackend(config);
  if (!backend) {
    log::Error(backend.error().message());
    return 1;
  }
  log::Info("Backend set to " + config.backend);

  processor::OnetimeOptions options;
  options.load.confdir = config.confdir;
  options.load.global_prefix = config.prefix;
  options.sync.noop = config.noop;
  options.sync.sync_only = config.sync_only;
  options.sync.keep_stage_file = config.keep_stage_file;
  if (!config.onetime) {
    log::Error("only -onetime is supported by this build");
    return 1;
  }
  bool ok = false;
  processor::RunWithLargeStack([&] { ok = processor::RunOnce(**backend, options); });
  return ok ? 0 : 1;
}

}  // namespace berth::app
