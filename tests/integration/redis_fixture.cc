#include "tests/integration/redis_fixture.h"

#include <hiredis/hiredis.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include "tests/integration/berth_process.h"

namespace berth::testing {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::string TempBase() {
  if (access("/dev/shm", W_OK) == 0) return "/dev/shm";
  const char* t = std::getenv("TMPDIR");
  return t != nullptr && *t != '\0' ? t : "/tmp";
}

std::string ReplyText(const redisReply* r) {
  switch (r->type) {
    case REDIS_REPLY_INTEGER:
      return std::to_string(r->integer);
    case REDIS_REPLY_ARRAY: {
      std::string out;
      for (size_t i = 0; i < r->elements; ++i) {
        if (i > 0) out += "\n";
        out += ReplyText(r->element[i]);
      }
      return out;
    }
    case REDIS_REPLY_NIL:
      return "";
    default:
      return std::string(r->str, r->len);
  }
}

}  // namespace

std::string RedisServer::Binary() {
  const char* b = std::getenv("BERTH_REDIS_SERVER");
  return b != nullptr && *b != '\0' ? b : "/usr/bin/redis-server";
}

bool RedisServer::Available() { return access(Binary().c_str(), X_OK) == 0; }

Result<std::unique_ptr<RedisServer>> RedisServer::Start(RedisServerOptions options) {
  if (!Available())
    return Err(Status::NotFound("redis-server is not installed (" + Binary() + ")"));
  std::unique_ptr<RedisServer> s(new RedisServer(std::move(options)));
  std::string tmpl = TempBase() + "/berth-redis-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    return Err(Status::IoError("mkdtemp " + tmpl + ": " + std::strerror(errno)));
  }
  s->dir_ = tmpl;
  s->socket_ = s->dir_ + "/redis.sock";
  Status last;
  // A port picked here can be taken before redis binds it: then another.
  for (int attempt = 0; attempt < 3; ++attempt) {
    s->port_ = FreeLoopbackPort();
    last = s->Launch();
    if (last.ok()) return s;
    (void)s->process_.Stop(SIGKILL);
    if (s->LogTail(1 << 20).find("Address already in use") == std::string::npos) break;
  }
  return Err(last);
}

RedisServer::~RedisServer() {
  Disconnect();
  (void)process_.Stop(SIGKILL);
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

Status RedisServer::Launch() {
  std::vector<std::string> args = {Binary(),
                                   "--port",
                                   std::to_string(port_),
                                   "--bind",
                                   "127.0.0.1",
                                   "--unixsocket",
                                   socket_,
                                   "--unixsocketperm",
                                   "700",
                                   "--dir",
                                   dir_,
                                   "--dbfilename",
                                   "dump.rdb",
                                   "--save",
                                   "3600 1",  // a snapshot at shutdown, none before
                                   "--appendonly",
                                   "no",
                                   "--daemonize",
                                   "no",
                                   "--notify-keyspace-events",
                                   options_.keyspace_events,
                                   "--loglevel",
                                   "warning"};
  if (!options_.password.empty()) {
    args.push_back("--requirepass");
    args.push_back(options_.password);
  }
  BERTH_RETURN_IF_ERROR(process_.Start(args, dir_ + "/redis.log"));
  const auto deadline = SteadyClock::now() + options_.start_timeout;
  std::string last;
  for (;;) {
    if (!process_.Running()) {
      return Status::Internal("redis-server exited during start; log:\n" + LogTail());
    }
    Disconnect();
    Status s = Connect(0);
    if (s.ok()) {
      auto pong = Command({"PING"});
      if (pong) return Status::Ok();
      last = pong.error().message();
    } else {
      last = s.message();
    }
    if (SteadyClock::now() >= deadline) {
      return Status::Timeout("redis-server did not answer in time; last: " + last + "\nlog:\n" +
                             LogTail());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Status RedisServer::Connect(int db) {
  if (conn_ != nullptr && db_ == db) return Status::Ok();
  Disconnect();
  timeval tv{2, 0};
  conn_ = redisConnectWithTimeout("127.0.0.1", port_, tv);
  if (conn_ == nullptr || conn_->err != 0) {
    Status s = Status::Unavailable(std::string("connect: ") +
                                   (conn_ != nullptr ? conn_->errstr : "out of memory"));
    Disconnect();
    return s;
  }
  redisSetTimeout(conn_, tv);
  db_ = 0;
  auto run = [&](std::vector<const char*> argv) -> Status {
    auto* r = static_cast<redisReply*>(
        redisCommandArgv(conn_, static_cast<int>(argv.size()), argv.data(), nullptr));
    if (r == nullptr) return Status::Unavailable(conn_->errstr);
    Status s = r->type == REDIS_REPLY_ERROR ? Status::FailedPrecondition(ReplyText(r)) : Status();
    freeReplyObject(r);
    return s;
  };
  if (!options_.password.empty()) {
    Status s = run({"AUTH", options_.password.c_str()});
    if (!s.ok()) {
      Disconnect();
      return s;
    }
  }
  if (db != 0) {
    const std::string n = std::to_string(db);
    Status s = run({"SELECT", n.c_str()});
    if (!s.ok()) {
      Disconnect();
      return s;
    }
  }
  db_ = db;
  return Status::Ok();
}

void RedisServer::Disconnect() {
  if (conn_ != nullptr) redisFree(conn_);
  conn_ = nullptr;
  db_ = -1;
}

Result<std::optional<std::string>> RedisServer::Command(const std::vector<std::string>& args,
                                                        int db) {
  for (int attempt = 0;; ++attempt) {
    BERTH_RETURN_IF_ERROR(Connect(db));
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(
        redisCommandArgv(conn_, static_cast<int>(argv.size()), argv.data(), lens.data()));
    if (r == nullptr) {
      const std::string why = conn_->errstr;
      Disconnect();
      if (attempt == 0) continue;  // a connection from before a restart
      return Err(Status::Unavailable("redis: " + why));
    }
    std::optional<std::string> out;
    Status s;
    if (r->type == REDIS_REPLY_ERROR) {
      s = Status::FailedPrecondition("redis " + args[0] + ": " + ReplyText(r));
    } else if (r->type != REDIS_REPLY_NIL) {
      out = ReplyText(r);
    }
    freeReplyObject(r);
    if (!s.ok()) return Err(s);
    return out;
  }
}

void RedisServer::Set(const std::string& key, const std::string& value, int db) {
  auto r = Command({"SET", key, value}, db);
  ASSERT_TRUE(r.has_value()) << r.error().message();
}

Status RedisServer::Stop(int signal) {
  Disconnect();
  return process_.Stop(signal);
}

Status RedisServer::Restart() {
  if (process_.Running()) return Status::FailedPrecondition("redis-server is running");
  return Launch();
}

void RedisTest::SetUp() {
  if (RedisServer::Available()) return;
  const std::string why = "redis-server is not installed (" + RedisServer::Binary() + ")";
  if (InCi()) FAIL() << why << "; CI=true requires it";
  GTEST_SKIP() << why;
}

}  // namespace berth::testing
