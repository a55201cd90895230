#include "app/backends.h"

#include "backend/env/env_backend.h"
#include "backend/etcd/etcd_backend.h"
#include "backend/file/file_backend.h"
#include "backend/redis/redis_backend.h"
#include "backend/zookeeper/zookeeper_backend.h"
#include "confd/config.h"

namespace berth::app {

etcd::ClientOptions EtcdOptions(const confd::Config& config) {
  etcd::ClientOptions o;
  o.endpoints = config.nodes.empty() ? confd::DefaultNodes(config.backend) : config.nodes;
  o.ca_file = config.client_cakeys;
  o.cert_file = config.client_cert;
  o.key_file = config.client_key;
  if (config.basic_auth) {
    o.username = config.username;
    o.password = config.password;
  }
  return o;
}

backend::redis::RedisOptions RedisOptions(const confd::Config& config) {
  backend::redis::RedisOptions o;
  o.nodes = config.nodes.empty() ? confd::DefaultNodes(config.backend) : config.nodes;
  // confd sends -client-key as the redis password; -password says it plainly
  // and wins when both are given.
  o.password = config.password.empty() ? config.client_key : config.password;
  o.separator = config.separator;
  return o;
}

backend::zookeeper::ZookeeperOptions ZookeeperOptions(const confd::Config& config) {
  backend::zookeeper::ZookeeperOptions o;
  o.nodes = config.nodes.empty() ? confd::DefaultNodes(config.backend) : config.nodes;
  return o;
}

Result<backend::BackendPtr> OpenBackend(const confd::Config& config) {
  const std::string& name = config.backend;
  if (name == "file") {
    if (config.files.empty()) {
      return Err(Status::InvalidArgument("the file backend needs at least one -file"));
    }
    return backend::file::NewFileBackend({config.files, config.filter});
  }
  if (name == "env") return backend::env::NewEnvBackend();
  if (backend::etcd::IsEtcdBackendName(name)) {
    auto b = backend::etcd::NewEtcdBackend(EtcdOptions(config));
    if (!b) return Err(b.error());
    return backend::BackendPtr(std::move(*b));
  }
  if (name == "redis") {
    auto b = backend::redis::NewRedisBackend(RedisOptions(config));
    if (!b) return Err(b.error());
    return backend::BackendPtr(std::move(*b));
  }
  if (name == "zookeeper") {
    auto b = backend::zookeeper::NewZookeeperBackend(ZookeeperOptions(config));
    if (!b) return Err(b.error());
    return backend::BackendPtr(std::move(*b));
  }
  return Err(
      Status::InvalidArgument("unknown or unsupported backend: " + name +
                              " (this build supports: etcd, etcdv3, file, env, redis, zookeeper)"));
}

}  // namespace berth::app
