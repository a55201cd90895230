// Running check_cmd / reload_cmd: `/bin/sh -c CMD`, as confd runs them, in a
// process group of its own so that a timeout can stop the command and
// everything it started.
//
// stdin is /dev/null; stdout and stderr are captured together (the first
// 64 KiB are kept for the log).  Thread-safe: each call owns its child.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/status.h"

namespace berth::sys {

struct CommandResult {
  int exit_code = 0;       // the shell's exit status; 128+N when killed by signal N
  int signal = 0;          // N when the shell was killed by signal N, else 0
  bool timed_out = false;  // the deadline passed and the process group was killed
  std::string output;      // combined stdout and stderr (truncated)
  bool ok() const { return exit_code == 0 && !timed_out; }
  // "exit status 3", "signal: killed" (Go's wording), or "timed out".
  std::string Describe() const;
};

// Runs `command` with /bin/sh -c.  A timeout of zero means none.  Returns an
// error only when the command could not be started at all.
Result<CommandResult> RunShell(std::string_view command, std::chrono::milliseconds timeout);

}  // namespace berth::sys
