#include "tests/integration/zookeeper_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zookeeper/zookeeper.h>

#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "tests/integration/berth_process.h"

namespace berth::testing {

using SteadyClock = std::chrono::steady_clock;

// A synchronous C-client session, connected or an error.
class ZookeeperClient {
 public:
  static Result<std::unique_ptr<ZookeeperClient>> Connect(const std::string& hosts,
                                                          const clientid_t* id,
                                                          std::chrono::milliseconds timeout) {
    std::unique_ptr<ZookeeperClient> c(new ZookeeperClient);
    c->zh_ = zookeeper_init(hosts.c_str(), &ZookeeperClient::Watcher, 10000, id, c.get(), 0);
    if (c->zh_ == nullptr)
      return Err(Status::IoError(std::string("zookeeper_init: ") + strerror(errno)));
    std::unique_lock<std::mutex> lock(c->mu_);
    if (!c->cv_.wait_for(lock, timeout,
                         [&] {
                           return c->state_ == ZOO_CONNECTED_STATE ||
                                  c->state_ == ZOO_EXPIRED_SESSION_STATE;
                         }) ||
        c->state_ != ZOO_CONNECTED_STATE) {
      if (c->state_ == ZOO_EXPIRED_SESSION_STATE) {
        return Err(Status::NotFound("zookeeper at " + hosts + ": the session expired"));
      }
      return Err(Status::Unavailable("zookeeper at " + hosts + ": no session"));
    }
    return c;
  }
  ~ZookeeperClient() {
    if (zh_ != nullptr) zookeeper_close(zh_);
  }
  zhandle_t* zh() const { return zh_; }
  bool connected() {
    std::lock_guard<std::mutex> lock(mu_);
    return state_ == ZOO_CONNECTED_STATE;
  }

 private:
  ZookeeperClient() = default;
  static void Watcher(zhandle_t*, int type, int state, const char*, void* ctx) {
    if (type != ZOO_SESSION_EVENT) return;
    auto* c = static_cast<ZookeeperClient*>(ctx);
    std::lock_guard<std::mutex> lock(c->mu_);
    c->state_ = state;
    c->cv_.notify_all();
  }
  zhandle_t* zh_ = nullptr;
  std::mutex mu_;
  std::condition_variable cv_;
  int state_ = 0;
};

namespace {

std::string TempBase() {
  if (access("/dev/shm", W_OK) == 0) return "/dev/shm";
  const char* t = std::getenv("TMPDIR");
  return t != nullptr && *t != '\0' ? t : "/tmp";
}

std::string EnvOr(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

// "ruok" -> "imok" over a plain TCP connection.
bool Ruok(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  bool ok = false;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      write(fd, "ruok", 4) == 4) {
    char buf[8] = {};
    ok = read(fd, buf, 4) == 4 && std::string_view(buf, 4) == "imok";
  }
  close(fd);
  return ok;
}

Status Zk(int rc, const std::string& what) {
  if (rc == ZOK) return Status::Ok();
  return Status::Internal("zookeeper " + what + ": " + zerror(rc));
}

}  // namespace

std::string ZookeeperServer::Java() { return EnvOr("BERTH_JAVA", "/usr/bin/java"); }
std::string ZookeeperServer::Jar() {
  return EnvOr("BERTH_ZOOKEEPER_JAR", "/usr/share/java/zookeeper.jar");
}
bool ZookeeperServer::Available() {
  return access(Java().c_str(), X_OK) == 0 && access(Jar().c_str(), R_OK) == 0;
}

Result<std::unique_ptr<ZookeeperServer>> ZookeeperServer::Start(ZookeeperServerOptions options) {
  if (!Available()) {
    return Err(Status::NotFound("zookeeper is not installed (" + Java() + ", " + Jar() + ")"));
  }
  zoo_set_debug_level(ZOO_LOG_LEVEL_ERROR);
  std::unique_ptr<ZookeeperServer> s(new ZookeeperServer(std::move(options)));
  std::string tmpl = TempBase() + "/berth-zk-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    return Err(Status::IoError("mkdtemp " + tmpl + ": " + std::strerror(errno)));
  }
  s->dir_ = tmpl;
  Status last;
  for (int attempt = 0; attempt < 3; ++attempt) {
    s->port_ = FreeLoopbackPort();
    last = s->Launch();
    if (last.ok()) return s;
    (void)s->process_.Stop(SIGKILL);
    if (s->LogTail(1 << 20).find("Address already in use") == std::string::npos) break;
  }
  return Err(last);
}

ZookeeperServer::ZookeeperServer(ZookeeperServerOptions options) : options_(std::move(options)) {}

