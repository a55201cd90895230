// `berth confd`: parse confd's flags and config, open the backend, run one of
// the modes (-onetime, -watch, -interval N).
#include <cstdio>

#include "app/backends.h"
#include "app/commands.h"
#include "base/log.h"
#include "confd/config.h"
#include "processor/big_stack.h"
#include "processor/daemon.h"
#include "processor/onetime.h"
#include "processor/signals.h"

namespace berth::app {
namespace {

processor::DaemonSettings SettingsFrom(const confd::Config& config) {
  processor::DaemonSettings s;
  s.load.confdir = config.confdir;
  s.load.global_prefix = config.prefix;
  s.sync.noop = config.noop;
  s.sync.sync_only = config.sync_only;
  s.sync.keep_stage_file = config.keep_stage_file;
  s.sync.command_timeout = config.command_timeout;
  s.wait = config.wait;
  return s;
}

}  // namespace

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
  const bool daemon = !config.onetime;
  // Before the backend starts threads, so that they all inherit the mask.
  if (daemon) processor::BlockDaemonSignals();

  auto backend = OpenBackend(config);
  if (!backend) {
    log::Error(backend.error().message());
    return 1;
  }
  log::Info("Backend set to " + config.backend);

  int status = 0;
  if (config.onetime) {
    processor::OnetimeOptions options;
    const processor::DaemonSettings s = SettingsFrom(config);
    options.load = s.load;
    options.sync = s.sync;
    processor::RunWithLargeStack([&] { status = processor::RunOnce(**backend, options) ? 0 : 1; });
    return status;
  }

  processor::DaemonOptions options;
  options.settings = SettingsFrom(config);
  options.metrics_addr = config.metrics_addr;
  options.reload_settings = [program, args]() -> Result<processor::DaemonSettings> {
    auto again = confd::ParseConfig(program, args);
    if (!again) return Err(again.error());
    if (!again->flag_error.empty()) return Err(Status::InvalidArgument(again->flag_error));
    if (!again->config.log_level.empty()) log::SetLevel(again->config.log_level);
    return SettingsFrom(again->config);
  };
  if (config.watch) {
    log::Info("Watching for changes");
    processor::RunWithLargeStack([&] { status = processor::RunWatch(**backend, options); });
  } else {
    if (config.interval <= 0) {
      log::Error("-interval must be at least 1 (second)");
      return 1;
    }
    log::Info("Polling every " + std::to_string(config.interval) + "s");
    processor::RunWithLargeStack([&] {
      status = processor::RunInterval(**backend, options, std::chrono::seconds(config.interval));
    });
  }
  return status;
}

}  // namespace berth::app
