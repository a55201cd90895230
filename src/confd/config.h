// `berth confd` settings: confd's flags, its confd.toml keys and CONFD_*
// environment variables, merged in this order (later wins):
//
//   defaults < confd.toml < CONFD_CLIENT_{CAKEYS,CERT,KEY} < command line
//
// confd documents that the command line wins but applies confd.toml after
// it; berth does what the documentation says (docs/compat.md).
// Plain data; ParseConfig is thread-compatible.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "confd/wait_spec.h"

namespace berth::confd {

struct Config {
  std::string backend = "etcd";
  std::string confdir = "/etc/confd";
  std::string config_file = "/etc/confd/confd.toml";
  std::vector<std::string> files;  // -file, repeatable
  std::string filter = "*";
  int64_t interval = 600;
  bool keep_stage_file = false;
  std::string log_level;
  std::vector<std::string> nodes;  // -node, repeatable
  bool noop = false;
  bool onetime = false;
  bool watch = false;
  bool sync_only = false;
  std::string prefix;
  bool print_version = false;
  std::string scheme = "http";
  std::string srv_domain;
  std::string srv_record;
  std::string client_cakeys;
  std::string client_cert;
  std::string client_key;
  bool client_insecure = false;
  bool basic_auth = false;
  std::string username;
  std::string password;
  std::string auth_token;
  std::string auth_type;
  std::string app_id;
  std::string user_id;
  std::string role_id;
  std::string secret_id;
  std::string path;
  std::string table;
  std::string separator;
  std::string secret_keyring;  // accepted for compatibility; confd's crypt functions are gone

  // berth's own settings (confd has none of these).
  WaitSpec wait;                                      // -wait MIN:MAX, `wait`
  std::chrono::milliseconds command_timeout{60'000};  // -command-timeout, `command_timeout`
  std::string metrics_addr;                           // -metrics-addr HOST:PORT, `metrics_addr`
};

struct ParsedCommandLine {
  Config config;
  bool help = false;       // -h / -help: print `usage` and exit 0
  std::string flag_error;  // a bad command line: print it and `usage`, exit 2
  std::string usage;
};

// Parses `args` (without the program name) with Go flag semantics, then
// reads the config file (a missing file is fine) and the environment.  A bad
// command line is reported in flag_error; an error result means the config
// file could not be used.
// `program` is the name shown in the usage ("confd" or "berth confd").
Result<ParsedCommandLine> ParseConfig(const std::string& program,
                                      const std::vector<std::string>& args);

// The backend nodes to use when none were configured, as confd picks them
// (ETCDCTL_ENDPOINTS / ETCDCTL_PEERS for etcd).
std::vector<std::string> DefaultNodes(const std::string& backend);

}  // namespace berth::confd
