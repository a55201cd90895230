#include "app/etcd_flags.h"

#include "confd/config.h"
#include "confd/flags.h"

namespace berth::app {

void AddEtcdFlags(CLI::App* app, EtcdFlags* f) {
  app->add_option("--etcd", f->endpoints,
                  "etcd endpoints (http://host:port, https://host:port or host:port; repeat or "
                  "separate with commas; default $ETCDCTL_ENDPOINTS or http://127.0.0.1:2379)")
      ->delimiter(',');
  app->add_option("--client-ca-keys", f->ca_file, "CA certificate for etcd over TLS");
  app->add_option("--client-cert", f->cert_file, "client certificate for etcd");
  app->add_option("--client-key", f->key_file, "client key for etcd");
  app->add_option("--username", f->username, "etcd user");
  app->add_option("--password", f->password, "etcd password");
}

etcd::ClientOptions ToClientOptions(const EtcdFlags& f) {
  etcd::ClientOptions o;
  o.endpoints = f.endpoints.empty() ? confd::DefaultNodes("etcd") : f.endpoints;
  o.ca_file = f.ca_file;
  o.cert_file = f.cert_file;
  o.key_file = f.key_file;
  o.username = f.username;
  o.password = f.password;
  return o;
}

Result<std::chrono::milliseconds> ParseDurationFlag(const std::string& text) {
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) {
    return std::chrono::milliseconds(std::stoll(text) * 1000);
  }
  auto d = confd::ParseGoDuration(text);
  if (!d) return Err(d.error());
  if (*d < 0) return Err(Status::InvalidArgument("negative duration " + text));
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::nanoseconds(*d));
}

}  // namespace berth::app