ZookeeperServer::~ZookeeperServer() {
  client_.reset();
  (void)process_.Stop(SIGKILL);
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

Status ZookeeperServer::Launch() {
  client_.reset();
  {
    std::ofstream cfg(dir_ + "/zoo.cfg");
    cfg << "tickTime=" << options_.tick_ms << "\n"
        << "dataDir=" << dir_ << "/data\n"
        << "clientPort=" << port_ << "\n"
        << "clientPortAddress=127.0.0.1\n"
        << "maxClientCnxns=0\n"
        << "admin.enableServer=false\n"
        << "4lw.commands.whitelist=ruok,srvr\n"
        << "forceSync=no\n";
  }
  BERTH_RETURN_IF_ERROR(
      process_.Start({Java(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                      "-Dzookeeper.admin.enableServer=false", "-cp", Jar(),
                      "org.apache.zookeeper.server.ZooKeeperServerMain", dir_ + "/zoo.cfg"},
                     dir_ + "/zookeeper.log"));
  const auto deadline = SteadyClock::now() + options_.start_timeout;
  for (;;) {
    if (!process_.Running()) {
      return Status::Internal("zookeeper exited during start; log:\n" + LogTail());
    }
    if (Ruok(port_)) {
      auto c = ZookeeperClient::Connect(node(), nullptr, std::chrono::seconds(5));
      if (c) {
        client_ = std::move(*c);
        return Status::Ok();
      }
    }
    if (SteadyClock::now() >= deadline) {
      return Status::Timeout("zookeeper did not answer in time; log:\n" + LogTail());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

Result<ZookeeperClient*> ZookeeperServer::Client() {
  if (client_ && client_->connected()) return client_.get();
  client_.reset();
  auto c = ZookeeperClient::Connect(node(), nullptr, std::chrono::seconds(10));
  if (!c) return Err(c.error());
  client_ = std::move(*c);
  return client_.get();
}

Status ZookeeperServer::Put(const std::string& path, const std::string& value) {
  auto c = Client();
  if (!c) return c.error();
  zhandle_t* zh = (*c)->zh();
  // Parents first, with empty data.
  for (size_t at = path.find('/', 1); at != std::string::npos; at = path.find('/', at + 1)) {
    const std::string parent = path.substr(0, at);
    const int rc = zoo_create(zh, parent.c_str(), "", 0, &ZOO_OPEN_ACL_UNSAFE, 0, nullptr, 0);
    if (rc != ZOK && rc != ZNODEEXISTS) return Zk(rc, "create " + parent);
  }
  int rc = zoo_create(zh, path.c_str(), value.data(), static_cast<int>(value.size()),
                      &ZOO_OPEN_ACL_UNSAFE, 0, nullptr, 0);
  if (rc == ZNODEEXISTS) {
    rc = zoo_set(zh, path.c_str(), value.data(), static_cast<int>(value.size()), -1);
  }
  return Zk(rc, "put " + path);
}

Status ZookeeperServer::Delete(const std::string& path) {
  auto c = Client();
  if (!c) return c.error();
  zhandle_t* zh = (*c)->zh();
  String_vector children{};
  int rc = zoo_get_children(zh, path.c_str(), 0, &children);
  if (rc == ZNONODE) return Status::Ok();
  if (rc != ZOK) return Zk(rc, "children " + path);
  std::vector<std::string> names;
  for (int i = 0; i < children.count; ++i) names.emplace_back(children.data[i]);
  deallocate_String_vector(&children);
  for (const auto& n : names) BERTH_RETURN_IF_ERROR(Delete((path == "/" ? "" : path) + "/" + n));
  if (path == "/") return Status::Ok();
  rc = zoo_delete(zh, path.c_str(), -1);
  if (rc == ZNONODE) return Status::Ok();
  return Zk(rc, "delete " + path);
}

Result<std::optional<std::string>> ZookeeperServer::Get(const std::string& path) {
  auto c = Client();
  if (!c) return Err(c.error());
  std::string buf(1 << 20, '\0');
  int len = static_cast<int>(buf.size());
  const int rc = zoo_get((*c)->zh(), path.c_str(), 0, buf.data(), &len, nullptr);
  if (rc == ZNONODE) return std::optional<std::string>();
  if (rc != ZOK) return Err(Zk(rc, "get " + path));
  buf.resize(len < 0 ? 0 : static_cast<size_t>(len));
  return std::optional<std::string>(buf);
}

Status ZookeeperServer::ExpireSession(int64_t id, const std::string& password) {
  clientid_t cid{};
  cid.client_id = id;
  std::memcpy(cid.passwd, password.data(), std::min(password.size(), sizeof(cid.passwd)));
  // Closing a second handle on the session closes it on the server, unless
  // the owner took the session back before the close went out: then again,
  // until the server says the session has expired.
  const auto deadline = SteadyClock::now() + std::chrono::seconds(20);
  for (;;) {
    auto c = ZookeeperClient::Connect(node(), &cid, std::chrono::seconds(5));
    if (!c && c.error().code() == Code::kNotFound) return Status::Ok();
    if (SteadyClock::now() >= deadline) {
      return Status::Timeout("the session did not expire in time");
    }
  }
}

Status ZookeeperServer::Stop(int signal) {
  client_.reset();
  return process_.Stop(signal);
}

Status ZookeeperServer::Restart() {
  if (process_.Running()) return Status::FailedPrecondition("zookeeper is running");
  return Launch();
}

void ZookeeperTest::SetUp() {
  if (ZookeeperServer::Available()) return;
  const std::string why = "zookeeper is not installed (" + ZookeeperServer::Jar() + ")";
  if (InCi()) FAIL() << why << "; CI=true requires it";
  GTEST_SKIP() << why;
}

}  // namespace berth::testing
