// The etcd connection flags every command that talks to etcd shares:
// --etcd (repeatable or comma-separated; default ETCDCTL_ENDPOINTS, then
// http://127.0.0.1:2379), --client-ca-keys, --client-cert, --client-key,
// --username, --password — the same settings `berth confd` takes from confd's
// flags.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "backend/etcd/client.h"

namespace berth::app {

struct EtcdFlags {
  std::vector<std::string> endpoints;
  std::string ca_file, cert_file, key_file;
  std::string username, password;
};

void AddEtcdFlags(CLI::App* app, EtcdFlags* flags);
etcd::ClientOptions ToClientOptions(const EtcdFlags& flags);

// A Go duration ("10s", "500ms") or a plain number of seconds.
Result<std::chrono::milliseconds> ParseDurationFlag(const std::string& text);

}  // namespace berth::app
