// The backend table: a store name (`-backend`) to the code that opens it.
// An explicit table rather than self-registration, as in confd.
#pragma once

#include "backend/backend.h"
#include "backend/etcd/client.h"
#include "backend/redis/redis_backend.h"
#include "backend/zookeeper/zookeeper_backend.h"
#include "confd/config.h"

namespace berth::app {

// The etcd client settings confd's flags describe (-node, -client-*, -basic-auth).
etcd::ClientOptions EtcdOptions(const confd::Config& config);

// The redis settings: -node (default 127.0.0.1:6379), -password or, as in
// confd, -client-key as the password, -separator.
backend::redis::RedisOptions RedisOptions(const confd::Config& config);

// The zookeeper settings: -node (default 127.0.0.1:2181).
backend::zookeeper::ZookeeperOptions ZookeeperOptions(const confd::Config& config);

// Opens the backend named in `config`; a clear error for unknown names.
Result<backend::BackendPtr> OpenBackend(const confd::Config& config);

}  // namespace berth::app
